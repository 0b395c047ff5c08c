"""The gateway's WorkflowService: what clients call, forwarded to the owning shard server.

Each call's API key is resolved to an account (the account never comes from the request); a
call naming an instance goes to the owner of the instance's partition, a read of the whole
account to any shard server (all read the same database). The shard server checks the fields.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import nullcontext
from typing import Any

import grpc

from gateway.auth import Authenticator
from gateway.batches import create_instances, delete_instances
from gateway.builds import list_builds, move_build
from gateway.forwarding import Context, Forwarder, Method, workflow_method
from gateway.limits import GatewayLimits
from gateway.polls import POLL_SLACK_SECONDS
from gateway.routing import Router, ShardStubs
from shards import validation as v
from shards.caps import POLLS, WATCHES, OpenCalls
from shards.partitioning import partition_of
from stepway.v1 import workflow_service_pb2 as fpb
from stepway.v1 import workflow_service_pb2_grpc as fgrpc

# WorkflowService calls that are safe to send again after a shard did not answer.
IDEMPOTENT = frozenset({"CreateInstance", "GetInstance", "WaitInstance", "GetHistory"})


class GatewayWorkflowService(fgrpc.WorkflowServiceServicer):  # type: ignore[misc]
    """WorkflowService: each call authenticated, routed by instance key, and forwarded."""

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
        send = workflow_method(method)
        if method == "CreateInstance":
            self.limits.creations(principal.account_id, 1)
            send = _refunding(send, self.limits, principal.account_id)
        partition = partition_of(
            principal.account_id, request.workflow, request.instance_id, self.router.partitions
        )
        hold = self.open_calls.hold(principal.account_id, held) if held else nullcontext()
        with hold:
            return await self.forward.call(
                lambda: self.router.for_partition(partition),
                send,
                request,
                principal,
                context,
                timeout=timeout,
                idempotent=method in IDEMPOTENT,
            )

    async def _anywhere(self, method: str, request: Any, context: Context) -> Any:
        """Forwards a read of the whole account: every shard reads the same database."""
        principal = await self.auth.principal(context, "WorkflowService")
        return await self.forward.call(
            lambda: self.router.all_shards()[0],
            workflow_method(method),
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
        resp: fpb.SendEventResponse = await self._by_key("SendEvent", request, context)
        return resp

    async def CreateInstances(
        self, request: fpb.CreateInstancesRequest, context: Context
    ) -> fpb.CreateInstancesResponse:
        principal = await self.auth.principal(context, "WorkflowService")
        return await create_instances(self.forward, self.limits, principal, request, context)

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

    async def DeleteInstances(
        self, request: fpb.DeleteInstancesRequest, context: Context
    ) -> fpb.DeleteInstancesResponse:
        principal = await self.auth.principal(context, "WorkflowService")
        return await delete_instances(self.forward, principal, request, context)

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

    async def ListWorkflowBuilds(
        self, request: fpb.ListWorkflowBuildsRequest, context: Context
    ) -> fpb.ListWorkflowBuildsResponse:
        principal = await self.auth.principal(context, "WorkflowService")
        return await list_builds(self.forward, principal, request, context)

    async def MoveWorkflowBuild(
        self, request: fpb.MoveWorkflowBuildRequest, context: Context
    ) -> fpb.MoveWorkflowBuildResponse:
        principal = await self.auth.principal(context, "WorkflowService")
        return await move_build(self.forward, principal, request, context)


def _refunding(method: Method[Any], limits: GatewayLimits, account_id: str) -> Method[Any]:
    """A creation's method that gives the account's creation back (GatewayLimits.refund) when
    the shard refuses the request as bad input (INVALID_ARGUMENT)."""

    def on(shard: ShardStubs) -> Callable[..., Awaitable[Any]]:
        call = method(shard)

        async def create(request: Any, **options: Any) -> Any:
            try:
                return await call(request, **options)
            except grpc.aio.AioRpcError as err:
                if err.code() is grpc.StatusCode.INVALID_ARGUMENT:
                    limits.refund(account_id, 1)
                raise

        return create

    return on
