"""The fixtures of stepway.testing's pytest plugin (they need pytest-asyncio)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from stepway.client import Client
from stepway.testing._env import WorkflowEnvironment
from stepway.workflow import WorkflowDefinition


@pytest_asyncio.fixture
async def stepway_env(
    request: pytest.FixtureRequest, stepway_workflows: list[WorkflowDefinition]
) -> AsyncIterator[WorkflowEnvironment]:
    """A WorkflowEnvironment running stepway_workflows, time skipping unless marked off."""
    marker = request.node.get_closest_marker("stepway")
    skipping = True if marker is None else bool(marker.kwargs.get("time_skipping", True))
    async with WorkflowEnvironment.start(
        workflows=stepway_workflows, time_skipping=skipping
    ) as env:
        yield env


@pytest_asyncio.fixture
async def stepway_client(stepway_env: WorkflowEnvironment) -> Client:
    """The Client of stepway_env."""
    return stepway_env.client
