"""The gateway's ScheduleService: what clients call about schedules, forwarded to the shard
server that owns the schedule's partition (its key with an empty workflow,
shards.partitioning.schedule_partition). ListSchedules, a read of the whole account, goes to
any shard server: every one reads the same database. The shard server checks the fields."""

from __future__ import annotations

from typing import Any

from gateway.auth import Authenticator
from gateway.forwarding import Context, Forwarder, schedule_method
from gateway.routing import Router
from shards.partitioning import schedule_partition
from stepway.v1 import schedule_service_pb2 as spb
from stepway.v1 import schedule_service_pb2_grpc as sgrpc

# Calls that are safe to send again after a shard did not answer: reads, and writes whose
# second run changes nothing more (a backfill finds the instances it created).
IDEMPOTENT = frozenset(
    {"GetSchedule", "PauseSchedule", "ResumeSchedule", "BackfillSchedule", "ListSchedules"}
)
# A backfill creates up to 10,000 instances in one call.
BACKFILL_TIMEOUT_SECONDS = 300.0


class GatewayScheduleService(sgrpc.ScheduleServiceServicer):  # type: ignore[misc]
    """ScheduleService: each call authenticated, routed by schedule key, and forwarded."""

    def __init__(self, auth: Authenticator, router: Router, forward: Forwarder) -> None:
        self.auth = auth
        self.router = router
        self.forward = forward

    async def _by_key(
        self, method: str, request: Any, context: Context, timeout: float = 30.0
    ) -> Any:
        principal = await self.auth.principal(context, "ScheduleService")
        partition = schedule_partition(
            principal.account_id, request.schedule_id, self.router.partitions
        )
        return await self.forward.call(
            lambda: self.router.for_partition(partition),
            schedule_method(method),
            request,
            principal,
            context,
            timeout=timeout,
            idempotent=method in IDEMPOTENT,
        )

    async def CreateSchedule(
        self, request: spb.CreateScheduleRequest, context: Context
    ) -> spb.CreateScheduleResponse:
        resp: spb.CreateScheduleResponse = await self._by_key("CreateSchedule", request, context)
        return resp

    async def GetSchedule(
        self, request: spb.GetScheduleRequest, context: Context
    ) -> spb.GetScheduleResponse:
        resp: spb.GetScheduleResponse = await self._by_key("GetSchedule", request, context)
        return resp

    async def ListSchedules(
        self, request: spb.ListSchedulesRequest, context: Context
    ) -> spb.ListSchedulesResponse:
        principal = await self.auth.principal(context, "ScheduleService")
        resp: spb.ListSchedulesResponse = await self.forward.call(
            lambda: self.router.all_shards()[0],
            schedule_method("ListSchedules"),
            request,
            principal,
            context,
            idempotent=True,
        )
        return resp

    async def UpdateSchedule(
        self, request: spb.UpdateScheduleRequest, context: Context
    ) -> spb.UpdateScheduleResponse:
        resp: spb.UpdateScheduleResponse = await self._by_key("UpdateSchedule", request, context)
        return resp

    async def PauseSchedule(
        self, request: spb.PauseScheduleRequest, context: Context
    ) -> spb.PauseScheduleResponse:
        resp: spb.PauseScheduleResponse = await self._by_key("PauseSchedule", request, context)
        return resp

    async def ResumeSchedule(
        self, request: spb.ResumeScheduleRequest, context: Context
    ) -> spb.ResumeScheduleResponse:
        resp: spb.ResumeScheduleResponse = await self._by_key("ResumeSchedule", request, context)
        return resp

    async def DeleteSchedule(
        self, request: spb.DeleteScheduleRequest, context: Context
    ) -> spb.DeleteScheduleResponse:
        resp: spb.DeleteScheduleResponse = await self._by_key("DeleteSchedule", request, context)
        return resp

    async def TriggerSchedule(
        self, request: spb.TriggerScheduleRequest, context: Context
    ) -> spb.TriggerScheduleResponse:
        resp: spb.TriggerScheduleResponse = await self._by_key("TriggerSchedule", request, context)
        return resp

    async def BackfillSchedule(
        self, request: spb.BackfillScheduleRequest, context: Context
    ) -> spb.BackfillScheduleResponse:
        resp: spb.BackfillScheduleResponse = await self._by_key(
            "BackfillSchedule", request, context, timeout=BACKFILL_TIMEOUT_SECONDS
        )
        return resp
