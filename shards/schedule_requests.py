"""ScheduleService's messages read and checked into shards.core.schedules values, and those
values written back as messages. Every refusal names its field (`spec.interval.every`)."""

from __future__ import annotations

import base64
import binascii
import re

from shards import validation as v
from shards.clock import set_time
from shards.convert import STATUS_TO_PB
from shards.core import schedules as rules
from shards.core.model import Status
from shards.core.schedules import Action, Cron, Interval, Overlap, Policy, Schedule, Spec
from shards.errors import InvalidArgument
from shards.limits import MAX_SCHEDULE_ID_CHARS
from stepway.v1 import common_pb2 as cpb
from stepway.v1 import schedule_service_pb2 as spb

# A schedule id: 80 characters at most (shards.limits), so that its instances' ids fit in 100.
SCHEDULE_ID_PATTERN = re.compile(r"^[a-zA-Z0-9_][a-zA-Z0-9_-]{0,79}$")
# GetSchedule's next fire times, ListSchedules' page size: default and most.
DEFAULT_NEXT_FIRE_TIMES = 10
MAX_NEXT_FIRE_TIMES = 100
DEFAULT_SCHEDULE_PAGE = 100
MAX_SCHEDULE_PAGE = 1000

OVERLAP_FROM_PB = {
    spb.OVERLAP_POLICY_SKIP: Overlap.SKIP,
    spb.OVERLAP_POLICY_BUFFER_ONE: Overlap.BUFFER_ONE,
    spb.OVERLAP_POLICY_ALLOW_ALL: Overlap.ALLOW_ALL,
    spb.OVERLAP_POLICY_TERMINATE_PREVIOUS: Overlap.TERMINATE_PREVIOUS,
}
OVERLAP_TO_PB = {overlap: pb for pb, overlap in OVERLAP_FROM_PB.items()}


def check_schedule_id(value: str, field: str = "schedule_id") -> str:
    """A schedule id: ^[a-zA-Z0-9_][a-zA-Z0-9_-]{0,79}$."""
    return v.check_name(field, value, MAX_SCHEDULE_ID_CHARS, SCHEDULE_ID_PATTERN)


def check_overlap(value: int, field: str, default: Overlap | None) -> Overlap | None:
    """An OverlapPolicy: unspecified is default."""
    if value == spb.OVERLAP_POLICY_UNSPECIFIED:
        return default
    overlap = next((o for pb, o in OVERLAP_FROM_PB.items() if pb == value), None)
    if overlap is None:
        raise InvalidArgument(field, f"{value} is not an OverlapPolicy value")
    return overlap


def spec_from_pb(msg: spb.ScheduleSpec) -> Spec:
    """A ScheduleSpec's fields checked (the rules between them are shards.core's)."""
    trigger: Cron | Interval
    kind = msg.WhichOneof("trigger")
    if kind == "cron":
        if len(msg.cron.expression) > rules.MAX_EXPRESSION:
            raise InvalidArgument(
                "spec.cron.expression", f"is longer than {rules.MAX_EXPRESSION} characters"
            )
        trigger = Cron(msg.cron.expression, msg.cron.time_zone or "UTC")
    elif kind == "interval":
        every = v.check_duration(
            "spec.interval.every", msg.interval.every, rules.MAX_EVERY_US, rules.MIN_EVERY_US
        )
        offset = v.check_duration("spec.interval.offset", msg.interval.offset, v.MAX_DURATION_US)
        trigger = Interval(every, offset)
    else:
        raise InvalidArgument("spec.trigger", "must be cron or interval")
    start = (
        v.check_timestamp("spec.start_time", msg.start_time) if msg.HasField("start_time") else None
    )
    end = v.check_timestamp("spec.end_time", msg.end_time) if msg.HasField("end_time") else None
    jitter = (
        v.check_duration("spec.jitter", msg.jitter, rules.MAX_JITTER_US)
        if msg.HasField("jitter")
        else 0
    )
    return Spec(trigger, start, end, jitter)


def action_from_pb(msg: spb.ScheduleAction) -> Action:
    """A ScheduleAction's fields checked."""
    return Action(
        workflow=v.check_id("action.workflow", msg.workflow),
        params=v.check_payload("action.params", msg.params.data),
        task_queue=v.check_id("action.task_queue", msg.task_queue) if msg.task_queue else "",
        retention_us=v.check_retention(msg, "action.retention"),
    )


def policy_from_pb(msg: spb.SchedulePolicy) -> Policy:
    """A SchedulePolicy's fields checked: unset fields take their defaults."""
    overlap = check_overlap(msg.overlap, "policy.overlap", Overlap.SKIP)
    assert overlap is not None
    window = (
        v.check_duration(
            "policy.catchup_window",
            msg.catchup_window,
            rules.MAX_CATCHUP_US,
            rules.MIN_CATCHUP_US,
        )
        if msg.HasField("catchup_window")
        else rules.DEFAULT_CATCHUP_US
    )
    return Policy(overlap, window)


def encode_schedule_token(schedule_id: str) -> str:
    """An opaque cursor: the id of the last schedule of a page."""
    return base64.urlsafe_b64encode(schedule_id.encode()).decode().rstrip("=")


def decode_schedule_token(token: str) -> str:
    """The schedule id an encode_schedule_token cursor names ("" for none)."""
    if not token:
        return ""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        return check_schedule_id(raw)
    except (ValueError, binascii.Error, UnicodeDecodeError, InvalidArgument):
        raise InvalidArgument(
            "page_token", "is not a token this server gave out (pass next_page_token as is)"
        ) from None


def spec_to_pb(spec: Spec) -> spb.ScheduleSpec:
    msg = spb.ScheduleSpec()
    trigger = spec.trigger
    if isinstance(trigger, Cron):
        msg.cron.expression = trigger.expression
        msg.cron.time_zone = trigger.time_zone
    else:
        msg.interval.every.FromMicroseconds(trigger.every_us)
        msg.interval.offset.FromMicroseconds(trigger.offset_us)
    if spec.start_us is not None:
        set_time(msg.start_time, spec.start_us)
    if spec.end_us is not None:
        set_time(msg.end_time, spec.end_us)
    if spec.jitter_us:
        msg.jitter.FromMicroseconds(spec.jitter_us)
    return msg


def schedule_to_pb(
    s: Schedule,
    next_fires: list[int],
    statuses: dict[tuple[str, str], Status | None] | None = None,
) -> spb.Schedule:
    """A schedule as answered; with statuses (GetSchedule), its recent runs too."""
    msg = spb.Schedule(
        schedule_id=s.schedule_id,
        spec=spec_to_pb(s.spec),
        action=spb.ScheduleAction(
            workflow=s.action.workflow,
            params=cpb.Payload(data=s.action.params),
            task_queue=s.action.task_queue,
        ),
        policy=spb.SchedulePolicy(overlap=OVERLAP_TO_PB[s.policy.overlap]),
        paused=s.paused,
        note=s.note,
        fired=s.fired,
        skipped=s.skipped,
        missed=s.missed,
    )
    if s.action.retention_us is not None:
        msg.action.retention.FromMicroseconds(s.action.retention_us)
    msg.policy.catchup_window.FromMicroseconds(s.policy.catchup_window_us)
    set_time(msg.created_at, s.created_us)
    set_time(msg.updated_at, s.updated_us)
    for at in next_fires:
        set_time(msg.next_fire_times.add(), at)
    if statuses is not None:
        for run in s.recent_runs:
            status = statuses.get((run.workflow, run.instance_id))
            out = msg.recent_runs.add(
                instance_id=run.instance_id,
                workflow=run.workflow,
                status=cpb.INSTANCE_STATUS_UNSPECIFIED if status is None else STATUS_TO_PB[status],
            )
            set_time(out.scheduled_at, run.scheduled_us)
            set_time(out.created_at, run.created_us)
    return msg
