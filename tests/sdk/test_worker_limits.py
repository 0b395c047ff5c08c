"""The SDK's Worker stays within the request limits however much it holds: more than 1,000 tasks
are heartbeated and released in calls of at most 1,000 tokens."""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from typing import Any

import pytest

from shards.limits import MAX_FAILURE_TEXT_CHARS, MAX_TASK_TOKENS
from stepway import (
    Client,
    InstanceStatus,
    NewInstance,
    RetryPolicy,
    Step,
    Worker,
    WorkflowEvent,
    WorkflowFailedError,
    workflow,
)
from tests.helpers import eventually

HELD = MAX_TASK_TOKENS + 1
runs: Counter[str] = Counter()


@pytest.fixture
def lease_timeout() -> float:
    # Short, so that several leases run out within the test; long enough that a heartbeat of
    # 1,001 tokens (a third of it) answers on a busy machine.
    return 4.0


@workflow("held")
async def held_wf(event: WorkflowEvent, step: Step) -> Any:
    runs[event.instance_id] += 1
    await asyncio.Event().wait()  # holds its task until the worker stops


@pytest.mark.alone
async def test_a_worker_holding_more_than_1000_tasks_keeps_every_lease(
    client: Client, lease_timeout: float, caplog: pytest.LogCaptureFixture
) -> None:
    runs.clear()
    caplog.set_level(logging.WARNING, logger="stepway")
    worker = Worker(client, workflows=[held_wf], max_concurrent=HELD + 50)
    await worker.start()
    try:
        new = [NewInstance(id=f"h{n}") for n in range(HELD)]
        for start in range(0, HELD, 1000):
            await client.create_batch("held", new[start : start + 1000])

        async def started() -> int:
            return len(runs)

        await eventually(started, lambda n: n == HELD, timeout=30, what="every task started")
        # Several lease timeouts pass: only heartbeats keep the tasks with this worker.
        await asyncio.sleep(lease_timeout * 2)
        statuses = Counter([i.status async for i in client.list("held")])
        assert statuses == {InstanceStatus.RUNNING: HELD}
        assert set(runs.values()) == {1}, "a task was dispatched again: its lease was lost"
    finally:
        await worker.stop()
    # A heartbeat may time out on a busy machine; none may be refused.
    refused = [r.getMessage() for r in caplog.records if "limit is" in r.getMessage()]
    assert not refused, refused


@workflow("raises-at-length")
async def raises_wf(event: WorkflowEvent, step: Step) -> Any:
    def fail() -> None:
        raise ValueError("m" * 100_000)

    await step.do("fails", fail, retries=RetryPolicy(limit=0))


async def test_a_failure_over_the_limits_is_recorded_cut_not_refused(client: Client) -> None:
    async with Worker(client, workflows=[raises_wf]):
        handle = await client.create("raises-at-length", id="long")
        with pytest.raises(WorkflowFailedError) as failed:
            await handle.result(timeout=30)
    assert failed.value.error_type == "ValueError"
    assert failed.value.error_message == "m" * MAX_FAILURE_TEXT_CHARS
    steps = (await handle.describe()).steps or ()
    assert [(s.name, s.state) for s in steps] == [("fails", "failed")]


# Per instance: (the step has started, let it end); made on the test's own event loop.
GATES: dict[str, tuple[asyncio.Event, asyncio.Event]] = {}


async def _gated(instance_id: str) -> int:
    started, gate = GATES[instance_id]
    started.set()
    await gate.wait()
    return 1


@workflow("gated")
async def gated(event: WorkflowEvent, step: Step) -> Any:
    return await step.do("slow", _gated, event.instance_id)


async def test_a_worker_stopped_with_a_timeout_lets_its_runs_end_on_their_own(
    client: Client,
) -> None:
    started, gate = GATES["g1"] = (asyncio.Event(), asyncio.Event())
    worker = Worker(client, workflows=[gated], task_queue="gated")
    await worker.start()
    handle = await client.create("gated", id="g1", task_queue="gated")
    await asyncio.wait_for(started.wait(), 20)
    stopping = asyncio.ensure_future(worker.stop(timeout=20))
    await asyncio.sleep(0.2)  # the stop is under way: polling has ended, the run goes on
    assert not stopping.done()
    gate.set()
    await asyncio.wait_for(stopping, 20)
    assert await handle.result(timeout=20) == 1
    kinds = [e.type for e in await handle.history()]
    assert "task_released" not in kinds and kinds.count("step_attempt_started") == 1


async def test_a_worker_stopped_without_a_timeout_gives_its_runs_back_at_once(
    client: Client,
) -> None:
    started, _ = GATES["g2"] = (asyncio.Event(), asyncio.Event())
    worker = Worker(client, workflows=[gated], task_queue="gated2")
    await worker.start()
    handle = await client.create("gated", id="g2", task_queue="gated2")
    await asyncio.wait_for(started.wait(), 20)
    await asyncio.wait_for(worker.stop(), 20)
    kinds = [e.type for e in await handle.history()]
    assert "task_released" in kinds
    assert (await handle.status()).status is InstanceStatus.QUEUED
