"""Step attempts as they happen: a running step is visible within a bound, history is in time
order, a timed-out synchronous body does not run beside its retry, and events keep their send
order."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import grpc
import sqlalchemy as sa

from gateway.dev import DevServer
from shards import schema
from shards.convert import step_info_to_pb, step_to_pb
from shards.core.model import Step as JournalStep
from shards.core.model import StepKind, StepState
from shards.core.steps import starts_reported_with
from stepway import (
    Client,
    HistoryEvent,
    InstanceStatus,
    RetryPolicy,
    Step,
    Worker,
    WorkflowEvent,
    current_step,
    workflow,
)
from stepway.v1 import common_pb2 as cpb
from stepway.v1 import worker_service_pb2 as wpb
from stepway.v1 import workflow_service_pb2 as fpb
from tests.helpers import eventually
from tests.raw_stubs import Raw, error_field, error_info, raw_stubs

# The documented bound (docs/worker-protocol.md): a start goes out with the worker's next
# RecordBatch, so it is visible after one or two batch round trips; far less than this on a
# loopback cluster, even a busy one.
VISIBLE_WITHIN_SECONDS = 1.0

released = threading.Event()
body_started: dict[str, float] = {}


def slow_body() -> str:
    body_started["at"] = time.time()
    released.wait(3.0)  # runs 3 s, unless the test lets it end sooner
    return "done"


@workflow("slow_step")
async def slow_step(event: WorkflowEvent, step: Step) -> Any:
    return await step.do("slow", slow_body, timeout=30)


async def test_a_running_step_shows_in_describe_and_watch_within_the_stated_delay(
    client: Client,
) -> None:
    released.clear()
    body_started.clear()
    async with Worker(client, workflows=[slow_step]):
        handle = await client.create("slow_step", id="run-1")

        async def first_start() -> tuple[float, HistoryEvent]:
            async for event in handle.watch():
                if event.type == "step_attempt_started":
                    return time.time(), event
            raise AssertionError("the instance ended before its step started")

        watching = asyncio.create_task(first_start())
        info = await eventually(
            lambda: client.describe("slow_step", "run-1"),
            lambda i: any(s.state == "running" for s in i.steps or ()),
            interval=0.005,
            what="the step shown as running",
        )
        seen_in_describe = time.time()
        seen_in_watch, started = await asyncio.wait_for(watching, 5)
        assert not released.is_set()
        delay = max(seen_in_describe, seen_in_watch) - body_started["at"]
        print(f"running step visible {delay * 1000:.1f} ms after its body started")
        assert delay < VISIBLE_WITHIN_SECONDS
        (step,) = info.steps or []
        assert (step.name, step.running_attempt, step.attempts) == ("slow", 1, 0)
        elapsed = step.running_for()
        assert elapsed is not None and elapsed.total_seconds() >= 0
        assert (started.step_name, started.attempt) == ("slow", 1)
        released.set()
        assert await handle.result(timeout=10) == "done"
    (done,) = (await client.describe("slow_step", "run-1")).steps or []
    assert (done.state, done.running_attempt, done.attempt_started_at) == ("succeeded", None, None)
    history = await client.history("slow_step", "run-1")
    assert [e.type for e in history].count("step_attempt_started") == 1


@workflow("fan_out")
async def fan_out(event: WorkflowEvent, step: Step) -> Any:
    async def part(n: int) -> int:
        await asyncio.sleep(0.04 * (5 - n))  # the last started ends first
        return n

    return await asyncio.gather(*(step.do(f"part-{n}", part, n) for n in range(5)))


async def test_history_of_five_parallel_steps_is_in_time_order(client: Client) -> None:
    async with Worker(client, workflows=[fan_out]):
        handle = await client.create("fan_out", id="fan-1")
        assert await handle.result(timeout=20) == [0, 1, 2, 3, 4]
    history = await client.history("fan_out", "fan-1")
    times = [e.time for e in history if e.time is not None]
    assert len(times) == len(history) and times == sorted(times)
    assert [e.seq for e in history] == list(range(1, len(history) + 1))
    for n in range(5):
        of_part = [e.type for e in history if e.step_name == f"part-{n}"]
        assert of_part == ["step_attempt_started", "step_succeeded"]
    # All five run at once: every start is recorded before the first end.
    kinds = [e.type for e in history if e.step_name]
    assert kinds[:5] == ["step_attempt_started"] * 5


attempt_spans: list[tuple[int, float, float]] = []
let_go = threading.Event()


def stubborn() -> str:
    """Ignores its cancellation flag: attempt 1 runs until the test lets it go."""
    info = current_step()
    start = time.monotonic()
    if info.attempt == 1:
        let_go.wait(20)
    attempt_spans.append((info.attempt, start, time.monotonic()))
    return f"attempt {info.attempt}"


@workflow("stubborn")
async def stubborn_flow(event: WorkflowEvent, step: Step) -> Any:
    return await step.do("work", stubborn, timeout=0.2, retries=RetryPolicy(limit=1, delay=0))


async def test_a_sync_body_that_ignores_its_timeout_does_not_overlap_its_retry_and_is_reported(
    client: Client,
) -> None:
    attempt_spans.clear()
    let_go.clear()
    async with Worker(client, workflows=[stubborn_flow]) as worker:
        handle = await client.create("stubborn", id="st-1")
        history = await eventually(
            lambda: client.history("stubborn", "st-1"),
            lambda h: [e.type for e in h].count("resumed_on_worker") >= 1,
            what="the retry taken by the worker",
        )
        (failed,) = [e for e in history if e.type == "step_attempt_failed"]
        assert failed.error is not None and failed.error.type == "StepTimeout"
        assert "still runs in a thread" in failed.error.message
        assert worker.abandoned_threads == 1
        # The retry's task is held, but its attempt waits for the abandoned thread.
        assert attempt_spans == []
        info = await client.describe("stubborn", "st-1")
        assert info.status is InstanceStatus.RUNNING
        let_go.set()
        assert await handle.result(timeout=20) == "attempt 2"
        assert worker.abandoned_threads == 0
    (first, second) = sorted(attempt_spans)
    assert first[0] == 1 and second[0] == 2
    assert second[1] >= first[2], "attempt 2 started while attempt 1 still ran"


hold_slot = threading.Event()
slot_freed: list[float] = []


def holds_its_thread() -> None:
    hold_slot.wait(20)
    slot_freed.append(time.time())


@workflow("holds_slot")
async def holds_slot(event: WorkflowEvent, step: Step) -> Any:
    return await step.do("work", holds_its_thread, timeout=0.2, retries=RetryPolicy(limit=0))


@workflow("quick")
async def quick(event: WorkflowEvent, step: Step) -> Any:
    return await step.do("one", lambda: 1)


async def test_an_abandoned_thread_takes_a_slot_of_the_worker_until_it_ends(
    client: Client,
) -> None:
    hold_slot.clear()
    slot_freed.clear()
    async with Worker(client, workflows=[holds_slot, quick], max_concurrent=1) as worker:
        held = await client.create("holds_slot", id="hs-1")
        await eventually(
            held.status, lambda i: i.status is InstanceStatus.ERRORED, what="the timeout"
        )
        assert worker.abandoned_threads == 1
        other = await client.create("quick", id="q-1")
        # The worker's one slot is the abandoned thread's: its poll waits for capacity.
        await eventually(
            lambda: asyncio.sleep(0, not worker._capacity.is_set()),
            bool,
            what="the poll parked for capacity",
        )
        assert (await other.status()).status is InstanceStatus.QUEUED
        hold_slot.set()
        assert await other.result(timeout=20) == 1
    (started,) = [e for e in await other.history() if e.type == "started"]
    assert started.time is not None and started.time.timestamp() >= slot_freed[0]


polite_runs: list[tuple[bool, float]] = []


def polite() -> None:
    """Polls its cancellation flag and stops when it is set."""
    start = time.monotonic()
    stopped = current_step().cancelled.wait(20)
    polite_runs.append((stopped, time.monotonic() - start))
    raise TimeoutError("stopped on cancellation")


@workflow("polite")
async def polite_flow(event: WorkflowEvent, step: Step) -> Any:
    return await step.do("work", polite, timeout=0.2, retries=RetryPolicy(limit=0))


async def test_a_sync_body_that_polls_the_cancellation_flag_stops_at_its_timeout(
    client: Client,
) -> None:
    polite_runs.clear()
    async with Worker(client, workflows=[polite_flow]) as worker:
        handle = await client.create("polite", id="po-1")
        info = await eventually(
            lambda: handle.describe(),
            lambda i: i.status is InstanceStatus.ERRORED,
            what="the instance errored",
        )
        assert worker.abandoned_threads == 0
    assert info.error is not None and info.error.type == "StepTimeout"
    assert "still runs" not in info.error.message
    ((stopped, ran),) = polite_runs
    assert stopped and ran < 2.0


@workflow("inbox")
async def inbox(event: WorkflowEvent, step: Step) -> Any:
    taken = []
    for n in range(100):
        got = await step.wait_for_event(f"take-{n}", type="msg", timeout=60)
        taken.append(got.payload)
    return taken


async def test_100_events_sent_back_to_back_are_taken_in_send_order(
    dev_server: DevServer, client: Client
) -> None:
    async with Worker(client, workflows=[inbox]):
        pass  # registers the workflow; no worker runs it until every event is sent
    handle = await client.create("inbox", id="in-1")
    for n in range(100):
        assert await handle.send_event("msg", n) is False
    # As if all arrived in one microsecond: only their order of arrival tells them apart.
    with dev_server.db.begin() as conn:
        conn.execute(sa.update(schema.events).values(received_at=1_800_000_000_000_000))
    async with Worker(client, workflows=[inbox]):
        assert await handle.result(timeout=30) == list(range(100))


async def _batch(raw: Raw, **command: Any) -> wpb.CommandResult:
    resp: wpb.RecordBatchResponse = await raw.workers.RecordBatch(
        wpb.RecordBatchRequest(commands=[wpb.WorkerCommand(**command)]), metadata=raw.md
    )
    (result,) = resp.results
    return result


async def test_a_start_step_command_is_checked_like_a_report_and_a_late_one_changes_nothing(
    dev_server: DevServer,
) -> None:
    async with raw_stubs(dev_server) as raw:
        task = await raw.task("raw-start")
        token = task.task_token

        def start(**fields: Any) -> wpb.StartStepRequest:
            return wpb.StartStepRequest(**{"task_token": token, "name": "s", "seq": 1, **fields})

        bad_name = await _batch(raw, start_step=start(name=""))
        assert bad_name.error.code == grpc.StatusCode.INVALID_ARGUMENT.value[0]
        assert error_field(bad_name.error) == "name"
        bad_seq = await _batch(raw, start_step=start(seq=0))
        assert error_field(bad_seq.error) == "seq"
        forged = wpb.TaskToken(partition=99_999, uid="x", lease=1).SerializeToString()
        forged_start = await _batch(raw, start_step=start(task_token=forged))
        assert error_field(forged_start.error) == "task_token"

        assert (await _batch(raw, start_step=start(attempt=1))).HasField("start_step")
        key: dict[str, Any] = {"workflow": "raw", "instance_id": "raw-start"}
        got = await raw.workflows.GetInstance(
            fpb.GetInstanceRequest(**key, include_steps=True), metadata=raw.md
        )
        (step,) = got.steps
        assert step.state == cpb.STEP_STATE_RUNNING and step.HasField("attempt_started_at")
        complete = wpb.CompleteStepRequest(task_token=token, name="s", seq=1, attempt=1)
        assert (await _batch(raw, complete_step=complete)).HasField("complete_step")
        # A start that arrives after its report, or again, changes nothing.
        assert (await _batch(raw, start_step=start(attempt=1))).HasField("start_step")
        history = await raw.workflows.GetHistory(fpb.GetHistoryRequest(**key), metadata=raw.md)
        kinds = [cpb.HistoryEventType.Name(e.type) for e in history.events if e.step_name]
        assert kinds == [
            "HISTORY_EVENT_TYPE_STEP_ATTEMPT_STARTED",
            "HISTORY_EVENT_TYPE_STEP_SUCCEEDED",
        ]
        got = await raw.workflows.GetInstance(
            fpb.GetInstanceRequest(**key, include_steps=True), metadata=raw.md
        )
        assert [s.state for s in got.steps] == [cpb.STEP_STATE_SUCCEEDED]
        # Once the task is over, its starts are refused as its reports are.
        done = wpb.CompleteWorkflowRequest(task_token=token)
        assert (await _batch(raw, complete_workflow=done)).HasField("complete_workflow")
        late = await _batch(raw, start_step=start(name="t"))
        assert late.error.code == grpc.StatusCode.FAILED_PRECONDITION.value[0]
        assert error_info(late.error).reason == "TASK_LEASE_LOST"


async def test_a_start_sent_with_its_report_records_one_start_and_no_write_of_its_own(
    dev_server: DevServer,
) -> None:
    async with raw_stubs(dev_server) as raw:
        token = (await raw.task("raw-paired")).task_token
        at = 1_800_000_000_000_000
        start = wpb.StartStepRequest(task_token=token, name="s", seq=1, attempt=1)
        complete = wpb.CompleteStepRequest(task_token=token, name="s", seq=1, attempt=1)
        complete.started_at.FromMicroseconds(at)
        bad_start = wpb.StartStepRequest(task_token=token, name="s", seq=0, attempt=1)
        bad_report = wpb.CompleteStepRequest(task_token=token, name="s", seq=0, attempt=1)
        resp = await raw.workers.RecordBatch(
            wpb.RecordBatchRequest(
                commands=[
                    wpb.WorkerCommand(start_step=start),
                    wpb.WorkerCommand(complete_step=complete),
                    wpb.WorkerCommand(start_step=bad_start),
                    wpb.WorkerCommand(complete_step=bad_report),
                ]
            ),
            metadata=raw.md,
        )
        paired, reported, refused, refused_report = resp.results
        assert paired.HasField("start_step") and reported.HasField("complete_step")
        # A start left to its report is still checked as a start.
        assert error_field(refused.error) == "seq" and error_field(refused_report.error) == "seq"
        key: dict[str, Any] = {"workflow": "raw", "instance_id": "raw-paired"}
        history = await raw.workflows.GetHistory(fpb.GetHistoryRequest(**key), metadata=raw.md)
        steps = [e for e in history.events if e.step_name]
        assert [cpb.HistoryEventType.Name(e.type) for e in steps] == [
            "HISTORY_EVENT_TYPE_STEP_ATTEMPT_STARTED",
            "HISTORY_EVENT_TYPE_STEP_SUCCEEDED",
        ]
        got = await raw.workflows.GetInstance(
            fpb.GetInstanceRequest(**key, include_steps=True), metadata=raw.md
        )
        (step,) = got.steps
        assert step.state == cpb.STEP_STATE_SUCCEEDED and step.started_at.ToMicroseconds() == at


def test_only_a_start_whose_own_attempt_is_reported_in_the_batch_is_left_to_the_report() -> None:
    starts = {
        0: (b"t", "s", 1, 2),
        2: (b"t", "s", 1, 1),
        3: (b"u", "s", 1, 2),
        4: (b"t", "r", 1, 2),
    }
    assert starts_reported_with(starts, [(b"t", "s", 1, 2)]) == {0}
    assert starts_reported_with(starts, []) == set()


def test_a_running_step_shows_to_workers_as_pending_and_to_clients_as_running_while_leased() -> (
    None
):
    at = 1_800_000_000_000_000
    running = JournalStep(
        "s", 1, StepKind.DO, StepState.RUNNING, at, 2, attempt_started_at=at, attempt_lease=5
    )
    entry = step_to_pb(running)
    assert (entry.state, entry.attempts) == (cpb.STEP_STATE_PENDING, 2)
    shown = step_info_to_pb(running, live=True)
    assert shown.state == cpb.STEP_STATE_RUNNING
    assert shown.attempt_started_at.ToMicroseconds() == at
    left = step_info_to_pb(running, live=False)
    assert left.state == cpb.STEP_STATE_PENDING and not left.HasField("attempt_started_at")
