"""The worker protocol as a worker in another language sees it: raw gRPC calls, no SDK."""

from __future__ import annotations

import asyncio

import grpc

from gateway.dev import DevServer
from stepway import Client, InstanceStatus
from stepway.v1 import common_pb2 as cpb
from stepway.v1 import worker_service_pb2 as wpb
from stepway.v1 import worker_service_pb2_grpc as wgrpc
from tests.raw_stubs import error_field, error_info


async def test_record_batch_answers_each_command_on_its_own_in_order(
    dev_server: DevServer, client: Client
) -> None:
    md = (("authorization", f"Bearer {dev_server.api_key}"),)
    async with grpc.aio.insecure_channel(dev_server.address) as channel:
        stub = wgrpc.WorkerServiceStub(channel)
        await stub.RegisterWorker(
            wpb.RegisterWorkerRequest(worker_id="w1", task_queue="q", workflows=["raw"]),
            metadata=md,
        )
        first = await client.create("raw", id="b1")
        second = await client.create("raw", id="b2")
        poll = wpb.PollWorkflowTasksRequest(worker_id="w1", task_queue="q", max_tasks=2)
        poll.wait.FromSeconds(10)
        tasks = {t.instance_id: t for t in (await stub.PollWorkflowTasks(poll, metadata=md)).tasks}
        assert set(tasks) == {"b1", "b2"}

        def step(token: bytes, seq: int, value: bytes) -> wpb.WorkerCommand:
            cmd = wpb.WorkerCommand()
            cmd.complete_step.task_token = token
            cmd.complete_step.name = "s"
            cmd.complete_step.seq = seq
            cmd.complete_step.attempt = 1
            cmd.complete_step.result.data = value
            return cmd

        done = wpb.WorkerCommand()
        done.complete_workflow.task_token = tasks["b1"].task_token
        done.complete_workflow.output.data = b'{"ok": true}'
        commands = [
            step(tasks["b1"].task_token, 1, b"1"),
            step(b"not a token", 1, b"1"),
            step(tasks["b2"].task_token, 1, b"not json"),
            done,
            step(tasks["b1"].task_token, 2, b"2"),  # after the instance completed
        ]
        resp = await stub.RecordBatch(wpb.RecordBatchRequest(commands=commands), metadata=md)
    kinds = [r.WhichOneof("result") for r in resp.results]
    assert kinds == ["complete_step", "error", "error", "complete_workflow", "error"]
    assert resp.results[1].error.code == grpc.StatusCode.INVALID_ARGUMENT.value[0]
    assert error_field(resp.results[1].error) == "task_token"
    assert error_field(resp.results[2].error) == "result"
    assert resp.results[4].error.code == grpc.StatusCode.FAILED_PRECONDITION.value[0]
    assert error_info(resp.results[4].error).reason == "TASK_LEASE_LOST"
    assert "lease lost" in resp.results[4].error.message
    assert await first.result(timeout=10) == {"ok": True}
    assert (await second.status()).status == "running"


async def _raw_task(
    stub: wgrpc.WorkerServiceStub, md: tuple[tuple[str, str], ...], worker: str, queue: str
) -> wpb.WorkflowTask:
    poll = wpb.PollWorkflowTasksRequest(worker_id=worker, task_queue=queue, max_tasks=1)
    poll.wait.FromSeconds(10)
    resp: wpb.PollWorkflowTasksResponse = await stub.PollWorkflowTasks(poll, metadata=md)
    return resp.tasks[0]


async def test_a_zero_wait_poll_answers_at_once_and_keeps_the_workers_tasks(
    dev_server: DevServer, client: Client
) -> None:
    md = (("authorization", f"Bearer {dev_server.api_key}"),)
    worker = "w" * 100  # the longest worker id the rules allow
    async with grpc.aio.insecure_channel(dev_server.address) as channel:
        stub = wgrpc.WorkerServiceStub(channel)
        await stub.RegisterWorker(
            wpb.RegisterWorkerRequest(worker_id=worker, task_queue="q", workflows=["raw"]),
            metadata=md,
        )
        handle = await client.create("raw", id="z1")
        task = await _raw_task(stub, md, worker, "q")
        empty = wpb.PollWorkflowTasksRequest(worker_id=worker, task_queue="q", max_tasks=1)
        empty.wait.FromSeconds(0)
        assert not (await stub.PollWorkflowTasks(empty, metadata=md, timeout=5)).tasks
        done = wpb.CompleteWorkflowRequest(task_token=task.task_token)
        done.output.data = b"1"
        await stub.CompleteWorkflow(done, metadata=md)  # the lease survived the empty poll
    assert await handle.result(timeout=10) == 1


async def test_wait_for_event_after_its_timeout_answers_the_timeout(
    dev_server: DevServer, client: Client
) -> None:
    md = (("authorization", f"Bearer {dev_server.api_key}"),)
    async with grpc.aio.insecure_channel(dev_server.address) as channel:
        stub = wgrpc.WorkerServiceStub(channel)
        await stub.RegisterWorker(
            wpb.RegisterWorkerRequest(worker_id="w1", task_queue="q", workflows=["raw"]),
            metadata=md,
        )
        await client.create("raw", id="t1")
        wait = wpb.WaitForEventRequest(name="approval", seq=1, event_type="approved")
        wait.timeout_at.FromMicroseconds(1)  # long past: the wait times out at once
        wait.task_token = (await _raw_task(stub, md, "w1", "q")).task_token
        assert (await stub.WaitForEvent(wait, metadata=md)).suspended
        # The timer ends the wait and dispatches the instance again; the replay asks again.
        wait.task_token = (await _raw_task(stub, md, "w1", "q")).task_token
        again = await stub.WaitForEvent(wait, metadata=md)
    assert not again.suspended
    assert again.error.type == "EventTimeout"
    assert "approved" in again.error.message


async def _raw_tasks(
    dev_server: DevServer, client: Client, ids: list[str]
) -> tuple[grpc.aio.Channel, wgrpc.WorkerServiceStub, dict[str, wpb.WorkflowTask]]:
    """Registers workflow "raw", creates the instances and polls their tasks as a raw worker."""
    md = (("authorization", f"Bearer {dev_server.api_key}"),)
    channel = grpc.aio.insecure_channel(dev_server.address)
    stub = wgrpc.WorkerServiceStub(channel)
    await stub.RegisterWorker(
        wpb.RegisterWorkerRequest(worker_id="w1", task_queue="q", workflows=["raw"]), metadata=md
    )
    for id in ids:
        await client.create("raw", id=id)
    tasks: dict[str, wpb.WorkflowTask] = {}
    while len(tasks) < len(ids):
        poll = wpb.PollWorkflowTasksRequest(worker_id="w1", task_queue="q", max_tasks=100)
        poll.wait.FromSeconds(10)
        for t in (await stub.PollWorkflowTasks(poll, metadata=md)).tasks:
            tasks[t.instance_id] = t
    return channel, stub, tasks


def _complete(token: bytes, name: str = "s") -> wpb.CompleteStepRequest:
    return wpb.CompleteStepRequest(
        task_token=token, name=name, seq=1, attempt=1, result=cpb.Payload(data=b"1")
    )


async def test_terminate_racing_a_step_completion_lets_exactly_one_win(
    dev_server: DevServer, client: Client
) -> None:
    md = (("authorization", f"Bearer {dev_server.api_key}"),)
    ids = [f"race-{n}" for n in range(60)]
    channel, stub, tasks = await _raw_tasks(dev_server, client, ids)
    async with channel:

        async def complete(id: str) -> bool:
            try:
                await stub.CompleteStep(_complete(tasks[id].task_token), metadata=md)
                return True
            except grpc.aio.AioRpcError as err:
                assert err.code() is grpc.StatusCode.FAILED_PRECONDITION
                assert "instance is terminated" in (err.details() or "")
                return False

        async def race(n: int, id: str) -> bool:
            # Most pairs race: both calls in flight together, sent in turn one first and the
            # other first, so either may commit first. Every third pair terminates first for
            # sure, so that the refusal is exercised on every run.
            if n % 3 == 0:
                await client.terminate("raw", id)
                return await complete(id)
            if n % 2:
                done, _ = await asyncio.gather(complete(id), client.terminate("raw", id))
            else:
                _, done = await asyncio.gather(client.terminate("raw", id), complete(id))
            return done

        outcomes = await asyncio.gather(*(race(n, i) for n, i in enumerate(ids)))
    won = 0
    for id, completed in zip(ids, outcomes, strict=True):
        info = await client.describe("raw", id)
        assert info.status is InstanceStatus.TERMINATED and info.ended_at is not None
        steps = info.steps or ()
        assert len(steps) == (1 if completed else 0), id
        for s in steps:
            assert s.ended_at is not None and s.ended_at <= info.ended_at
        events = [e.type for e in await client.history("raw", id)]
        assert events[-1] == "terminated"
        assert ("step_succeeded" in events) == completed
        won += completed
    assert won <= len(ids) - len(ids[::3])


async def test_a_pause_ends_the_task_with_the_next_write(
    dev_server: DevServer, client: Client
) -> None:
    md = (("authorization", f"Bearer {dev_server.api_key}"),)
    channel, stub, tasks = await _raw_tasks(dev_server, client, ["p1"])
    async with channel:
        token = tasks["p1"].task_token
        assert (await client.pause("raw", "p1")).status is InstanceStatus.WAITING_FOR_PAUSE
        # The lease still holds while the step in flight finishes: heartbeats keep it.
        beat = await stub.HeartbeatTasks(
            wpb.HeartbeatTasksRequest(worker_id="w1", task_tokens=[token]), metadata=md
        )
        assert list(beat.lost_task_tokens) == []
        resp = await stub.CompleteStep(_complete(token), metadata=md)
        assert resp.task_ended
        assert (await client.status("raw", "p1")).status is InstanceStatus.PAUSED
        try:
            await stub.CompleteStep(_complete(token, "next"), metadata=md)
            raise AssertionError("a write after the pause took effect was accepted")
        except grpc.aio.AioRpcError as err:
            assert err.code() is grpc.StatusCode.FAILED_PRECONDITION
            assert "task lease lost: instance is paused" in (err.details() or "")
    info = await client.describe("raw", "p1")
    assert [s.name for s in info.steps or ()] == ["s"]
