"""The gateway's WorkerService: what workers call, forwarded to the shard servers.

Each call's API key is resolved to an account; a call carrying a task token goes to the owner of
the token's partition, a list of tokens a part per owner (gateway.forwarding), a poll to every
shard server (gateway.polls), a batch of writes split by owner (gateway.batches).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from gateway.auth import Authenticator
from gateway.batches import record_batch
from gateway.forwarding import Context, Forwarder, worker_method
from gateway.polls import Polls
from gateway.routing import Router, ShardStubs
from shards.accounts import Principal
from shards.caps import POLLS, OpenCalls
from shards.tokens import partition_of_token
from stepway.v1 import worker_service_pb2 as wpb
from stepway.v1 import worker_service_pb2_grpc as wgrpc


class GatewayWorkerService(wgrpc.WorkerServiceServicer):  # type: ignore[misc]
    """WorkerService: each call authenticated, routed by task token, and forwarded."""

    def __init__(
        self, auth: Authenticator, router: Router, forward: Forwarder, open_calls: OpenCalls
    ) -> None:
        self.auth = auth
        self.router = router
        self.forward = forward
        self.open_calls = open_calls
        self.polls = Polls(router, forward)

    async def _principal(self, context: Context) -> Principal:
        return await self.auth.principal(context, "WorkerService")

    async def RegisterWorker(
        self, request: wpb.RegisterWorkerRequest, context: Context
    ) -> wpb.RegisterWorkerResponse:
        """Registers with every shard, so that each knows the workflows' task queue."""
        principal = await self._principal(context)

        async def register(shard: ShardStubs) -> wpb.RegisterWorkerResponse:
            resp: wpb.RegisterWorkerResponse = await self.forward.call(
                lambda: shard,
                worker_method("RegisterWorker"),
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
        """Polls the shard servers (gateway.polls). An account holds at most
        shards.caps.MAX_POLLS_PER_ACCOUNT polls open on this gateway."""
        principal = await self._principal(context)
        with self.open_calls.hold(principal.account_id, POLLS):
            return await self.polls.poll(principal, method, request, context)

    async def _by_task(self, method: str, request: Any, context: Context) -> Any:
        principal = await self._principal(context)
        partition = partition_of_token(request.task_token, self.router.partitions)
        return await self.forward.call(
            lambda: self.router.for_partition(partition),
            worker_method(method),
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
        context: Context,
        send: Callable[[ShardStubs, list[bytes]], Awaitable[list[bytes]]],
    ) -> None:
        """Sends tokens to their partitions' owners, a part per owner at once, retrying moves."""
        await self.forward.spread(
            list(tokens),
            lambda token: self.router.for_partition(
                partition_of_token(token, self.router.partitions)
            ),
            send,
            context,
        )

    async def HeartbeatTasks(
        self, request: wpb.HeartbeatTasksRequest, context: Context
    ) -> wpb.HeartbeatTasksResponse:
        principal = await self._principal(context)
        lost: list[bytes] = []

        async def send(shard: ShardStubs, tokens: list[bytes]) -> list[bytes]:
            part = wpb.HeartbeatTasksRequest(worker_id=request.worker_id, task_tokens=tokens)
            resp = await shard.workers.HeartbeatTasks(
                part, metadata=self.forward.metadata(principal), timeout=30
            )
            lost.extend(resp.lost_task_tokens)
            return []

        await self._per_owner(request.task_tokens, context, send)
        return wpb.HeartbeatTasksResponse(lost_task_tokens=lost)

    async def ReleaseTasks(
        self, request: wpb.ReleaseTasksRequest, context: Context
    ) -> wpb.ReleaseTasksResponse:
        principal = await self._principal(context)

        async def send(shard: ShardStubs, tokens: list[bytes]) -> list[bytes]:
            part = wpb.ReleaseTasksRequest(worker_id=request.worker_id, task_tokens=tokens)
            await shard.workers.ReleaseTasks(
                part, metadata=self.forward.metadata(principal), timeout=30
            )
            return []

        await self._per_owner(request.task_tokens, context, send)
        return wpb.ReleaseTasksResponse()

    async def RecordBatch(
        self, request: wpb.RecordBatchRequest, context: Context
    ) -> wpb.RecordBatchResponse:
        principal = await self._principal(context)
        return await record_batch(self.forward, principal, request, context)
