"""The gateway's gRPC services: authenticate, check, route to the owning shard, forward.

Clients and workers only ever talk to a gateway. It resolves the API key to an account (the
account never comes from the request), computes the instance's partition, and forwards the
request to the shard server that owns it with the account in `x-stepway-account`. A shard's
error comes back to the caller unchanged, rich details included.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import nullcontext
from typing import Any, TypeVar

import grpc
import sqlalchemy as sa
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from gateway.admin import GatewayAdminService
from gateway.auth import Authenticator
from gateway.config import GatewayConfig
from gateway.console import Console, dial_address, start_console
from gateway.limits import GatewayLimits
from gateway.routing import Router, ShardStubs
from shards import validation as v
from shards.accounts import Principal
from shards.caps import POLLS, WATCHES, OpenCalls
from shards.db import backend_name
from shards.errors import InvalidArgument, NotOwner, QuotaExceeded, ShardUnavailable, StepwayError
from shards.limits import check_request
from shards.metrics import Metrics
from shards.pages import ANSWER_BYTES
from shards.partitioning import partition_of
from shards.rpc import (
    ACCOUNT_HEADER,
    CLUSTER_SECRET_HEADER,
    END_POLL_HEADER,
    FANOUT_HEADER,
    SERVER_OPTIONS,
    WORKER_GONE_HEADER,
    AddressInUse,
    ErrorInterceptor,
    command_error,
    error_status,
    is_not_owner,
    is_not_owner_status,
    listen,
    status_details,
)
from shards.server import (
    MAX_BATCH_COMMANDS,
    MAX_TASKS_PER_POLL,
    check_batch_size,
    check_new_instance,
)
from shards.tls import CertificateFiles, channel_credentials, server_credentials
from shards.tokens import partition_of_token
from stepway import tracing
from stepway.v1 import admin_service_pb2 as apb
from stepway.v1 import admin_service_pb2_grpc as agrpc
from stepway.v1 import worker_service_pb2 as wpb
from stepway.v1 import worker_service_pb2_grpc as wgrpc
from stepway.v1 import workflow_service_pb2 as fpb
from stepway.v1 import workflow_service_pb2_grpc as fgrpc

log = logging.getLogger(__name__)

Context = grpc.aio.ServicerContext[Any, Any]
R = TypeVar("R")
# Added to a forwarded long poll's own wait so the shard answers before the deadline.
POLL_SLACK_SECONDS = 15.0
# How long a fan-out poll's other shards get to answer once it is ended; a shard that does not
# (it stalled) has its poll cancelled, and gives back what that poll claimed when it runs again.
END_POLL_SECONDS = 2.0
# How long a call is sent again while its partition moves between shard servers.
RETRY_SECONDS = 20.0


class Forwarder:
    """Sends requests to shards with the caller's account, passing errors back unchanged.

    A call for a partition goes to the partition's owner in the routing table. When the shard
    answers that it does not own the partition (it moved), or the partition has no owner for a
    moment, the routing table is read again and the call is sent again, for up to
    RETRY_SECONDS: nothing ran on the shard that refused, so this never runs a request twice.
    A shard that cannot be reached is retried the same way for calls that are safe to repeat.
    """

    def __init__(self, secret: str, router: Router) -> None:
        self.secret = secret
        self.router = router
        self.retries = 0

    def metadata(
        self, principal: Principal, *extra: tuple[str, str]
    ) -> tuple[tuple[str, str], ...]:
        """The metadata of a call forwarded to a shard for this caller."""
        return (
            (ACCOUNT_HEADER, principal.account_id),
            (CLUSTER_SECRET_HEADER, self.secret),
            *extra,
        )

    async def __call__(
        self,
        route: Callable[[], ShardStubs],
        method: Callable[[ShardStubs], Callable[..., Awaitable[R]]],
        request: Any,
        principal: Principal,
        context: Context,
        *,
        timeout: float | None = 30.0,
        idempotent: bool = False,
    ) -> R:
        """Calls method(route()) with the request, retrying moves as the class says."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + RETRY_SECONDS
        delay = 0.02
        while True:
            try:
                call = method(route())
                return await call(request, metadata=self.metadata(principal), timeout=timeout)
            except ShardUnavailable:
                if loop.time() > deadline:
                    raise
            except grpc.aio.AioRpcError as err:
                movable = is_not_owner(err) or (
                    idempotent and err.code() is grpc.StatusCode.UNAVAILABLE
                )
                if not movable or loop.time() > deadline:
                    await self.relay_error(err, context)
                    raise AssertionError("unreachable") from None
            self.retries += 1
            await self.router.refresh()
            await asyncio.sleep(delay)
            delay = min(delay * 2, 0.5)

    async def to_owner(
        self,
        owner: str,
        method: Callable[[ShardStubs], Callable[..., Awaitable[R]]],
        request: Any,
        principal: Principal,
        context: Context,
        *,
        timeout: float | None = 30.0,
    ) -> R | None:
        """Sends a part of a batch to the shard server that owned its items' partitions when
        it was routed; None when that server answers that it owns them no longer (the caller
        routes the items again). Other errors go back to the caller."""
        try:
            call = method(self.router.stubs_for(owner))
            return await call(request, metadata=self.metadata(principal), timeout=timeout)
        except grpc.aio.AioRpcError as err:
            if is_not_owner(err):
                return None
            await self.relay_error(err, context)
            raise AssertionError("unreachable") from None

    async def relay_error(self, err: grpc.aio.AioRpcError, context: Context) -> None:
        """Answers the caller with a shard's error, unchanged (UNAVAILABLE when it is down).
        A shard's own UNAVAILABLE answer (its database is away) keeps its RetryInfo."""
        down = err.code() in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED)
        if down and not is_not_owner(err) and not status_details(err):
            raise ShardUnavailable(f"shard server unavailable: {err.details()}") from None
        await context.abort(err.code(), err.details() or "", trailing_metadata=status_details(err))


def _workflows(name: str) -> Callable[[ShardStubs], Any]:
    return lambda shard: getattr(shard.workflows, name)


def _workers(name: str) -> Callable[[ShardStubs], Any]:
    return lambda shard: getattr(shard.workers, name)


# WorkflowService calls that are safe to send again after a shard did not answer.
IDEMPOTENT = frozenset({"CreateInstance", "GetInstance", "WaitInstance", "GetHistory"})


class GatewayWorkflowService(fgrpc.WorkflowServiceServicer):  # type: ignore[misc]
    def __init__(
        self,
        auth: Authenticator,
        router: Router,
        forward: Forwarder,
        limits: GatewayLimits,
        open_calls: OpenCalls,
    ) -> None:
        self.auth = auth
        self.router = router
        self.forward = forward
        self.limits = limits
        self.open_calls = open_calls

    async def _by_key(
        self,
        method: str,
        request: Any,
        context: Context,
        *,
        timeout: float | None = 30.0,
        held: str | None = None,
    ) -> Any:
        """Checks the key, then forwards to the owner of the instance's partition; a call that
        stays open counts as `held` (a cap of shards.caps) while it does."""
        principal = await self.auth.principal(context, "WorkflowService")
        if method == "CreateInstance":
            self.limits.creations(principal.account_id, 1)
        v.check_id("workflow", request.workflow)
        v.check_id("instance_id", request.instance_id)
        partition = partition_of(
            principal.account_id, request.workflow, request.instance_id, self.router.partitions
        )
        hold = self.open_calls.hold(principal.account_id, held) if held else nullcontext()
        with hold:
            return await self.forward(
                lambda: self.router.for_partition(partition),
                _workflows(method),
                request,
                principal,
                context,
                timeout=timeout,
                idempotent=method in IDEMPOTENT,
            )

    async def _anywhere(self, method: str, request: Any, context: Context) -> Any:
        """Forwards a read of the whole account: every shard reads the same database."""
        principal = await self.auth.principal(context, "WorkflowService")
        return await self.forward(
            lambda: self.router.all_shards()[0],
            _workflows(method),
            request,
            principal,
            context,
            idempotent=True,
        )

    async def CreateInstance(
        self, request: fpb.CreateInstanceRequest, context: Context
    ) -> fpb.CreateInstanceResponse:
        if not request.instance_id:
            request.instance_id = uuid.uuid4().hex
        v.check_payload("params", request.params.data)
        resp: fpb.CreateInstanceResponse = await self._by_key("CreateInstance", request, context)
        return resp

    async def GetInstance(
        self, request: fpb.GetInstanceRequest, context: Context
    ) -> fpb.GetInstanceResponse:
        resp: fpb.GetInstanceResponse = await self._by_key("GetInstance", request, context)
        return resp

    async def WaitInstance(
        self, request: fpb.WaitInstanceRequest, context: Context
    ) -> fpb.WaitInstanceResponse:
        timeout = v.check_wait(request, "timeout", v.MAX_WAIT_SECONDS, v.MAX_WAIT_SECONDS)
        resp: fpb.WaitInstanceResponse = await self._by_key(
            "WaitInstance", request, context, timeout=timeout + POLL_SLACK_SECONDS, held=POLLS
        )
        return resp

    async def SendEvent(
        self, request: fpb.SendEventRequest, context: Context
    ) -> fpb.SendEventResponse:
        v.check_payload("payload", request.payload.data)
        resp: fpb.SendEventResponse = await self._by_key("SendEvent", request, context)
        return resp

    async def CreateInstances(
        self, request: fpb.CreateInstancesRequest, context: Context
    ) -> fpb.CreateInstancesResponse:
        """Splits the batch by owning shard, forwards the parts at once, and merges the results;
        items a shard refused because their partition moved are sent again to the new owner."""
        principal = await self.auth.principal(context, "WorkflowService")
        check_batch_size(len(request.instances))
        results: list[fpb.CreateInstanceResult | None] = [None] * len(request.instances)
        partitions: dict[int, int] = {}
        for n, item in enumerate(request.instances):
            if not item.workflow:
                item.workflow = request.workflow
            if not item.task_queue:
                item.task_queue = request.task_queue
            if not item.instance_id:
                item.instance_id = uuid.uuid4().hex
            try:
                # Checked here, with the item's index in the whole batch: a shard sees only its
                # part of the batch, where the indices differ.
                check_new_instance(item, request.workflow, f"instances[{n}].")
            except StepwayError as exc:
                results[n] = fpb.CreateInstanceResult(error=error_status(exc))
                continue
            partitions[n] = partition_of(
                principal.account_id, item.workflow, item.instance_id, self.router.partitions
            )
        self._admit(principal, partitions, results)

        async def forward(owner: str, positions: list[int]) -> None:
            part = fpb.CreateInstancesRequest(instances=[request.instances[n] for n in positions])
            resp = await self.forward.to_owner(
                owner, _workflows("CreateInstances"), part, principal, context, timeout=120.0
            )
            if resp is None:  # the whole part moved: route every item again
                moved = fpb.CreateInstanceResult(error=error_status(NotOwner(set())))
                resp = fpb.CreateInstancesResponse(results=[moved] * len(positions))
            for n, result in zip(positions, resp.results, strict=True):
                results[n] = result

        await _by_owner(
            self.router,
            self.forward,
            list(partitions),
            lambda n: partitions[n],
            forward,
            lambda n: _moved_status(results[n]),
            lambda n: results.__setitem__(n, None),
        )
        return fpb.CreateInstancesResponse(results=[r for r in results if r is not None])

    def _admit(
        self,
        principal: Principal,
        partitions: dict[int, int],
        results: list[fpb.CreateInstanceResult | None],
    ) -> None:
        """Takes the batch's valid items out of the account's creation rate; the items past
        what it admits now are answered RESOURCE_EXHAUSTED (with RetryInfo) and not sent."""
        valid = list(partitions)
        try:
            admitted = self.limits.creations(principal.account_id, len(valid)) if valid else 0
            refusal: QuotaExceeded | None = None
        except QuotaExceeded as exc:
            admitted, refusal = 0, exc
        for n in valid[admitted:]:
            if refusal is None:
                limit = self.limits.quotas.known(principal.account_id)[0].creations_per_second
                rate = limit / self.limits.gateways
                refusal = QuotaExceeded("creations_per_second", limit, 1.0 / max(rate, 1.0))
            results[n] = fpb.CreateInstanceResult(error=error_status(refusal))
            del partitions[n]

    async def PauseInstance(
        self, request: fpb.PauseInstanceRequest, context: Context
    ) -> fpb.PauseInstanceResponse:
        resp: fpb.PauseInstanceResponse = await self._by_key("PauseInstance", request, context)
        return resp

    async def ResumeInstance(
        self, request: fpb.ResumeInstanceRequest, context: Context
    ) -> fpb.ResumeInstanceResponse:
        resp: fpb.ResumeInstanceResponse = await self._by_key("ResumeInstance", request, context)
        return resp

    async def TerminateInstance(
        self, request: fpb.TerminateInstanceRequest, context: Context
    ) -> fpb.TerminateInstanceResponse:
        resp: fpb.TerminateInstanceResponse = await self._by_key(
            "TerminateInstance", request, context
        )
        return resp

    async def RestartInstance(
        self, request: fpb.RestartInstanceRequest, context: Context
    ) -> fpb.RestartInstanceResponse:
        resp: fpb.RestartInstanceResponse = await self._by_key("RestartInstance", request, context)
        return resp

    async def DeleteInstance(
        self, request: fpb.DeleteInstanceRequest, context: Context
    ) -> fpb.DeleteInstanceResponse:
        resp: fpb.DeleteInstanceResponse = await self._by_key("DeleteInstance", request, context)
        return resp

    async def GetHistory(
        self, request: fpb.GetHistoryRequest, context: Context
    ) -> fpb.GetHistoryResponse:
        resp: fpb.GetHistoryResponse = await self._by_key("GetHistory", request, context)
        return resp

    async def WatchHistory(
        self, request: fpb.WatchHistoryRequest, context: Context
    ) -> AsyncIterator[fpb.WatchHistoryResponse]:
        """Relays the owning shard's stream; it ends when the instance is finished. An account
        holds at most shards.caps.MAX_WATCHES_PER_ACCOUNT streams open on this gateway."""
        principal = await self.auth.principal(context, "WorkflowService")
        v.check_id("workflow", request.workflow)
        v.check_id("instance_id", request.instance_id)
        partition = partition_of(
            principal.account_id, request.workflow, request.instance_id, self.router.partitions
        )
        with self.open_calls.hold(principal.account_id, WATCHES):
            shard = self.router.for_partition(partition)
            call = shard.workflows.WatchHistory(request, metadata=self.forward.metadata(principal))
            try:
                async for message in call:
                    yield message
            except grpc.aio.AioRpcError as err:
                await self.forward.relay_error(err, context)
            finally:
                call.cancel()

    async def ListInstances(
        self, request: fpb.ListInstancesRequest, context: Context
    ) -> fpb.ListInstancesResponse:
        resp: fpb.ListInstancesResponse = await self._anywhere("ListInstances", request, context)
        return resp

    async def ListWorkflows(
        self, request: fpb.ListWorkflowsRequest, context: Context
    ) -> fpb.ListWorkflowsResponse:
        resp: fpb.ListWorkflowsResponse = await self._anywhere("ListWorkflows", request, context)
        return resp


def _moved_status(result: fpb.CreateInstanceResult | None) -> bool:
    return result is not None and result.HasField("error") and is_not_owner_status(result.error)


async def _by_owner(
    router: Router,
    forward: Forwarder,
    positions: list[int],
    partition: Callable[[int], int],
    send: Callable[[str, list[int]], Awaitable[None]],
    moved: Callable[[int], bool],
    reset: Callable[[int], None],
) -> None:
    """Sends items to their partitions' owners, a part per owner at once. Items an owner
    refused because their partition moved, and items whose partition has no owner for a
    moment, go again after a routing refresh, for up to RETRY_SECONDS (after which an item
    without an owner fails the call with UNAVAILABLE)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + RETRY_SECONDS
    pending = positions
    while True:
        groups: dict[str, list[int]] = {}
        orphans: list[int] = []
        for n in pending:
            try:
                groups.setdefault(router.for_partition(partition(n)).address, []).append(n)
            except ShardUnavailable:
                if loop.time() > deadline:
                    raise
                orphans.append(n)
        await asyncio.gather(*(send(owner, group) for owner, group in groups.items()))
        sent = [n for group in groups.values() for n in group]
        pending = orphans + [n for n in sent if moved(n)]
        if not pending or (not orphans and loop.time() > deadline):
            return
        forward.retries += 1
        for n in pending:
            reset(n)
        await router.refresh()
        await asyncio.sleep(0.05)


class GatewayWorkerService(wgrpc.WorkerServiceServicer):  # type: ignore[misc]
    def __init__(
        self, auth: Authenticator, router: Router, forward: Forwarder, open_calls: OpenCalls
    ) -> None:
        self.auth = auth
        self.router = router
        self.forward = forward
        self.open_calls = open_calls

    async def _principal(self, context: Context) -> Principal:
        return await self.auth.principal(context, "WorkerService")

    async def RegisterWorker(
        self, request: wpb.RegisterWorkerRequest, context: Context
    ) -> wpb.RegisterWorkerResponse:
        """Registers with every shard, so that each knows the workflows' task queue."""
        principal = await self._principal(context)

        async def register(shard: ShardStubs) -> wpb.RegisterWorkerResponse:
            resp: wpb.RegisterWorkerResponse = await self.forward(
                lambda: shard,
                _workers("RegisterWorker"),
                request,
                principal,
                context,
                idempotent=True,
            )
            return resp

        responses = await asyncio.gather(*(register(s) for s in self.router.all_shards()))
        return responses[0]

    async def PollWorkflowTasks(
        self, request: wpb.PollWorkflowTasksRequest, context: Context
    ) -> wpb.PollWorkflowTasksResponse:
        tasks = await self._poll("PollWorkflowTasks", request, context)
        return wpb.PollWorkflowTasksResponse(tasks=tasks)

    async def PollStepTasks(
        self, request: wpb.PollStepTasksRequest, context: Context
    ) -> wpb.PollStepTasksResponse:
        tasks = await self._poll("PollStepTasks", request, context)
        return wpb.PollStepTasksResponse(tasks=tasks)

    async def _poll(self, method: str, request: Any, context: Context) -> list[Any]:
        """Long-polls every shard at once and answers with the tasks the first of them found.

        The polls still open are then ended by name (a ReleaseTasks marked END_POLL_HEADER),
        not cancelled: each answers normally with whatever it had claimed by then, so no task
        is ever lost in a reply that crossed a cancellation. The worker gets up to max_tasks;
        any more go back to their shards at once. When a workflow worker's own call ends
        early, the gateway tells every shard that the worker is gone (step workers keep their
        tasks until their heartbeat timeout: the step may still be running). An account holds
        at most shards.caps.MAX_POLLS_PER_ACCOUNT polls open on this gateway.
        """
        principal = await self._principal(context)
        with self.open_calls.hold(principal.account_id, POLLS):
            return await self._poll_shards(principal, method, request, context)

    async def _poll_shards(
        self, principal: Principal, method: str, request: Any, context: Context
    ) -> list[Any]:
        wait = v.check_wait(request, "wait", v.MAX_WAIT_SECONDS, v.MAX_WAIT_SECONDS)
        shards = self.router.all_shards()
        if len(shards) == 1:
            resp = await self.forward(
                lambda: shards[0],
                _workers(method),
                request,
                principal,
                context,
                timeout=wait + POLL_SLACK_SECONDS,
            )
            return list(resp.tasks)
        poll_id = uuid.uuid4().hex
        metadata = self.forward.metadata(principal, (FANOUT_HEADER, poll_id))
        polls = {
            asyncio.ensure_future(
                getattr(shard.workers, method)(
                    request, metadata=metadata, timeout=wait + POLL_SLACK_SECONDS
                )
            ): shard
            for shard in shards
        }
        try:
            pending = set(polls)
            while pending:
                _, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
                if any(_tasks_of(f) for f in polls if f.done()):
                    break
            if pending:
                await self._end_polls(principal, poll_id, [polls[f] for f in pending])
                await asyncio.wait(pending, timeout=END_POLL_SECONDS)
        except asyncio.CancelledError:
            for fut in polls:
                fut.cancel()
            if method == "PollWorkflowTasks":
                self._worker_gone(principal, request.worker_id, shards)
            raise
        for fut in polls:
            fut.cancel()  # only a shard that did not answer its end in time is left
        limit = min(max(request.max_tasks, 1), MAX_TASKS_PER_POLL)
        tasks: list[Any] = []
        size = 0
        for fut, shard in polls.items():
            found = _tasks_of(fut)
            keep = tasks_within(found, limit - len(tasks), ANSWER_BYTES - size, first=not tasks)
            tasks.extend(found[:keep])
            size += sum(t.ByteSize() + 8 for t in found[:keep])
            if keep < len(found):
                self._give_back(principal, request.worker_id, shard, found[keep:])
        if not tasks:
            failures = [f.exception() for f in polls if not f.cancelled() and f.exception()]
            if len(failures) == len(polls) and isinstance(failures[0], grpc.aio.AioRpcError):
                await self.forward.relay_error(failures[0], context)
        return tasks

    async def _end_polls(
        self, principal: Principal, poll_id: str, shards: list[ShardStubs]
    ) -> None:
        metadata = self.forward.metadata(principal, (END_POLL_HEADER, poll_id))
        request = wpb.ReleaseTasksRequest()
        ends = [
            s.workers.ReleaseTasks(request, metadata=metadata, timeout=END_POLL_SECONDS)
            for s in shards
        ]
        for outcome in await asyncio.gather(*ends, return_exceptions=True):
            if isinstance(outcome, BaseException):
                log.warning("could not end a poll on a shard: %s", outcome)

    def _give_back(
        self,
        principal: Principal,
        worker_id: str,
        shard: ShardStubs,
        tasks: list[Any],
    ) -> None:
        """Releases tasks a shard handed over beyond what the worker asked for."""
        metadata = self.forward.metadata(principal)
        request = wpb.ReleaseTasksRequest(
            worker_id=worker_id, task_tokens=[t.task_token for t in tasks]
        )
        task = asyncio.ensure_future(
            shard.workers.ReleaseTasks(request, metadata=metadata, timeout=10)
        )
        _background.add(task)
        task.add_done_callback(_background.discard)

    def _worker_gone(self, principal: Principal, worker_id: str, shards: list[ShardStubs]) -> None:
        metadata = self.forward.metadata(principal, (WORKER_GONE_HEADER, "1"))
        request = wpb.ReleaseTasksRequest(worker_id=worker_id)
        for shard in shards:
            task = asyncio.ensure_future(
                shard.workers.ReleaseTasks(request, metadata=metadata, timeout=10)
            )
            _background.add(task)
            task.add_done_callback(_background.discard)

    async def _by_task(self, method: str, request: Any, context: Context) -> Any:
        principal = await self._principal(context)
        partition = partition_of_token(request.task_token, self.router.partitions)
        return await self.forward(
            lambda: self.router.for_partition(partition),
            _workers(method),
            request,
            principal,
            context,
        )

    async def GetTaskJournal(
        self, request: wpb.GetTaskJournalRequest, context: Context
    ) -> wpb.GetTaskJournalResponse:
        resp: wpb.GetTaskJournalResponse = await self._by_task("GetTaskJournal", request, context)
        return resp

    async def CompleteStep(
        self, request: wpb.CompleteStepRequest, context: Context
    ) -> wpb.CompleteStepResponse:
        resp: wpb.CompleteStepResponse = await self._by_task("CompleteStep", request, context)
        return resp

    async def FailStep(
        self, request: wpb.FailStepRequest, context: Context
    ) -> wpb.FailStepResponse:
        resp: wpb.FailStepResponse = await self._by_task("FailStep", request, context)
        return resp

    async def StartSleep(
        self, request: wpb.StartSleepRequest, context: Context
    ) -> wpb.StartSleepResponse:
        resp: wpb.StartSleepResponse = await self._by_task("StartSleep", request, context)
        return resp

    async def WaitForEvent(
        self, request: wpb.WaitForEventRequest, context: Context
    ) -> wpb.WaitForEventResponse:
        resp: wpb.WaitForEventResponse = await self._by_task("WaitForEvent", request, context)
        return resp

    async def CompleteWorkflow(
        self, request: wpb.CompleteWorkflowRequest, context: Context
    ) -> wpb.CompleteWorkflowResponse:
        resp: wpb.CompleteWorkflowResponse = await self._by_task(
            "CompleteWorkflow", request, context
        )
        return resp

    async def FailWorkflow(
        self, request: wpb.FailWorkflowRequest, context: Context
    ) -> wpb.FailWorkflowResponse:
        resp: wpb.FailWorkflowResponse = await self._by_task("FailWorkflow", request, context)
        return resp

    async def ScheduleCall(
        self, request: wpb.ScheduleCallRequest, context: Context
    ) -> wpb.ScheduleCallResponse:
        resp: wpb.ScheduleCallResponse = await self._by_task("ScheduleCall", request, context)
        return resp

    async def CompleteStepTask(
        self, request: wpb.CompleteStepTaskRequest, context: Context
    ) -> wpb.CompleteStepTaskResponse:
        resp: wpb.CompleteStepTaskResponse = await self._by_task(
            "CompleteStepTask", request, context
        )
        return resp

    async def FailStepTask(
        self, request: wpb.FailStepTaskRequest, context: Context
    ) -> wpb.FailStepTaskResponse:
        resp: wpb.FailStepTaskResponse = await self._by_task("FailStepTask", request, context)
        return resp

    async def HeartbeatStepTask(
        self, request: wpb.HeartbeatStepTaskRequest, context: Context
    ) -> wpb.HeartbeatStepTaskResponse:
        resp: wpb.HeartbeatStepTaskResponse = await self._by_task(
            "HeartbeatStepTask", request, context
        )
        return resp

    async def _per_owner(
        self,
        tokens: Any,
        principal: Principal,
        context: Context,
        send: Callable[[ShardStubs, list[bytes]], Awaitable[None]],
    ) -> None:
        """Sends tokens to their partitions' owners, a part per owner at once, retrying moves."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + RETRY_SECONDS
        pending = list(tokens)
        while pending:
            groups: dict[str, list[bytes]] = {}
            for token in pending:
                partition = partition_of_token(token, self.router.partitions)
                owner = self.router.for_partition(partition).address
                groups.setdefault(owner, []).append(token)
            failed: list[bytes] = []

            async def one(address: str, part: list[bytes], failed: list[bytes] = failed) -> None:
                try:
                    await send(self.router.stubs_for(address), part)
                except grpc.aio.AioRpcError as err:
                    if not is_not_owner(err) or loop.time() > deadline:
                        await self.forward.relay_error(err, context)
                    failed.extend(part)

            await asyncio.gather(*(one(a, p) for a, p in groups.items()))
            pending = failed
            if pending:
                self.forward.retries += 1
                await self.router.refresh()
                await asyncio.sleep(0.05)

    async def HeartbeatTasks(
        self, request: wpb.HeartbeatTasksRequest, context: Context
    ) -> wpb.HeartbeatTasksResponse:
        principal = await self._principal(context)
        lost: list[bytes] = []

        async def send(shard: ShardStubs, tokens: list[bytes]) -> None:
            part = wpb.HeartbeatTasksRequest(worker_id=request.worker_id, task_tokens=tokens)
            resp = await shard.workers.HeartbeatTasks(
                part, metadata=self.forward.metadata(principal), timeout=30
            )
            lost.extend(resp.lost_task_tokens)

        await self._per_owner(request.task_tokens, principal, context, send)
        return wpb.HeartbeatTasksResponse(lost_task_tokens=lost)

    async def ReleaseTasks(
        self, request: wpb.ReleaseTasksRequest, context: Context
    ) -> wpb.ReleaseTasksResponse:
        principal = await self._principal(context)

        async def send(shard: ShardStubs, tokens: list[bytes]) -> None:
            part = wpb.ReleaseTasksRequest(worker_id=request.worker_id, task_tokens=tokens)
            await shard.workers.ReleaseTasks(
                part, metadata=self.forward.metadata(principal), timeout=30
            )

        await self._per_owner(request.task_tokens, principal, context, send)
        return wpb.ReleaseTasksResponse()

    async def RecordBatch(
        self, request: wpb.RecordBatchRequest, context: Context
    ) -> wpb.RecordBatchResponse:
        principal = await self._principal(context)
        if len(request.commands) > MAX_BATCH_COMMANDS:
            # Checked here for the whole batch: each shard server sees only its part.
            raise InvalidArgument(
                "commands", f"{len(request.commands)} commands; the limit is {MAX_BATCH_COMMANDS}"
            )
        results: list[wpb.CommandResult | None] = [None] * len(request.commands)
        partitions: dict[int, int] = {}
        for n, command in enumerate(request.commands):
            kind = command.WhichOneof("command")
            try:
                if kind is None:
                    raise InvalidArgument("command", "is empty")
                # Each write is bounded as its single call is (the interceptor counted them).
                check_request(getattr(command, kind))
                token = getattr(command, kind).task_token
                partitions[n] = partition_of_token(token, self.router.partitions)
            except StepwayError as exc:
                results[n] = command_error(exc)

        async def forward(owner: str, positions: list[int]) -> None:
            part = wpb.RecordBatchRequest(commands=[request.commands[n] for n in positions])
            resp = await self.forward.to_owner(
                owner, _workers("RecordBatch"), part, principal, context
            )
            if resp is None:  # the whole part moved: route every command again
                moved = command_error(NotOwner(set()))
                resp = wpb.RecordBatchResponse(results=[moved] * len(positions))
            for n, result in zip(positions, resp.results, strict=True):
                results[n] = result

        def moved(n: int) -> bool:
            result = results[n]
            return (
                result is not None
                and result.WhichOneof("result") == "error"
                and is_not_owner_status(result.error)
            )

        await _by_owner(
            self.router,
            self.forward,
            list(partitions),
            lambda n: partitions[n],
            forward,
            moved,
            lambda n: results.__setitem__(n, None),
        )
        return wpb.RecordBatchResponse(results=[r for r in results if r is not None])


_background: set[asyncio.Future[Any]] = set()


def tasks_within(tasks: list[Any], count: int, budget: int, *, first: bool) -> int:
    """How many of a shard's tasks fit in what is left of the answer: at most count, their
    bytes within budget (the answer's first task always fits)."""
    end, used = 0, 0
    while end < min(count, len(tasks)):
        used += tasks[end].ByteSize() + 8
        if used > budget and not (first and end == 0):
            break
        end += 1
    return end


def _tasks_of(fut: asyncio.Future[Any]) -> list[Any]:
    """The tasks of a finished shard poll; none when it failed or was cancelled."""
    if not fut.done() or fut.cancelled() or fut.exception() is not None:
        return []
    return list(fut.result().tasks)


class GatewayServer:
    """A running gateway."""

    def __init__(
        self,
        server: grpc.aio.Server,
        router: Router,
        limits: GatewayLimits,
        port: int,
        open_calls: OpenCalls,
    ) -> None:
        self.server = server
        self.router = router
        self.limits = limits
        self.port = port
        # Watch streams and long polls open now, per account.
        self.open_calls = open_calls
        # The web console, when config.http asks for one.
        self.console: Console | None = None
        # The certificate served, when config.tls asks for TLS.
        self.certificates: CertificateFiles | None = None

    @property
    def http_port(self) -> int | None:
        """Where the web console is served (None when it is not)."""
        return None if self.console is None else self.console.port

    async def stop(self, grace: float = 1.0) -> None:
        if self.console is not None:
            await self.console.stop()
        await self.server.stop(grace)
        await self.limits.stop()
        await self.router.close()


async def start_gateway(
    config: GatewayConfig, db: sa.Engine, partitions: int, metrics: Metrics | None = None
) -> GatewayServer:
    """Serves the public API on config.listen (port 0 picks a free port)."""
    limits = GatewayLimits(db, f"gateway-{uuid.uuid4().hex[:12]}", config.listen, metrics=metrics)
    auth = Authenticator(db, config.key_cache_seconds, limits)
    files = None if config.tls is None else CertificateFiles(config.tls)
    router = Router(
        db,
        partitions,
        refresh_seconds=config.route_refresh_seconds,
        credentials=None if config.shard_tls is None else channel_credentials(config.shard_tls),
    )
    await router.start()
    server = grpc.aio.server(
        interceptors=[*tracing.server_interceptors(), ErrorInterceptor(limits.metrics)],
        options=SERVER_OPTIONS,
    )
    forward = Forwarder(config.cluster_secret, router)
    open_calls = OpenCalls(on_refusal=limits.reject)
    fgrpc.add_WorkflowServiceServicer_to_server(
        GatewayWorkflowService(auth, router, forward, limits, open_calls), server
    )
    wgrpc.add_WorkerServiceServicer_to_server(
        GatewayWorkerService(auth, router, forward, open_calls), server
    )
    agrpc.add_AdminServiceServicer_to_server(
        GatewayAdminService(auth, router, backend_name(db), db), server
    )
    health_servicer = health.aio.HealthServicer()  # type: ignore[attr-defined]
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    names = [
        fpb.DESCRIPTOR.services_by_name["WorkflowService"].full_name,
        wpb.DESCRIPTOR.services_by_name["WorkerService"].full_name,
        apb.DESCRIPTOR.services_by_name["AdminService"].full_name,
        health.SERVICE_NAME,
        reflection.SERVICE_NAME,
    ]
    reflection.enable_server_reflection(names, server)
    try:
        port = listen(server, config.listen, None if files is None else server_credentials(files))
    except AddressInUse:
        await router.close()
        raise
    limits.address = f"{config.listen.rsplit(':', 1)[0]}:{port}"
    await limits.start()
    await server.start()
    await health_servicer.set("", health_pb2.HealthCheckResponse.SERVING)
    log.info("gateway listening on port %d", port)
    gateway = GatewayServer(server, router, limits, port, open_calls)
    gateway.certificates = files
    if config.http:
        try:
            # The console calls this gateway over gRPC, as any client does.
            gateway.console = await start_console(
                config.http,
                dial_address(config.listen, port),
                db=db,
                tls=files,
                gateway_ca=config.tls_ca,
            )
        except BaseException:
            await gateway.stop(0)
            raise
        log.info("web console on port %d", gateway.console.port)
    return gateway
