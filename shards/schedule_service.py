"""The shard server's ScheduleService: what clients call about schedules, as a gateway forwards
it (the account comes from the call's CallContext). Each handler checks its fields
(shards.schedule_requests), calls the engine's schedules (shards.engine.schedules) and converts
the answer."""

from __future__ import annotations

from typing import Any

import grpc

from shards import validation as v
from shards.call_context import FromGateway
from shards.core.schedules import Overlap
from shards.engine import ShardEngine
from shards.errors import InvalidArgument
from shards.schedule_requests import (
    DEFAULT_NEXT_FIRE_TIMES,
    DEFAULT_SCHEDULE_PAGE,
    MAX_NEXT_FIRE_TIMES,
    MAX_SCHEDULE_PAGE,
    action_from_pb,
    check_overlap,
    check_schedule_id,
    decode_schedule_token,
    encode_schedule_token,
    policy_from_pb,
    schedule_to_pb,
    spec_from_pb,
)
from stepway.v1 import schedule_service_pb2 as spb
from stepway.v1 import schedule_service_pb2_grpc as sgrpc

Context = grpc.aio.ServicerContext[Any, Any]


class ShardScheduleService(FromGateway, sgrpc.ScheduleServiceServicer):  # type: ignore[misc]
    """ScheduleService as a gateway forwards it."""

    def __init__(self, engine: ShardEngine) -> None:
        super().__init__(engine.config.cluster_secret)
        self.schedules = engine.schedules

    async def CreateSchedule(
        self, request: spb.CreateScheduleRequest, context: Context
    ) -> spb.CreateScheduleResponse:
        account = self.account(context)
        s = await self.schedules.create(
            account,
            check_schedule_id(request.schedule_id),
            spec_from_pb(request.spec),
            action_from_pb(request.action),
            policy_from_pb(request.policy),
            request.paused,
        )
        return spb.CreateScheduleResponse(schedule=schedule_to_pb(s, _next(s.next_us)))

    async def GetSchedule(
        self, request: spb.GetScheduleRequest, context: Context
    ) -> spb.GetScheduleResponse:
        account = self.account(context)
        count = request.next_fire_times
        if count < 0:
            raise InvalidArgument("next_fire_times", f"is {count}; it must not be negative")
        count = v.check_page_size(
            "next_fire_times", count, DEFAULT_NEXT_FIRE_TIMES, MAX_NEXT_FIRE_TIMES
        )
        view = await self.schedules.get(account, check_schedule_id(request.schedule_id), count)
        return spb.GetScheduleResponse(
            schedule=schedule_to_pb(view.schedule, view.next_fires, view.statuses)
        )

    async def ListSchedules(
        self, request: spb.ListSchedulesRequest, context: Context
    ) -> spb.ListSchedulesResponse:
        account = self.account(context)
        if request.page_size < 0:
            raise InvalidArgument("page_size", f"is {request.page_size}; it must not be negative")
        size = v.check_page_size(
            "page_size", request.page_size, DEFAULT_SCHEDULE_PAGE, MAX_SCHEDULE_PAGE
        )
        after = decode_schedule_token(request.page_token)
        found = await self.schedules.list_schedules(account, after, size + 1)
        response = spb.ListSchedulesResponse(
            schedules=[schedule_to_pb(s, nxt) for s, nxt in found[:size]]
        )
        if len(found) > size:
            response.next_page_token = encode_schedule_token(found[size - 1][0].schedule_id)
        return response

    async def UpdateSchedule(
        self, request: spb.UpdateScheduleRequest, context: Context
    ) -> spb.UpdateScheduleResponse:
        account = self.account(context)
        s = await self.schedules.update(
            account,
            check_schedule_id(request.schedule_id),
            spec_from_pb(request.spec),
            action_from_pb(request.action),
            policy_from_pb(request.policy),
        )
        return spb.UpdateScheduleResponse(schedule=schedule_to_pb(s, _next(s.next_us)))

    async def PauseSchedule(
        self, request: spb.PauseScheduleRequest, context: Context
    ) -> spb.PauseScheduleResponse:
        account = self.account(context)
        s = await self.schedules.pause(
            account, check_schedule_id(request.schedule_id), v.check_note("note", request.note)
        )
        return spb.PauseScheduleResponse(schedule=schedule_to_pb(s, _next(s.next_us)))

    async def ResumeSchedule(
        self, request: spb.ResumeScheduleRequest, context: Context
    ) -> spb.ResumeScheduleResponse:
        account = self.account(context)
        s = await self.schedules.resume(
            account, check_schedule_id(request.schedule_id), v.check_note("note", request.note)
        )
        return spb.ResumeScheduleResponse(schedule=schedule_to_pb(s, _next(s.next_us)))

    async def DeleteSchedule(
        self, request: spb.DeleteScheduleRequest, context: Context
    ) -> spb.DeleteScheduleResponse:
        account = self.account(context)
        await self.schedules.delete(account, check_schedule_id(request.schedule_id))
        return spb.DeleteScheduleResponse()

    async def TriggerSchedule(
        self, request: spb.TriggerScheduleRequest, context: Context
    ) -> spb.TriggerScheduleResponse:
        account = self.account(context)
        schedule_id = check_schedule_id(request.schedule_id)
        overlap = check_overlap(request.overlap, "overlap", None)
        instance_id = await self.schedules.trigger(account, schedule_id, overlap)
        return spb.TriggerScheduleResponse(instance_id=instance_id)

    async def BackfillSchedule(
        self, request: spb.BackfillScheduleRequest, context: Context
    ) -> spb.BackfillScheduleResponse:
        account = self.account(context)
        schedule_id = check_schedule_id(request.schedule_id)
        if not request.HasField("start_time"):
            raise InvalidArgument("start_time", "is required")
        if not request.HasField("end_time"):
            raise InvalidArgument("end_time", "is required")
        start = v.check_timestamp("start_time", request.start_time)
        end = v.check_timestamp("end_time", request.end_time)
        overlap = check_overlap(request.overlap, "overlap", Overlap.ALLOW_ALL)
        assert overlap is not None
        counts = await self.schedules.backfill(account, schedule_id, start, end, overlap)
        return spb.BackfillScheduleResponse(
            created=counts.created, existing=counts.existing, skipped=counts.skipped
        )


def _next(next_us: int | None) -> list[int]:
    return [] if next_us is None else [next_us]
