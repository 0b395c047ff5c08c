"""The client: connect to a gateway, create instances, and hold handles to them."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, TypeVar

import grpc

from stepway import _payload
from stepway.errors import WorkflowFailedError, WorkflowTerminatedError, from_rpc_error
from stepway.v1 import admin_service_pb2 as apb
from stepway.v1 import admin_service_pb2_grpc as agrpc
from stepway.v1 import common_pb2 as cpb
from stepway.v1 import worker_service_pb2_grpc as wgrpc
from stepway.v1 import workflow_service_pb2 as fpb
from stepway.v1 import workflow_service_pb2_grpc as fgrpc

T = TypeVar("T")

_CHANNEL_OPTIONS = [
    ("grpc.max_receive_message_length", 64 * 1024 * 1024),
    ("grpc.max_send_message_length", 64 * 1024 * 1024),
    ("grpc.keepalive_time_ms", 20_000),
    ("grpc.keepalive_timeout_ms", 10_000),
    ("grpc.keepalive_permit_without_calls", 1),
    ("grpc.http2.max_pings_without_data", 0),
]


class InstanceStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    PAUSED = "paused"
    WAITING = "waiting"
    WAITING_FOR_PAUSE = "waitingForPause"
    ERRORED = "errored"
    TERMINATED = "terminated"
    COMPLETE = "complete"
    UNKNOWN = "unknown"

    @property
    def finished(self) -> bool:
        return self in (InstanceStatus.ERRORED, InstanceStatus.TERMINATED, InstanceStatus.COMPLETE)


_STATUS_FROM_PB = {
    cpb.INSTANCE_STATUS_QUEUED: InstanceStatus.QUEUED,
    cpb.INSTANCE_STATUS_RUNNING: InstanceStatus.RUNNING,
    cpb.INSTANCE_STATUS_PAUSED: InstanceStatus.PAUSED,
    cpb.INSTANCE_STATUS_WAITING: InstanceStatus.WAITING,
    cpb.INSTANCE_STATUS_WAITING_FOR_PAUSE: InstanceStatus.WAITING_FOR_PAUSE,
    cpb.INSTANCE_STATUS_ERRORED: InstanceStatus.ERRORED,
    cpb.INSTANCE_STATUS_TERMINATED: InstanceStatus.TERMINATED,
    cpb.INSTANCE_STATUS_COMPLETE: InstanceStatus.COMPLETE,
}


@dataclass(frozen=True)
class ErrorInfo:
    """Why an instance errored: the type and message of what the workflow raised."""

    type: str
    message: str


@dataclass(frozen=True)
class InstanceInfo:
    """An instance's status as read from the server."""

    workflow: str
    id: str
    status: InstanceStatus
    params: Any
    output: Any
    error: ErrorInfo | None
    created_at: datetime | None
    started_at: datetime | None
    ended_at: datetime | None
    current_step: str | None

    @classmethod
    def from_pb(cls, msg: cpb.Instance) -> InstanceInfo:
        return cls(
            workflow=msg.workflow,
            id=msg.instance_id,
            status=_STATUS_FROM_PB.get(msg.status, InstanceStatus.UNKNOWN),
            params=_payload.loads(msg.params.data),
            output=_payload.loads(msg.output.data) if msg.HasField("output") else None,
            error=ErrorInfo(msg.error.type, msg.error.message) if msg.HasField("error") else None,
            created_at=_payload.to_datetime(msg.created_at),
            started_at=_payload.to_datetime(msg.started_at),
            ended_at=_payload.to_datetime(msg.ended_at),
            current_step=msg.current_step or None,
        )


class Client:
    """A connection to a Stepway gateway, authenticated by an API key."""

    def __init__(self, channel: grpc.aio.Channel, api_key: str, address: str) -> None:
        self.address = address
        self._channel = channel
        self._metadata = (("authorization", f"Bearer {api_key}"),)
        self.workflows = fgrpc.WorkflowServiceStub(channel)
        self.workers = wgrpc.WorkerServiceStub(channel)
        self.admin = agrpc.AdminServiceStub(channel)

    @classmethod
    async def connect(cls, address: str, *, api_key: str, timeout: float = 10.0) -> Client:
        """Opens a channel to a gateway and checks the key with one call."""
        channel = grpc.aio.insecure_channel(address, options=_CHANNEL_OPTIONS)
        client = cls(channel, api_key, address)
        try:
            await client.call(
                client.admin.GetServerInfo, apb.GetServerInfoRequest(), timeout=timeout
            )
        except BaseException:
            await channel.close(None)
            raise
        return client

    async def close(self) -> None:
        await self._channel.close(None)

    async def __aenter__(self) -> Client:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def call(
        self,
        method: Callable[..., Awaitable[T]],
        request: Any,
        *,
        timeout: float | None = 30.0,
        retry_unavailable: float = 0.0,
    ) -> T:
        """Calls a stub method with the key; a failure raises the typed StepwayError.

        With retry_unavailable > 0, an UNAVAILABLE answer (server restarting, connection lost)
        is retried with backoff for up to that many seconds.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + retry_unavailable
        delay = 0.05
        while True:
            try:
                return await method(request, metadata=self._metadata, timeout=timeout)
            except grpc.aio.AioRpcError as err:
                if err.code() is not grpc.StatusCode.UNAVAILABLE or loop.time() + delay > deadline:
                    raise from_rpc_error(err) from None
            await asyncio.sleep(delay)
            delay = min(delay * 2, 1.0)

    async def server_info(self) -> apb.GetServerInfoResponse:
        """Version, partition count, backend and account of the server."""
        return await self.call(self.admin.GetServerInfo, apb.GetServerInfoRequest())

    async def create(
        self, workflow: str, *, id: str | None = None, params: Any = None
    ) -> InstanceHandle:
        """Creates an instance (with a generated id when none is given).

        Idempotent: an existing id returns a handle to that instance, with `created` False.
        """
        resp = await self.call(
            self.workflows.CreateInstance,
            fpb.CreateInstanceRequest(
                workflow=workflow,
                instance_id=id or "",
                params=cpb.Payload(data=_payload.dumps(params)),
            ),
        )
        return InstanceHandle(self, workflow, resp.instance_id, created=resp.created)

    def get_handle(self, workflow: str, id: str) -> InstanceHandle:
        """A handle to an existing instance, without a call."""
        return InstanceHandle(self, workflow, id)


class InstanceHandle:
    """One instance: read its status, send it events, wait for its result."""

    def __init__(self, client: Client, workflow: str, id: str, *, created: bool = True) -> None:
        self.client = client
        self.workflow = workflow
        self.id = id
        # False when create() found an existing instance with this id.
        self.created = created

    def __repr__(self) -> str:
        return f"InstanceHandle(workflow={self.workflow!r}, id={self.id!r})"

    async def status(self) -> InstanceInfo:
        """The instance's status, output and error."""
        resp = await self.client.call(
            self.client.workflows.GetInstance,
            fpb.GetInstanceRequest(workflow=self.workflow, instance_id=self.id),
        )
        return InstanceInfo.from_pb(resp.instance)

    async def send_event(self, type: str, payload: Any = None) -> bool:
        """Sends an event; True when a waiting step took it at once, False when it was buffered."""
        resp = await self.client.call(
            self.client.workflows.SendEvent,
            fpb.SendEventRequest(
                workflow=self.workflow,
                instance_id=self.id,
                type=type,
                payload=cpb.Payload(data=_payload.dumps(payload)),
            ),
        )
        return bool(resp.delivered)

    async def wait(self, timeout: float | None = None) -> InstanceInfo:
        """Waits until the instance is finished and returns its status.

        Raises TimeoutError when timeout seconds pass first.
        """
        loop = asyncio.get_running_loop()
        deadline = None if timeout is None else loop.time() + timeout
        while True:
            remaining = 50.0 if deadline is None else min(50.0, deadline - loop.time())
            request = fpb.WaitInstanceRequest(workflow=self.workflow, instance_id=self.id)
            request.timeout.FromMicroseconds(int(max(remaining, 0) * 1_000_000))
            resp = await self.client.call(
                self.client.workflows.WaitInstance, request, timeout=max(remaining, 0) + 30
            )
            info = InstanceInfo.from_pb(resp.instance)
            if resp.finished:
                return info
            if deadline is not None and loop.time() >= deadline:
                raise TimeoutError(f"instance {self.id} is still {info.status} after {timeout} s")

    async def result(self, timeout: float | None = None) -> Any:
        """The instance's output once complete; raises WorkflowFailedError if it errored."""
        info = await self.wait(timeout)
        if info.status is InstanceStatus.COMPLETE:
            return info.output
        if info.status is InstanceStatus.ERRORED and info.error is not None:
            raise WorkflowFailedError(self.id, info.error.type, info.error.message)
        raise WorkflowTerminatedError(f"instance {self.id} was terminated")
