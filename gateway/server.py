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
from typing import Any, TypeVar

import grpc
import sqlalchemy as sa
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from gateway.auth import Authenticator
from gateway.config import GatewayConfig
from gateway.routing import Router, ShardStubs
from shards import validation as v
from shards.accounts import Principal
from shards.db import backend_name
from shards.errors import InvalidArgument, StepwayError, Unavailable
from shards.partitioning import partition_of
from shards.rpc import (
    ACCOUNT_HEADER,
    CLUSTER_SECRET_HEADER,
    SERVER_OPTIONS,
    ErrorInterceptor,
    command_error,
    rich_status,
    status_details,
)
from shards.server import check_batch_size, check_new_instance
from shards.tokens import decode
from stepway import __version__
from stepway.v1 import admin_service_pb2 as apb
from stepway.v1 import admin_service_pb2_grpc as agrpc
from stepway.v1 import common_pb2 as cpb
from stepway.v1 import worker_service_pb2 as wpb
from stepway.v1 import worker_service_pb2_grpc as wgrpc
from stepway.v1 import workflow_service_pb2 as fpb
from stepway.v1 import workflow_service_pb2_grpc as fgrpc

log = logging.getLogger(__name__)

Context = grpc.aio.ServicerContext[Any, Any]
R = TypeVar("R")
# Added to a forwarded long poll's own wait so the shard answers before the deadline.
POLL_SLACK_SECONDS = 15.0


class Forwarder:
    """Sends a request to a shard with the caller's account, passing errors back unchanged."""

    def __init__(self, secret: str) -> None:
        self.secret = secret

    async def __call__(
        self,
        call: Callable[..., Awaitable[R]],
        request: Any,
        principal: Principal,
        context: Context,
        *,
        timeout: float | None = 30.0,
    ) -> R:
        try:
            return await call(request, metadata=self.metadata(principal), timeout=timeout)
        except grpc.aio.AioRpcError as err:
            await self.relay_error(err, context)
            raise AssertionError("unreachable") from None

    def metadata(self, principal: Principal) -> tuple[tuple[str, str], ...]:
        """The metadata of a call forwarded to a shard for this caller."""
        return ((ACCOUNT_HEADER, principal.account_id), (CLUSTER_SECRET_HEADER, self.secret))

    async def relay_error(self, err: grpc.aio.AioRpcError, context: Context) -> None:
        """Answers the caller with a shard's error, unchanged (UNAVAILABLE when it is down)."""
        if err.code() in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED):
            raise Unavailable(f"shard server unavailable: {err.details()}") from None
        await context.abort(err.code(), err.details() or "", trailing_metadata=status_details(err))


class GatewayWorkflowService(fgrpc.WorkflowServiceServicer):  # type: ignore[misc]
    def __init__(self, auth: Authenticator, router: Router, forward: Forwarder) -> None:
        self.auth = auth
        self.router = router
        self.forward = forward

    async def _route(
        self, context: Context, workflow: str, instance_id: str
    ) -> tuple[Principal, ShardStubs]:
        principal = await self.auth.principal(context, "WorkflowService")
        v.check_id("workflow", workflow)
        v.check_id("instance_id", instance_id)
        partition = partition_of(
            principal.account_id, workflow, instance_id, self.router.partitions
        )
        return principal, self.router.for_partition(partition)

    async def CreateInstance(
        self, request: fpb.CreateInstanceRequest, context: Context
    ) -> fpb.CreateInstanceResponse:
        if not request.instance_id:
            request.instance_id = uuid.uuid4().hex
        principal, shard = await self._route(context, request.workflow, request.instance_id)
        v.check_payload("params", request.params.data)
        return await self.forward(shard.workflows.CreateInstance, request, principal, context)

    async def GetInstance(
        self, request: fpb.GetInstanceRequest, context: Context
    ) -> fpb.GetInstanceResponse:
        principal, shard = await self._route(context, request.workflow, request.instance_id)
        return await self.forward(shard.workflows.GetInstance, request, principal, context)

    async def WaitInstance(
        self, request: fpb.WaitInstanceRequest, context: Context
    ) -> fpb.WaitInstanceResponse:
        principal, shard = await self._route(context, request.workflow, request.instance_id)
        timeout = v.check_wait(request, "timeout", v.MAX_WAIT_SECONDS, v.MAX_WAIT_SECONDS)
        return await self.forward(
            shard.workflows.WaitInstance,
            request,
            principal,
            context,
            timeout=timeout + POLL_SLACK_SECONDS,
        )

    async def SendEvent(
        self, request: fpb.SendEventRequest, context: Context
    ) -> fpb.SendEventResponse:
        principal, shard = await self._route(context, request.workflow, request.instance_id)
        v.check_payload("payload", request.payload.data)
        return await self.forward(shard.workflows.SendEvent, request, principal, context)

    async def CreateInstances(
        self, request: fpb.CreateInstancesRequest, context: Context
    ) -> fpb.CreateInstancesResponse:
        """Splits the batch by owning shard, forwards the parts at once, and merges the results."""
        principal = await self.auth.principal(context, "WorkflowService")
        check_batch_size(len(request.instances))
        results: list[fpb.CreateInstanceResult | None] = [None] * len(request.instances)
        groups: dict[ShardStubs, list[int]] = {}
        for n, item in enumerate(request.instances):
            if not item.workflow:
                item.workflow = request.workflow
            if not item.instance_id:
                item.instance_id = uuid.uuid4().hex
            try:
                # Checked here, with the item's index in the whole batch: a shard sees only its
                # part of the batch, where the indices differ.
                check_new_instance(item, request.workflow, f"instances[{n}].")
            except StepwayError as exc:
                results[n] = fpb.CreateInstanceResult(error=rich_status(exc))
                continue
            partition = partition_of(
                principal.account_id, item.workflow, item.instance_id, self.router.partitions
            )
            groups.setdefault(self.router.for_partition(partition), []).append(n)

        async def forward(shard: ShardStubs, positions: list[int]) -> None:
            part = fpb.CreateInstancesRequest(instances=[request.instances[n] for n in positions])
            resp = await self.forward(shard.workflows.CreateInstances, part, principal, context)
            for n, result in zip(positions, resp.results, strict=True):
                results[n] = result

        await asyncio.gather(*(forward(s, p) for s, p in groups.items()))
        return fpb.CreateInstancesResponse(results=[r for r in results if r is not None])

    async def _by_key(self, method: str, request: Any, context: Context) -> Any:
        principal, shard = await self._route(context, request.workflow, request.instance_id)
        return await self.forward(getattr(shard.workflows, method), request, principal, context)

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
    ) -> AsyncIterator[cpb.HistoryEvent]:
        """Relays the owning shard's stream; it ends when the instance is finished."""
        principal, shard = await self._route(context, request.workflow, request.instance_id)
        metadata = self.forward.metadata(principal)
        call = shard.workflows.WatchHistory(request, metadata=metadata)
        try:
            async for event in call:
                yield event
        except grpc.aio.AioRpcError as err:
            await self.forward.relay_error(err, context)
        finally:
            call.cancel()

    async def ListInstances(
        self, request: fpb.ListInstancesRequest, context: Context
    ) -> fpb.ListInstancesResponse:
        # Every shard reads the same database: any of them answers for all partitions.
        principal = await self.auth.principal(context, "WorkflowService")
        shard = self.router.all_shards()[0]
        return await self.forward(shard.workflows.ListInstances, request, principal, context)

    async def ListWorkflows(
        self, request: fpb.ListWorkflowsRequest, context: Context
    ) -> fpb.ListWorkflowsResponse:
        principal = await self.auth.principal(context, "WorkflowService")
        shard = self.router.all_shards()[0]
        return await self.forward(shard.workflows.ListWorkflows, request, principal, context)


class GatewayWorkerService(wgrpc.WorkerServiceServicer):  # type: ignore[misc]
    def __init__(self, auth: Authenticator, router: Router, forward: Forwarder) -> None:
        self.auth = auth
        self.router = router
        self.forward = forward

    async def _principal(self, context: Context) -> Principal:
        return await self.auth.principal(context, "WorkerService")

    def _by_token(self, token: bytes) -> ShardStubs:
        return self.router.for_partition(decode(token).partition)

    async def RegisterWorker(
        self, request: wpb.RegisterWorkerRequest, context: Context
    ) -> wpb.RegisterWorkerResponse:
        principal = await self._principal(context)
        shard = self.router.all_shards()[0]
        return await self.forward(shard.workers.RegisterWorker, request, principal, context)

    async def PollWorkflowTasks(
        self, request: wpb.PollWorkflowTasksRequest, context: Context
    ) -> wpb.PollWorkflowTasksResponse:
        principal = await self._principal(context)
        shard = self.router.all_shards()[0]
        wait = v.check_wait(request, "wait", v.MAX_WAIT_SECONDS, v.MAX_WAIT_SECONDS)
        return await self.forward(
            shard.workers.PollWorkflowTasks,
            request,
            principal,
            context,
            timeout=wait + POLL_SLACK_SECONDS,
        )

    async def _by_task(self, method: str, request: Any, context: Context) -> Any:
        principal = await self._principal(context)
        shard = self._by_token(request.task_token)
        return await self.forward(getattr(shard.workers, method), request, principal, context)

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

    async def HeartbeatTasks(
        self, request: wpb.HeartbeatTasksRequest, context: Context
    ) -> wpb.HeartbeatTasksResponse:
        principal = await self._principal(context)
        lost: list[bytes] = []
        for shard, tokens in self._group(request.task_tokens).items():
            part = wpb.HeartbeatTasksRequest(worker_id=request.worker_id, task_tokens=tokens)
            resp = await self.forward(shard.workers.HeartbeatTasks, part, principal, context)
            lost.extend(resp.lost_task_tokens)
        return wpb.HeartbeatTasksResponse(lost_task_tokens=lost)

    async def ReleaseTasks(
        self, request: wpb.ReleaseTasksRequest, context: Context
    ) -> wpb.ReleaseTasksResponse:
        principal = await self._principal(context)
        for shard, tokens in self._group(request.task_tokens).items():
            part = wpb.ReleaseTasksRequest(worker_id=request.worker_id, task_tokens=tokens)
            await self.forward(shard.workers.ReleaseTasks, part, principal, context)
        return wpb.ReleaseTasksResponse()

    async def RecordBatch(
        self, request: wpb.RecordBatchRequest, context: Context
    ) -> wpb.RecordBatchResponse:
        principal = await self._principal(context)
        results: list[wpb.CommandResult | None] = [None] * len(request.commands)
        groups: dict[ShardStubs, list[int]] = {}
        for n, command in enumerate(request.commands):
            kind = command.WhichOneof("command")
            try:
                if kind is None:
                    raise InvalidArgument("command", "is empty")
                token = getattr(command, kind).task_token
                groups.setdefault(self._by_token(token), []).append(n)
            except StepwayError as exc:
                results[n] = command_error(exc)

        async def forward(shard: ShardStubs, positions: list[int]) -> None:
            part = wpb.RecordBatchRequest(commands=[request.commands[n] for n in positions])
            resp = await self.forward(shard.workers.RecordBatch, part, principal, context)
            for n, result in zip(positions, resp.results, strict=True):
                results[n] = result

        await asyncio.gather(*(forward(s, p) for s, p in groups.items()))
        return wpb.RecordBatchResponse(results=[r for r in results if r is not None])

    def _group(self, tokens: Any) -> dict[ShardStubs, list[bytes]]:
        groups: dict[ShardStubs, list[bytes]] = {}
        for token in tokens:
            groups.setdefault(self._by_token(token), []).append(token)
        return groups


class GatewayAdminService(agrpc.AdminServiceServicer):  # type: ignore[misc]
    def __init__(self, auth: Authenticator, router: Router, backend: str) -> None:
        self.auth = auth
        self.router = router
        self.backend = backend

    async def GetServerInfo(
        self, request: apb.GetServerInfoRequest, context: Context
    ) -> apb.GetServerInfoResponse:
        principal = await self.auth.principal(context, "AdminService")
        return apb.GetServerInfoResponse(
            version=__version__,
            partitions=self.router.partitions,
            backend=self.backend,
            account=principal.account_name,
        )


class GatewayServer:
    """A running gateway."""

    def __init__(self, server: grpc.aio.Server, router: Router, port: int) -> None:
        self.server = server
        self.router = router
        self.port = port

    async def stop(self, grace: float = 1.0) -> None:
        await self.server.stop(grace)
        await self.router.close()


async def start_gateway(config: GatewayConfig, db: sa.Engine, partitions: int) -> GatewayServer:
    """Serves the public API on config.listen (port 0 picks a free port)."""
    auth = Authenticator(db, config.key_cache_seconds)
    router = Router(config.shard_address, partitions)
    server = grpc.aio.server(interceptors=[ErrorInterceptor()], options=SERVER_OPTIONS)
    forward = Forwarder(config.cluster_secret)
    fgrpc.add_WorkflowServiceServicer_to_server(
        GatewayWorkflowService(auth, router, forward), server
    )
    wgrpc.add_WorkerServiceServicer_to_server(GatewayWorkerService(auth, router, forward), server)
    agrpc.add_AdminServiceServicer_to_server(
        GatewayAdminService(auth, router, backend_name(db)), server
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
    port = server.add_insecure_port(config.listen)
    if port == 0:
        raise OSError(f"cannot listen on {config.listen}")
    await server.start()
    await health_servicer.set("", health_pb2.HealthCheckResponse.SERVING)
    log.info("gateway listening on port %d", port)
    return GatewayServer(server, router, port)
