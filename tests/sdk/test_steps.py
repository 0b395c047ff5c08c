"""Steps run once and replay; retries follow their policy; timeouts; errors end the instance."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections import Counter
from typing import Any

import pytest

from stepway import (
    Client,
    InstanceStatus,
    NonRetryableError,
    RetryPolicy,
    Step,
    Worker,
    WorkflowEvent,
    WorkflowFailedError,
    current_step,
    workflow,
)

runs: Counter[str] = Counter()
attempt_times: dict[str, list[float]] = {}


@pytest.fixture(autouse=True)
def _reset() -> None:
    runs.clear()
    attempt_times.clear()


def count(name: str, value: Any) -> Any:
    runs[name] += 1
    return value


@workflow("replay")
async def replay_wf(event: WorkflowEvent, step: Step) -> Any:
    runs["workflow-run"] += 1
    a = await step.do("a", count, "a", {"n": event.params["n"]})
    # Long enough to be still ahead when the server records it, even on a loaded machine: a
    # sleep whose time has passed by then is recorded as done and the run goes on without replay.
    await step.sleep("pause", 0.3)
    b = await step.do("b", count, "b", a["n"] + 1)
    # The same name twice is two steps: name plus occurrence is the cache key.
    b2 = await step.do("b", count, "b", b + 1)
    return {"a": a, "b": b, "b2": b2, "event": [event.instance_id, event.workflow]}


async def test_recorded_steps_run_once_and_replay_their_results(client: Client) -> None:
    async with Worker(client, workflows=[replay_wf]):
        handle = await client.create("replay", id="r1", params={"n": 1})
        result = await handle.result(timeout=30)
    assert result == {"a": {"n": 1}, "b": 2, "b2": 3, "event": ["r1", "replay"]}
    # The run replays after the sleep: step a returns its journaled result without running.
    assert runs["workflow-run"] == 2
    assert runs["a"] == 1
    assert runs["b"] == 2  # two distinct steps named "b", each run once


def flaky(name: str, fail_until: int) -> dict[str, int]:
    info = current_step()
    attempt_times.setdefault(name, []).append(time.monotonic())
    if info.attempt < fail_until:
        raise ConnectionError(f"attempt {info.attempt} failed")
    return {"attempt": info.attempt}


@workflow("retrying")
async def retrying_wf(event: WorkflowEvent, step: Step) -> Any:
    policy = RetryPolicy(
        limit=event.params["limit"], delay=event.params["delay"], backoff=event.params["backoff"]
    )
    return await step.do(
        "flaky", flaky, event.params["key"], event.params["fail_until"], retries=policy
    )


def _gaps(name: str) -> list[float]:
    times = attempt_times[name]
    return [b - a for a, b in itertools.pairwise(times)]


async def test_retries_follow_the_policy_count_and_exponential_delays(client: Client) -> None:
    params = {"limit": 3, "delay": 0.1, "backoff": "exponential", "key": "exp", "fail_until": 99}
    async with Worker(client, workflows=[retrying_wf]):
        handle = await client.create("retrying", id="exp", params=params)
        with pytest.raises(WorkflowFailedError) as failed:
            await handle.result(timeout=30)
    assert failed.value.error_type == "ConnectionError"
    assert failed.value.error_message == "attempt 4 failed"
    assert len(attempt_times["exp"]) == 4  # the first attempt and 3 retries
    for gap, want in zip(_gaps("exp"), [0.1, 0.2, 0.4], strict=True):
        assert want <= gap < want + 2.0


@pytest.mark.parametrize(("backoff", "delays"), [("constant", [0.1, 0.1]), ("linear", [0.1, 0.2])])
async def test_retry_delays_follow_constant_and_linear_backoff(
    client: Client, backoff: str, delays: list[float]
) -> None:
    params = {"limit": 2, "delay": 0.1, "backoff": backoff, "key": backoff, "fail_until": 3}
    async with Worker(client, workflows=[retrying_wf]):
        handle = await client.create("retrying", id=backoff, params=params)
        result = await handle.result(timeout=30)
    assert result == {"attempt": 3}  # the attempt number is visible to the step function
    for gap, want in zip(_gaps(backoff), delays, strict=True):
        assert want <= gap < want + 2.0


def refuse() -> None:
    runs["refuse"] += 1
    raise NonRetryableError("card declined")


@workflow("non-retryable")
async def non_retryable_wf(event: WorkflowEvent, step: Step) -> Any:
    return await step.do("charge", refuse, retries=RetryPolicy(limit=5, delay=0.01))


async def test_non_retryable_error_stops_retries_and_errors_the_instance(client: Client) -> None:
    async with Worker(client, workflows=[non_retryable_wf]):
        handle = await client.create("non-retryable", id="nr")
        with pytest.raises(WorkflowFailedError):
            await handle.result(timeout=30)
    info = await handle.status()
    assert runs["refuse"] == 1
    assert info.status is InstanceStatus.ERRORED
    assert info.error is not None
    assert (info.error.type, info.error.message) == ("NonRetryableError", "card declined")


async def slow() -> str:
    runs["slow"] += 1
    await asyncio.sleep(30)
    return "too late"


@workflow("timeout")
async def timeout_wf(event: WorkflowEvent, step: Step) -> Any:
    return await step.do("slow", slow, timeout=0.2, retries=RetryPolicy(limit=1, delay=0.01))


async def test_step_timeout_fails_the_attempt_and_is_retried(client: Client) -> None:
    async with Worker(client, workflows=[timeout_wf]):
        handle = await client.create("timeout", id="t1")
        with pytest.raises(WorkflowFailedError) as failed:
            await handle.result(timeout=30)
    assert runs["slow"] == 2
    assert failed.value.error_type == "StepTimeout"
    assert "0.2" in failed.value.error_message


@workflow("raises")
async def raises_wf(event: WorkflowEvent, step: Step) -> Any:
    await step.do("fine", count, "fine", 1)
    raise ValueError("bad order total")


async def test_exception_outside_a_step_errors_the_instance_with_type_and_message(
    client: Client,
) -> None:
    async with Worker(client, workflows=[raises_wf]):
        handle = await client.create("raises", id="x1")
        with pytest.raises(WorkflowFailedError) as failed:
            await handle.result(timeout=30)
    assert (failed.value.error_type, failed.value.error_message) == (
        "ValueError",
        "bad order total",
    )
    info = await handle.status()
    assert info.status is InstanceStatus.ERRORED
    assert info.ended_at is not None and info.started_at is not None


@workflow("caught")
async def caught_wf(event: WorkflowEvent, step: Step) -> Any:
    try:
        await step.do("charge", refuse)
    except Exception as exc:
        return {"recovered": type(exc).__name__}
    return {"recovered": None}


async def test_workflow_can_catch_a_failed_step_and_go_on(client: Client) -> None:
    async with Worker(client, workflows=[caught_wf]):
        handle = await client.create("caught", id="c1")
        assert await handle.result(timeout=30) == {"recovered": "StepFailedError"}
