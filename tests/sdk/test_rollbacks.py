"""Saga rollbacks (docs/rollbacks.md): the rollbacks of the steps that succeeded run newest
first when the workflow fails or asks for it, each durable and retried by its own policy, and
the instance ends stating how its rollback went. On SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

import pytest

from stepway import (
    Client,
    InstanceStatus,
    RetryPolicy,
    Step,
    Worker,
    WorkflowEvent,
    WorkflowFailedError,
    current_step,
    workflow,
)
from stepway import _render as render

undone: list[str] = []
runs: Counter[str] = Counter()
# Rollbacks that wait here until set (the test's worker "crashes" meanwhile).
holds: dict[str, asyncio.Event] = {}
entered: dict[str, asyncio.Event] = {}
QUICK = RetryPolicy(limit=2, delay=0.01, backoff="constant")


@pytest.fixture(autouse=True)
def _reset() -> None:
    undone.clear()
    runs.clear()
    holds.clear()
    entered.clear()


def book(what: str) -> dict[str, str]:
    runs[what] += 1
    return {"booked": what}


def undo(result: dict[str, str]) -> str:
    undone.append(result["booked"])
    return f"cancelled {result['booked']}"


async def held_undo(result: dict[str, str]) -> None:
    what = result["booked"]
    entered.setdefault(what, asyncio.Event()).set()
    if what in holds:
        await holds[what].wait()
    undone.append(what)


def broken_undo(result: dict[str, str]) -> None:
    runs[f"undo {result['booked']} attempt {current_step().attempt}"] += 1
    raise ConnectionError(f"cannot cancel {result['booked']}")


@workflow("trip")
async def trip(event: WorkflowEvent, step: Step) -> Any:
    await step.do("flight", book, "flight", rollback=undo)
    await step.do("note", book, "note")  # no rollback: skipped
    await step.do("hotel", book, "hotel", rollback=undo, rollback_retries=QUICK)
    await step.do("car", book, "car", rollback=undo)
    raise RuntimeError("payment declined")


@workflow("cancelled_trip")
async def cancelled_trip(event: WorkflowEvent, step: Step) -> Any:
    await step.do("flight", book, "flight", rollback=undo)
    await step.do("hotel", book, "hotel", rollback=undo)
    await step.rollback("the customer cancelled")


@workflow("stuck_trip")
async def stuck_trip(event: WorkflowEvent, step: Step) -> Any:
    await step.do("flight", book, "flight", rollback=undo)
    await step.do("hotel", book, "hotel", rollback=broken_undo, rollback_retries=QUICK)
    await step.do("car", book, "car", rollback=undo)
    raise RuntimeError("payment declined")


@workflow("held_trip")
async def held_trip(event: WorkflowEvent, step: Step) -> Any:
    await step.do("flight", book, "flight", rollback=held_undo)
    await step.do("hotel", book, "hotel", rollback=held_undo)
    raise RuntimeError("payment declined")


async def ended(client: Client, workflow: str, id: str) -> None:
    with pytest.raises(WorkflowFailedError):
        await client.get_handle(workflow, id).result(timeout=30)


async def test_an_uncaught_failure_rolls_back_the_steps_with_rollbacks_newest_first(
    client: Client,
) -> None:
    async with Worker(client, workflows=[trip]):
        await client.create("trip", id="t1")
        await ended(client, "trip", "t1")
    assert undone == ["car", "hotel", "flight"]  # "note" declared none
    info = await client.describe("trip", "t1")
    assert info.status is InstanceStatus.ERRORED
    assert info.error is not None and info.error.type == "RuntimeError"
    assert info.rollback == "rolled_back" and info.rollback_step is None
    rollbacks = [(s.name, s.state, s.output) for s in info.steps or () if s.kind == "rollback"]
    assert sorted(rollbacks) == [
        ("car", "succeeded", "cancelled car"),
        ("flight", "succeeded", "cancelled flight"),
        ("hotel", "succeeded", "cancelled hotel"),
    ]
    assert info.last_successful_step == "car"
    history = await client.history("trip", "t1")
    kinds = [(e.type, e.step_name) for e in history if e.type.startswith("rollback")]
    assert kinds == [
        ("rollback_started", None),
        ("rollback_attempt_started", "car"),
        ("rollback_succeeded", "car"),
        ("rollback_attempt_started", "hotel"),
        ("rollback_succeeded", "hotel"),
        ("rollback_attempt_started", "flight"),
        ("rollback_succeeded", "flight"),
    ]
    started = next(e for e in history if e.type == "rollback_started")
    assert started.error is not None and started.error.message == "payment declined"
    assert history[-1].type == "errored" and history[-1].reason == "rolled back"


async def test_step_rollback_rolls_back_and_ends_the_instance_with_the_reason(
    client: Client,
) -> None:
    async with Worker(client, workflows=[cancelled_trip]):
        await client.create("cancelled_trip", id="c1")
        await ended(client, "cancelled_trip", "c1")
    assert undone == ["hotel", "flight"]
    info = await client.describe("cancelled_trip", "c1")
    assert info.error is not None
    assert (info.error.type, info.error.message) == (
        "RollbackRequested",
        "the customer cancelled",
    )
    assert info.rollback == "rolled_back"


async def test_a_failing_rollback_is_retried_by_its_policy_then_the_instance_names_it(
    client: Client,
) -> None:
    async with Worker(client, workflows=[stuck_trip]):
        await client.create("stuck_trip", id="s1")
        await ended(client, "stuck_trip", "s1")
    # Three attempts (limit 2); the rollbacks after the failed one (flight) do not run.
    assert [runs[f"undo hotel attempt {n}"] for n in (1, 2, 3, 4)] == [1, 1, 1, 0]
    assert undone == ["car"]
    info = await client.describe("stuck_trip", "s1")
    assert info.status is InstanceStatus.ERRORED
    assert info.error is not None and info.error.message == "payment declined"
    assert info.rollback == "rollback_failed"
    assert (info.rollback_step, info.rollback_step_seq) == ("hotel", 1)
    assert info.rollback_error is not None
    assert (info.rollback_error.type, info.rollback_error.message) == (
        "ConnectionError",
        "cannot cancel hotel",
    )
    # As `stepway instances describe` shows it.
    text = render.describe(info, color=False, width=120)
    assert (
        "Rollback:              rollback failed: step 'hotel' #1, ConnectionError: cannot " in text
    )
    history = await client.history("stuck_trip", "s1")
    failed = [e for e in history if e.type == "rollback_attempt_failed"]
    assert [e.attempt for e in failed] == [1, 2, 3]
    assert [e.type for e in history][-2:] == ["rollback_failed", "errored"]
    assert history[-1].reason == "rollback failed: step 'hotel' #1"


async def test_a_worker_lost_mid_rollback_leaves_completed_rollbacks_done(
    client: Client,
) -> None:
    holds["flight"] = asyncio.Event()  # the second rollback hangs on the first worker
    async with Worker(client, workflows=[held_trip]):
        await client.create("held_trip", id="h1")
        await asyncio.wait_for(entered.setdefault("flight", asyncio.Event()).wait(), 30)
    # The first worker stopped (its run cancelled, its task given back) inside flight's rollback.
    assert undone == ["hotel"]
    del holds["flight"]
    async with Worker(client, workflows=[held_trip]):
        await ended(client, "held_trip", "h1")
    assert undone == ["hotel", "flight"]  # hotel's rollback did not run again
    info = await client.describe("held_trip", "h1")
    assert info.rollback == "rolled_back"
    history = await client.history("held_trip", "h1")
    assert [e.type for e in history].count("rollback_started") == 1
    assert [e.step_name for e in history if e.type == "rollback_succeeded"] == ["hotel", "flight"]


async def test_a_restart_after_a_rollback_runs_the_workflow_afresh(client: Client) -> None:
    async with Worker(client, workflows=[trip]):
        handle = await client.create("trip", id="r1")
        await ended(client, "trip", "r1")
        assert runs == Counter({"flight": 1, "note": 1, "hotel": 1, "car": 1})
        undone.clear()
        restarted = await handle.restart()
        assert restarted.rollback is None and restarted.error is None
        # The same params fail again: every step runs again, and rolls back again.
        await ended(client, "trip", "r1")
    assert runs == Counter({"flight": 2, "note": 2, "hotel": 2, "car": 2})
    assert undone == ["car", "hotel", "flight"]
    info = await client.describe("trip", "r1")
    assert info.rollback == "rolled_back"
    assert len([s for s in info.steps or () if s.kind == "rollback"]) == 3
