"""Schedules from the Python SDK (`client.schedules`) and the `stepway schedules` commands,
against a real dev server on SQLite and PostgreSQL: each operation's round trip, the typed
errors, and what the commands print in text, JSON and JSON Lines."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest

from gateway.dev import DevServer
from stepway import (
    Client,
    InstanceStatus,
    InvalidArgumentError,
    InvalidFieldError,
    Overlap,
    Schedule,
    ScheduleExistsError,
    ScheduleNotFoundError,
    ScheduleRun,
)
from stepway.cli_schedules import describe_text, spec_text
from tests.sdk.test_cli import Cli, command_env
from tests.sdk.test_cli_conventions import json_error

# Instances that schedules create wait on this queue; no worker polls it, so they stay queued.
QUEUE = "scheduled"
PARIS = ZoneInfo("Europe/Paris")
HOUR = timedelta(hours=1)


def hour_floor(when: datetime) -> datetime:
    return when.replace(minute=0, second=0, microsecond=0)


@pytest.fixture(scope="module")
def cli_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return command_env(tmp_path_factory.mktemp("pycache"))


@pytest.fixture
def cli(cli_env: dict[str, str], dev_server: DevServer) -> Cli:
    return Cli(cli_env, dev_server)


# ---------------------------------------------------------------------- the SDK


async def test_a_cron_schedule_reads_back_its_settings_and_fires_at_its_time_in_its_zone(
    client: Client,
) -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    end = datetime(2099, 1, 1, tzinfo=UTC)
    made = await client.schedules.create(
        "nightly",
        "report",
        cron="0 3 * * *",
        time_zone="Europe/Paris",
        start=start,
        end=end,
        jitter=timedelta(seconds=30),
        params={"kind": "daily"},
        task_queue=QUEUE,
        retention=timedelta(days=2),
        overlap="buffer_one",
        catchup_window=timedelta(minutes=10),
    )
    assert (made.id, made.workflow, made.cron, made.time_zone) == (
        "nightly",
        "report",
        "0 3 * * *",
        "Europe/Paris",
    )
    assert (made.every, made.offset, made.start, made.end) == (None, None, start, end)
    assert (made.jitter, made.params, made.task_queue) == (
        timedelta(seconds=30),
        {"kind": "daily"},
        QUEUE,
    )
    assert (made.retention, made.overlap, made.catchup_window) == (
        timedelta(days=2),
        Overlap.BUFFER_ONE,
        timedelta(minutes=10),
    )
    assert not made.paused and made.created_at is not None
    got = await client.schedules.get("nightly", next_fire_times=3)
    assert len(got.next_fire_times) == 3
    for when in got.next_fire_times:
        local = when.astimezone(PARIS)
        assert (local.hour, local.minute, local.second) == (3, 0, 0)
    assert got.next_fire_times == tuple(sorted(got.next_fire_times))
    assert got.next_fire_times[0] > datetime.now(UTC)
    assert (got.fired, got.skipped, got.missed, got.recent_runs) == (0, 0, 0, ())


async def test_an_interval_schedule_fires_at_every_offset_plus_k_intervals(client: Client) -> None:
    made = await client.schedules.create(
        "quarterly", "poll", every=timedelta(minutes=15), offset=300, task_queue=QUEUE
    )
    assert (made.cron, made.time_zone) == (None, None)
    assert (made.every, made.offset, made.overlap) == (
        timedelta(minutes=15),
        timedelta(minutes=5),
        Overlap.SKIP,
    )
    got = await client.schedules.get("quarterly", next_fire_times=4)
    minutes = [t.minute for t in got.next_fire_times]
    assert all(m % 15 == 5 for m in minutes) and len(minutes) == 4
    gaps = [b - a for a, b in pairwise(got.next_fire_times)]
    assert gaps == [timedelta(minutes=15)] * 3


async def test_listing_goes_through_every_schedule_by_id_a_page_at_a_time(client: Client) -> None:
    ids = [f"s{n}" for n in (4, 1, 3, 0, 2)]
    for id in ids:
        await client.schedules.create(id, "poll", every=HOUR, task_queue=QUEUE)
    first = await client.schedules.list_page(page_size=2)
    assert [s.id for s in first.schedules] == ["s0", "s1"]
    assert first.next_page_token is not None
    assert all(len(s.next_fire_times) == 1 and s.recent_runs == () for s in first.schedules)
    listed = [s.id async for s in client.schedules.list(page_size=2)]
    assert listed == sorted(ids)


async def test_pause_stops_the_next_fires_and_resume_brings_them_back_each_with_its_note(
    client: Client,
) -> None:
    await client.schedules.create("held", "poll", every=HOUR, task_queue=QUEUE)
    paused = await client.schedules.pause("held", "maintenance")
    assert (paused.paused, paused.note, paused.next_fire_times) == (True, "maintenance", ())
    assert (await client.schedules.get("held")).paused
    resumed = await client.schedules.resume("held", "done")
    assert (resumed.paused, resumed.note) == (False, "done")
    assert resumed.next_fire_times and resumed.next_fire_times[0] > datetime.now(UTC)
    born_paused = await client.schedules.create(
        "later", "poll", every=HOUR, task_queue=QUEUE, paused=True
    )
    assert born_paused.paused and born_paused.next_fire_times == ()


async def test_a_note_with_a_nul_character_is_refused_naming_the_note_and_changes_nothing(
    client: Client,
) -> None:
    """PostgreSQL cannot store NUL in text: the note is refused at the edge, not in the
    database."""
    await client.schedules.create("nul-note", "poll", every=HOUR, task_queue=QUEUE)
    for call in (client.schedules.pause, client.schedules.resume):
        with pytest.raises(InvalidFieldError) as info:
            await call("nul-note", "a\x00b")
        assert info.value.field == "note"
    assert not (await client.schedules.get("nul-note")).paused


async def test_update_changes_only_what_it_names_and_a_cron_replaces_the_interval(
    client: Client,
) -> None:
    await client.schedules.create(
        "moving",
        "poll",
        every=HOUR,
        params={"n": 1},
        task_queue=QUEUE,
        end=datetime(2099, 1, 1, tzinfo=UTC),
    )
    changed = await client.schedules.update("moving", overlap=Overlap.ALLOW_ALL, params={"n": 2})
    assert (changed.every, changed.task_queue, changed.overlap, changed.params) == (
        HOUR,
        QUEUE,
        Overlap.ALLOW_ALL,
        {"n": 2},
    )
    assert changed.end == datetime(2099, 1, 1, tzinfo=UTC)
    to_cron = await client.schedules.update(
        "moving", cron="30 6 * * MON", time_zone="Europe/Paris", end=None
    )
    assert (to_cron.cron, to_cron.time_zone, to_cron.every, to_cron.offset, to_cron.end) == (
        "30 6 * * MON",
        "Europe/Paris",
        None,
        None,
        None,
    )
    local = to_cron.next_fire_times[0].astimezone(PARIS)
    assert (local.weekday(), local.hour, local.minute) == (0, 6, 30)
    assert (to_cron.overlap, to_cron.params) == (Overlap.ALLOW_ALL, {"n": 2})
    back = await client.schedules.update("moving", every=timedelta(minutes=30))
    assert (back.cron, back.time_zone, back.every) == (None, None, timedelta(minutes=30))


async def test_trigger_creates_the_instance_named_by_the_schedule_and_time_even_when_paused(
    client: Client,
) -> None:
    await client.schedules.create(
        "manual", "report", every=timedelta(days=1), task_queue=QUEUE, params={"x": 1}
    )
    await client.schedules.pause("manual")
    instance_id = await client.schedules.trigger("manual")
    assert instance_id is not None and instance_id.startswith("manual-")
    stamp = datetime.strptime(instance_id.removeprefix("manual-"), "%Y%m%dT%H%M%SZ")
    assert abs(stamp.replace(tzinfo=UTC) - datetime.now(UTC)) < timedelta(minutes=1)
    info = await client.status("report", instance_id)
    assert (info.status, info.params, info.task_queue) == (InstanceStatus.QUEUED, {"x": 1}, QUEUE)
    got = await client.schedules.get("manual")
    assert got.paused and got.fired == 1
    [run] = got.recent_runs
    assert (run.instance_id, run.status, run.workflow) == (
        instance_id,
        InstanceStatus.QUEUED,
        "report",
    )
    assert run.scheduled_at is not None and run.created_at is not None
    # A run keeps the workflow it was created in when an update changes the schedule's.
    await client.schedules.update("manual", workflow="summary")
    [run] = (await client.schedules.get("manual")).recent_runs
    assert (run.workflow, run.status) == ("report", InstanceStatus.QUEUED)


async def test_a_backfill_creates_one_instance_per_fire_time_and_nothing_when_run_again(
    client: Client,
) -> None:
    await client.schedules.create(
        "hourly", "report", every=HOUR, task_queue=QUEUE, start=datetime(2026, 1, 1, tzinfo=UTC)
    )
    end = hour_floor(datetime.now(UTC)) - HOUR
    start = end - 3 * HOUR
    done = await client.schedules.backfill("hourly", start, end)
    assert (done.created, done.existing, done.skipped) == (3, 0, 0)
    again = await client.schedules.backfill("hourly", start, end, overlap="allow_all")
    assert (again.created, again.existing, again.skipped) == (0, 3, 0)
    for k in range(3):
        at = start + k * HOUR
        info = await client.status("report", f"hourly-{at:%Y%m%dT%H%M%SZ}")
        assert info.status is InstanceStatus.QUEUED


async def test_delete_removes_the_schedule_and_keeps_its_instances(client: Client) -> None:
    await client.schedules.create("gone", "report", every=HOUR, task_queue=QUEUE)
    instance_id = await client.schedules.trigger("gone")
    assert instance_id is not None
    await client.schedules.delete("gone")
    with pytest.raises(ScheduleNotFoundError):
        await client.schedules.get("gone")
    assert (await client.status("report", instance_id)).status is InstanceStatus.QUEUED


async def test_errors_come_typed_with_their_reason_and_field(client: Client) -> None:
    with pytest.raises(ScheduleNotFoundError) as missing:
        await client.schedules.get("nope")
    assert missing.value.reason == "SCHEDULE_NOT_FOUND"
    for call in (
        client.schedules.pause("nope"),
        client.schedules.trigger("nope"),
        client.schedules.delete("nope"),
    ):
        with pytest.raises(ScheduleNotFoundError):
            await call
    await client.schedules.create("twice", "report", every=HOUR, task_queue=QUEUE)
    with pytest.raises(ScheduleExistsError) as taken:
        await client.schedules.create("twice", "report", every=HOUR, task_queue=QUEUE)
    assert taken.value.reason == "SCHEDULE_EXISTS"
    with pytest.raises(InvalidArgumentError) as bad:
        await client.schedules.create("bad", "report", cron="61 * * * *", task_queue=QUEUE)
    assert bad.value.field.startswith("spec.cron")
    with pytest.raises(ValueError, match="exactly one of cron"):
        await client.schedules.create("both", "report", cron="@daily", every=HOUR)
    with pytest.raises(ValueError, match="overlap must be one of"):
        await client.schedules.create("odd", "report", every=HOUR, overlap="never")


# ---------------------------------------------------------------------- what describe prints


def hand_built(**changes: object) -> Schedule:
    base = Schedule(
        id="nightly",
        workflow="report",
        cron="0 3 * * *",
        time_zone="Europe/Paris",
        every=None,
        offset=None,
        start=None,
        end=None,
        jitter=None,
        params={"kind": "daily"},
        task_queue=None,
        retention=None,
        overlap=Overlap.SKIP,
        catchup_window=timedelta(minutes=1),
        paused=False,
        note="",
        created_at=datetime(2026, 12, 1, 9, 0, tzinfo=UTC),
        updated_at=datetime(2026, 12, 1, 9, 0, tzinfo=UTC),
        next_fire_times=(
            datetime(2026, 12, 8, 2, 0, tzinfo=UTC),
            datetime(2026, 12, 9, 2, 0, tzinfo=UTC),
        ),
        recent_runs=(
            ScheduleRun(
                datetime(2026, 12, 7, 2, 0, tzinfo=UTC),
                datetime(2026, 12, 7, 2, 0, 1, tzinfo=UTC),
                "nightly-20261207T020000Z",
                InstanceStatus.COMPLETE,
                "report",
            ),
            ScheduleRun(
                datetime(2026, 12, 6, 2, 0, tzinfo=UTC),
                datetime(2026, 12, 6, 2, 0, 1, tzinfo=UTC),
                "nightly-20261206T020000Z",
                InstanceStatus.UNKNOWN,
                "report",
            ),
        ),
        fired=2,
        skipped=1,
        missed=0,
    )
    return base if not changes else Schedule(**{**base.__dict__, **changes})


def facts(text: str) -> dict[str, str]:
    """The `Label: value` lines at the top of what describe prints."""
    found = {}
    for line in text.splitlines():
        if not line:
            break
        label, _, value = line.partition(":")
        found[label] = value.strip()
    return found


def test_describe_shows_next_fire_times_in_the_schedules_zone_and_utc_and_runs_by_status() -> None:
    text = describe_text(hand_built(), color=False, width=100)
    assert facts(text)["Spec"] == 'cron "0 3 * * *" Europe/Paris'
    assert facts(text)["Fires"] == "2 fired, 1 skipped, 0 missed"
    lines = text.splitlines()
    header = lines.index(next(line for line in lines if line.startswith("NEXT FIRE")))
    assert lines[header].split() == ["NEXT", "FIRE", "(Europe/Paris)", "UTC"]
    assert lines[header + 1].split() == ["2026-12-08", "03:00:00", "CET", "2026-12-08", "02:00:00"]
    runs = lines.index(next(line for line in lines if line.startswith("SCHEDULED (UTC)")))
    assert lines[runs + 1].split()[-3:] == ["report", "nightly-20261207T020000Z", "complete"]
    assert lines[runs + 2].split()[-2:] == ["nightly-20261206T020000Z", "deleted"]


def test_describe_says_why_there_is_no_next_fire_and_an_interval_reads_as_every() -> None:
    paused = hand_built(paused=True, note="holiday", next_fire_times=(), recent_runs=())
    text = describe_text(paused, color=False, width=100)
    assert facts(text)["State"] == "paused (holiday)"
    assert "no next fire (paused)" in text and "no runs yet" in text
    interval = hand_built(
        cron=None,
        time_zone=None,
        every=timedelta(minutes=15),
        offset=timedelta(minutes=5),
    )
    assert spec_text(interval) == "every 15m +5m"
    assert spec_text(hand_built(cron=None, time_zone=None, every=HOUR, offset=timedelta(0))) == (
        "every 1h"
    )


# ---------------------------------------------------------------------- the commands


async def test_the_commands_create_list_describe_pause_resume_update_and_delete(
    client: Client, cli: Cli
) -> None:
    made = await cli(
        "schedules",
        "create",
        "nightly",
        "report",
        "--cron",
        "0 3 * * *",
        "--time-zone",
        "Europe/Paris",
        "--params",
        '{"kind": "daily"}',
        "--task-queue",
        QUEUE,
        "--overlap",
        "buffer_one",
    )
    assert made.code == 0, made
    assert made.out.startswith("schedule nightly created; next fire ")
    await cli("schedules", "create", "poller", "poll", "--every", "15m", "--task-queue", QUEUE)
    listing = await cli("schedules", "list")
    assert listing.code == 0, listing
    assert listing.lines[0].split()[:4] == ["ID", "WORKFLOW", "SPEC", "OVERLAP"]
    assert listing.lines[1].split()[:2] == ["nightly", "report"]
    assert 'cron "0 3 * * *" Europe/Paris' in listing.lines[1]
    assert listing.lines[2].split()[:4] == ["poller", "poll", "every", "15m"]
    as_json, as_jsonl = (
        await cli("schedules", "list", "--json"),
        await cli("schedules", "list", "-o", "jsonl"),
    )
    document = as_json.json()
    assert [s["id"] for s in document["schedules"]] == ["nightly", "poller"]
    assert document["next_page_token"] is None
    assert document["schedules"][1]["every"] == 900
    assert [json.loads(line)["id"] for line in as_jsonl.lines] == ["nightly", "poller"]

    described = await cli("schedules", "describe", "nightly", "--next", "3")
    assert described.code == 0, described
    assert facts(described.out)["Overlap"] == "buffer_one"
    header = next(i for i, line in enumerate(described.lines) if line.startswith("NEXT FIRE"))
    fires = described.lines[header + 1 : header + 4]
    assert all(line.split()[1] == "03:00:00" for line in fires), described.out
    assert "no runs yet" in described.out
    as_document = (await cli("schedules", "describe", "nightly", "--json")).json()
    assert len(as_document["next_fire_times"]) == 5 and as_document["paused"] is False

    paused = await cli("schedules", "pause", "nightly", "--note", "holiday")
    assert (paused.code, paused.out.strip()) == (0, "schedule nightly paused")
    assert (await client.schedules.get("nightly")).note == "holiday"
    resumed = await cli("schedules", "resume", "nightly", "--json")
    assert resumed.json()["paused"] is False

    updated = await cli("schedules", "update", "poller", "--every", "1h", "--overlap", "allow_all")
    assert updated.code == 0, updated
    got = await client.schedules.get("poller")
    assert (got.every, got.overlap, got.task_queue) == (HOUR, Overlap.ALLOW_ALL, QUEUE)

    deleted = await cli("schedules", "delete", "poller")
    assert (deleted.code, deleted.out.strip()) == (0, "schedule poller deleted")
    assert [s.id async for s in client.schedules.list()] == ["nightly"]


async def test_trigger_and_backfill_print_what_they_created(client: Client, cli: Cli) -> None:
    await client.schedules.create(
        "hourly", "report", every=HOUR, task_queue=QUEUE, start=datetime(2026, 1, 1, tzinfo=UTC)
    )
    fired = await cli("schedules", "trigger", "hourly")
    assert fired.code == 0, fired
    assert fired.out.startswith("schedule hourly fired: created instance hourly-")
    as_json = (await cli("schedules", "trigger", "hourly", "--overlap", "skip", "--json")).json()
    assert as_json == {"schedule_id": "hourly", "instance_id": None}
    end = hour_floor(datetime.now(UTC)) - HOUR
    start = (end - 2 * HOUR).isoformat()
    args = ("schedules", "backfill", "hourly", "--start", start, "--end", end.isoformat())
    first = await cli(*args)
    assert (first.code, first.out.strip()) == (
        0,
        "schedule hourly backfilled: 2 created, 0 existed already, 0 skipped",
    )
    again = await cli(*args, "-o", "json")
    assert again.json() == {"created": 0, "existing": 2, "skipped": 0}
    described = await cli("schedules", "describe", "hourly")
    runs = next(i for i, line in enumerate(described.lines) if line.startswith("SCHEDULED"))
    triggered = fired.out.split()[-1]
    assert described.lines[runs + 1].split()[-2:] == [triggered, "queued"]


async def test_the_commands_name_an_unknown_or_taken_schedule_by_reason_and_exit_1(
    client: Client, cli: Cli
) -> None:
    missing = await cli("schedules", "describe", "nope")
    assert (missing.code, missing.out) == (1, "")
    assert missing.err.startswith("error: SCHEDULE_NOT_FOUND: ")
    as_json = await cli("schedules", "trigger", "nope", "--json")
    error = json_error(as_json.err)
    assert (error["code"], error["reason"]) == ("NOT_FOUND", "SCHEDULE_NOT_FOUND")
    await client.schedules.create("taken", "report", every=HOUR, task_queue=QUEUE)
    twice = await cli("schedules", "create", "taken", "report", "--every", "1h", "-o", "jsonl")
    assert (twice.code, json_error(twice.err)["reason"]) == (1, "SCHEDULE_EXISTS")
    mixed = await cli("schedules", "create", "odd", "report", "--every", "1h", "--time-zone", "UTC")
    assert mixed.code == 1 and "time_zone applies to cron" in mixed.err
    nothing = await cli("schedules", "update", "taken")
    assert nothing.code == 2 and "name at least one setting" in nothing.err


def test_completion_offers_the_schedule_commands_and_their_overlap_policies() -> None:
    from stepway import _complete
    from stepway.cli import build_parser

    parser = build_parser()
    assert "schedules" in _complete.candidates(parser, ["sch"])
    assert _complete.candidates(parser, ["schedules", "b"]) == ["backfill"]
    assert _complete.candidates(parser, ["schedules", "create", "--overlap", "b"]) == ["buffer_one"]
