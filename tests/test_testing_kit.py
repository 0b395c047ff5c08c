"""stepway.testing: a real engine in the test's process, time skipping, mocks, introspection."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

from stepway import RetryPolicy, Step, WorkflowEvent, workflow
from stepway.testing import WorkflowEnvironment

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
