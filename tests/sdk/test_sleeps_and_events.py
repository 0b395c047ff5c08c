"""Sleeps wake on time; events sent before or after a wait are delivered; a wait times out."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

from stepway import (
    Client,
    EventTimeoutError,
    InstanceStatus,
    Step,
    Worker,
    WorkflowEvent,
    workflow,
)
from tests.helpers import eventually


def stamp() -> float:
    return time.time()


@workflow("sleeper")
async def sleeper_wf(event: WorkflowEvent, step: Step) -> Any:
    before = await step.do("before", stamp)
    await step.sleep("nap", timedelta(seconds=event.params["seconds"]))
    after = await step.do("after", stamp)
    return after - before


async def test_sleep_suspends_the_instance_and_wakes_on_time(client: Client) -> None:
    async with Worker(client, workflows=[sleeper_wf]):
        handle = await client.create("sleeper", id="s1", params={"seconds": 0.6})
        info = await eventually(
            handle.status, lambda i: i.status is InstanceStatus.WAITING, what="waiting"
        )
        assert info.current_step == "nap"
        slept = await handle.result(timeout=30)
    assert 0.6 <= slept < 0.6 + 2.0


@workflow("sleep-until")
async def sleep_until_wf(event: WorkflowEvent, step: Step) -> Any:
    await step.sleep_until("alarm", datetime.fromtimestamp(event.params["at"], tz=UTC))
    return await step.do("woke", stamp)


async def test_sleep_until_wakes_at_the_given_time(client: Client) -> None:
    at = time.time() + 0.5
    async with Worker(client, workflows=[sleep_until_wf]):
        handle = await client.create("sleep-until", id="u1", params={"at": at})
        woke = await handle.result(timeout=30)
    assert at <= woke < at + 2.0


async def test_sleep_until_a_past_time_does_not_suspend(client: Client) -> None:
    async with Worker(client, workflows=[sleep_until_wf]):
        handle = await client.create("sleep-until", id="u2", params={"at": time.time() - 60})
        await handle.result(timeout=30)


@workflow("approval")
async def approval_wf(event: WorkflowEvent, step: Step) -> Any:
    try:
        approval = await step.wait_for_event(
            "approval", type="approved", timeout=(event.params or {}).get("timeout", 60)
        )
    except EventTimeoutError as exc:
        return {"timed_out": str(exc)}
    return {"by": approval.payload["by"], "type": approval.type}


async def test_event_sent_before_the_wait_is_buffered_and_delivered(client: Client) -> None:
    async with Worker(client, workflows=[approval_wf]):
        pass  # registers the workflow; no worker runs while the event is sent
    handle = await client.create("approval", id="e1")
    assert await handle.send_event("approved", {"by": "ann"}) is False  # buffered
    async with Worker(client, workflows=[approval_wf]):
        assert await handle.result(timeout=30) == {"by": "ann", "type": "approved"}


async def test_event_sent_after_the_wait_wakes_the_instance(client: Client) -> None:
    async with Worker(client, workflows=[approval_wf]):
        handle = await client.create("approval", id="e2")
        await eventually(
            handle.status,
            lambda i: i.status is InstanceStatus.WAITING and i.current_step == "approval",
            what="waiting for the event",
        )
        assert await handle.send_event("ignored-type", {"by": "nobody"}) is False
        assert await handle.send_event("approved", {"by": "bob"}) is True
        assert await handle.result(timeout=30) == {"by": "bob", "type": "approved"}


async def test_event_wait_timeout_raises_in_the_workflow(client: Client) -> None:
    async with Worker(client, workflows=[approval_wf]):
        handle = await client.create("approval", id="e3", params={"timeout": 0.3})
        result = await handle.result(timeout=30)
    assert "approved" in result["timed_out"]


async def test_events_to_a_finished_instance_are_refused(client: Client) -> None:
    async with Worker(client, workflows=[approval_wf]):
        handle = await client.create("approval", id="e4")
        await handle.send_event("approved", {"by": "ann"})
        await handle.result(timeout=30)
    from stepway import FailedPreconditionError

    try:
        await handle.send_event("approved", {"by": "late"})
    except FailedPreconditionError as exc:
        assert "complete" in str(exc)
    else:
        raise AssertionError("an event to a complete instance was accepted")
