"""CALL steps: step.call hands a step to a step worker; the server retries and times it out."""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import grpc
import pytest

from stepway import (
    Client,
    FailedPreconditionError,
    HistoryEvent,
    InstanceHandle,
    InstanceStatus,
    NonRetryableError,
    RetryPolicy,
    Step,
    StepFailedError,
    StepTaskContext,
    StepWorker,
    UnauthenticatedError,
    Worker,
    WorkflowEvent,
    WorkflowFailedError,
    current_step_task,
    workflow,
)
from stepway.v1 import worker_service_pb2 as wpb
from tests.helpers import eventually

QUEUE = "steps"
runs: Counter[str] = Counter()


@pytest.fixture(autouse=True)
def _reset() -> None:
    runs.clear()


@workflow("caller")
async def caller_wf(event: WorkflowEvent, step: Step) -> Any:
    """Calls one step as its params say; returns the result, or the failure when asked to
    catch it."""
    p = event.params
    try:
        result = await step.call(
            "remote",
            task_queue=QUEUE,
            step_type=p["type"],
            input=p.get("input"),
            retries=RetryPolicy(limit=p.get("limit", 0), delay=p.get("delay", 0.01)),
            timeout=p.get("timeout"),
            heartbeat_timeout=p.get("heartbeat_timeout"),
        )
    except StepFailedError as exc:
        if not p.get("catch"):
            raise
        return {"failed": [exc.error_type, exc.error_message]}
    return {"result": result}


@asynccontextmanager
async def serving(client: Client, step_worker: StepWorker | None = None) -> AsyncIterator[None]:
    """A workflow worker for `caller`, and the step worker, for the block."""
    async with Worker(client, workflows=[caller_wf, replay_wf]):
        if step_worker is None:
            yield
        else:
            async with step_worker:
                yield


async def call(client: Client, id: str, **params: Any) -> InstanceHandle:
    return await client.create("caller", id=id, params=params)


async def history_has(handle: InstanceHandle, type: str, error_type: str | None = None) -> None:
    def found(events: list[HistoryEvent]) -> bool:
        return any(
            e.type == type and (error_type is None or (e.error and e.error.type == error_type))
            for e in events
        )

    await eventually(handle.history, found, what=f"history event {type} {error_type or ''}")


async def test_call_served_by_a_step_worker_returns_its_result(client: Client) -> None:
    worker = StepWorker(client, task_queue=QUEUE)

    @worker.handler("echo")
    async def echo(input: Any, ctx: StepTaskContext) -> Any:
        assert current_step_task() is ctx
        return {
            "input": input,
            "attempt": ctx.attempt,
            "where": [ctx.workflow, ctx.instance_id, ctx.step_name, ctx.step_seq, ctx.step_type],
            "deadline": ctx.deadline is not None,
            "details": ctx.heartbeat_details,
        }

    async with serving(client, worker):
        handle = await call(client, "c1", type="echo", input={"n": 1})
        result = await handle.result(timeout=30)
    assert result == {
        "result": {
            "input": {"n": 1},
            "attempt": 1,
            "where": ["caller", "c1", "remote", 1, "echo"],
            "deadline": True,
            "details": None,
        }
    }
    info = await handle.describe()
    assert info.steps is not None
    [remote] = info.steps
    assert (remote.name, remote.kind, remote.state, remote.attempts) == (
        "remote",
        "call",
        "succeeded",
        1,
    )
    events = await handle.history()
    [scheduled] = [e for e in events if e.type == "call_scheduled"]
    assert (scheduled.task_queue, scheduled.step_type) == (QUEUE, "echo")
    [started] = [e for e in events if e.type == "step_attempt_started"]
    assert started.worker == worker.id


async def test_sync_handler_runs_in_a_thread_and_reports_progress(client: Client) -> None:
    def render(input: Any, ctx: StepTaskContext) -> Any:
        ctx.heartbeat({"page": 1})
        return {
            "pages": input["pages"],
            "main": threading.current_thread() is threading.main_thread(),
        }

    worker = StepWorker(client, task_queue=QUEUE, handlers={"render_pdf": render})
    async with serving(client, worker):
        handle = await call(client, "s1", type="render_pdf", input={"pages": 3})
        assert await handle.result(timeout=30) == {"result": {"pages": 3, "main": False}}


async def test_failed_attempt_is_retried_by_the_calls_policy(client: Client) -> None:
    seen: list[int] = []

    async def flaky(input: Any, ctx: StepTaskContext) -> Any:
        seen.append(ctx.attempt)
        if ctx.attempt < 2:
            raise ConnectionError(f"attempt {ctx.attempt} failed")
        return "ok"

    worker = StepWorker(client, task_queue=QUEUE, handlers={"flaky": flaky})
    async with serving(client, worker):
        handle = await call(client, "r1", type="flaky", limit=3, delay=0.05)
        assert await handle.result(timeout=30) == {"result": "ok"}
    assert seen == [1, 2]
    events = await handle.history()
    failed = [e for e in events if e.type == "step_attempt_failed"]
    assert [(e.attempt, e.error and e.error.type) for e in failed] == [(1, "ConnectionError")]


async def test_non_retryable_error_fails_the_call_at_once_and_the_workflow_can_catch_it(
    client: Client,
) -> None:
    async def decline(input: Any, ctx: StepTaskContext) -> Any:
        runs["decline"] += 1
        raise NonRetryableError("card declined")

    worker = StepWorker(client, task_queue=QUEUE, handlers={"charge": decline})
    async with serving(client, worker):
        handle = await call(client, "n1", type="charge", limit=5, catch=True)
        result = await handle.result(timeout=30)
    assert result == {"failed": ["NonRetryableError", "card declined"]}
    assert runs["decline"] == 1


async def test_exhausted_retries_error_the_instance_with_the_last_error(client: Client) -> None:
    async def broken(input: Any, ctx: StepTaskContext) -> Any:
        runs["broken"] += 1
        raise ConnectionError(f"attempt {ctx.attempt} failed")

    worker = StepWorker(client, task_queue=QUEUE, handlers={"broken": broken})
    async with serving(client, worker):
        handle = await call(client, "x1", type="broken", limit=2)
        with pytest.raises(WorkflowFailedError) as failed:
            await handle.result(timeout=30)
    assert (failed.value.error_type, failed.value.error_message) == (
        "ConnectionError",
        "attempt 3 failed",
    )
    assert runs["broken"] == 3
    info = await handle.describe()
    assert info.steps is not None
    assert [(s.kind, s.state, s.attempts) for s in info.steps] == [("call", "failed", 3)]


async def test_attempt_past_its_timeout_fails_with_step_timeout_and_is_retried(
    client: Client,
) -> None:
    cancelled = asyncio.Event()

    async def slow_once(input: Any, ctx: StepTaskContext) -> Any:
        if ctx.attempt == 1:
            try:
                await asyncio.Event().wait()
            except asyncio.CancelledError:
                cancelled.set()
                raise
        return ctx.attempt

    worker = StepWorker(client, task_queue=QUEUE, handlers={"slow": slow_once})
    async with serving(client, worker):
        handle = await call(client, "t1", type="slow", limit=1, timeout=0.5)
        assert await handle.result(timeout=30) == {"result": 2}
        # The worker gave up on the first attempt's handler once its deadline passed.
        await asyncio.wait_for(cancelled.wait(), 10)
    events = await handle.history()
    failed = [e for e in events if e.type == "step_attempt_failed"]
    assert [(e.attempt, e.error and e.error.type) for e in failed] == [(1, "StepTimeout")]


async def test_heartbeat_details_reach_the_next_attempt(client: Client) -> None:
    seen: list[tuple[int, Any]] = []
    cancelled = asyncio.Event()

    async def resumable(input: Any, ctx: StepTaskContext) -> Any:
        seen.append((ctx.attempt, ctx.heartbeat_details))
        if ctx.attempt == 1:
            ctx.heartbeat({"page": 3})
            try:
                await asyncio.Event().wait()  # hangs; automatic heartbeats keep it alive
            except asyncio.CancelledError:
                cancelled.set()
                raise
        return {"resumed_from": ctx.heartbeat_details}

    worker = StepWorker(client, task_queue=QUEUE, handlers={"resumable": resumable})
    async with serving(client, worker):
        handle = await call(
            client, "h1", type="resumable", limit=1, timeout=2.0, heartbeat_timeout=1.0
        )
        assert await handle.result(timeout=30) == {"result": {"resumed_from": {"page": 3}}}
        await asyncio.wait_for(cancelled.wait(), 10)
    assert seen == [(1, None), (2, {"page": 3})]
    events = await handle.history()
    failed = [e for e in events if e.type == "step_attempt_failed"]
    # The heartbeats kept attempt 1 alive until its timeout, not its heartbeat timeout.
    assert [(e.attempt, e.error and e.error.type) for e in failed] == [(1, "StepTimeout")]


async def test_terminating_the_instance_cancels_the_running_handler_at_its_next_heartbeat(
    client: Client,
) -> None:
    started, cancelled = asyncio.Event(), asyncio.Event()
    contexts: list[StepTaskContext] = []

    async def endless(input: Any, ctx: StepTaskContext) -> Any:
        contexts.append(ctx)
        started.set()
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            cancelled.set()
            raise

    worker = StepWorker(client, task_queue=QUEUE, handlers={"endless": endless})
    async with serving(client, worker):
        handle = await call(client, "e1", type="endless", timeout=60, heartbeat_timeout=0.6)
        await asyncio.wait_for(started.wait(), 30)
        await handle.terminate("no longer needed")
        await asyncio.wait_for(cancelled.wait(), 10)
        assert contexts[0].cancelled
        await eventually(lambda: asyncio.sleep(0, worker.running), lambda n: n == 0)


async def test_lost_step_worker_is_retried_after_its_heartbeat_timeout(client: Client) -> None:
    async with serving(client):
        handle = await call(
            client, "l1", type="resumable", limit=1, timeout=60, heartbeat_timeout=1.0
        )
        # A step worker that takes the task, reports progress once, and is never heard again.
        poll = wpb.PollStepTasksRequest(worker_id="lost-worker", task_queue=QUEUE, max_tasks=1)
        poll.wait.FromMicroseconds(10_000_000)
        resp = await client.call(client.workers.PollStepTasks, poll, timeout=30)
        [task] = resp.tasks
        assert (task.attempt, task.step_type, task.instance_id) == (1, "resumable", "l1")
        beat = wpb.HeartbeatStepTaskRequest(task_token=task.task_token)
        beat.details.data = b'{"page": 7}'
        await client.call(client.workers.HeartbeatStepTask, beat)
        await history_has(handle, "step_attempt_failed", "HeartbeatTimeout")

        async def resume(input: Any, ctx: StepTaskContext) -> Any:
            return {"attempt": ctx.attempt, "from": ctx.heartbeat_details}

        async with StepWorker(client, task_queue=QUEUE, handlers={"resumable": resume}):
            assert await handle.result(timeout=30) == {
                "result": {"attempt": 2, "from": {"page": 7}}
            }
        # The lost worker's late result is refused: its attempt is over.
        late = wpb.CompleteStepTaskRequest(task_token=task.task_token)
        with pytest.raises(FailedPreconditionError, match="task lease lost"):
            await client.call(client.workers.CompleteStepTask, late)


async def test_unknown_step_type_fails_the_attempt_as_retryable(client: Client) -> None:
    async def known(input: Any, ctx: StepTaskContext) -> Any:
        return None

    worker = StepWorker(client, task_queue=QUEUE, handlers={"known": known})
    async with serving(client, worker):
        handle = await call(client, "u1", type="unknown", limit=1, catch=True)
        result = await handle.result(timeout=30)
    [error_type, message] = result["failed"]
    assert error_type == "UnknownStepType"
    assert "'unknown'" in message
    info = await handle.describe()
    assert info.steps is not None
    assert info.steps[0].attempts == 2  # retried by the policy: another worker may serve it


async def test_too_large_result_fails_the_call_without_retries(client: Client) -> None:
    async def huge(input: Any, ctx: StepTaskContext) -> Any:
        runs["huge"] += 1
        return "x" * (1024 * 1024)

    worker = StepWorker(client, task_queue=QUEUE, handlers={"huge": huge})
    async with serving(client, worker):
        handle = await call(client, "big", type="huge", limit=3, catch=True)
        result = await handle.result(timeout=30)
    assert result["failed"][0] == "ResultTooLarge"
    assert runs["huge"] == 1


async def test_input_that_is_not_json_fails_the_workflow(client: Client) -> None:
    @workflow("bad-input")
    async def bad_input(event: WorkflowEvent, step: Step) -> Any:
        return await step.call("remote", task_queue=QUEUE, step_type="echo", input={1, 2})

    async with Worker(client, workflows=[bad_input]):
        handle = await client.create("bad-input", id="b1")
        with pytest.raises(WorkflowFailedError) as failed:
            await handle.result(timeout=30)
    assert failed.value.error_type == "TypeError"


async def test_stop_lets_running_handlers_finish_before_it_returns(client: Client) -> None:
    started, release = asyncio.Event(), asyncio.Event()

    async def gated(input: Any, ctx: StepTaskContext) -> Any:
        started.set()
        await release.wait()
        return "finished"

    worker = StepWorker(client, task_queue=QUEUE, handlers={"gated": gated})
    async with serving(client):
        await worker.start()
        handle = await call(client, "g1", type="gated")
        await asyncio.wait_for(started.wait(), 30)
        stopping = asyncio.create_task(worker.stop(timeout=30))
        done, _ = await asyncio.wait({stopping}, timeout=0.2)
        assert not done  # stop waits for the handler
        release.set()
        await asyncio.wait_for(stopping, 30)
        assert await handle.result(timeout=30) == {"result": "finished"}


async def test_stop_cancels_handlers_past_its_timeout_and_fails_them_as_worker_shutdown(
    client: Client,
) -> None:
    started, cancelled = asyncio.Event(), asyncio.Event()

    async def stuck(input: Any, ctx: StepTaskContext) -> Any:
        started.set()
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            cancelled.set()
            raise

    async def fine(input: Any, ctx: StepTaskContext) -> Any:
        return ctx.attempt

    async with serving(client):
        first = StepWorker(client, task_queue=QUEUE, handlers={"job": stuck})
        await first.start()
        handle = await call(client, "w1", type="job", limit=1)
        await asyncio.wait_for(started.wait(), 30)
        await first.stop(timeout=0.1)
        assert cancelled.is_set()
        assert first.running == 0
        await history_has(handle, "step_attempt_failed", "WorkerShutdown")
        async with StepWorker(client, task_queue=QUEUE, handlers={"job": fine}):
            assert await handle.result(timeout=30) == {"result": 2}


@workflow("replay")
async def replay_wf(event: WorkflowEvent, step: Step) -> Any:
    runs["workflow-run"] += 1
    first = await step.call("price", task_queue=QUEUE, step_type="price", input=1)
    # Long enough to be still ahead when the server records it, so the run replays.
    await step.sleep("pause", 0.3)
    # The same name again is another call: name and occurrence identify a step.
    second = await step.call("price", task_queue=QUEUE, step_type="price", input=2)
    return [first, second]


async def test_replay_returns_the_recorded_call_result_without_calling_again(
    client: Client,
) -> None:
    async def price(input: Any, ctx: StepTaskContext) -> Any:
        runs[f"price-{input}"] += 1
        return input * 10

    worker = StepWorker(client, task_queue=QUEUE, handlers={"price": price})
    async with serving(client, worker):
        handle = await client.create("replay", id="p1")
        assert await handle.result(timeout=30) == [10, 20]
    assert (runs["price-1"], runs["price-2"]) == (1, 1)
    # Run 1 schedules the first call; run 2 replays it and sleeps; run 3 replays both the
    # call and the sleep and schedules the second call; run 4 replays everything.
    assert runs["workflow-run"] == 4
    events = await handle.history()
    assert [(e.step_name, e.step_seq) for e in events if e.type == "call_scheduled"] == [
        ("price", 1),
        ("price", 2),
    ]


async def test_pause_and_resume_while_a_call_runs_keep_the_instance_waiting_for_it(
    client: Client,
) -> None:
    started, release = asyncio.Event(), asyncio.Event()

    async def gated(input: Any, ctx: StepTaskContext) -> Any:
        runs["gated"] += 1
        started.set()
        await release.wait()
        return "done"

    worker = StepWorker(client, task_queue=QUEUE, handlers={"gated": gated})
    async with serving(client, worker):
        handle = await call(client, "pr1", type="gated")
        try:
            await asyncio.wait_for(started.wait(), 30)
            assert (await handle.pause()).status is InstanceStatus.PAUSED
            # The call goes on; the resumed instance waits for it again, with no new task.
            assert (await handle.resume()).status is InstanceStatus.WAITING
        finally:
            release.set()
        assert await handle.result(timeout=30) == {"result": "done"}
    assert runs["gated"] == 1
    events = await handle.history()
    assert [e.type for e in events].count("call_scheduled") == 1


async def test_refused_key_ends_run_with_the_error(client: Client) -> None:
    channel = grpc.aio.insecure_channel(client.address)
    bad = Client(channel, "sw_not_a_key", client.address)
    try:
        worker = StepWorker(bad, task_queue=QUEUE, handlers={"echo": lambda i, c: i})
        with pytest.raises(UnauthenticatedError):
            await asyncio.wait_for(worker.run(), 30)
    finally:
        await bad.close()
