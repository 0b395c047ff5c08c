"""The rules of schedules as pure functions: when a spec fires, the id and jitter of a fire,
what a due fire does under the overlap policy, catch-up and backfill.

Times are integer microseconds since the Unix epoch, UTC (shards.clock). A cron expression is
read in its time zone: it is iterated over naive wall-clock times and each wall time is turned
into UTC with zoneinfo, so a wall time that a daylight-saving change skips does not fire and
one that occurs twice fires once, at its first occurrence. Nothing here does I/O.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from croniter import croniter
from croniter.croniter import CroniterError

from shards.core.model import FINAL, Status
from shards.errors import InvalidArgument

SECOND_US = 1_000_000
HOUR_US = 3600 * SECOND_US
DAY_US = 24 * HOUR_US
# An interval's bounds, and the jitter's.
MIN_EVERY_US = SECOND_US
MAX_EVERY_US = 366 * DAY_US
MAX_JITTER_US = HOUR_US
# The catch-up window: unset, and its bounds.
DEFAULT_CATCHUP_US = 60 * SECOND_US
MIN_CATCHUP_US = SECOND_US
MAX_CATCHUP_US = 365 * DAY_US
# The most fire times one backfill enumerates, and the most recent runs a schedule keeps.
MAX_BACKFILL = 10_000
RECENT_RUNS = 10
MAX_EXPRESSION = 200
# How many fires the spec's jitter is checked against: it must be less than each gap.
JITTER_CHECK_FIRES = 64

# No fire after the last time a protobuf Timestamp holds (9999-12-31T23:59:59.999999Z).
LAST_US = 253_402_300_799_999_999
# An IANA zone name: letters, digits and "_+-/" (never a path out of the zone database).
_ZONE_NAME = re.compile(r"^[A-Za-z0-9_+-]+(/[A-Za-z0-9_+-]+)*$")

MACROS = frozenset({"@hourly", "@daily", "@weekly", "@monthly", "@yearly"})
# croniter's hashed (H) and random (R) fields are refused: a fire's time must be the same on
# every shard server and every try.
_HASHED_OR_RANDOM = re.compile(r"(?<![A-Za-z])[HR](?![A-Za-z])")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_ONE_US = timedelta(microseconds=1)


class Overlap(StrEnum):
    """What a fire does while the instance of an earlier fire runs."""

    SKIP = "skip"
    BUFFER_ONE = "bufferOne"
    ALLOW_ALL = "allowAll"
    TERMINATE_PREVIOUS = "terminatePrevious"


class Decision(StrEnum):
    """What a due fire does: create its instance, be skipped, wait in the buffer, or terminate
    the previous instance and then create its own."""

    CREATE = "create"
    SKIP = "skip"
    BUFFER = "buffer"
    TERMINATE_THEN_CREATE = "terminateThenCreate"


@dataclass(frozen=True)
class Cron:
    """A cron expression (5 fields, 6 with seconds first, or a macro) read in a time zone."""

    expression: str
    time_zone: str = "UTC"


@dataclass(frozen=True)
class Interval:
    """Fires at every offset_us + k * every_us since the epoch."""

    every_us: int
    offset_us: int = 0


@dataclass(frozen=True)
class Spec:
    """When a schedule fires: its trigger, no fire before start_us nor at or after end_us, and
    a jitter below jitter_us (0: none) added to each fire's due time."""

    trigger: Cron | Interval
    start_us: int | None = None
    end_us: int | None = None
    jitter_us: int = 0


@dataclass(frozen=True)
class Policy:
    """How a schedule fires: its overlap policy and catch-up window."""

    overlap: Overlap = Overlap.SKIP
    catchup_window_us: int = DEFAULT_CATCHUP_US


@dataclass(frozen=True)
class Action:
    """The instance each fire creates: its workflow, params (JSON bytes), task queue (empty:
    the workflow's) and retention (None: the account's)."""

    workflow: str
    params: bytes = b"null"
    task_queue: str = ""
    retention_us: int | None = None


@dataclass(frozen=True)
class Run:
    """One instance a schedule created: its scheduled time, creation time, id and workflow."""

    scheduled_us: int
    created_us: int
    instance_id: str
    workflow: str


@dataclass(frozen=True)
class Schedule:
    """A schedule as stored: what it is (spec, action, policy, pause) and what it did.

    next_us is the scheduled time of its next fire (None while paused or past the spec's end)
    and due_us when the timer next acts on it: next_us plus its jitter, or sooner the retry of
    the buffered fire. buffered_us is the scheduled time of the fire that waits for the
    previous instance to finish (buffer one).
    """

    account_id: str
    schedule_id: str
    partition: int
    spec: Spec
    action: Action
    policy: Policy
    created_us: int
    updated_us: int
    paused: bool = False
    note: str = ""
    next_us: int | None = None
    due_us: int | None = None
    # The workflow and id of the latest fire's instance, whose status the overlap policy reads.
    last_instance: tuple[str, str] | None = None
    buffered_us: int | None = None
    recent_runs: tuple[Run, ...] = ()
    fired: int = 0
    skipped: int = 0
    missed: int = 0


@dataclass(frozen=True)
class CatchUp:
    """The fires found older than the catch-up window (missed) and the next fire left."""

    missed: int
    next_us: int | None


# ------------------------------------------------------------------------------ time


def to_datetime(us: int) -> datetime:
    """Microseconds since the epoch as an aware UTC datetime."""
    return _EPOCH + timedelta(microseconds=us)


def to_us(dt: datetime) -> int:
    """An aware datetime as microseconds since the epoch."""
    return (dt - _EPOCH) // _ONE_US


def instance_id(schedule_id: str, scheduled_us: int) -> str:
    """The id of the instance a fire creates: `<schedule_id>-<YYYYMMDDTHHMMSSZ>`, the
    scheduled time in UTC to the second."""
    return f"{schedule_id}-{to_datetime(scheduled_us):%Y%m%dT%H%M%SZ}"


def jitter_of(schedule_id: str, scheduled_us: int, jitter_us: int) -> int:
    """The delay in [0, jitter_us) of a fire after its scheduled time: derived from the schedule
    and the scheduled time, so every try of a fire waits the same."""
    if jitter_us <= 0:
        return 0
    digest = hashlib.sha256(f"{schedule_id}\0{scheduled_us}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % jitter_us


# ------------------------------------------------------------------------------ checks


def _six_fields(expression: str) -> bool:
    return not expression.startswith("@") and len(expression.split()) == 6


def check_cron(cron: Cron, at: str = "spec.cron") -> None:
    """Raises InvalidArgument naming `<at>.expression` or `<at>.time_zone` when the cron
    expression or its zone is not one this module reads."""
    expression = cron.expression.strip()
    if not expression:
        raise InvalidArgument(f"{at}.expression", "is required")
    if len(cron.expression) > MAX_EXPRESSION:
        raise InvalidArgument(f"{at}.expression", f"at most {MAX_EXPRESSION} characters")
    if expression.startswith("@"):
        if expression not in MACROS:
            raise InvalidArgument(f"{at}.expression", f"macro must be one of {sorted(MACROS)}")
    else:
        fields = expression.split()
        if len(fields) not in (5, 6):
            raise InvalidArgument(f"{at}.expression", "must have 5 fields, or 6 with seconds")
        if any(_HASHED_OR_RANDOM.search(f) for f in fields):
            raise InvalidArgument(f"{at}.expression", "hashed (H) and random (R) are not allowed")
        if not croniter.is_valid(expression, second_at_beginning=_six_fields(expression)):
            raise InvalidArgument(f"{at}.expression", "is not a valid cron expression")
    if not _ZONE_NAME.fullmatch(cron.time_zone):
        raise InvalidArgument(f"{at}.time_zone", "is not a known IANA time zone")
    try:
        ZoneInfo(cron.time_zone)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
        raise InvalidArgument(f"{at}.time_zone", "is not a known IANA time zone") from exc


def check_spec(spec: Spec, now_us: int) -> None:
    """Raises InvalidArgument naming the field of a spec that breaks a rule: the trigger's,
    start and end, and a jitter of at most 1 hour below the time between two fires (checked on
    the fires after now_us)."""
    trigger = spec.trigger
    if isinstance(trigger, Cron):
        check_cron(trigger)
    else:
        if not MIN_EVERY_US <= trigger.every_us <= MAX_EVERY_US:
            raise InvalidArgument("spec.interval.every", "must be from 1 second to 366 days")
        if not 0 <= trigger.offset_us < trigger.every_us:
            raise InvalidArgument("spec.interval.offset", "must be at least 0 and below every")
    if spec.start_us is not None and spec.end_us is not None and spec.end_us <= spec.start_us:
        raise InvalidArgument("spec.end_time", "must be after start_time")
    if not 0 <= spec.jitter_us <= MAX_JITTER_US:
        raise InvalidArgument("spec.jitter", "must be from 0 to 1 hour")
    if isinstance(trigger, Cron):
        try:
            # The gap between fires matters only to a jitter: without one, one fire shows that
            # the expression fires at all.
            count = JITTER_CHECK_FIRES + 1 if spec.jitter_us else 1
            times = next_fires(Spec(trigger), now_us, count)
        except CroniterError as exc:
            raise InvalidArgument("spec.cron.expression", "never fires") from exc
        if not times:
            raise InvalidArgument("spec.cron.expression", "never fires")
        gap = min((b - a for a, b in itertools.pairwise(times)), default=None)
    else:
        gap = trigger.every_us
    if spec.jitter_us and gap is not None and spec.jitter_us >= gap:
        raise InvalidArgument("spec.jitter", "must be less than the time between two fires")


def check_policy(policy: Policy) -> None:
    """Raises InvalidArgument when the catch-up window is outside 1 second to 365 days."""
    if not MIN_CATCHUP_US <= policy.catchup_window_us <= MAX_CATCHUP_US:
        raise InvalidArgument("policy.catchup_window", "must be from 1 second to 365 days")


# ------------------------------------------------------------------------------ fire times


def _cron_next(cron: Cron, after_us: int) -> int | None:
    """The first time after after_us that the cron expression gives in its zone; None when it
    gives none within croniter's search (about 50 years) or before the end of year 9999."""
    zone = ZoneInfo(cron.time_zone)
    expression = cron.expression.strip()
    try:
        wall = to_datetime(after_us).astimezone(zone).replace(tzinfo=None, microsecond=0)
        walls = croniter(expression, wall, second_at_beginning=_six_fields(expression))
        while True:
            candidate: datetime = walls.get_next(datetime)
            at = candidate.replace(tzinfo=zone, fold=0)
            if at.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != candidate:
                continue  # skipped by a daylight-saving change: it does not exist
            us = to_us(at)
            if us > after_us:
                return us
    except (CroniterError, OverflowError, ValueError):
        return None


def _interval_next(interval: Interval, after_us: int) -> int:
    k = (after_us - interval.offset_us) // interval.every_us + 1
    return interval.offset_us + k * interval.every_us


def next_fire(spec: Spec, after_us: int) -> int | None:
    """The first scheduled time of spec strictly after after_us, at or after its start and
    before its end; None when there is none."""
    if spec.start_us is not None:
        after_us = max(after_us, spec.start_us - 1)
    trigger = spec.trigger
    us = (
        _cron_next(trigger, after_us)
        if isinstance(trigger, Cron)
        else _interval_next(trigger, after_us)
    )
    if us is None or us > LAST_US or (spec.end_us is not None and us >= spec.end_us):
        return None
    return us


def next_fires(spec: Spec, after_us: int, count: int) -> list[int]:
    """The next count scheduled times of spec after after_us (fewer when it ends)."""
    times: list[int] = []
    at = next_fire(spec, after_us)
    while at is not None and len(times) < count:
        times.append(at)
        at = next_fire(spec, at)
    return times


def backfill_times(spec: Spec, start_us: int, end_us: int) -> list[int]:
    """Every scheduled time of spec in [start_us, end_us) (and within the spec's own start and
    end), in order. Raises InvalidArgument past MAX_BACKFILL times."""
    if end_us <= start_us:
        raise InvalidArgument("end_time", "must be after start_time")
    times: list[int] = []
    at = next_fire(spec, start_us - 1)
    while at is not None and at < end_us:
        if len(times) == MAX_BACKFILL:
            raise InvalidArgument("end_time", f"the range gives more than {MAX_BACKFILL} fires")
        times.append(at)
        at = next_fire(spec, at)
    return times


# ------------------------------------------------------------------------------ firing


def due_at(schedule_id: str, spec: Spec, scheduled_us: int) -> int:
    """When the fire scheduled at scheduled_us is due: its time plus its jitter."""
    return scheduled_us + jitter_of(schedule_id, scheduled_us, spec.jitter_us)


def catch_up(spec: Spec, next_us: int | None, now_us: int, window_us: int, limit: int) -> CatchUp:
    """Skips the fires, from next_us on, whose scheduled time is older than the catch-up window
    at now_us: they are missed. Walks at most limit of them (an interval's are counted at
    once); when more are left, the answer's next_us is still old and the next call goes on."""
    oldest = now_us - window_us
    if next_us is None or next_us >= oldest:
        return CatchUp(0, next_us)
    trigger = spec.trigger
    if isinstance(trigger, Interval):
        # The fires in [next_us, oldest), bounded by the spec's end.
        stop = oldest if spec.end_us is None else min(oldest, spec.end_us)
        missed = max(0, -((next_us - stop) // trigger.every_us))
        after = next_us + (missed - 1) * trigger.every_us if missed else next_us - 1
        return CatchUp(missed, next_fire(spec, after))
    missed = 0
    at: int | None = next_us
    while at is not None and at < oldest and missed < limit:
        missed += 1
        at = next_fire(spec, at)
    return CatchUp(missed, at)


def decide(overlap: Overlap, previous: Status | None, buffered: bool) -> Decision:
    """What a due fire does, given the status of the instance of the schedule's previous fire
    (None: none, or deleted) and whether a fire waits in the buffer already."""
    if previous is None or previous in FINAL or overlap is Overlap.ALLOW_ALL:
        return Decision.CREATE
    if overlap is Overlap.TERMINATE_PREVIOUS:
        return Decision.TERMINATE_THEN_CREATE
    if overlap is Overlap.BUFFER_ONE and not buffered:
        return Decision.BUFFER
    return Decision.SKIP


def record_run(runs: tuple[Run, ...], run: Run) -> tuple[Run, ...]:
    """The recent runs with run added: newest first, at most RECENT_RUNS."""
    same = (run.workflow, run.instance_id)
    return (run, *(r for r in runs if (r.workflow, r.instance_id) != same))[:RECENT_RUNS]


# ------------------------------------------------------------------------------ a schedule's life

# A buffered fire is tried again this often until the previous instance ends.
BUFFER_RETRY_US = SECOND_US
# The most missed fires a tick walks (a cron expression's; an interval's are counted at once).
CATCH_UP_STEPS = 10_000


@dataclass(frozen=True)
class Tick:
    """What the timer does to a due schedule: the schedule advanced, and the fire to create
    (its scheduled time) after terminating `terminate` (the previous instance) if set.
    outcome says what happened, for the metrics: created (a fire to create), skipped, missed,
    buffered, waiting (a buffered fire still waits) or idle."""

    schedule: Schedule
    fire_us: int | None = None
    terminate: tuple[str, str] | None = None
    outcome: str = "idle"


def with_due(s: Schedule, now_us: int) -> Schedule:
    """The schedule with its due time: its next fire's plus jitter, or sooner the retry of its
    buffered fire; None while paused or with nothing left to fire."""
    if s.paused:
        return replace(s, due_us=None)
    dues = []
    if s.next_us is not None:
        dues.append(due_at(s.schedule_id, s.spec, s.next_us))
    if s.buffered_us is not None:
        dues.append(now_us + BUFFER_RETRY_US)
    return replace(s, due_us=min(dues) if dues else None)


def tick(s: Schedule, now_us: int, previous: Status | None) -> Tick:
    """One step of a due schedule at now_us, given the status of its latest instance (None:
    none, or deleted): the buffered fire once that instance ended; else the fires older than
    the catch-up window counted as missed; else the next fire, under the overlap policy."""
    ended = previous is None or previous in FINAL
    if s.buffered_us is not None and ended:
        fire = s.buffered_us
        return Tick(with_due(replace(s, buffered_us=None), now_us), fire, None, "created")
    if s.paused or s.next_us is None or due_at(s.schedule_id, s.spec, s.next_us) > now_us:
        return Tick(with_due(s, now_us), outcome="waiting" if s.buffered_us else "idle")
    late = catch_up(s.spec, s.next_us, now_us, s.policy.catchup_window_us, CATCH_UP_STEPS)
    if late.missed:
        caught = replace(s, next_us=late.next_us, missed=s.missed + late.missed)
        return Tick(with_due(caught, now_us), outcome="missed")
    fire = s.next_us
    advanced = replace(s, next_us=next_fire(s.spec, fire))
    decision = decide(s.policy.overlap, previous, s.buffered_us is not None)
    return _decided(advanced, now_us, fire, decision)


def trigger(s: Schedule, now_us: int, previous: Status | None, overlap: Overlap | None) -> Tick:
    """A fire now, outside the spec, under overlap (None: the schedule's policy)."""
    decision = decide(overlap or s.policy.overlap, previous, s.buffered_us is not None)
    return _decided(s, now_us, now_us, decision)


def _decided(s: Schedule, now_us: int, fire: int, decision: Decision) -> Tick:
    if decision is Decision.SKIP:
        return Tick(with_due(replace(s, skipped=s.skipped + 1), now_us), outcome="skipped")
    if decision is Decision.BUFFER:
        return Tick(with_due(replace(s, buffered_us=fire), now_us), outcome="buffered")
    terminate = s.last_instance if decision is Decision.TERMINATE_THEN_CREATE else None
    return Tick(with_due(s, now_us), fire, terminate, "created")


def fired(s: Schedule, scheduled_us: int, created_us: int) -> Schedule:
    """The schedule after a fire's instance was created, or found existing (a fire tried again
    after a crash finds the instance its first try created): its latest instance, the fired
    count and the recent runs."""
    iid = instance_id(s.schedule_id, scheduled_us)
    last = (s.action.workflow, iid)
    run = Run(scheduled_us, created_us, iid, s.action.workflow)
    return replace(
        s, last_instance=last, fired=s.fired + 1, recent_runs=record_run(s.recent_runs, run)
    )


def paused(s: Schedule, note: str, now_us: int) -> Schedule:
    """Paused: no fire until resumed (a paused schedule changes only its note)."""
    if s.paused:
        return replace(s, note=note, updated_us=now_us)
    return with_due(replace(s, paused=True, note=note, next_us=None, updated_us=now_us), now_us)


def resumed(s: Schedule, note: str, now_us: int) -> Schedule:
    """Resumed from now: the fires whose time passed while paused are not made up."""
    if not s.paused:
        return s
    again = replace(s, paused=False, note=note, updated_us=now_us)
    return with_due(replace(again, next_us=next_fire(s.spec, now_us)), now_us)


def updated(s: Schedule, spec: Spec, action: Action, policy: Policy, now_us: int) -> Schedule:
    """The schedule with a new spec, action and policy: its next fire computed from the new
    spec (none while paused)."""
    new = replace(s, spec=spec, action=action, policy=policy, updated_us=now_us)
    return with_due(replace(new, next_us=None if s.paused else next_fire(spec, now_us)), now_us)
