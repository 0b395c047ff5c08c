"""stepway.testing: a real engine in the test's process, time skipping, mocks, introspection."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

from stepway import RetryPolicy, Step, WorkflowEvent, workflow
from stepway.errors import NotFoundError
from stepway.testing import WorkflowEnvironment
from tests.helpers import eventually

woke: list[str] = []


@workflow("two-sleepers")
async def sleeper(event: WorkflowEvent, step: Step) -> Any:
    await step.sleep("nap", event.params["seconds"])
    woke.append(event.instance_id)
    return event.params["seconds"]


async def test_two_sleeps_of_different_lengths_wake_in_order_without_waiting() -> None:
    woke.clear()
    started = time.monotonic()
    async with WorkflowEnvironment.start(workflows=[sleeper]) as env:
        t0 = env.now()
        long = await env.client.create("two-sleepers", id="long", params={"seconds": 3 * 86400})
        short = await env.client.create("two-sleepers", id="short", params={"seconds": 3600})
        assert await long.result(timeout=5) == 3 * 86400
        assert await short.result(timeout=5) == 3600
        assert env.now() - t0 >= timedelta(days=3)
    assert woke == ["short", "long"]
    assert time.monotonic() - started < 5


flaky_calls: list[int] = []


def flaky() -> str:
    flaky_calls.append(1)
    if len(flaky_calls) < 3:
        raise RuntimeError("not yet")
    return "done"


@workflow("day-retry")
async def day_retry(event: WorkflowEvent, step: Step) -> Any:
    return await step.do("flaky", flaky, retries=RetryPolicy(limit=5, delay=timedelta(days=1)))


async def test_a_retry_delay_of_a_day_passes_at_once() -> None:
    flaky_calls.clear()
    async with WorkflowEnvironment.start(workflows=[day_retry]) as env:
        t0 = env.now()
        handle = await env.client.create("day-retry", id="r1")
        assert await handle.result(timeout=5) == "done"
        assert env.now() - t0 >= timedelta(days=2)
        record = await env.instance(handle).step("flaky")
        assert record.attempts == 3
        assert (await env.instance(handle).history_types("flaky")).count("step_attempt_failed") == 2


def charge_card(amount: float) -> dict[str, Any]:
    return {"charge_id": "real", "amount": amount}


@workflow("checkout")
async def checkout(event: WorkflowEvent, step: Step) -> Any:
    return await step.do("charge", charge_card, 10.0)


async def test_a_mocked_step_answers_for_its_own_instance_only() -> None:
    async with WorkflowEnvironment.start(workflows=[checkout]) as env:
        env.mock_step("mocked", "charge", result={"charge_id": "fake"})
        env.mock_step("failing", "charge", error=ValueError("card declined"))
        mocked = await env.client.create("checkout", id="mocked")
        real = await env.client.create("checkout", id="real")
        failing = await env.client.create("checkout", id="failing")
        assert await mocked.result(timeout=5) == {"charge_id": "fake"}
        assert await real.result(timeout=5) == {"charge_id": "real", "amount": 10.0}
        info = await failing.wait(timeout=5)
        assert info.status == "errored"
        assert (await env.instance(failing).step("charge")).error is not None


@workflow("remote-charge")
async def remote_charge(event: WorkflowEvent, step: Step) -> Any:
    return await step.call("charge", task_queue="payments", step_type="charge", input={"n": 1})


async def test_a_remote_step_type_is_served_by_the_handler_given_to_the_environment() -> None:
    async with WorkflowEnvironment.start(workflows=[remote_charge]) as env:
        await env.mock_step_type("payments", "charge", lambda data, ctx: {"paid": data["n"]})
        handle = await env.client.create("remote-charge", id="c1")
        assert await handle.result(timeout=5) == {"paid": 1}
        assert (await env.instance(handle).step("charge")).kind == "call"


@workflow("stamped")
async def stamped(event: WorkflowEvent, step: Step) -> Any:
    await step.sleep("nap", timedelta(days=1))
    await step.do("after", lambda: None)
    return event.timestamp.isoformat()


async def test_workflow_code_and_the_journal_see_the_skipped_time() -> None:
    async with WorkflowEnvironment.start(workflows=[stamped]) as env:
        await env.sleep(timedelta(days=10))
        t0 = env.now()
        handle = await env.client.create("stamped", id="s1")
        stamp = await handle.result(timeout=5)
        assert stamp >= t0.isoformat()
        after = await env.instance(handle).step("after")
        assert after.started_at is not None and after.started_at - t0 >= timedelta(days=1)
        nap = await env.instance(handle).step("nap")
        assert nap.kind == "sleep" and nap.wake_at is not None
        assert nap.wake_at - t0 >= timedelta(days=1)


async def test_no_time_passes_while_no_result_is_awaited_so_an_event_arrives_in_its_wait() -> None:
    async with WorkflowEnvironment.start(workflows=[approval]) as env:
        t0 = env.now()
        handle = await env.client.create("approval", id="a1")
        await env.instance(handle).wait_for_status("waiting")
        await env.sleep(timedelta(minutes=59))
        assert await env.instance(handle).status() == "waiting"
        assert await env.send_event(handle, "approved", {"by": "ann"})
        assert await handle.result(timeout=5) == "ann"
        assert timedelta(minutes=59) <= env.now() - t0 < timedelta(hours=1)


@workflow("approval")
async def approval(event: WorkflowEvent, step: Step) -> Any:
    got = await step.wait_for_event("approval", type="approved", timeout=3600)
    return got.payload["by"]


async def test_retention_purges_a_finished_instance_when_the_clock_passes_it() -> None:
    async with WorkflowEnvironment.start(workflows=[checkout]) as env:
        handle = await env.client.create("checkout", id="kept", retention=timedelta(days=1))
        await handle.result(timeout=5)
        await env.sleep(timedelta(days=2))

        async def gone() -> bool:
            try:
                await handle.status()
            except NotFoundError:
                return True
            return False

        await eventually(gone, bool, timeout=5, what="the instance purged")


async def test_without_time_skipping_the_environment_runs_on_the_wall_clock() -> None:
    async with WorkflowEnvironment.start(workflows=[checkout], time_skipping=False) as env:
        assert env.clock is None
        handle = await env.client.create("checkout", id="w1")
        assert await handle.result(timeout=5) == {"charge_id": "real", "amount": 10.0}
