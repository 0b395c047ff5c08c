"""A failure's text is recorded whatever characters an exception carries, on every backend."""

from __future__ import annotations

from typing import Any

from stepway import Client, InstanceStatus, RetryPolicy, Step, Worker, WorkflowEvent, workflow
from tests.helpers import eventually

attempts: list[int] = []


def fails_once_with_a_nul() -> str:
    attempts.append(1)
    if len(attempts) == 1:
        raise ValueError("first\x00attempt")
    return "ok"


@workflow("nul-text")
async def nul_text(event: WorkflowEvent, step: Step) -> Any:
    await step.do("s", fails_once_with_a_nul, retries=RetryPolicy(limit=1, delay=0.0))
    raise ValueError("the\x00end")


async def test_failure_text_with_a_nul_character_is_recorded_not_refused(client: Client) -> None:
    # PostgreSQL's text columns cannot hold NUL: it is recorded as U+FFFD on every backend.
    attempts.clear()
    async with Worker(client, workflows=[nul_text]):
        await client.create("nul-text", id="n1")
        info = await eventually(
            lambda: client.describe("nul-text", "n1"),
            lambda i: i.status is InstanceStatus.ERRORED,
            what="the instance errored",
        )
    assert info.error is not None and info.error.message == "the\ufffdend"
    step = next(s for s in info.steps or () if s.name == "s")
    assert (step.state, step.attempts) == ("succeeded", 2)
    history = await client.history("nul-text", "n1")
    failed = [e.error.message for e in history if e.type == "step_attempt_failed" and e.error]
    assert failed == ["first\ufffdattempt"], history
