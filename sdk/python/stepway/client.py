"""The client: connect to a gateway, create instances, and hold handles to them."""

from __future__ import annotations

import asyncio
import builtins
import os
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

import grpc

from stepway import _payload, tracing
from stepway.admin import Admin
from stepway.errors import (
    StepwayError,
    WorkflowFailedError,
    WorkflowTerminatedError,
    from_rpc_error,
    from_status,
)
from stepway.v1 import admin_service_pb2 as apb
from stepway.v1 import admin_service_pb2_grpc as agrpc
from stepway.v1 import common_pb2 as cpb
from stepway.v1 import schedule_service_pb2_grpc as sgrpc
from stepway.v1 import worker_service_pb2_grpc as wgrpc
from stepway.v1 import workflow_service_pb2 as fpb
from stepway.v1 import workflow_service_pb2_grpc as fgrpc

T = TypeVar("T")

# Where Client.connect() and the CLI look when no address is given (`stepway dev` listens there).
DEFAULT_ADDRESS = "127.0.0.1:7300"
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


_STATUS_TO_PB = {status: pb for pb, status in _STATUS_FROM_PB.items()}
_KIND_FROM_PB = {
    cpb.STEP_KIND_DO: "do",
    cpb.STEP_KIND_SLEEP: "sleep",
    cpb.STEP_KIND_WAIT_FOR_EVENT: "wait_for_event",
    cpb.STEP_KIND_CALL: "call",
    cpb.STEP_KIND_ROLLBACK: "rollback",
    cpb.STEP_KIND_CHILD: "child",
}
_ROLLBACK_FROM_PB = {
    cpb.ROLLBACK_OUTCOME_ROLLING_BACK: "rolling_back",
    cpb.ROLLBACK_OUTCOME_ROLLED_BACK: "rolled_back",
    cpb.ROLLBACK_OUTCOME_ROLLBACK_FAILED: "rollback_failed",
}
_STATE_FROM_PB = {
    cpb.STEP_STATE_PENDING: "pending",
    cpb.STEP_STATE_SUCCEEDED: "succeeded",
    cpb.STEP_STATE_FAILED: "failed",
    cpb.STEP_STATE_RUNNING: "running",
}


def _error(msg: Any) -> ErrorInfo | None:
    return ErrorInfo(msg.error.type, msg.error.message) if msg.HasField("error") else None


@dataclass(frozen=True)
class StepRecord:
    """One entry of an instance's step journal, as `describe` shows it."""

    name: str
    seq: int
    # "do", "sleep", "wait_for_event", "call" (served by a step worker), or "rollback" (the
    # rollback of the do step of the same name and seq).
    kind: str
    # "pending", "running" (an attempt runs on a worker now), "succeeded" or "failed".
    state: str
    # Attempts finished so far; a running step runs attempt attempts + 1.
    attempts: int
    started_at: datetime | None
    ended_at: datetime | None
    output: Any
    error: ErrorInfo | None
    # A sleep's wake time, an event wait's timeout, or a pending retry's time.
    wake_at: datetime | None
    event_type: str | None
    # When the running attempt started (the shard's clock); None unless state is "running".
    attempt_started_at: datetime | None = None

    @property
    def duration(self) -> timedelta | None:
        if self.started_at is None or self.ended_at is None:
            return None
        return self.ended_at - self.started_at

    @property
    def running_attempt(self) -> int | None:
        """The number of the attempt running now, None unless the step is running."""
        return self.attempts + 1 if self.state == "running" else None

    def running_for(self, now: datetime | None = None) -> timedelta | None:
        """How long the running attempt has run, None unless the step is running."""
        if self.attempt_started_at is None:
            return None
        return (now or datetime.now(UTC)) - self.attempt_started_at

    @classmethod
    def from_pb(cls, msg: cpb.Step) -> StepRecord:
        return cls(
            name=msg.name,
            seq=msg.seq,
            kind=_KIND_FROM_PB.get(msg.kind, "unknown"),
            state=_STATE_FROM_PB.get(msg.state, "unknown"),
            attempts=msg.attempts,
            started_at=_payload.to_datetime(msg.started_at),
            ended_at=_payload.to_datetime(msg.ended_at),
            output=_payload.loads_for_display(msg.output.data) if msg.HasField("output") else None,
            error=_error(msg),
            wake_at=_payload.to_datetime(msg.wake_at),
            event_type=msg.event_type or None,
            attempt_started_at=_payload.to_datetime(msg.attempt_started_at),
        )


@dataclass(frozen=True)
class Blocked:
    """Why an instance is blocked: its run asked, at a step's name and occurrence, for
    another kind of step than its journal holds (a non-determinism). It waits, WAITING, for
    a newer build of its workflow or a move (docs/versioning.md)."""

    step_name: str
    step_seq: int
    # "do", "sleep", "wait_for_event" or "call".
    recorded_kind: str
    requested_kind: str
    message: str
    # The build of the worker that met it.
    build_id: str

    @classmethod
    def from_pb(cls, msg: cpb.NonDeterminism) -> Blocked:
        return cls(
            step_name=msg.step_name,
            step_seq=msg.step_seq,
            recorded_kind=_KIND_FROM_PB.get(msg.recorded_kind, "unknown"),
            requested_kind=_KIND_FROM_PB.get(msg.requested_kind, "unknown"),
            message=msg.message,
            build_id=msg.build_id,
        )


@dataclass(frozen=True)
class InstanceInfo:
    """An instance's status as read from the server (steps only from `describe`)."""

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
    task_queue: str = ""
    retention: timedelta | None = None
    # When the finished instance will be purged.
    expires_at: datetime | None = None
    steps: tuple[StepRecord, ...] | None = None
    # Its rollback (docs/rollbacks.md): "rolling_back", "rolled_back" or "rollback_failed";
    # None when it never rolled back. When a rollback failed: that step, and its error.
    rollback: str | None = None
    rollback_step: str | None = None
    rollback_step_seq: int | None = None
    rollback_error: ErrorInfo | None = None
    # A child workflow's parent; the children this instance started (from `describe`).
    parent: ParentInfo | None = None
    children: tuple[ChildInfo, ...] = ()
    # The build of worker code it runs on ("" unversioned); None before its first task.
    build_id: str | None = None
    # Set while a non-determinism blocks it.
    blocked: Blocked | None = None

    @property
    def duration(self) -> timedelta | None:
        """From start to end, or to now while it runs; None before it started."""
        if self.started_at is None:
            return None
        return (self.ended_at or datetime.now(UTC)) - self.started_at

    @property
    def last_successful_step(self) -> str | None:
        """The name of the last step that succeeded (needs steps, from `describe`)."""
        done = [s for s in self.steps or () if s.state == "succeeded" and s.kind != "rollback"]
        return done[-1].name if done else None

    @classmethod
    def from_pb(cls, msg: cpb.Instance, steps: Iterable[cpb.Step] | None = None) -> InstanceInfo:
        return cls(
            workflow=msg.workflow,
            id=msg.instance_id,
            status=_STATUS_FROM_PB.get(msg.status, InstanceStatus.UNKNOWN),
            params=_payload.loads_for_display(msg.params.data),
            output=_payload.loads_for_display(msg.output.data) if msg.HasField("output") else None,
            error=_error(msg),
            created_at=_payload.to_datetime(msg.created_at),
            started_at=_payload.to_datetime(msg.started_at),
            ended_at=_payload.to_datetime(msg.ended_at),
            current_step=msg.current_step or None,
            task_queue=msg.task_queue,
            retention=(
                timedelta(microseconds=msg.retention.ToMicroseconds())
                if msg.HasField("retention")
                else None
            ),
            expires_at=_payload.to_datetime(msg.expires_at),
            steps=None if steps is None else tuple(StepRecord.from_pb(s) for s in steps),
            build_id=msg.build_id if msg.build_assigned else None,
            blocked=Blocked.from_pb(msg.blocked) if msg.HasField("blocked") else None,
            rollback=_ROLLBACK_FROM_PB.get(msg.rollback),
            rollback_step=msg.rollback_step or None,
            rollback_step_seq=msg.rollback_step_seq or None,
            rollback_error=(
                ErrorInfo(msg.rollback_error.type, msg.rollback_error.message)
                if msg.HasField("rollback_error")
                else None
            ),
            parent=ParentInfo.from_pb(msg.parent) if msg.HasField("parent") else None,
            children=tuple(ChildInfo.from_pb(c) for c in msg.children),
        )


_CLOSE_FROM_PB = {
    cpb.PARENT_CLOSE_POLICY_TERMINATE: "terminate",
    cpb.PARENT_CLOSE_POLICY_ABANDON: "abandon",
}


@dataclass(frozen=True)
class ParentInfo:
    """The parent of a child workflow: its instance, and the step that started the child."""

    workflow: str
    id: str
    step_name: str
    step_seq: int
    # 1 for a child of a top-level instance, 2 for its child, ...
    depth: int
    # "terminate" or "abandon": what the child does when the parent ends first.
    parent_close: str

    @classmethod
    def from_pb(cls, msg: cpb.ParentLink) -> ParentInfo:
        return cls(
            workflow=msg.workflow,
            id=msg.instance_id,
            step_name=msg.step_name,
            step_seq=msg.step_seq,
            depth=msg.depth,
            parent_close=_CLOSE_FROM_PB.get(msg.parent_close, ""),
        )


@dataclass(frozen=True)
class ChildInfo:
    """A child an instance started."""

    workflow: str
    id: str
    step_name: str
    step_seq: int
    parent_close: str
    # Whether the parent waits for it (run_workflow).
    wait: bool
    # Its final status once the parent heard of its end, else None.
    status: InstanceStatus | None

    @classmethod
    def from_pb(cls, msg: cpb.ChildLink) -> ChildInfo:
        return cls(
            workflow=msg.workflow,
            id=msg.instance_id,
            step_name=msg.step_name,
            step_seq=msg.step_seq,
            parent_close=_CLOSE_FROM_PB.get(msg.parent_close, ""),
            wait=msg.wait,
            status=_STATUS_FROM_PB.get(msg.status) if msg.status else None,
        )


@dataclass(frozen=True)
class HistoryEvent:
    """One transition of an instance, as `history` and `watch` give it."""

    seq: int
    time: datetime | None
    # The transition, e.g. "created", "step_succeeded", "paused" (HistoryEventType, lowercased).
    type: str
    step_name: str | None
    step_seq: int | None
    attempt: int | None
    error: ErrorInfo | None
    # A wake time, retry time or event wait timeout, by type.
    until: datetime | None
    event_type: str | None
    worker: str | None
    reason: str | None
    # The step task queue and step type of a call_scheduled event.
    task_queue: str | None = None
    step_type: str | None = None
    # The child of a child_started or child_ended event.
    child_workflow: str | None = None
    child_id: str | None = None
    # The worker's build of started and resumed_on_worker, the build of build_moved and of
    # non_determinism; what non_determinism met.
    build_id: str | None = None
    non_determinism: Blocked | None = None

    @classmethod
    def from_pb(cls, msg: cpb.HistoryEvent) -> HistoryEvent:
        name = cpb.HistoryEventType.Name(msg.type) if msg.type in _HISTORY_TYPES else ""
        return cls(
            seq=msg.seq,
            time=_payload.to_datetime(msg.time),
            type=name.removeprefix("HISTORY_EVENT_TYPE_").lower() or "unknown",
            step_name=msg.step_name or None,
            step_seq=msg.step_seq or None,
            attempt=msg.attempt or None,
            error=_error(msg),
            until=_payload.to_datetime(msg.until),
            event_type=msg.event_type or None,
            worker=msg.worker or None,
            reason=msg.reason or None,
            task_queue=msg.task_queue or None,
            step_type=msg.step_type or None,
            child_workflow=msg.child_workflow or None,
            child_id=msg.child_instance_id or None,
            build_id=msg.build_id or None,
            non_determinism=(
                Blocked.from_pb(msg.non_determinism) if msg.HasField("non_determinism") else None
            ),
        )


_HISTORY_TYPES = frozenset(cpb.HistoryEventType.values())


@dataclass(frozen=True)
class WorkflowInfo:
    """A workflow registered in the account, with its instances by status."""

    name: str
    task_queue: str
    registered_at: datetime | None
    instances: dict[InstanceStatus, int]


@dataclass(frozen=True)
class WorkflowBuild:
    """A build of worker code registered for a workflow, with its instances by status; or,
    with unassigned, the instances no task has run yet (they start on the newest build)."""

    build_id: str
    unassigned: bool
    # The build new instances start on.
    newest: bool
    first_registered_at: datetime | None
    last_registered_at: datetime | None
    instances: dict[InstanceStatus, int]
    # Of them, instances blocked by a non-determinism.
    blocked: int
    # A worker of the build polls the workflow's task queue now.
    polling: bool = False


@dataclass(frozen=True)
class NewInstance:
    """One instance for `create_batch`; workflow defaults to the batch's."""

    id: str | None = None
    params: Any = None
    retention: float | timedelta | None = None
    workflow: str | None = None
    # The task queue it waits on; None: the batch's, else the workflow's registered queue.
    task_queue: str | None = None
    # Its retention once complete, and once errored or terminated (see `Client.create`).
    success_retention: float | timedelta | None = None
    error_retention: float | timedelta | None = None


@dataclass(frozen=True)
class BatchResult:
    """One item's outcome in `create_batch`: created, found existing, or refused with error."""

    workflow: str
    id: str | None
    created: bool
    error: StepwayError | None
    handle: InstanceHandle | None

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True)
class DeleteResult:
    """One instance's outcome in `delete_instances`: deleted, or refused with error
    (NotFoundError, FailedPreconditionError for an unfinished one, InvalidArgumentError)."""

    workflow: str
    id: str
    error: StepwayError | None

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True)
class Deleted:
    """What one `delete_where` call deleted: how many, and whether more matching remain."""

    count: int
    more: bool


@dataclass(frozen=True)
class InstancePage:
    """One page of a listing; next_page_token is None on the last page."""

    instances: list[InstanceInfo]
    next_page_token: str | None


MAX_BATCH = 1000
StatusFilter = InstanceStatus | str | Iterable[InstanceStatus | str] | None


def _statuses(status: StatusFilter) -> list[cpb.InstanceStatus]:
    if status is None:
        return []
    items = [status] if isinstance(status, str) else list(status)
    try:
        return [_STATUS_TO_PB[InstanceStatus(s)] for s in items]
    except (ValueError, KeyError):
        names = ", ".join(s.value for s in _STATUS_TO_PB)
        raise ValueError(f"unknown status in {items!r}; statuses are {names}") from None


def _retention(value: float | timedelta | None, msg: Any, field: str = "retention") -> None:
    if value is not None:
        seconds = value.total_seconds() if isinstance(value, timedelta) else float(value)
        getattr(msg, field).FromMicroseconds(int(seconds * 1_000_000))


def _retentions(
    msg: Any,
    retention: float | timedelta | None,
    success_retention: float | timedelta | None,
    error_retention: float | timedelta | None,
) -> None:
    _retention(retention, msg)
    _retention(success_retention, msg, "success_retention")
    _retention(error_retention, msg, "error_retention")


def _set_time(msg: Any, field: str, when: datetime | None) -> None:
    if when is not None:
        if when.tzinfo is None:
            raise ValueError(f"{field} must be an aware datetime (with a timezone)")
        getattr(msg, field).FromMicroseconds(int(when.timestamp() * 1_000_000))


def _channel(address: str, tls: bool | str | os.PathLike[str]) -> grpc.aio.Channel:
    """A channel to address: plaintext (tls False), or TLS verified by the system's roots
    (True) or by a CA file."""
    interceptors = tracing.client_interceptors()
    if tls is False:
        return grpc.aio.insecure_channel(
            address, options=_CHANNEL_OPTIONS, interceptors=interceptors
        )
    roots = None
    if tls is not True:
        try:
            roots = Path(tls).read_bytes()
        except OSError as exc:
            raise ValueError(f"cannot read the TLS CA file {os.fspath(tls)}: {exc}") from None
    return grpc.aio.secure_channel(
        address,
        grpc.ssl_channel_credentials(root_certificates=roots),
        options=_CHANNEL_OPTIONS,
        interceptors=interceptors,
    )


class Client:
    """A connection to a Stepway gateway, authenticated by an API key."""

    def __init__(self, channel: grpc.aio.Channel, api_key: str, address: str) -> None:
        self.address = address
        self._channel = channel
        self._metadata = (("authorization", f"Bearer {api_key}"),)
        self.workflows = fgrpc.WorkflowServiceStub(channel)
        self.workers = wgrpc.WorkerServiceStub(channel)
        # Accounts, API keys and quotas (stepway.admin); `admin.stub` is AdminService's stub.
        self.admin = Admin(self, agrpc.AdminServiceStub(channel))
        # Here, not at the top: stepway.schedules reads this module's instance statuses.
        from stepway.schedules import Schedules

        # Schedules that start workflows (stepway.schedules); `schedules.stub` is the stub.
        self.schedules = Schedules(self, sgrpc.ScheduleServiceStub(channel))

    @classmethod
    async def connect(
        cls,
        address: str | None = None,
        *,
        api_key: str | None = None,
        timeout: float = 10.0,
        tls: bool | str | os.PathLike[str] | None = None,
    ) -> Client:
        """Opens a channel to a gateway and checks the key with one call. address and api_key
        default to STEPWAY_ADDRESS (else 127.0.0.1:7300) and STEPWAY_API_KEY, as for the CLI.

        tls: a CA file (PEM) that the gateway's certificate must come from, True for the
        system's roots, False for plaintext; None: STEPWAY_TLS_CA's file when it is set, else
        plaintext."""
        address = address or os.environ.get("STEPWAY_ADDRESS") or DEFAULT_ADDRESS
        api_key = api_key or os.environ.get("STEPWAY_API_KEY")
        if not api_key:
            raise ValueError("an API key is needed: pass api_key=... or set STEPWAY_API_KEY")
        channel = _channel(
            address, (os.environ.get("STEPWAY_TLS_CA") or False) if tls is None else tls
        )
        client = cls(channel, api_key, address)
        try:
            await client.call(
                client.admin.stub.GetServerInfo, apb.GetServerInfoRequest(), timeout=timeout
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
        return await self.call(self.admin.stub.GetServerInfo, apb.GetServerInfoRequest())

    async def create(
        self,
        workflow: str,
        *,
        id: str | None = None,
        params: Any = None,
        retention: float | timedelta | None = None,
        task_queue: str | None = None,
        success_retention: float | timedelta | None = None,
        error_retention: float | timedelta | None = None,
    ) -> InstanceHandle:
        """Creates an instance (with a generated id when none is given).

        Idempotent: an existing id returns a handle to that instance, with `created` False.
        retention (seconds or a timedelta) is how long it is kept once finished;
        success_retention once it completes and error_retention once it ends errored or
        terminated override it. Where none is given, the workflow's retention for the outcome
        (`@workflow(..., success_retention=..., error_retention=...)`) applies, else the
        account's retention (30 days unless changed). task_queue names the queue it waits on:
        then the workflow need not be registered yet (clients deployed before workers), and
        the instance runs once a worker defining it polls that queue; None means the queue the
        workflow is registered on, and NotFoundError when no worker registered it.
        """
        request = fpb.CreateInstanceRequest(
            workflow=workflow,
            instance_id=id or "",
            params=cpb.Payload(data=_payload.dumps(params)),
            task_queue=task_queue or "",
        )
        _retentions(request, retention, success_retention, error_retention)
        resp = await self.call(self.workflows.CreateInstance, request)
        return InstanceHandle(self, workflow, resp.instance_id, created=resp.created)

    async def create_batch(
        self,
        workflow: str,
        instances: Iterable[NewInstance | Mapping[str, Any]],
        *,
        task_queue: str | None = None,
    ) -> list[BatchResult]:
        """Creates up to 1,000 instances in one call; one result per item, in order.

        Each item is created whole or not at all, on its own: an existing id answers the
        existing instance (created False), a bad item answers its error, and the others are
        created. Items are NewInstance or dicts with the same keys (id, params, retention,
        task_queue, success_retention, error_retention); task_queue is that of the items
        naming none (see `create`).
        """
        items = [i if isinstance(i, NewInstance) else NewInstance(**i) for i in instances]
        request = fpb.CreateInstancesRequest(workflow=workflow, task_queue=task_queue or "")
        for item in items:
            msg = request.instances.add(
                workflow=item.workflow or "",
                instance_id=item.id or "",
                params=cpb.Payload(data=_payload.dumps(item.params)),
                task_queue=item.task_queue or "",
            )
            _retentions(msg, item.retention, item.success_retention, item.error_retention)
        resp = await self.call(self.workflows.CreateInstances, request, timeout=120.0)
        results = []
        for item, result in zip(items, resp.results, strict=True):
            name = item.workflow or workflow
            if result.HasField("error"):
                results.append(BatchResult(name, item.id, False, from_status(result.error), None))
            else:
                created = result.instance
                handle = InstanceHandle(self, name, created.instance_id, created=created.created)
                results.append(
                    BatchResult(name, created.instance_id, created.created, None, handle)
                )
        return results

    async def list_page(
        self,
        workflow: str | None = None,
        *,
        status: StatusFilter = None,
        created_after: datetime | None = None,
        created_before: datetime | None = None,
        page_size: int = 100,
        page_token: str | None = None,
    ) -> InstancePage:
        """One page of instances, newest first (params and output left out)."""
        request = fpb.ListInstancesRequest(
            workflow=workflow or "",
            statuses=_statuses(status),
            page_size=page_size,
            page_token=page_token or "",
        )
        _set_time(request, "created_after", created_after)
        _set_time(request, "created_before", created_before)
        resp = await self.call(self.workflows.ListInstances, request)
        return InstancePage(
            [InstanceInfo.from_pb(i) for i in resp.instances], resp.next_page_token or None
        )

    async def list(
        self,
        workflow: str | None = None,
        *,
        status: StatusFilter = None,
        created_after: datetime | None = None,
        created_before: datetime | None = None,
        page_size: int = 100,
    ) -> AsyncIterator[InstanceInfo]:
        """Every instance that matches, newest first, fetched a page at a time."""
        token: str | None = None
        while True:
            page = await self.list_page(
                workflow,
                status=status,
                created_after=created_after,
                created_before=created_before,
                page_size=page_size,
                page_token=token,
            )
            for info in page.instances:
                yield info
            if page.next_page_token is None:
                return
            token = page.next_page_token

    async def delete_instances(
        self, instances: Iterable[tuple[str, str]]
    ) -> builtins.list[DeleteResult]:
        """Deletes up to 1,000 finished instances, given as (workflow, id), in one call; one
        result per instance, in order, each deleted or refused on its own."""
        keys = builtins.list(instances)
        request = fpb.DeleteInstancesRequest(
            instances=[fpb.DeleteInstanceRequest(workflow=w, instance_id=i) for w, i in keys]
        )
        resp = await self.call(self.workflows.DeleteInstances, request, timeout=120.0)
        return [
            DeleteResult(w, i, from_status(r.error) if r.HasField("error") else None)
            for (w, i), r in zip(keys, resp.results, strict=True)
        ]

    async def delete_where(
        self,
        workflow: str | None = None,
        *,
        status: StatusFilter = None,
        created_before: datetime | None = None,
        limit: int = MAX_BATCH,
    ) -> Deleted:
        """Deletes up to limit (1 to 1,000) finished instances that match: of the workflow
        (None: any), with one of the final statuses (None: complete, errored or terminated),
        created before the time (None: any). Call again while `more` is True."""
        request = fpb.DeleteInstancesRequest(
            filter=fpb.DeleteFilter(workflow=workflow or "", statuses=_statuses(status)),
            limit=limit,
        )
        _set_time(request.filter, "created_before", created_before)
        resp = await self.call(self.workflows.DeleteInstances, request, timeout=120.0)
        return Deleted(resp.deleted, resp.more)

    async def list_workflows(self) -> builtins.list[WorkflowInfo]:
        """The workflows registered in the account, with their instance counts by status."""
        resp = await self.call(self.workflows.ListWorkflows, fpb.ListWorkflowsRequest())
        return [
            WorkflowInfo(
                name=w.name,
                task_queue=w.task_queue,
                registered_at=_payload.to_datetime(w.registered_at),
                instances={
                    _STATUS_FROM_PB.get(c.status, InstanceStatus.UNKNOWN): c.count
                    for c in w.instances
                },
            )
            for w in resp.workflows
        ]

    async def workflow_builds(self, workflow: str) -> builtins.list[WorkflowBuild]:
        """The builds of a workflow (newest first), each with its instances by status, then
        the instances not on a build yet."""
        resp = await self.call(
            self.workflows.ListWorkflowBuilds, fpb.ListWorkflowBuildsRequest(workflow=workflow)
        )
        return [
            WorkflowBuild(
                build_id=b.build_id,
                unassigned=b.unassigned,
                newest=b.newest,
                first_registered_at=_payload.to_datetime(b.first_registered_at),
                last_registered_at=_payload.to_datetime(b.last_registered_at),
                instances={
                    _STATUS_FROM_PB.get(c.status, InstanceStatus.UNKNOWN): c.count
                    for c in b.instances
                },
                blocked=b.blocked,
                polling=b.polling,
            )
            for b in resp.builds
        ]

    async def move_build(self, workflow: str, from_build: str, to_build: str) -> int:
        """Moves the workflow's unfinished instances on from_build to to_build ("" means
        unversioned): their next tasks go to workers of to_build, and blocked ones are tried
        there at once. Returns how many moved."""
        request = fpb.MoveWorkflowBuildRequest(
            workflow=workflow, from_build_id=from_build, to_build_id=to_build
        )
        resp = await self.call(self.workflows.MoveWorkflowBuild, request)
        return int(resp.moved)

    # The instance operations, by workflow and id (the same as on a handle).

    async def status(self, workflow: str, id: str) -> InstanceInfo:
        return await self.get_handle(workflow, id).status()

    async def describe(self, workflow: str, id: str) -> InstanceInfo:
        return await self.get_handle(workflow, id).describe()

    async def pause(self, workflow: str, id: str) -> InstanceInfo:
        return await self.get_handle(workflow, id).pause()

    async def resume(self, workflow: str, id: str) -> InstanceInfo:
        return await self.get_handle(workflow, id).resume()

    async def terminate(self, workflow: str, id: str, reason: str = "") -> InstanceInfo:
        return await self.get_handle(workflow, id).terminate(reason)

    async def restart(self, workflow: str, id: str, from_step: str | None = None) -> InstanceInfo:
        return await self.get_handle(workflow, id).restart(from_step)

    async def delete(self, workflow: str, id: str) -> None:
        await self.get_handle(workflow, id).delete()

    async def send_event(self, workflow: str, id: str, type: str, payload: Any = None) -> bool:
        return await self.get_handle(workflow, id).send_event(type, payload)

    async def history(self, workflow: str, id: str) -> builtins.list[HistoryEvent]:
        return await self.get_handle(workflow, id).history()

    def watch(self, workflow: str, id: str, after_seq: int = 0) -> AsyncIterator[HistoryEvent]:
        return self.get_handle(workflow, id).watch(after_seq)

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

    async def describe(self) -> InstanceInfo:
        """The instance's status with its step journal, in the order the steps ran (read a
        page at a time: a large journal takes several calls)."""
        request = fpb.GetInstanceRequest(
            workflow=self.workflow, instance_id=self.id, include_steps=True
        )
        resp = await self.client.call(self.client.workflows.GetInstance, request)
        steps = list(resp.steps)
        while resp.next_steps_page_token:
            request.steps_page_token = resp.next_steps_page_token
            resp = await self.client.call(self.client.workflows.GetInstance, request)
            steps.extend(resp.steps)
        return InstanceInfo.from_pb(resp.instance, steps)

    async def pause(self) -> InstanceInfo:
        """Pauses the instance: at once, or (status waitingForPause) when its current step ends."""
        resp = await self.client.call(
            self.client.workflows.PauseInstance,
            fpb.PauseInstanceRequest(workflow=self.workflow, instance_id=self.id),
        )
        return InstanceInfo.from_pb(resp.instance)

    async def resume(self) -> InstanceInfo:
        """Resumes a paused instance where it was."""
        resp = await self.client.call(
            self.client.workflows.ResumeInstance,
            fpb.ResumeInstanceRequest(workflow=self.workflow, instance_id=self.id),
        )
        return InstanceInfo.from_pb(resp.instance)

    async def terminate(self, reason: str = "") -> InstanceInfo:
        """Ends the instance at once; its worker's later writes are refused."""
        resp = await self.client.call(
            self.client.workflows.TerminateInstance,
            fpb.TerminateInstanceRequest(
                workflow=self.workflow, instance_id=self.id, reason=reason
            ),
        )
        return InstanceInfo.from_pb(resp.instance)

    async def restart(self, from_step: str | None = None) -> InstanceInfo:
        """Runs the instance again: from the beginning, or from a step (earlier results kept)."""
        resp = await self.client.call(
            self.client.workflows.RestartInstance,
            fpb.RestartInstanceRequest(
                workflow=self.workflow, instance_id=self.id, from_step=from_step or ""
            ),
        )
        return InstanceInfo.from_pb(resp.instance)

    async def delete(self) -> None:
        """Deletes the finished instance with its steps and history."""
        await self.client.call(
            self.client.workflows.DeleteInstance,
            fpb.DeleteInstanceRequest(workflow=self.workflow, instance_id=self.id),
        )

    async def history(self) -> list[HistoryEvent]:
        """Every transition of the instance so far, oldest first."""
        events: list[HistoryEvent] = []
        while True:
            resp = await self.client.call(
                self.client.workflows.GetHistory,
                fpb.GetHistoryRequest(
                    workflow=self.workflow,
                    instance_id=self.id,
                    after_seq=events[-1].seq if events else 0,
                ),
            )
            events.extend(HistoryEvent.from_pb(e) for e in resp.events)
            if not resp.more:
                return events

    async def watch(self, after_seq: int = 0) -> AsyncIterator[HistoryEvent]:
        """The history as it happens: past events, then each new one, until the instance ends.

        A dropped connection is resumed after the last event received.
        """
        last = after_seq
        while True:
            request = fpb.WatchHistoryRequest(
                workflow=self.workflow, instance_id=self.id, after_seq=last
            )
            call = self.client.workflows.WatchHistory(request, metadata=self.client._metadata)
            try:
                async for msg in call:
                    last = msg.event.seq
                    yield HistoryEvent.from_pb(msg.event)
                return
            except grpc.aio.AioRpcError as err:
                if err.code() is not grpc.StatusCode.UNAVAILABLE:
                    raise from_rpc_error(err) from None
            finally:
                call.cancel()
            await asyncio.sleep(0.5)

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
