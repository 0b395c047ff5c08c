"""Raw gRPC stubs of a dev server with its admin key, as a worker in any language has them."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import grpc
import pytest
from google.rpc import error_details_pb2, status_pb2

from gateway.dev import DevServer
from stepway import InvalidFieldError
from stepway.errors import from_rpc_error
from stepway.v1 import admin_service_pb2_grpc as agrpc
from stepway.v1 import worker_service_pb2 as wpb
from stepway.v1 import worker_service_pb2_grpc as wgrpc
from stepway.v1 import workflow_service_pb2 as fpb
from stepway.v1 import workflow_service_pb2_grpc as fgrpc


@dataclass
class Raw:
    """Raw stubs of the dev server with its admin key, as a worker in any language has them."""

    workers: wgrpc.WorkerServiceStub
    workflows: fgrpc.WorkflowServiceStub
    admin: agrpc.AdminServiceStub
    md: tuple[tuple[str, str], ...]

    async def task(self, instance_id: str) -> wpb.WorkflowTask:
        """Creates an instance of workflow "raw" and takes its workflow task."""
        await self.workflows.CreateInstance(
            fpb.CreateInstanceRequest(workflow="raw", instance_id=instance_id), metadata=self.md
        )
        poll = wpb.PollWorkflowTasksRequest(worker_id="w1", task_queue="q", max_tasks=1)
        poll.wait.FromSeconds(10)
        resp = await self.workers.PollWorkflowTasks(poll, metadata=self.md)
        assert [t.instance_id for t in resp.tasks] == [instance_id]
        task: wpb.WorkflowTask = resp.tasks[0]
        return task

    async def read_back(self, instance_id: str) -> tuple[fpb.GetInstanceResponse, list[Any]]:
        """The instance with its steps, its history, and the first message of WatchHistory:
        each must answer."""
        key: dict[str, Any] = {"workflow": "raw", "instance_id": instance_id}
        got = await self.workflows.GetInstance(
            fpb.GetInstanceRequest(**key, include_steps=True), metadata=self.md
        )
        history = await self.workflows.GetHistory(fpb.GetHistoryRequest(**key), metadata=self.md)
        watch = self.workflows.WatchHistory(fpb.WatchHistoryRequest(**key), metadata=self.md)
        first = await watch.read()
        watch.cancel()
        assert first.event.seq == history.events[0].seq
        return got, list(history.events)


@asynccontextmanager
async def raw_stubs(dev_server: DevServer) -> AsyncIterator[Raw]:
    """Stubs on one channel, with a worker "w1" registered for workflow "raw" on queue "q"."""
    async with grpc.aio.insecure_channel(dev_server.address) as channel:
        stubs = Raw(
            wgrpc.WorkerServiceStub(channel),
            fgrpc.WorkflowServiceStub(channel),
            agrpc.AdminServiceStub(channel),
            (("authorization", f"Bearer {dev_server.api_key}"),),
        )
        await stubs.workers.RegisterWorker(
            wpb.RegisterWorkerRequest(worker_id="w1", task_queue="q", workflows=["raw"]),
            metadata=stubs.md,
        )
        yield stubs


async def refused(call: Awaitable[Any], field: str) -> InvalidFieldError:
    """Awaits a call that must answer INVALID_ARGUMENT, reason INVALID_FIELD, naming field."""
    with pytest.raises(grpc.aio.AioRpcError) as info:
        await call
    exc = from_rpc_error(info.value)
    assert isinstance(exc, InvalidFieldError), (info.value.code(), info.value.details())
    assert exc.reason == "INVALID_FIELD" and exc.metadata["field"] == field, exc
    assert exc.field == field, exc
    return exc


def error_info(status: status_pb2.Status) -> error_details_pb2.ErrorInfo:
    """The ErrorInfo of an error answer's google.rpc.Status: every one carries exactly one."""
    infos = [d for d in status.details if d.Is(error_details_pb2.ErrorInfo.DESCRIPTOR)]
    assert len(infos) == 1, status
    info = error_details_pb2.ErrorInfo()
    infos[0].Unpack(info)
    assert info.domain == "stepway.dev", info
    return info


def error_field(status: status_pb2.Status) -> str:
    """The field an INVALID_FIELD error names (in its ErrorInfo and its BadRequest alike)."""
    assert status.code == grpc.StatusCode.INVALID_ARGUMENT.value[0], status
    info = error_info(status)
    assert info.reason == "INVALID_FIELD", info
    bad = [d for d in status.details if d.Is(error_details_pb2.BadRequest.DESCRIPTOR)]
    violations = error_details_pb2.BadRequest()
    bad[0].Unpack(violations)
    assert violations.field_violations[0].field == info.metadata["field"], status
    return str(info.metadata["field"])


def step_request(cls: Any, token: bytes, **fields: Any) -> Any:
    return cls(task_token=token, name="s", seq=1, attempt=1, **fields)
