"""Task tokens a worker sends back: forged ones are refused at once, and one attempt's result is
recorded once (a second report must agree with it)."""

from __future__ import annotations

import asyncio
import time

import grpc
import pytest

from gateway.dev import DevServer
from stepway import Client
from stepway.v1 import worker_service_pb2 as wpb
from stepway.v1 import worker_service_pb2_grpc as wgrpc
from stepway.v1 import workflow_service_pb2 as fpb
from stepway.v1 import workflow_service_pb2_grpc as fgrpc
from tests.raw_stubs import error_field

# Far less than the 20 s a gateway retries a partition that is moving.
AT_ONCE_SECONDS = 2.0


def _md(dev_server: DevServer) -> tuple[tuple[str, str], ...]:
    return (("authorization", f"Bearer {dev_server.api_key}"),)


async def test_a_token_naming_a_partition_outside_the_cluster_is_refused_at_once(
    dev_server: DevServer,
) -> None:
    forged = wpb.TaskToken(partition=99_999, uid="x", lease=1).SerializeToString()
    md = _md(dev_server)
    async with grpc.aio.insecure_channel(dev_server.address) as channel:
        stub = wgrpc.WorkerServiceStub(channel)
        complete = wpb.CompleteStepRequest(task_token=forged, name="s", seq=1, attempt=1)
        complete.result.data = b"1"
        calls = {
            "CompleteStep": stub.CompleteStep(complete, metadata=md),
            "HeartbeatTasks": stub.HeartbeatTasks(
                wpb.HeartbeatTasksRequest(worker_id="w", task_tokens=[forged]), metadata=md
            ),
            "ReleaseTasks": stub.ReleaseTasks(
                wpb.ReleaseTasksRequest(worker_id="w", task_tokens=[forged]), metadata=md
            ),
        }
        for name, call in calls.items():
            started = time.monotonic()
            with pytest.raises(grpc.aio.AioRpcError) as info:
                await call
            assert time.monotonic() - started < AT_ONCE_SECONDS, name
            assert info.value.code() is grpc.StatusCode.INVALID_ARGUMENT, name
            assert "partition 99999" in (info.value.details() or ""), name

        started = time.monotonic()
        batch = await stub.RecordBatch(
            wpb.RecordBatchRequest(commands=[wpb.WorkerCommand(complete_step=complete)]),
            metadata=md,
        )
        assert time.monotonic() - started < AT_ONCE_SECONDS
        [result] = batch.results
        assert result.error.code == grpc.StatusCode.INVALID_ARGUMENT.value[0]
        assert error_field(result.error) == "task_token"


async def test_two_reports_of_one_attempt_with_different_results_record_one_refuse_other(
    dev_server: DevServer, client: Client
) -> None:
    md = _md(dev_server)
    async with grpc.aio.insecure_channel(dev_server.address) as channel:
        stub = wgrpc.WorkerServiceStub(channel)
        await stub.RegisterWorker(
            wpb.RegisterWorkerRequest(worker_id="w", task_queue="q", workflows=["raw"]),
            metadata=md,
        )
        await client.create("raw", id="i")
        poll = wpb.PollWorkflowTasksRequest(worker_id="w", task_queue="q", max_tasks=1)
        poll.wait.FromSeconds(10)
        [task] = (await stub.PollWorkflowTasks(poll, metadata=md)).tasks

        def report(value: bytes) -> wpb.CompleteStepRequest:
            request = wpb.CompleteStepRequest(
                task_token=task.task_token, name="s", seq=1, attempt=1
            )
            request.result.data = value
            return request

        outcomes = await asyncio.gather(
            stub.CompleteStep(report(b'"first"'), metadata=md),
            stub.CompleteStep(report(b'"second"'), metadata=md),
            return_exceptions=True,
        )
        ok = [n for n, o in enumerate(outcomes) if isinstance(o, wpb.CompleteStepResponse)]
        refused = [o for o in outcomes if isinstance(o, grpc.aio.AioRpcError)]
        assert len(ok) == 1 and len(refused) == 1, outcomes
        assert refused[0].code() is grpc.StatusCode.FAILED_PRECONDITION
        assert "another result" in (refused[0].details() or "")
        winner = [b'"first"', b'"second"'][ok[0]]

        # The report that counted, sent again, is an idempotent OK.
        await stub.CompleteStep(report(winner), metadata=md)

        view = await fgrpc.WorkflowServiceStub(channel).GetInstance(
            fpb.GetInstanceRequest(workflow="raw", instance_id="i", include_steps=True),
            metadata=md,
        )
    [step] = view.steps
    assert step.output.data == winner
