"""The pytest plugin of stepway.testing (entry point pytest11): fixtures and a marker.

`stepway_env` needs the workflows under test: a test module (or conftest) defines a fixture
`stepway_workflows` returning them. `@pytest.mark.stepway(time_skipping=False)` runs a test on
the wall clock. The fixtures are async: pytest-asyncio runs them in auto and strict mode alike.
"""

from __future__ import annotations

import pytest

try:
    from stepway.testing._fixtures import stepway_client, stepway_env
except ImportError:  # installed without the testing extra (no pytest-asyncio): no fixtures
    pass
else:
    __all__ = ["stepway_client", "stepway_env"]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "stepway(time_skipping=True): how stepway_env runs this test's workflows"
    )
