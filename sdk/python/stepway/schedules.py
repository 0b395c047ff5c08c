"""Schedules, as `client.schedules`: start a workflow on a cron expression in a time zone or at a
fixed interval, pause and resume it, fire it now, or backfill a past range (ScheduleService;
docs/schedules.md).

Each fire creates one instance of the schedule's workflow, whose id is
`<schedule_id>-<YYYYMMDDTHHMMSSZ>` (the scheduled time): a fire is neither lost nor doubled.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum, StrEnum
from typing import TYPE_CHECKING, Any, TypeVar

from stepway import _payload
from stepway.client import _STATUS_FROM_PB, InstanceStatus
from stepway.v1 import common_pb2 as cpb
from stepway.v1 import schedule_service_pb2 as spb
from stepway.v1 import schedule_service_pb2_grpc as sgrpc

if TYPE_CHECKING:
    from stepway.client import Client

T = TypeVar("T")


class Overlap(StrEnum):
    """What a fire does while the instance of an earlier fire is not finished."""

    # The fire creates nothing; it is counted as skipped.
    SKIP = "skip"
    # One fire waits for the running instance to finish; more while one waits are skipped.
    BUFFER_ONE = "buffer_one"
    # Every fire creates its instance, beside the earlier ones.
    ALLOW_ALL = "allow_all"
    # The earlier instance is terminated, then the fire creates its instance.
    TERMINATE_PREVIOUS = "terminate_previous"


_OVERLAP_TO_PB = {
    Overlap.SKIP: spb.OVERLAP_POLICY_SKIP,
    Overlap.BUFFER_ONE: spb.OVERLAP_POLICY_BUFFER_ONE,
    Overlap.ALLOW_ALL: spb.OVERLAP_POLICY_ALLOW_ALL,
    Overlap.TERMINATE_PREVIOUS: spb.OVERLAP_POLICY_TERMINATE_PREVIOUS,
}
_OVERLAP_FROM_PB = {pb: overlap for overlap, pb in _OVERLAP_TO_PB.items()}


def _overlap(value: Overlap | str | None) -> spb.OverlapPolicy:
    if value is None:
        return spb.OVERLAP_POLICY_UNSPECIFIED
    try:
        return _OVERLAP_TO_PB[Overlap(value)]
    except ValueError:
        names = ", ".join(o.value for o in Overlap)
        raise ValueError(f"overlap must be one of {names}, not {value!r}") from None


class _Keep(Enum):
    """The default of update()'s arguments: keep what the schedule has."""

    KEEP = "keep"


KEEP = _Keep.KEEP


@dataclass(frozen=True)
class ScheduleRun:
    """One instance a schedule created."""

    # The time the fire was due (the instance id's time).
    scheduled_at: datetime | None
    created_at: datetime | None
    instance_id: str
    # Its status when read; UNKNOWN once deleted.
    status: InstanceStatus
    # The instance's workflow: the schedule's when it fired (an update may change it since).
    workflow: str

    @classmethod
    def from_pb(cls, msg: spb.ScheduleRun) -> ScheduleRun:
        return cls(
            scheduled_at=_payload.to_datetime(msg.scheduled_at),
            created_at=_payload.to_datetime(msg.created_at),
            instance_id=msg.instance_id,
            status=_STATUS_FROM_PB.get(msg.status, InstanceStatus.UNKNOWN),
            workflow=msg.workflow,
        )


def _span(msg: Any, field: str) -> timedelta | None:
    if not msg.HasField(field):
        return None
    return timedelta(microseconds=getattr(msg, field).ToMicroseconds())


@dataclass(frozen=True)
class Schedule:
    """A schedule as stored, with its next fire times and what it did.

    Exactly one of cron (with time_zone) and every (with offset) is set."""

    id: str
    workflow: str
    cron: str | None
    # The IANA time zone cron is read in; None for an interval.
    time_zone: str | None
    every: timedelta | None
    offset: timedelta | None
    # No fire before start nor at or after end.
    start: datetime | None
    end: datetime | None
    jitter: timedelta | None
    params: Any
    # None: the workflow's registered queue.
    task_queue: str | None
    # None: the account's retention.
    retention: timedelta | None
    overlap: Overlap
    catchup_window: timedelta | None
    paused: bool
    # The note of the last pause or resume.
    note: str
    created_at: datetime | None
    updated_at: datetime | None
    # As many as asked by get(), one in a listing; empty when paused or past its end.
    next_fire_times: tuple[datetime, ...]
    # The newest first, at most 10; only from get().
    recent_runs: tuple[ScheduleRun, ...]
    # Fires that created an instance, that the overlap policy skipped, that came too late.
    fired: int
    skipped: int
    missed: int

    @classmethod
    def from_pb(cls, msg: spb.Schedule) -> Schedule:
        spec, action = msg.spec, msg.action
        cron = spec.cron if spec.HasField("cron") else None
        interval = spec.interval if spec.HasField("interval") else None
        return cls(
            id=msg.schedule_id,
            workflow=action.workflow,
            cron=cron.expression if cron is not None else None,
            time_zone=(cron.time_zone or "UTC") if cron is not None else None,
            every=_span(interval, "every") if interval is not None else None,
            offset=(_span(interval, "offset") or timedelta(0)) if interval is not None else None,
            start=_payload.to_datetime(spec.start_time),
            end=_payload.to_datetime(spec.end_time),
            jitter=_span(spec, "jitter"),
            params=_payload.loads_for_display(action.params.data),
            task_queue=action.task_queue or None,
            retention=_span(action, "retention"),
            overlap=_OVERLAP_FROM_PB.get(msg.policy.overlap, Overlap.SKIP),
            catchup_window=_span(msg.policy, "catchup_window"),
            paused=msg.paused,
            note=msg.note,
            created_at=_payload.to_datetime(msg.created_at),
            updated_at=_payload.to_datetime(msg.updated_at),
            next_fire_times=tuple(
                t for t in map(_payload.to_datetime, msg.next_fire_times) if t is not None
            ),
            recent_runs=tuple(ScheduleRun.from_pb(r) for r in msg.recent_runs),
            fired=msg.fired,
            skipped=msg.skipped,
            missed=msg.missed,
        )


@dataclass(frozen=True)
class SchedulePage:
    """One page of a listing, by schedule id; next_page_token is None on the last page."""

    schedules: list[Schedule]
    next_page_token: str | None


@dataclass(frozen=True)
class BackfillResult:
    """What a backfill did: instances created, fire times whose instance existed already, and
    fire times the overlap policy skipped."""

    created: int
    existing: int
    skipped: int


def _set_span(msg: Any, field: str, value: timedelta | float | None) -> None:
    if value is not None:
        seconds = value.total_seconds() if isinstance(value, timedelta) else float(value)
        getattr(msg, field).FromMicroseconds(round(seconds * 1_000_000))


def _set_time(msg: Any, field: str, when: datetime | None, name: str) -> None:
    if when is not None:
        if when.tzinfo is None:
            raise ValueError(f"{name} must be an aware datetime (with a timezone)")
        getattr(msg, field).FromMicroseconds(round(when.timestamp() * 1_000_000))


def _parts(
    *,
    workflow: str,
    cron: str | None,
    time_zone: str | None,
    every: timedelta | float | None,
    offset: timedelta | float | None,
    start: datetime | None,
    end: datetime | None,
    jitter: timedelta | float | None,
    params: Any,
    task_queue: str | None,
    retention: timedelta | float | None,
    overlap: Overlap | str | None,
    catchup_window: timedelta | float | None,
) -> tuple[spb.ScheduleSpec, spb.ScheduleAction, spb.SchedulePolicy]:
    """The spec, action and policy messages of a schedule's settings."""
    if (cron is None) == (every is None):
        raise ValueError("a schedule needs exactly one of cron=... and every=...")
    if cron is None and time_zone is not None:
        raise ValueError("time_zone applies to cron=...; an interval is read in UTC")
    if every is None and offset is not None:
        raise ValueError("offset applies to every=...")
    spec = spb.ScheduleSpec()
    if cron is not None:
        spec.cron.CopyFrom(spb.CronSpec(expression=cron, time_zone=time_zone or ""))
    else:
        spec.interval.SetInParent()
        _set_span(spec.interval, "every", every)
        _set_span(spec.interval, "offset", offset)
    _set_time(spec, "start_time", start, "start")
    _set_time(spec, "end_time", end, "end")
    _set_span(spec, "jitter", jitter)
    action = spb.ScheduleAction(
        workflow=workflow,
        params=cpb.Payload(data=_payload.dumps(params)),
        task_queue=task_queue or "",
    )
    _set_span(action, "retention", retention)
    policy = spb.SchedulePolicy(overlap=_overlap(overlap))
    _set_span(policy, "catchup_window", catchup_window)
    return spec, action, policy


def _kept(value: T | _Keep, current: T) -> T:
    return current if isinstance(value, _Keep) else value


class Schedules:
    """ScheduleService's calls, with the client's key; `stub` is the service's stub."""

    def __init__(self, client: Client, stub: sgrpc.ScheduleServiceStub) -> None:
        self._client = client
        self.stub = stub

    async def create(
        self,
        schedule_id: str,
        workflow: str,
        *,
        cron: str | None = None,
        time_zone: str | None = None,
        every: timedelta | float | None = None,
        offset: timedelta | float | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
        jitter: timedelta | float | None = None,
        params: Any = None,
        task_queue: str | None = None,
        retention: timedelta | float | None = None,
        overlap: Overlap | str = Overlap.SKIP,
        catchup_window: timedelta | float | None = None,
        paused: bool = False,
    ) -> Schedule:
        """Creates a schedule that starts workflow with params on cron (five or six fields, or
        @hourly, @daily...) read in time_zone (IANA, default UTC), or at every offset + k *
        every since the epoch (spans as timedeltas or seconds).

        start and end (aware datetimes) bound its fires; jitter delays each by a random time
        below it; overlap says what a fire does while an earlier instance runs; catchup_window
        (default 1 minute) how late a fire may still come after the server was away. task_queue
        and retention are as for `Client.create`. ScheduleExistsError when the id is taken."""
        spec, action, policy = _parts(
            workflow=workflow,
            cron=cron,
            time_zone=time_zone,
            every=every,
            offset=offset,
            start=start,
            end=end,
            jitter=jitter,
            params=params,
            task_queue=task_queue,
            retention=retention,
            overlap=overlap,
            catchup_window=catchup_window,
        )
        request = spb.CreateScheduleRequest(
            schedule_id=schedule_id, spec=spec, action=action, policy=policy, paused=paused
        )
        resp = await self._client.call(self.stub.CreateSchedule, request)
        return Schedule.from_pb(resp.schedule)

    async def get(self, schedule_id: str, next_fire_times: int = 10) -> Schedule:
        """The schedule with its next fire times (at most 100) and its recent runs.
        ScheduleNotFoundError when the account has none of that id."""
        resp = await self._client.call(
            self.stub.GetSchedule,
            spb.GetScheduleRequest(schedule_id=schedule_id, next_fire_times=next_fire_times),
        )
        return Schedule.from_pb(resp.schedule)

    async def list_page(self, page_size: int = 100, page_token: str | None = None) -> SchedulePage:
        """One page of the account's schedules by id, each with its next fire time."""
        resp = await self._client.call(
            self.stub.ListSchedules,
            spb.ListSchedulesRequest(page_size=page_size, page_token=page_token or ""),
        )
        return SchedulePage(
            [Schedule.from_pb(s) for s in resp.schedules], resp.next_page_token or None
        )

    async def list(self, page_size: int = 100) -> AsyncIterator[Schedule]:
        """Every schedule of the account by id, fetched a page at a time."""
        token: str | None = None
        while True:
            page = await self.list_page(page_size, token)
            for schedule in page.schedules:
                yield schedule
            if page.next_page_token is None:
                return
            token = page.next_page_token

    async def update(
        self,
        schedule_id: str,
        *,
        workflow: str | _Keep = KEEP,
        cron: str | _Keep | None = KEEP,
        time_zone: str | _Keep | None = KEEP,
        every: timedelta | float | _Keep | None = KEEP,
        offset: timedelta | float | _Keep | None = KEEP,
        start: datetime | _Keep | None = KEEP,
        end: datetime | _Keep | None = KEEP,
        jitter: timedelta | float | _Keep | None = KEEP,
        params: Any = KEEP,
        task_queue: str | _Keep | None = KEEP,
        retention: timedelta | float | _Keep | None = KEEP,
        overlap: Overlap | str | _Keep = KEEP,
        catchup_window: timedelta | float | _Keep | None = KEEP,
    ) -> Schedule:
        """Changes what is named and keeps the rest (None clears a setting): reads the
        schedule, then replaces its spec, action and policy. Giving cron drops the interval and
        every drops the cron. Fires already due keep their times; the next is computed anew."""
        now = await self.get(schedule_id, next_fire_times=1)
        if not isinstance(cron, _Keep) and cron is not None:
            every, offset = None, _kept(offset, None)
        elif not isinstance(every, _Keep) and every is not None:
            cron, time_zone = None, _kept(time_zone, None)
        spec, action, policy = _parts(
            workflow=_kept(workflow, now.workflow),
            cron=_kept(cron, now.cron),
            time_zone=_kept(time_zone, now.time_zone),
            every=_kept(every, now.every),
            offset=_kept(offset, now.offset),
            start=_kept(start, now.start),
            end=_kept(end, now.end),
            jitter=_kept(jitter, now.jitter),
            params=_kept(params, now.params),
            task_queue=_kept(task_queue, now.task_queue),
            retention=_kept(retention, now.retention),
            overlap=_kept(overlap, now.overlap),
            catchup_window=_kept(catchup_window, now.catchup_window),
        )
        request = spb.UpdateScheduleRequest(
            schedule_id=schedule_id, spec=spec, action=action, policy=policy
        )
        resp = await self._client.call(self.stub.UpdateSchedule, request)
        return Schedule.from_pb(resp.schedule)

    async def pause(self, schedule_id: str, note: str = "") -> Schedule:
        """Pauses the schedule: no fire until resumed, and none made up after."""
        resp = await self._client.call(
            self.stub.PauseSchedule, spb.PauseScheduleRequest(schedule_id=schedule_id, note=note)
        )
        return Schedule.from_pb(resp.schedule)

    async def resume(self, schedule_id: str, note: str = "") -> Schedule:
        """Resumes the schedule from now."""
        resp = await self._client.call(
            self.stub.ResumeSchedule, spb.ResumeScheduleRequest(schedule_id=schedule_id, note=note)
        )
        return Schedule.from_pb(resp.schedule)

    async def delete(self, schedule_id: str) -> None:
        """Deletes the schedule; the instances it created are kept."""
        await self._client.call(
            self.stub.DeleteSchedule, spb.DeleteScheduleRequest(schedule_id=schedule_id)
        )

    async def trigger(self, schedule_id: str, overlap: Overlap | str | None = None) -> str | None:
        """Fires the schedule now, once, even when paused, under overlap (default: the
        schedule's); the id of the instance created, or None when the policy skipped it."""
        resp = await self._client.call(
            self.stub.TriggerSchedule,
            spb.TriggerScheduleRequest(schedule_id=schedule_id, overlap=_overlap(overlap)),
        )
        return resp.instance_id or None

    async def backfill(
        self,
        schedule_id: str,
        start: datetime,
        end: datetime,
        overlap: Overlap | str | None = None,
    ) -> BackfillResult:
        """Fires the schedule for each time its spec gives in [start, end), as if on time
        (at most 10,000), under overlap (default allow_all); run twice, it creates nothing the
        second time."""
        request = spb.BackfillScheduleRequest(schedule_id=schedule_id, overlap=_overlap(overlap))
        _set_time(request, "start_time", start, "start")
        _set_time(request, "end_time", end, "end")
        resp = await self._client.call(self.stub.BackfillSchedule, request, timeout=120.0)
        return BackfillResult(resp.created, resp.existing, resp.skipped)
