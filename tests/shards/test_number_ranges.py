"""Numbers past what the store keeps (32-bit sequence numbers, attempts, retry limits) are
refused at the edge with INVALID_ARGUMENT naming the field, on every backend."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import grpc
import pytest

from gateway.dev import DevServer
from stepway.v1 import worker_service_pb2 as wpb
from stepway.v1 import worker_service_pb2_grpc as wgrpc
from stepway.v1 import workflow_service_pb2 as fpb
from stepway.v1 import workflow_service_pb2_grpc as fgrpc

UINT32_MAX = 2**32 - 1


@pytest.fixture
async def task(dev_server: DevServer) -> AsyncIterator[tuple[Any, Any, Any, bytes]]:
    """Stubs, metadata and the token of a real workflow task."""
    md = (("authorization", f"Bearer {dev_server.api_key}"),)
    async with grpc.aio.insecure_channel(dev_server.address) as channel:
        workers, workflows = wgrpc.WorkerServiceStub(channel), fgrpc.WorkflowServiceStub(channel)
        await workers.RegisterWorker(
            wpb.RegisterWorkerRequest(worker_id="w", task_queue="q", workflows=["wf"]), metadata=md
        )
        await workflows.CreateInstance(
            fpb.CreateInstanceRequest(workflow="wf", instance_id="i"), metadata=md
        )
        poll = wpb.PollWorkflowTasksRequest(worker_id="w", task_queue="q", max_tasks=1)
        poll.wait.FromSeconds(10)
        token = (await workers.PollWorkflowTasks(poll, metadata=md)).tasks[0].task_token
        yield workers, workflows, md, token


def _calls(token: bytes) -> list[tuple[str, str, Callable[[Any, Any], Any], Any]]:
    forged = wpb.TaskToken.FromString(token)
    forged.step_name, forged.step_seq = "call", UINT32_MAX
    return [
        ("seq", "StartSleep", lambda w, f: w.StartSleep, wpb.StartSleepRequest(
            task_token=token, name="nap", seq=UINT32_MAX
        )),
        ("attempt", "CompleteStep", lambda w, f: w.CompleteStep, wpb.CompleteStepRequest(
            task_token=token, name="a", seq=1, attempt=UINT32_MAX
        )),
        ("retry.limit", "ScheduleCall", lambda w, f: w.ScheduleCall, wpb.ScheduleCallRequest(
            task_token=token, name="c", seq=1, task_queue="s", step_type="t",
            retry=wpb.RetryPolicy(limit=UINT32_MAX),
        )),
        ("after_seq", "GetHistory", lambda w, f: f.GetHistory, fpb.GetHistoryRequest(
            workflow="wf", instance_id="i", after_seq=UINT32_MAX
        )),
        ("task_token", "CompleteStepTask", lambda w, f: w.CompleteStepTask,
         wpb.CompleteStepTaskRequest(task_token=forged.SerializeToString())),
    ]  # fmt: skip


async def test_numbers_past_32_bits_are_invalid_arguments_naming_the_field(
    task: tuple[Any, Any, Any, bytes],
) -> None:
    workers, workflows, md, token = task
    for field, method, stub, request in _calls(token):
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await stub(workers, workflows)(request, metadata=md)
        code, details = refused.value.code(), refused.value.details() or ""
        assert code is grpc.StatusCode.INVALID_ARGUMENT, (method, code, details)
        assert details.startswith(f"{field}:"), (method, details)
