"""CALL steps as a step worker in another language sees them: raw gRPC calls, no SDK.

A workflow task schedules a call; a step worker polls the step task queue, works on the attempt
under its lease and completes or fails it; the shard enforces the call's retry policy, timeout
and heartbeat timeout, and queues the instance again with the outcome in its journal.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass

import grpc
import pytest

from gateway.dev import DevServer
from stepway import Client
from stepway.v1 import common_pb2 as cpb
from stepway.v1 import worker_service_pb2 as wpb
from stepway.v1 import worker_service_pb2_grpc as wgrpc


@dataclass
class Raw:
    """A worker made of raw stubs: the workflow side and the step side."""

    stub: wgrpc.WorkerServiceStub
    md: tuple[tuple[str, str], ...]

    async def workflow_task(self, queue: str = "wq", wait: float = 10) -> wpb.WorkflowTask:
        poll = wpb.PollWorkflowTasksRequest(worker_id="ww", task_queue=queue, max_tasks=1)
        poll.wait.FromMilliseconds(int(wait * 1000))
        resp = await self.stub.PollWorkflowTasks(poll, metadata=self.md)
        assert resp.tasks, "no workflow task came"
        task: wpb.WorkflowTask = resp.tasks[0]
        return task

    async def schedule(
        self,
        task: wpb.WorkflowTask,
        *,
        name: str = "render",
        input: bytes = b'{"n": 1}',
        retry: wpb.RetryPolicy | None = None,
        timeout: float | None = None,
        heartbeat_timeout: float | None = None,
        queue: str = "sq",
        trace_parent: str = "",
    ) -> wpb.ScheduleCallResponse:
        req = wpb.ScheduleCallRequest(
            task_token=task.task_token,
            name=name,
            seq=1,
            task_queue=queue,
            step_type="pdf.render",
            input=cpb.Payload(data=input),
            trace_parent=trace_parent,
        )
        if retry is not None:
            req.retry.CopyFrom(retry)
        if timeout is not None:
            req.timeout.FromMilliseconds(int(timeout * 1000))
        if heartbeat_timeout is not None:
            req.heartbeat_timeout.FromMilliseconds(int(heartbeat_timeout * 1000))
        resp: wpb.ScheduleCallResponse = await self.stub.ScheduleCall(req, metadata=self.md)
        return resp

    async def step_tasks(
        self, queue: str = "sq", wait: float = 10, worker: str = "sw", max_tasks: int = 1
    ) -> list[wpb.StepTask]:
        poll = wpb.PollStepTasksRequest(worker_id=worker, task_queue=queue, max_tasks=max_tasks)
        poll.wait.FromMilliseconds(int(wait * 1000))
        resp = await self.stub.PollStepTasks(poll, metadata=self.md)
        return list(resp.tasks)

    async def step_task(self, queue: str = "sq", wait: float = 10) -> wpb.StepTask:
        tasks = await self.step_tasks(queue, wait)
        assert tasks, "no step task came"
        return tasks[0]

    async def complete(self, task: wpb.StepTask, result: bytes) -> None:
        req = wpb.CompleteStepTaskRequest(task_token=task.task_token)
        req.result.data = result
        await self.stub.CompleteStepTask(req, metadata=self.md)

    async def fail(
        self, task: wpb.StepTask, error_type: str, non_retryable: bool = False
    ) -> wpb.FailStepTaskResponse:
        req = wpb.FailStepTaskRequest(
            task_token=task.task_token,
            error=cpb.Failure(type=error_type, message=f"{error_type} in attempt {task.attempt}"),
            non_retryable=non_retryable,
        )
        resp: wpb.FailStepTaskResponse = await self.stub.FailStepTask(req, metadata=self.md)
        return resp

    async def heartbeat(
        self, task: wpb.StepTask, details: bytes | None = None
    ) -> wpb.HeartbeatStepTaskResponse:
        req = wpb.HeartbeatStepTaskRequest(task_token=task.task_token)
        if details is not None:
            req.details.data = details
        resp: wpb.HeartbeatStepTaskResponse = await self.stub.HeartbeatStepTask(
            req, metadata=self.md
        )
        return resp


@pytest.fixture
async def raw(dev_server: DevServer) -> AsyncIterator[Raw]:
    md = (("authorization", f"Bearer {dev_server.api_key}"),)
    async with grpc.aio.insecure_channel(dev_server.address) as channel:
        stub = wgrpc.WorkerServiceStub(channel)
        await stub.RegisterWorker(
            wpb.RegisterWorkerRequest(worker_id="ww", task_queue="wq", workflows=["doc"]),
            metadata=md,
        )
        yield Raw(stub, md)


def _entry(task: wpb.WorkflowTask, name: str = "render") -> wpb.JournalEntry:
    return next(e for e in task.journal if e.name == name)


def _retry(limit: int, delay_ms: int = 0) -> wpb.RetryPolicy:
    policy = wpb.RetryPolicy(limit=limit, backoff=wpb.BACKOFF_CONSTANT)
    policy.delay.FromMilliseconds(delay_ms)
    return policy


async def test_a_call_runs_on_a_step_worker_and_the_instance_goes_on_with_its_result(
    raw: Raw, client: Client
) -> None:
    handle = await client.create("doc", id="d1", params={"order": 7})
    first = await raw.workflow_task()
    resp = await raw.schedule(first, input=b'{"order": 7}')
    assert resp.suspended
    assert (await handle.status()).status == "waiting"

    task = await raw.step_task()
    assert (task.step_type, task.attempt, task.input.data) == ("pdf.render", 1, b'{"order": 7}')
    assert (task.workflow, task.instance_id, task.step_name, task.step_seq) == (
        "doc",
        "d1",
        "render",
        1,
    )
    assert not task.HasField("heartbeat_timeout")
    deadline = task.deadline.ToMicroseconds() - task.scheduled_at.ToMicroseconds()
    assert 299_000_000 <= deadline <= 301_000_000  # the 5-minute default
    await raw.complete(task, b'{"pdf": "d1.pdf"}')

    second = await raw.workflow_task()
    entry = _entry(second)
    assert (entry.kind, entry.state, entry.attempts) == (
        cpb.STEP_KIND_CALL,
        cpb.STEP_STATE_SUCCEEDED,
        1,
    )
    assert entry.result.data == b'{"pdf": "d1.pdf"}'
    # Scheduling it again on a replay answers the recorded outcome.
    again = await raw.schedule(second)
    assert not again.suspended and again.step.result.data == b'{"pdf": "d1.pdf"}'
    await raw.stub.CompleteWorkflow(
        wpb.CompleteWorkflowRequest(task_token=second.task_token), metadata=raw.md
    )
    kinds = [(e.type, e.worker) for e in await handle.history() if e.step_name == "render"]
    assert kinds == [
        ("call_scheduled", None),
        ("step_attempt_started", "sw"),
        ("step_succeeded", None),
    ]
    scheduled = next(e for e in await handle.history() if e.type == "call_scheduled")
    assert (scheduled.task_queue, scheduled.step_type) == ("sq", "pdf.render")


async def test_the_shard_retries_a_call_by_its_stored_policy_and_fails_it_for_good(
    raw: Raw, client: Client
) -> None:
    await client.create("doc", id="d2")
    await raw.schedule(await raw.workflow_task(), retry=_retry(2))
    first = await raw.step_task()
    resp = await raw.fail(first, "Flaky")
    assert resp.HasField("retry_at")
    second = await raw.step_task()
    assert second.attempt == 2
    resp = await raw.fail(second, "Flaky")
    third = await raw.step_task()
    assert third.attempt == 3
    resp = await raw.fail(third, "Flaky")
    assert resp.exhausted.type == "Flaky"

    task = await raw.workflow_task()
    entry = _entry(task)
    assert (entry.state, entry.attempts, entry.error.type) == (cpb.STEP_STATE_FAILED, 3, "Flaky")


async def test_a_non_retryable_failure_fails_the_call_at_once(raw: Raw, client: Client) -> None:
    await client.create("doc", id="d3")
    await raw.schedule(await raw.workflow_task(), retry=_retry(5))
    resp = await raw.fail(await raw.step_task(), "CardDeclined", non_retryable=True)
    assert resp.exhausted.type == "CardDeclined"
    entry = _entry(await raw.workflow_task())
    assert (entry.state, entry.attempts) == (cpb.STEP_STATE_FAILED, 1)


async def test_a_lost_step_worker_is_noticed_by_its_heartbeat_timeout_and_its_late_result_refused(
    raw: Raw, client: Client
) -> None:
    handle = await client.create("doc", id="d4")
    await raw.schedule(await raw.workflow_task(), retry=_retry(3), heartbeat_timeout=0.5)
    lost = await raw.step_task()
    assert lost.heartbeat_timeout.ToMilliseconds() == 500
    beat = await raw.heartbeat(lost, b'{"page": 3}')
    assert beat.heartbeat_deadline.ToMicroseconds() > 0
    # No more heartbeats: the shard times the attempt out and hands out the next one.
    retry = await raw.step_task(wait=10)
    assert retry.attempt == 2
    assert retry.heartbeat_details.data == b'{"page": 3}'

    for late in (raw.complete(lost, b"1"), raw.heartbeat(lost)):
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await late
        assert err.value.code() == grpc.StatusCode.FAILED_PRECONDITION
        assert "task lease lost" in (err.value.details() or "")
    await raw.complete(retry, b'"done"')
    assert _entry(await raw.workflow_task()).result.data == b'"done"'
    failed = [e for e in await handle.history() if e.type == "step_attempt_failed"]
    assert [(e.attempt, e.error.type if e.error else "") for e in failed] == [
        (1, "HeartbeatTimeout")
    ]


async def test_an_attempt_past_its_timeout_fails_with_step_timeout(
    raw: Raw, client: Client
) -> None:
    await client.create("doc", id="d5")
    await raw.schedule(await raw.workflow_task(), timeout=0.3)
    await raw.step_task()
    entry = _entry(await raw.workflow_task())
    assert (entry.state, entry.error.type) == (cpb.STEP_STATE_FAILED, "StepTimeout")


async def test_terminating_an_instance_ends_its_call(raw: Raw, client: Client) -> None:
    handle = await client.create("doc", id="d6")
    await raw.schedule(await raw.workflow_task())
    task = await raw.step_task()
    await handle.terminate("no longer needed")
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await raw.heartbeat(task)
    assert err.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert "task lease lost" in (err.value.details() or "")


async def test_a_paused_instance_keeps_its_calls_outcome_until_resumed(
    raw: Raw, client: Client
) -> None:
    handle = await client.create("doc", id="d7")
    await raw.schedule(await raw.workflow_task())
    task = await raw.step_task()
    await handle.pause()
    # Resumed and paused again while the call runs: it goes on waiting for the call.
    assert (await handle.resume()).status == "waiting"
    await handle.pause()
    await raw.complete(task, b"42")
    assert (await handle.status()).status == "paused"
    assert await raw.step_tasks(queue="wq", wait=0) == []
    await handle.resume()
    assert _entry(await raw.workflow_task()).result.data == b"42"


async def test_a_step_task_given_back_is_handed_out_again_as_the_same_attempt(
    raw: Raw, client: Client
) -> None:
    await client.create("doc", id="d8")
    await raw.schedule(await raw.workflow_task())
    task = await raw.step_task()
    await raw.stub.ReleaseTasks(
        wpb.ReleaseTasksRequest(worker_id="sw", task_tokens=[task.task_token]), metadata=raw.md
    )
    again = await raw.step_task()
    assert again.attempt == 1 and again.task_token != task.task_token


async def test_bad_calls_are_refused_with_the_field_named(raw: Raw, client: Client) -> None:
    await client.create("doc", id="d9")
    wtask = await raw.workflow_task()

    async def refused(call: object, field: str) -> None:
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await call  # type: ignore[misc]
        assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT, err.value.details()
        assert field in (err.value.details() or "")

    await refused(raw.schedule(wtask, queue="bad queue"), "task_queue")
    await refused(raw.schedule(wtask, input=b"{not json"), "input")
    await refused(raw.schedule(wtask, timeout=1, heartbeat_timeout=2), "heartbeat_timeout")
    await refused(raw.schedule(wtask, timeout=8 * 86_400), "timeout")
    await refused(raw.schedule(wtask, trace_parent="00-not-a-trace-01"), "trace_parent")
    # A workflow task's token is not a step task's, and the other way round.
    await refused(
        raw.stub.CompleteStepTask(
            wpb.CompleteStepTaskRequest(task_token=wtask.task_token), metadata=raw.md
        ),
        "task_token",
    )
    await raw.schedule(wtask)
    stask = await raw.step_task()
    await refused(
        raw.stub.CompleteStep(
            wpb.CompleteStepRequest(task_token=stask.task_token, name="x", seq=1),
            metadata=raw.md,
        ),
        "task_token",
    )
    await refused(raw.complete(stask, b"{oops"), "result")
    # Nothing of it was recorded: the attempt goes on and completes.
    await raw.complete(stask, b"1")
    assert _entry(await raw.workflow_task()).state == cpb.STEP_STATE_SUCCEEDED


async def test_a_poll_takes_ready_step_tasks_of_its_own_queue_in_order(
    raw: Raw, client: Client
) -> None:
    for n in range(3):
        await client.create("doc", id=f"o{n}")
        await raw.schedule(await raw.workflow_task(), input=str(n).encode())
    assert await raw.step_tasks(queue="other", wait=0) == []
    tasks = await raw.step_tasks(max_tasks=10, wait=5)
    assert [t.input.data for t in tasks] == [b"0", b"1", b"2"]
    await asyncio.gather(*(raw.complete(t, b"null") for t in tasks))


async def test_a_step_task_carries_the_trace_context_of_the_run_that_asked_for_it(
    raw: Raw, client: Client
) -> None:
    await client.create("doc", id="t1")
    wtask = await raw.workflow_task()
    assert wtask.trace_parent == ""  # created untraced
    assert len(wtask.account_id) == 32
    run = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
    await raw.schedule(wtask, trace_parent=run)
    stask = await raw.step_task()
    assert stask.trace_parent == run
    assert stask.account_id == wtask.account_id
