"""The worker protocol as a worker in another language sees it: raw gRPC calls, no SDK."""

from __future__ import annotations

import grpc

from gateway.dev import DevServer
from stepway import Client
from stepway.v1 import worker_service_pb2 as wpb
from stepway.v1 import worker_service_pb2_grpc as wgrpc


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
    assert resp.results[1].error.field == "task_token"
    assert resp.results[2].error.field == "result"
    assert resp.results[4].error.code == grpc.StatusCode.FAILED_PRECONDITION.value[0]
    assert "lease lost" in resp.results[4].error.message
    assert await first.result(timeout=10) == {"ok": True}
    assert (await second.status()).status == "running"
