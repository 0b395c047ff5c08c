"""Instance control through the SDK and a real dev server: pause, resume, terminate, restart,
delete, and the refusals of each, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import Counter
from collections.abc import AsyncIterator
from typing import Any

import pytest

from gateway.dev import DevServer
from stepway import (
    Client,
    FailedPreconditionError,
    InstanceStatus,
    NotFoundError,
    Step,
    Worker,
    WorkflowEvent,
    WorkflowTerminatedError,
    workflow,
)
from tests.helpers import eventually

runs: Counter[str] = Counter()
# Steps named in `gates` wait until the test opens their gate.
gates: dict[str, asyncio.Event] = {}
entered: dict[str, asyncio.Event] = {}


@pytest.fixture(autouse=True)
def _reset() -> None:
    runs.clear()
    gates.clear()
    entered.clear()


def gate(name: str) -> asyncio.Event:
    gates[name] = asyncio.Event()
    entered[name] = asyncio.Event()
    return gates[name]


async def work(name: str, value: Any = None) -> Any:
    runs[name] += 1
    if name in gates:
        entered[name].set()
        await gates[name].wait()
    return value if value is not None else name


@workflow("three")
async def three(event: WorkflowEvent, step: Step) -> Any:
    a = await step.do("a", work, "a")
    b = await step.do("b", work, "b")
    c = await step.do("c", work, "c")
    return [a, b, c]


@workflow("napper")
async def napper(event: WorkflowEvent, step: Step) -> Any:
    await step.do("before", work, "before")
    await step.sleep("nap", event.params["seconds"])
    return await step.do("after", work, "after")


@workflow("approval")
async def approval(event: WorkflowEvent, step: Step) -> Any:
    await step.do("ask", work, "ask")
    got = await step.wait_for_event("wait", type="approved", timeout=600)
    return await step.do("record", work, "record", got.payload)


WORKFLOWS = [three, napper, approval]


@pytest.fixture
async def worker(client: Client) -> AsyncIterator[Worker]:
    async with Worker(client, workflows=WORKFLOWS) as w:
        yield w


async def status_of(client: Client, wf: str, id: str) -> InstanceStatus:
    return (await client.status(wf, id)).status


async def reach(client: Client, wf: str, id: str, status: InstanceStatus) -> None:
    await eventually(
        lambda: status_of(client, wf, id), lambda s: s is status, what=f"{id} {status}"
    )


def kinds(events: list[Any]) -> list[str]:
    return [e.type for e in events]


# ---------------------------------------------------------------------- pause and resume


async def test_pausing_a_queued_instance_holds_it_until_resumed(client: Client) -> None:
    # No worker yet: the instance is queued, and a worker that starts later must not run it.
    async with Worker(client, workflows=WORKFLOWS):
        pass  # registers the workflows
    handle = await client.create("three", id="q1")
    paused = await handle.pause()
    assert paused.status is InstanceStatus.PAUSED
    async with Worker(client, workflows=WORKFLOWS):
        other = await client.create("three", id="q2")
        assert await other.result(timeout=30) == ["a", "b", "c"]
        assert await status_of(client, "three", "q1") is InstanceStatus.PAUSED
        resumed = await handle.resume()
        assert resumed.status is InstanceStatus.QUEUED
        assert await handle.result(timeout=30) == ["a", "b", "c"]
    history = kinds(await handle.history())
    assert history[:4] == ["created", "queued", "paused", "resumed"]
    assert history[-1] == "completed"


async def test_pausing_a_running_instance_ends_its_current_step_and_starts_no_other(
    client: Client, worker: Worker
) -> None:
    release_b = gate("b")
    handle = await client.create("three", id="p1")
    await entered["b"].wait()
    during = await handle.pause()
    assert during.status is InstanceStatus.WAITING_FOR_PAUSE
    release_b.set()
    await reach(client, "three", "p1", InstanceStatus.PAUSED)
    info = await handle.describe()
    assert [(s.name, s.state) for s in info.steps or ()] == [
        ("a", "succeeded"),
        ("b", "succeeded"),
    ]
    assert runs["c"] == 0
    history = kinds(await handle.history())
    assert history.index("pause_requested") < history.index("paused")
    assert "step_succeeded" in history[history.index("pause_requested") :]
    await handle.resume()
    assert await handle.result(timeout=30) == ["a", "b", "c"]
    assert runs == Counter({"a": 1, "b": 1, "c": 1})


async def test_resuming_before_the_step_ends_cancels_the_pause(
    client: Client, worker: Worker
) -> None:
    release = gate("a")
    handle = await client.create("three", id="p2")
    await entered["a"].wait()
    assert (await handle.pause()).status is InstanceStatus.WAITING_FOR_PAUSE
    assert (await handle.resume()).status is InstanceStatus.RUNNING
    release.set()
    assert await handle.result(timeout=30) == ["a", "b", "c"]
    assert "paused" not in kinds(await handle.history())


async def test_a_sleep_that_ends_while_paused_wakes_on_resume(
    client: Client, worker: Worker
) -> None:
    handle = await client.create("napper", id="s1", params={"seconds": 0.3})
    await reach(client, "napper", "s1", InstanceStatus.WAITING)
    await handle.pause()
    wake_at = (await handle.describe()).steps[-1].wake_at  # type: ignore[index]
    assert wake_at is not None
    # Past the wake time the timer has nothing to wake: the instance stays paused.
    await eventually(lambda: asyncio.sleep(0, time.time()), lambda t: t > wake_at.timestamp())
    await eventually(
        lambda: client.history("napper", "s1"),
        lambda events: any(e.type == "paused" for e in events),
    )
    assert await status_of(client, "napper", "s1") is InstanceStatus.PAUSED
    assert runs["after"] == 0
    await handle.resume()
    assert await handle.result(timeout=30) == "after"
    history = kinds(await handle.history())
    assert history[history.index("resumed") : history.index("resumed") + 3] == [
        "resumed",
        "woke",
        "queued",
    ]


async def test_a_sleep_still_running_at_resume_goes_back_to_sleep(
    client: Client, worker: Worker
) -> None:
    handle = await client.create("napper", id="s2", params={"seconds": 600})
    await reach(client, "napper", "s2", InstanceStatus.WAITING)
    await handle.pause()
    resumed = await handle.resume()
    assert resumed.status is InstanceStatus.WAITING
    assert runs["after"] == 0


async def test_an_event_sent_while_paused_is_taken_after_resume(
    client: Client, worker: Worker
) -> None:
    handle = await client.create("approval", id="e1")
    await reach(client, "approval", "e1", InstanceStatus.WAITING)
    await handle.pause()
    assert await handle.send_event("approved", {"by": "ann"}) is False  # buffered
    assert await status_of(client, "approval", "e1") is InstanceStatus.PAUSED
    await handle.resume()
    assert await handle.result(timeout=30) == {"by": "ann"}


async def test_pause_and_resume_refuse_the_states_that_do_not_allow_them(
    client: Client, worker: Worker
) -> None:
    release = gate("a")
    handle = await client.create("three", id="r1")
    await entered["a"].wait()
    with pytest.raises(FailedPreconditionError, match="running, not paused"):
        await handle.resume()
    await handle.pause()
    with pytest.raises(FailedPreconditionError, match="already waitingForPause"):
        await handle.pause()
    release.set()
    await reach(client, "three", "r1", InstanceStatus.PAUSED)
    with pytest.raises(FailedPreconditionError, match="already paused"):
        await handle.pause()
    await handle.resume()
    await handle.result(timeout=30)
    with pytest.raises(FailedPreconditionError, match="complete: only an unfinished"):
        await handle.pause()
    with pytest.raises(FailedPreconditionError, match="complete, not paused"):
        await handle.resume()


# ---------------------------------------------------------------------- terminate


async def test_terminate_stops_a_running_instance_and_refuses_its_worker(
    client: Client, worker: Worker
) -> None:
    release = gate("b")
    handle = await client.create("three", id="t1")
    await entered["b"].wait()
    ended = await handle.terminate("customer cancelled")
    assert ended.status is InstanceStatus.TERMINATED
    release.set()  # the worker's result for b now arrives after the end: refused
    with pytest.raises(WorkflowTerminatedError):
        await handle.result(timeout=30)
    # Let the worker's refused write come and go: the journal never gains b.
    await eventually(lambda: asyncio.sleep(0, runs["b"]), lambda n: n == 1)
    await worker.drain(timeout=10)
    info = await handle.describe()
    assert info.status is InstanceStatus.TERMINATED
    # b's attempt may show as started (its start travels beside the body), never as recorded.
    steps = {s.name: s for s in info.steps or ()}
    assert [name for name, s in steps.items() if s.state == "succeeded"] == ["a"]
    assert set(steps) <= {"a", "b"}
    assert "b" not in steps or (steps["b"].state == "pending" and steps["b"].output is None)
    assert runs["c"] == 0
    events = await handle.history()
    assert events[-1].type == "terminated" and events[-1].reason == "customer cancelled"
    with pytest.raises(FailedPreconditionError, match="already terminated"):
        await handle.terminate()


async def test_terminate_works_on_queued_waiting_and_paused_instances(
    client: Client, worker: Worker
) -> None:
    nap = await client.create("napper", id="t-wait", params={"seconds": 600})
    await reach(client, "napper", "t-wait", InstanceStatus.WAITING)
    assert (await nap.terminate()).status is InstanceStatus.TERMINATED
    paused = await client.create("napper", id="t-paused", params={"seconds": 600})
    await reach(client, "napper", "t-paused", InstanceStatus.WAITING)
    await paused.pause()
    assert (await paused.terminate()).status is InstanceStatus.TERMINATED
    # Not yet taken by a worker: pause it first so that it stays queued-then-paused.
    queued = await client.create("three", id="t-queued")
    await queued.terminate()
    assert await status_of(client, "three", "t-queued") is InstanceStatus.TERMINATED


async def test_terminate_racing_step_completions_never_records_a_step_after_the_end(
    client: Client, worker: Worker
) -> None:
    ids = [f"race-{n}" for n in range(40)]
    await asyncio.gather(*(client.create("three", id=i) for i in ids))

    async def terminate_soon(n: int, id: str) -> None:
        for _ in range(n % 7):
            await asyncio.sleep(0)
        with contextlib.suppress(FailedPreconditionError):  # it may have completed first
            await client.terminate("three", id)

    await asyncio.gather(*(terminate_soon(n, i) for n, i in enumerate(ids)))
    await worker.drain(timeout=20)
    for id in ids:
        info = await client.describe("three", id)
        assert info.status in (InstanceStatus.TERMINATED, InstanceStatus.COMPLETE)
        events = await client.history("three", id)
        end = next(e for e in events if e.type in ("terminated", "completed"))
        assert not [e for e in events if e.seq > end.seq], f"{id}: recorded after its end"
        assert info.ended_at is not None
        for s in info.steps or ():
            # A step whose attempt had only started when the instance ended stays pending.
            if s.state == "pending":
                assert s.ended_at is None and s.output is None, (id, s)
            else:
                assert s.ended_at is not None and s.ended_at <= info.ended_at, (id, s)


# ---------------------------------------------------------------------- restart


async def test_restart_from_a_step_reruns_it_and_the_later_ones_only(
    client: Client, worker: Worker
) -> None:
    handle = await client.create("three", id="rs1")
    assert await handle.result(timeout=30) == ["a", "b", "c"]
    restarted = await handle.restart(from_step="b")
    assert restarted.status is InstanceStatus.QUEUED
    assert restarted.current_step == "a"
    assert await handle.result(timeout=30) == ["a", "b", "c"]
    assert runs == Counter({"a": 1, "b": 2, "c": 2})
    events = await handle.history()
    restart = next(e for e in events if e.type == "restarted")
    assert restart.step_name == "b"
    rerun = [e.step_name for e in events if e.seq > restart.seq and e.type == "step_succeeded"]
    assert rerun == ["b", "c"]


async def test_restart_from_the_beginning_reruns_every_step(client: Client, worker: Worker) -> None:
    handle = await client.create("three", id="rs2")
    await handle.result(timeout=30)
    await handle.restart()
    await eventually(lambda: asyncio.sleep(0, runs["c"]), lambda n: n == 2)
    await handle.result(timeout=30)
    assert runs == Counter({"a": 2, "b": 2, "c": 2})
    info = await handle.describe()
    assert info.status is InstanceStatus.COMPLETE and info.error is None


async def test_restart_puts_the_events_of_dropped_steps_back_in_the_buffer(
    client: Client, worker: Worker
) -> None:
    handle = await client.create("approval", id="rs3")
    await reach(client, "approval", "rs3", InstanceStatus.WAITING)
    assert await handle.send_event("approved", {"by": "ann"}) is True
    assert await handle.result(timeout=30) == {"by": "ann"}
    await handle.restart(from_step="wait")
    assert await handle.result(timeout=30) == {"by": "ann"}
    assert runs == Counter({"ask": 1, "record": 2})


async def test_restart_of_a_running_instance_takes_the_task_from_its_worker(
    client: Client, worker: Worker
) -> None:
    release = gate("b")
    handle = await client.create("three", id="rs4")
    await entered["b"].wait()
    await handle.restart()
    del gates["b"]  # the new run passes b at once
    release.set()
    assert await handle.result(timeout=30) == ["a", "b", "c"]
    await worker.drain(timeout=10)
    info = await handle.describe()
    assert [s.name for s in info.steps or ()] == ["a", "b", "c"]
    assert all(s.attempts == 1 for s in info.steps or ())


async def test_restart_from_a_step_that_never_ran_is_refused(
    client: Client, worker: Worker
) -> None:
    handle = await client.create("three", id="rs5")
    await handle.result(timeout=30)
    with pytest.raises(FailedPreconditionError, match=r"'zz' has not run.*a, b, c"):
        await handle.restart(from_step="zz")
    assert (await handle.status()).status is InstanceStatus.COMPLETE


# ---------------------------------------------------------------------- delete


async def test_delete_removes_a_finished_instance_and_refuses_an_unfinished_one(
    client: Client, worker: Worker
) -> None:
    release = gate("a")
    handle = await client.create("three", id="d1")
    await entered["a"].wait()
    with pytest.raises(FailedPreconditionError, match="running: only a finished"):
        await handle.delete()
    release.set()
    await handle.result(timeout=30)
    await handle.delete()
    for call in (handle.status, handle.history, handle.delete, handle.pause):
        with pytest.raises(NotFoundError, match="'d1' of workflow 'three' not found"):
            await call()
    # The id is free again.
    again = await client.create("three", id="d1")
    assert again.created


async def test_every_control_call_on_an_unknown_instance_is_not_found(client: Client) -> None:
    handle = client.get_handle("three", "nope")
    for call in (
        handle.pause,
        handle.resume,
        handle.terminate,
        handle.restart,
        handle.delete,
        handle.history,
        handle.describe,
    ):
        with pytest.raises(NotFoundError):
            await call()


# ---------------------------------------------------------------------- retention


async def test_finished_instances_are_purged_after_their_retention(
    client: Client, worker: Worker, dev_server: DevServer
) -> None:
    engine = dev_server.shard.engine
    short = [await client.create("three", id=f"ret-{n}", retention=1) for n in range(7)]
    kept = await client.create("three", id="ret-kept")
    running = await client.create("napper", id="ret-running", params={"seconds": 600})
    for h in [*short, kept]:
        await h.result(timeout=30)
    info = await short[0].status()
    assert info.retention is not None and info.retention.total_seconds() == 1
    assert info.expires_at is not None and info.ended_at is not None
    assert (info.expires_at - info.ended_at).total_seconds() == pytest.approx(1, abs=1e-3)
    assert (await kept.status()).retention.days == 30  # type: ignore[union-attr]
    assert (await running.status()).expires_at is None

    # A day from now: the short ones have expired, the 30-day one has not.
    batches = engine.purge_batches
    purged = await engine.purge_expired(now=int((time.time() + 86_400) * 1_000_000), batch=3)
    assert purged == 7
    assert engine.purge_batches - batches == 3  # 3 + 3 + 1
    for h in short:
        with pytest.raises(NotFoundError):
            await h.status()
    assert (await kept.status()).status is InstanceStatus.COMPLETE
    assert (await running.status()).status is InstanceStatus.WAITING


async def test_a_restarted_instance_is_no_longer_due_for_purge(
    client: Client, worker: Worker
) -> None:
    handle = await client.create("napper", id="ret-restart", params={"seconds": 600}, retention=1)
    await reach(client, "napper", "ret-restart", InstanceStatus.WAITING)
    await handle.terminate()
    assert (await handle.status()).expires_at is not None
    await handle.restart()
    assert (await handle.status()).expires_at is None
