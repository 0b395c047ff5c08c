"""The rules of schedules: fire times of cron (across daylight-saving changes) and interval
specs, start and end, jitter, instance ids, the overlap decision, catch-up and backfill."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shards.core import schedules as sch
from shards.core.model import FINAL, Status
from shards.errors import InvalidArgument

S = sch.SECOND_US


def at(text: str, zone: str = "UTC") -> int:
    """An ISO wall time in a zone (its first occurrence) as microseconds."""
    return sch.to_us(datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone)))


def utc(us: int) -> str:
    return sch.to_datetime(us).strftime("%Y-%m-%dT%H:%M:%SZ")


def cron(expression: str, zone: str = "UTC", **kw: int | None) -> sch.Spec:
    return sch.Spec(sch.Cron(expression, zone), **kw)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------ cron


def test_a_daily_cron_fires_at_its_wall_time_in_its_zone() -> None:
    spec = cron("30 9 * * *", "Europe/Paris")
    times = sch.next_fires(spec, at("2026-01-10T12:00:00"), 3)
    assert [utc(t) for t in times] == [
        "2026-01-11T08:30:00Z",
        "2026-01-12T08:30:00Z",
        "2026-01-13T08:30:00Z",
    ]


def test_a_six_field_cron_reads_seconds_first() -> None:
    spec = cron("*/15 * * * * *")
    times = sch.next_fires(spec, at("2026-01-01T00:00:00"), 3)
    assert [utc(t) for t in times] == [
        "2026-01-01T00:00:15Z",
        "2026-01-01T00:00:30Z",
        "2026-01-01T00:00:45Z",
    ]


def test_spring_forward_a_wall_time_that_does_not_exist_does_not_fire() -> None:
    # Paris, 2026-03-29: 02:00 CET becomes 03:00 CEST; 02:30 does not exist that day.
    spec = cron("30 2 * * *", "Europe/Paris")
    times = sch.next_fires(spec, at("2026-03-27T12:00:00", "Europe/Paris"), 3)
    assert [utc(t) for t in times] == [
        "2026-03-28T01:30:00Z",  # 02:30 CET
        "2026-03-30T00:30:00Z",  # 02:30 CEST; none on the 29th
        "2026-03-31T00:30:00Z",
    ]


def test_fall_back_a_wall_time_that_occurs_twice_fires_once_at_its_first_occurrence() -> None:
    # New York, 2026-11-01: 02:00 EDT becomes 01:00 EST; 01:00-01:59 occurs twice.
    spec = cron("30 1 * * *", "America/New_York")
    times = sch.next_fires(spec, at("2026-10-30T12:00:00", "America/New_York"), 3)
    assert [utc(t) for t in times] == [
        "2026-10-31T05:30:00Z",  # 01:30 EDT
        "2026-11-01T05:30:00Z",  # 01:30 EDT, the first occurrence; not 06:30Z (EST)
        "2026-11-02T06:30:00Z",  # 01:30 EST
    ]


def test_fall_back_every_minute_is_silent_during_the_repeated_hour() -> None:
    spec = cron("*/20 * * * *", "America/New_York")
    start = at("2026-11-01T00:50:00", "America/New_York")
    times = sch.next_fires(spec, start, 6)
    assert [utc(t) for t in times] == [
        "2026-11-01T05:00:00Z",  # 01:00 EDT
        "2026-11-01T05:20:00Z",
        "2026-11-01T05:40:00Z",
        "2026-11-01T07:00:00Z",  # 02:00 EST: 01:xx EST repeats walls already fired
        "2026-11-01T07:20:00Z",
        "2026-11-01T07:40:00Z",
    ]


def test_fire_times_strictly_increase_across_a_year_in_a_zone_with_dst() -> None:
    spec = cron("0 * * * *", "Europe/Paris")
    times = sch.next_fires(spec, at("2026-01-01T00:00:00"), 24 * 366)
    assert all(a < b for a, b in itertools.pairwise(times))

    def fires_on(day: str, next_day: str) -> int:
        start, end = at(day, "Europe/Paris"), at(next_day, "Europe/Paris")
        return sum(start <= t < end for t in times)

    # Spring forward skips 02:00; at fall back 02:00 occurs twice and fires once.
    assert fires_on("2026-03-29T00:00:00", "2026-03-30T00:00:00") == 23
    assert fires_on("2026-10-25T00:00:00", "2026-10-26T00:00:00") == 24
    assert fires_on("2026-06-01T00:00:00", "2026-06-02T00:00:00") == 24


@pytest.mark.parametrize(
    ("expression", "zone", "field"),
    [
        ("", "UTC", "spec.cron.expression"),
        ("* * *", "UTC", "spec.cron.expression"),
        ("0 0 0 * * * 2026", "UTC", "spec.cron.expression"),
        ("61 * * * *", "UTC", "spec.cron.expression"),
        ("H * * * *", "UTC", "spec.cron.expression"),
        ("R * * * *", "UTC", "spec.cron.expression"),
        ("@reboot", "UTC", "spec.cron.expression"),
        ("0 0 30 2 *", "UTC", "spec.cron.expression"),
        ("x" * 201, "UTC", "spec.cron.expression"),
        ("0 * * * *", "Mars/Olympus", "spec.cron.time_zone"),
        ("0 * * * *", "../etc/passwd", "spec.cron.time_zone"),
    ],
)
def test_a_bad_cron_is_refused_naming_its_field(expression: str, zone: str, field: str) -> None:
    with pytest.raises(InvalidArgument) as err:
        sch.check_spec(cron(expression, zone), at("2026-01-01T00:00:00"))
    assert err.value.field == field


def test_names_and_macros_are_accepted() -> None:
    for expression in ("0 9 * JAN-MAR MON,THU", "@hourly", "@daily", "@weekly", "@monthly"):
        sch.check_spec(cron(expression), at("2026-01-01T00:00:00"))


# ------------------------------------------------------------------------------ interval


@given(
    every=st.integers(1, 3600).map(lambda s: s * S),
    offset_frac=st.floats(0, 0.999),
    after=st.integers(-(10**15), 10**15),
)
def test_an_interval_fires_at_offset_plus_a_multiple_of_every_right_after(
    every: int, offset_frac: float, after: int
) -> None:
    offset = int(every * offset_frac)
    spec = sch.Spec(sch.Interval(every, offset))
    nxt = sch.next_fire(spec, after)
    assert nxt is not None
    assert (nxt - offset) % every == 0
    assert after < nxt <= after + every


@given(
    start=st.integers(0, 100 * S), length=st.integers(1, 100 * S), after=st.integers(-S, 300 * S)
)
def test_fires_stay_within_start_and_end(start: int, length: int, after: int) -> None:
    spec = sch.Spec(sch.Interval(S), start_us=start, end_us=start + length)
    for t in sch.next_fires(spec, after, 200):
        assert start <= t < start + length
        assert t > after


@pytest.mark.parametrize(
    ("spec", "field"),
    [
        (sch.Spec(sch.Interval(S - 1)), "spec.interval.every"),
        (sch.Spec(sch.Interval(367 * sch.DAY_US)), "spec.interval.every"),
        (sch.Spec(sch.Interval(10 * S, 10 * S)), "spec.interval.offset"),
        (sch.Spec(sch.Interval(10 * S, -1)), "spec.interval.offset"),
        (sch.Spec(sch.Interval(10 * S), start_us=5, end_us=5), "spec.end_time"),
        (sch.Spec(sch.Interval(10 * S), jitter_us=10 * S), "spec.jitter"),
        (sch.Spec(sch.Interval(2 * sch.HOUR_US), jitter_us=sch.HOUR_US + 1), "spec.jitter"),
        (sch.Spec(sch.Interval(10 * S), jitter_us=-1), "spec.jitter"),
        (cron("*/5 * * * * *", jitter_us=5 * S), "spec.jitter"),
    ],
)
def test_a_bad_spec_is_refused_naming_its_field(spec: sch.Spec, field: str) -> None:
    with pytest.raises(InvalidArgument) as err:
        sch.check_spec(spec, 0)
    assert err.value.field == field


def test_a_catchup_window_outside_its_range_is_refused() -> None:
    for window in (S - 1, 365 * sch.DAY_US + 1):
        with pytest.raises(InvalidArgument) as err:
            sch.check_policy(sch.Policy(catchup_window_us=window))
        assert err.value.field == "policy.catchup_window"


# ------------------------------------------------------------------------------ ids, jitter


def test_the_instance_id_is_the_schedule_and_the_scheduled_second_in_utc() -> None:
    assert sch.instance_id("nightly", at("2026-03-29T01:30:00.250000")) == (
        "nightly-20260329T013000Z"
    )
    assert len(sch.instance_id("s" * 80, 0)) <= 100


@given(
    schedule=st.text(min_size=1, max_size=20), t=st.integers(0, 10**16), j=st.integers(1, 10**10)
)
def test_jitter_is_below_the_bound_and_the_same_on_every_try(schedule: str, t: int, j: int) -> None:
    first = sch.jitter_of(schedule, t, j)
    assert 0 <= first < j
    assert sch.jitter_of(schedule, t, j) == first
    assert sch.jitter_of(schedule, t, 0) == 0


# ------------------------------------------------------------------------------ overlap


@given(
    overlap=st.sampled_from(list(sch.Overlap)),
    previous=st.none() | st.sampled_from(list(Status)),
    buffered=st.booleans(),
)
def test_the_overlap_decision(
    overlap: sch.Overlap, previous: Status | None, buffered: bool
) -> None:
    decision = sch.decide(overlap, previous, buffered)
    if previous is None or previous in FINAL or overlap is sch.Overlap.ALLOW_ALL:
        assert decision is sch.Decision.CREATE
    elif overlap is sch.Overlap.SKIP:
        assert decision is sch.Decision.SKIP
    elif overlap is sch.Overlap.BUFFER_ONE:
        assert decision is (sch.Decision.SKIP if buffered else sch.Decision.BUFFER)
    else:
        assert decision is sch.Decision.TERMINATE_THEN_CREATE


# ------------------------------------------------------------------------------ catch-up


@given(
    every=st.integers(1, 120).map(lambda s: s * S),
    away=st.integers(0, 10_000 * S),
    window=st.integers(1, 600).map(lambda s: s * S),
    end=st.none() | st.integers(0, 20_000 * S),
)
def test_catch_up_misses_exactly_the_fires_older_than_the_window(
    every: int, away: int, window: int, end: int | None
) -> None:
    spec = sch.Spec(sch.Interval(every), end_us=end)
    result = sch.catch_up(spec, sch.next_fire(spec, -1), away, window, limit=1)
    expected = [t for t in sch.next_fires(spec, -1, 20_001) if t < away - window]
    assert result.missed == len(expected)
    assert result.next_us == sch.next_fire(spec, expected[-1] if expected else -1)


@settings(deadline=None, max_examples=25)
@given(
    away=st.integers(0, 600 * S),
    window=st.integers(1, 60).map(lambda s: s * S),
    end=st.none() | st.integers(0, 1200 * S),
)
def test_a_cron_catch_up_walks_a_bounded_step_at_a_time_and_counts_as_an_interval(
    away: int, window: int, end: int | None
) -> None:
    every_second = cron("* * * * * *", end_us=end)
    missed, nxt = 0, sch.next_fire(every_second, -1)
    while True:
        step = sch.catch_up(every_second, nxt, away, window, limit=50)
        assert step.missed <= 50
        missed, nxt = missed + step.missed, step.next_us
        if step.missed == 0:
            break
    interval = sch.Spec(sch.Interval(S), end_us=end)
    assert sch.catch_up(interval, sch.next_fire(interval, -1), away, window, 1) == sch.CatchUp(
        missed, nxt
    )


def test_catch_up_leaves_fires_within_the_window() -> None:
    spec = sch.Spec(sch.Interval(S))
    assert sch.catch_up(spec, 10 * S, 20 * S, 10 * S, 100) == sch.CatchUp(0, 10 * S)
    assert sch.catch_up(spec, 9 * S, 20 * S, 10 * S, 100) == sch.CatchUp(1, 10 * S)


# ------------------------------------------------------------------------------ backfill


def test_a_backfill_enumerates_the_fires_of_the_range_end_excluded() -> None:
    spec = cron("0 * * * *")
    times = sch.backfill_times(spec, at("2026-01-01T00:00:00"), at("2026-01-01T03:00:00"))
    assert [utc(t) for t in times] == [
        "2026-01-01T00:00:00Z",
        "2026-01-01T01:00:00Z",
        "2026-01-01T02:00:00Z",
    ]


def test_a_backfill_of_more_than_10000_fires_is_refused() -> None:
    spec = sch.Spec(sch.Interval(S))
    assert len(sch.backfill_times(spec, 0, 10_000 * S)) == 10_000
    with pytest.raises(InvalidArgument) as err:
        sch.backfill_times(spec, 0, 10_001 * S)
    assert err.value.field == "end_time"


def test_recent_runs_keep_the_ten_newest_first() -> None:
    runs: tuple[sch.Run, ...] = ()
    for n in range(15):
        runs = sch.record_run(runs, sch.Run(n, n, f"s-{n}", "wf"))
    assert [r.scheduled_us for r in runs] == list(range(14, 4, -1))


# ------------------------------------------------------------------------------ a schedule's life


def sched(overlap: sch.Overlap = sch.Overlap.SKIP, **kw: object) -> sch.Schedule:
    base = sch.Schedule(
        account_id="a",
        schedule_id="s",
        partition=0,
        spec=sch.Spec(sch.Interval(10 * S)),
        action=sch.Action("wf"),
        policy=sch.Policy(overlap, 60 * S),
        created_us=0,
        updated_us=0,
        next_us=10 * S,
        due_us=10 * S,
    )
    return replace(base, **kw)  # type: ignore[arg-type]


def test_a_due_fire_creates_and_moves_on_to_the_next() -> None:
    t = sch.tick(sched(), 10 * S, None)
    assert (t.fire_us, t.outcome, t.terminate) == (10 * S, "created", None)
    assert (t.schedule.next_us, t.schedule.due_us) == (20 * S, 20 * S)
    after = sch.fired(t.schedule, 10 * S, 11 * S)
    assert after.fired == 1 and after.last_instance == ("wf", "s-19700101T000010Z")
    assert after.recent_runs == (sch.Run(10 * S, 11 * S, "s-19700101T000010Z", "wf"),)


def test_a_fire_not_yet_due_does_nothing() -> None:
    t = sch.tick(sched(), 10 * S - 1, None)
    assert (t.fire_us, t.outcome, t.schedule) == (None, "idle", sched())


def test_each_overlap_policy_while_the_previous_instance_runs() -> None:
    last = ("wf", "s-prev")
    skip = sch.tick(sched(last_instance=last), 10 * S, Status.RUNNING)
    assert (skip.fire_us, skip.outcome, skip.schedule.skipped) == (None, "skipped", 1)
    buffered = sch.tick(sched(sch.Overlap.BUFFER_ONE, last_instance=last), 10 * S, Status.RUNNING)
    assert (buffered.outcome, buffered.schedule.buffered_us) == ("buffered", 10 * S)
    assert buffered.schedule.due_us == 10 * S + sch.BUFFER_RETRY_US  # retried every second
    waiting = sch.tick(buffered.schedule, 11 * S, Status.RUNNING)
    assert (waiting.outcome, waiting.schedule.buffered_us) == ("waiting", 10 * S)
    released = sch.tick(buffered.schedule, 12 * S, Status.COMPLETE)
    assert (released.fire_us, released.schedule.buffered_us) == (10 * S, None)
    term = sch.tick(
        sched(sch.Overlap.TERMINATE_PREVIOUS, last_instance=last), 10 * S, Status.QUEUED
    )
    assert (term.fire_us, term.terminate) == (10 * S, last)
    both = sch.tick(sched(sch.Overlap.ALLOW_ALL, last_instance=last), 10 * S, Status.RUNNING)
    assert (both.fire_us, both.terminate) == (10 * S, None)


def test_a_late_tick_counts_the_fires_past_the_window_as_missed_first() -> None:
    t = sch.tick(sched(), 100 * S, None)  # window 60 s: 10..30 s are older than 40 s
    assert (t.outcome, t.schedule.missed, t.schedule.next_us) == ("missed", 3, 40 * S)
    again = sch.tick(t.schedule, 100 * S, None)
    assert (again.fire_us, again.outcome) == (40 * S, "created")


def test_pause_resume_and_update() -> None:
    paused = sch.paused(sched(), "why", 15 * S)
    assert (paused.paused, paused.next_us, paused.due_us, paused.note) == (True, None, None, "why")
    assert sch.paused(paused, "again", 16 * S).note == "again"
    resumed = sch.resumed(paused, "ok", 95 * S)  # from now: 20..90 s are not made up
    assert (resumed.paused, resumed.next_us, resumed.missed) == (False, 100 * S, 0)
    assert sch.resumed(resumed, "no-op", 96 * S) == resumed
    spec = sch.Spec(sch.Interval(7 * S))
    updated = sch.updated(resumed, spec, sch.Action("other"), sch.Policy(), 100 * S)
    assert (updated.next_us, updated.action.workflow) == (105 * S, "other")


def test_a_trigger_fires_now_even_when_paused() -> None:
    t = sch.trigger(sch.paused(sched(), "", 0), 3 * S, None, None)
    assert (t.fire_us, t.outcome, t.schedule.due_us) == (3 * S, "created", None)
    skipped = sch.trigger(sched(last_instance=("wf", "x")), 3 * S, Status.RUNNING, None)
    assert skipped.fire_us is None and skipped.schedule.skipped == 1
