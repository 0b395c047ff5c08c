"""The `stepway instances` and `stepway workflows` commands: what they print, on hand-built SDK
values, and the real command run as a subprocess against a dev server with a worker, on SQLite
and PostgreSQL."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import os
import re
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from gateway.dev import DevServer
from stepway import (
    Client,
    ErrorInfo,
    HistoryEvent,
    InstanceInfo,
    InstanceStatus,
    NonRetryableError,
    NotFoundError,
    Step,
    StepRecord,
    Worker,
    WorkflowEvent,
    WorkflowFailedError,
    WorkflowInfo,
    workflow,
)
from stepway import _render as render
from stepway.cli import main, parse_span, parse_time
from tests.helpers import eventually

# ---------------------------------------------------------------------- workflows


async def fetch(url: str) -> dict[str, Any]:
    return {"url": url, "rows": 3}


async def transform(rows: int) -> dict[str, Any]:
    return {"rows": rows, "clean": True}


async def store(rows: int) -> str:
    return f"stored {rows} rows"


@workflow("pipeline")
async def pipeline(event: WorkflowEvent, step: Step) -> Any:
    got = await step.do("fetch", fetch, "https://example.com/data.csv")
    clean = await step.do("transform", transform, got["rows"])
    return await step.do("store", store, clean["rows"])


async def nothing() -> str:
    return "ok"


@workflow("napper")
async def napper(event: WorkflowEvent, step: Step) -> Any:
    await step.do("before", nothing)
    await step.sleep("nap", event.params["seconds"])
    return await step.do("after", nothing)


@workflow("approval")
async def approval(event: WorkflowEvent, step: Step) -> Any:
    await step.do("ask", nothing)
    got = await step.wait_for_event("wait", type="approved", timeout=600)
    return got.payload


async def out_of_stock() -> None:
    raise NonRetryableError("out of stock")


@workflow("doomed")
async def doomed(event: WorkflowEvent, step: Step) -> Any:
    return await step.do("reserve", out_of_stock)


WORKFLOWS = [pipeline, napper, approval, doomed]


@pytest.fixture
async def worker(client: Client) -> AsyncIterator[Worker]:
    async with Worker(client, workflows=WORKFLOWS) as w:
        yield w


# ---------------------------------------------------------------------- running the command


@dataclass(frozen=True)
class Ran:
    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return self.out.splitlines()

    def json(self) -> Any:
        return json.loads(self.out)


@dataclass(frozen=True)
class Cli:
    """The `stepway` command run as a subprocess; with a server, against it (the in-process
    server keeps serving meanwhile)."""

    env: dict[str, str]
    server: DevServer | None = None

    def argv(self, args: tuple[str, ...]) -> list[str]:
        if self.server is None:
            return list(args)
        return [*args, "--address", self.server.address, "--api-key", self.server.api_key]

    async def spawn(self, *args: str) -> asyncio.subprocess.Process:
        return await asyncio.create_subprocess_exec(
            *(sys.executable, "-m", "stepway", *self.argv(args)),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=self.env,
        )

    async def __call__(self, *args: str) -> Ran:
        proc = await self.spawn(*args)
        out, err = await asyncio.wait_for(proc.communicate(), 30)
        assert proc.returncode is not None
        return Ran(proc.returncode, out.decode(), err.decode())


def command_env(pycache: Path) -> dict[str, str]:
    """No STEPWAY_ settings, no config file, a fixed width, and bytecode cached outside the
    tree, so that each run of the command starts without compiling the SDK again."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("STEPWAY_")}
    env.pop("NO_COLOR", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(pycache)
    env["STEPWAY_CONFIG"] = str(pycache / "no-config.toml")
    env["COLUMNS"] = "100"
    return env


@pytest.fixture(scope="session")
def cli_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return command_env(tmp_path_factory.mktemp("pycache"))


@pytest.fixture
def cli(cli_env: dict[str, str], dev_server: DevServer) -> Cli:
    """The command, with the dev server's address and key."""
    return Cli(cli_env, dev_server)


async def until_waiting(client: Client, workflow: str, id: str) -> None:
    """Returns once the instance waits (sleeps or waits for an event)."""
    await eventually(
        lambda: client.status(workflow, id),
        lambda info: info.status is InstanceStatus.WAITING,
        what=f"{id} waiting",
    )


def rows(ran: Ran) -> list[list[str]]:
    """The cells of a table's rows, header left out (cells are two or more spaces apart)."""
    return [re.split(r"\s{2,}", line.strip()) for line in ran.lines[1:]]


# ---------------------------------------------------------------------- rendering

T0 = datetime(2026, 11, 25, 6, 17, 13, 250_000, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def step_record(name: str, seq: int, start: float, end: float | None, **kw: Any) -> StepRecord:
    values: dict[str, Any] = {
        "kind": "do",
        "state": "succeeded" if end is not None else "pending",
        "attempts": 1,
        "output": None,
        "error": None,
        "wake_at": None,
        "event_type": None,
    }
    values.update(kw)
    return StepRecord(
        name=name,
        seq=seq,
        started_at=at(start),
        ended_at=None if end is None else at(end),
        **values,
    )


def instance(status: InstanceStatus = InstanceStatus.COMPLETE, **kw: Any) -> InstanceInfo:
    values: dict[str, Any] = {
        "workflow": "pipeline",
        "id": "nightly-42",
        "status": status,
        "params": None,
        "output": None,
        "error": None,
        "created_at": T0,
        "started_at": at(0.05),
        "ended_at": at(1.3),
        "current_step": None,
        "task_queue": "default",
        "retention": timedelta(days=30),
        "expires_at": at(1.3) + timedelta(days=30),
        "steps": None,
    }
    values.update(kw)
    return InstanceInfo(**values)


@pytest.mark.parametrize(
    ("span", "text"),
    [
        (None, "-"),
        (timedelta(0), "0ms"),
        (timedelta(seconds=-1), "0ms"),
        (timedelta(milliseconds=41.7), "41ms"),
        (timedelta(seconds=1.25), "1.2s"),
        (timedelta(seconds=59.99), "59.9s"),
        (timedelta(seconds=184), "3m 04s"),
        (timedelta(hours=2, minutes=5, seconds=59), "2h 05m"),
        (timedelta(days=3, hours=7, minutes=30), "3d 07h"),
    ],
)
def test_durations_read_in_at_most_two_units(span: timedelta | None, text: str) -> None:
    assert render.format_duration(span) == text


def test_times_are_utc_to_the_second_and_spans_drop_zero_units() -> None:
    paris = datetime(2026, 11, 25, 7, 17, 13, 900_000, tzinfo=UTC).astimezone(
        ZoneInfo("Europe/Paris")
    )
    assert render.format_time(paris) == "2026-11-25 07:17:13"
    assert render.format_time(None) == "-"
    assert render.format_clock(T0, T0.date()) == "06:17:13"
    assert render.format_clock(T0 + timedelta(days=1), T0.date()) == "2026-11-26 06:17:13"
    spans = [timedelta(days=30), timedelta(hours=12), timedelta(seconds=90), timedelta(hours=36)]
    assert [render.format_span(s) for s in spans] == ["30d", "12h", "1m 30s", "1d 12h"]


def test_long_values_are_cut_with_an_ellipsis() -> None:
    assert render.truncate("abcdef", 6) == "abcdef"
    assert render.truncate("abcdef", 4) == "abc…"
    assert render.one_line("a\n  b\tc") == "a b c"


def test_status_words_are_coloured_only_on_a_terminal_without_no_color() -> None:
    assert render.paint("complete", True) == "\033[32mcomplete\033[0m"
    assert render.paint("errored", True).startswith("\033[31m")
    assert render.paint("paused", True).startswith("\033[33m")
    assert render.paint("running", True).startswith("\033[36m")
    assert render.paint("complete", False) == "complete"
    assert render.color_enabled(True, {})
    assert not render.color_enabled(False, {})
    assert not render.color_enabled(True, {"NO_COLOR": "1"})


def test_columns_align_whatever_the_colour_codes_in_their_cells() -> None:
    infos = [
        instance(id="a", status=InstanceStatus.RUNNING, ended_at=None, current_step="fetch"),
        instance(id="a-much-longer-id", status=InstanceStatus.WAITING_FOR_PAUSE),
    ]
    plain = render.instance_table(infos, color=False)
    coloured = render.instance_table(infos, color=True)
    assert [re.sub(r"\033\[[0-9;]*m", "", line) for line in coloured] == plain
    assert plain[0].startswith("WORKFLOW  ID                STATUS           CREATED (UTC)")
    assert plain[2] == (
        "pipeline  a-much-longer-id  waitingForPause  2026-11-25 06:17:13      1.2s  -"
    )
    assert render.instance_table([], color=False) == ["no instances"]


def test_describe_shows_the_facts_then_the_step_table() -> None:
    info = instance(
        params={"source": "s3://bucket"},
        output="stored 3 rows",
        steps=(
            step_record("fetch", 1, 0.06, 0.9, output={"rows": 3}),
            step_record("transform", 1, 0.9, 1.1, attempts=2, output={"clean": True}),
            step_record("store", 1, 1.1, 1.29, output="stored 3 rows"),
        ),
    )
    assert render.describe(info, color=False, width=100) == "\n".join(
        [
            "Workflow:              pipeline",
            "Instance:              nightly-42",
            "Status:                complete",
            "Created:               2026-11-25 06:17:13 UTC",
            "Started:               2026-11-25 06:17:13 UTC",
            "Ended:                 2026-11-25 06:17:14 UTC",
            "Duration:              1.2s",
            "Last successful step:  store",
            'Params:                {"source": "s3://bucket"}',
            'Output:                "stored 3 rows"',
            "Retention:             30d, deleted after 2026-12-25 06:17:14",
            "",
            "STEP       TYPE  START     END       DURATION  ATTEMPTS  STATE      OUTPUT",
            'fetch      do    06:17:13  06:17:14     840ms         1  succeeded  {"rows": 3}',
            'transform  do    06:17:14  06:17:14     200ms         2  succeeded  {"clean": true}',
            'store      do    06:17:14  06:17:14     190ms         1  succeeded  "stored 3 rows"',
        ]
    )


def test_describe_names_the_error_and_what_pending_steps_wait_for() -> None:
    failed = instance(
        status=InstanceStatus.ERRORED,
        error=ErrorInfo("NonRetryableError", "out of stock"),
        steps=(
            step_record("fetch", 1, 0.06, 0.9, output={"rows": 3}),
            step_record(
                "reserve",
                1,
                0.9,
                1.2,
                state="failed",
                error=ErrorInfo("NonRetryableError", "out of\nstock"),
            ),
        ),
    )
    text = render.describe(failed, color=False, width=100)
    assert "Error:                 NonRetryableError: out of stock" in text
    assert "Last successful step:  fetch" in text
    assert text.splitlines()[-1].endswith("failed     NonRetryableError: out of stock")

    waiting = instance(
        status=InstanceStatus.WAITING,
        ended_at=None,
        expires_at=None,
        current_step="nap",
        steps=(
            step_record("nap", 1, 0.1, None, kind="sleep", attempts=0, wake_at=at(3600)),
            step_record(
                "wait", 1, 0.2, None, kind="wait_for_event", attempts=0, event_type="approved"
            ),
        ),
    )
    lines = render.describe(waiting, color=False, width=100).splitlines()
    assert "Current step:          nap" in lines
    assert "Retention:             30d once finished" in lines
    assert lines[-2].split() == [
        *("nap", "sleep", "06:17:13", "-", "-", "-", "pending"),
        *("wakes", "at", "2026-11-25", "07:17:13"),
    ]
    assert "waits for event 'approved' until -" in lines[-1]


def test_the_output_column_takes_the_room_the_terminal_leaves() -> None:
    long = instance(steps=(step_record("fetch", 1, 0, 1, output={"rows": list(range(100))}),))
    for width in (80, 100, 160):
        table = render.describe(long, color=False, width=width).split("\n\n")[1].splitlines()
        assert max(len(line) for line in table) == width
        assert table[1].endswith("…")


def test_history_lines_carry_step_attempt_and_details() -> None:
    def event(seq: int, type: str, **kw: Any) -> HistoryEvent:
        values: dict[str, Any] = dict.fromkeys(
            ("step_name", "step_seq", "attempt", "error", "until", "event_type", "worker", "reason")
        )
        values.update(kw)
        return HistoryEvent(seq=seq, time=at(seq), type=type, **values)

    events = [
        event(1, "created"),
        event(2, "started", worker="w-1"),
        event(
            3,
            "step_attempt_failed",
            step_name="charge",
            attempt=1,
            error=ErrorInfo("ConnectionError", "card network timeout"),
        ),
        event(4, "step_retry_scheduled", step_name="charge", attempt=2, until=at(64)),
        event(5, "waiting_for_event", step_name="approval", event_type="approved", until=at(99)),
        event(6, "terminated", reason="customer cancelled"),
    ]
    assert render.history(events, color=False).splitlines() == [
        "TIME (UTC)                SEQ  TYPE                  STEP #ATTEMPT     DETAILS",
        "2026-11-25 06:17:14.250     1  created",
        "2026-11-25 06:17:15.250     2  started                                 worker w-1",
        "2026-11-25 06:17:16.250     3  step_attempt_failed   charge #1         "
        "ConnectionError: card network timeout",
        "2026-11-25 06:17:17.250     4  step_retry_scheduled  charge #2         "
        "retry at 2026-11-25 06:18:17.250",
        "2026-11-25 06:17:18.250     5  waiting_for_event     approval          "
        "event 'approved'; timeout at 2026-11-25 06:18:52.250",
        "2026-11-25 06:17:19.250     6  terminated                              "
        "reason: customer cancelled",
    ]


def test_workflows_show_their_instance_counts_in_status_order() -> None:
    infos = [
        WorkflowInfo(
            "pipeline", "default", T0, {InstanceStatus.COMPLETE: 2, InstanceStatus.RUNNING: 1}
        ),
        WorkflowInfo("napper", "slow", T0, {}),
    ]
    assert render.workflow_table(infos, color=False) == [
        "NAME      TASK QUEUE  REGISTERED (UTC)     INSTANCES",
        "pipeline  default     2026-11-25 06:17:13  1 running, 2 complete",
        "napper    slow        2026-11-25 06:17:13  none",
    ]


def test_json_has_the_dataclass_fields_with_iso_times_and_status_strings() -> None:
    info = instance(
        error=ErrorInfo("E", "m"),
        steps=(step_record("fetch", 1, 0, 1, output={"rows": 3}),),
    )
    doc = json.loads(render.to_json(info))
    assert doc["status"] == "complete"
    assert doc["created_at"] == "2026-11-25T06:17:13.250000+00:00"
    assert doc["retention"] == 30 * 86_400
    assert doc["error"] == {"type": "E", "message": "m"}
    assert doc["steps"][0]["output"] == {"rows": 3}
    assert doc["steps"][0]["ended_at"] == "2026-11-25T06:17:14.250000+00:00"
    counts = WorkflowInfo("w", "q", None, {InstanceStatus.WAITING_FOR_PAUSE: 1})
    assert render.jsonable(counts)["instances"] == {"waitingForPause": 1}


def test_the_next_page_hint_repeats_the_filters_with_absolute_times() -> None:
    hint = render.next_page_hint(
        "TOKEN",
        workflow="pipeline",
        statuses=["queued", "running"],
        since=T0,
        until=None,
        limit=2,
    )
    assert hint == (
        "more instances: stepway instances list --workflow pipeline --status queued running "
        "--since 2026-11-25T06:17:13.250000Z --limit 2 --cursor TOKEN"
    )


def test_times_on_the_command_line_are_iso_8601_or_an_age() -> None:
    assert parse_time("2026-11-25T06:17:13Z") == datetime(2026, 11, 25, 6, 17, 13, tzinfo=UTC)
    assert parse_time("2026-11-25 06:17") == datetime(2026, 11, 25, 6, 17, tzinfo=UTC)
    age = datetime.now(UTC) - parse_time("2h")
    assert abs(age - timedelta(hours=2)) < timedelta(seconds=5)
    assert parse_span("7d") == timedelta(days=7)
    assert parse_span("1.5h") == timedelta(minutes=90)


# ---------------------------------------------------------------------- the command, end to end


async def test_a_missing_api_key_is_a_usage_error(cli_env: dict[str, str]) -> None:
    bare = Cli(cli_env)
    runs = await asyncio.gather(
        bare("instances", "list"), bare("workflows", "list", "--api-key", "")
    )
    for ran in runs:
        assert (ran.code, ran.out) == (2, ""), ran
        assert ran.err.startswith("usage: stepway")
        assert "error: an API key is needed: --api-key or STEPWAY_API_KEY" in ran.err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["list", "--since", "yesterday"], "'yesterday' is neither an ISO 8601 time"),
        (["list", "--status", "sleepy"], "invalid choice: 'sleepy'"),
        (["list", "--limit", "5000"], "'5000' is not a whole number from 1 to 1000"),
        (["list", "--all", "--cursor", "x"], "not allowed with argument"),
        (["create", "pipeline", "--params", "{oops"], "argument --params: not JSON"),
        (["create", "pipeline", "--params", '{"r": NaN}'], "(holds NaN, which JSON cannot hold)"),
        (["create", "pipeline", "--params", "@/no/such.json"], "cannot read '/no/such.json'"),
        (["create", "pipeline", "--retention", "soon"], "'soon' is not a length of time"),
    ],
)
def test_bad_arguments_exit_2_with_a_message(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["instances", *args, "--api-key", "k"])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: stepway instances") and message in err, err


async def test_create_prints_the_id_and_whether_it_was_new(
    client: Client, worker: Worker, cli: Cli, tmp_path: Path
) -> None:
    params = tmp_path / "params.json"
    params.write_text(json.dumps({"source": "s3://bucket/data.csv"}))
    first = await cli(
        *("instances", "create", "pipeline", "--id", "c1", "--params", f"@{params}"),
        *("--retention", "7d"),
    )
    assert (first.code, first.out) == (0, "created instance c1 of workflow pipeline\n")
    again, fresh = await asyncio.gather(
        cli("instances", "create", "pipeline", "--id", "c1"),
        cli("instances", "create", "pipeline", "--params", "[1, 2]", "--json"),
    )
    assert again.out == "instance c1 of workflow pipeline already exists (left as it was)\n"
    doc = fresh.json()
    assert doc["created"] is True and doc["workflow"] == "pipeline" and doc["id"]
    info = await client.status("pipeline", "c1")
    assert info.params == {"source": "s3://bucket/data.csv"}
    assert info.retention == timedelta(days=7)
    assert (await client.status("pipeline", doc["id"])).params == [1, 2]


async def test_list_pages_show_every_instance_once_newest_first(
    client: Client, worker: Worker, cli: Cli
) -> None:
    ids = [f"l{n}" for n in range(5)]
    for id in ids:
        await client.create("pipeline", id=id)
    await client.create("napper", id="other", params={"seconds": 600})
    seen: list[list[str]] = []
    args = ["instances", "list", "--workflow", "pipeline", "--limit", "2"]
    while True:
        page = await cli(*args)
        assert page.code == 0, page.err
        hint = page.lines[-1] if page.lines[-1].startswith("more instances:") else None
        seen.append([row[1] for row in rows(page) if not row[0].startswith("more instances")])
        if hint is None:
            break
        # The hint is the command that prints the next page (of pipeline's instances only).
        command = hint.removeprefix("more instances: ").split()
        assert command[:3] == ["stepway", "instances", "list"]
        args = command[1:]
    assert seen == [["l4", "l3"], ["l2", "l1"], ["l0"]]


async def test_list_filters_by_status_and_creation_time_and_all_shows_everything(
    client: Client, worker: Worker, cli: Cli
) -> None:
    before = datetime.now(UTC)
    await client.create("napper", id="nap", params={"seconds": 600})
    await client.create("approval", id="ask")
    await (await client.create("pipeline", id="done")).result(timeout=30)
    await asyncio.gather(
        until_waiting(client, "napper", "nap"), until_waiting(client, "approval", "ask")
    )
    waiting, recent, old, everything = await asyncio.gather(
        cli("instances", "list", "--status", "waiting"),
        cli(
            *("instances", "list", "--since", "1h", "--status", "complete", "waiting", "--json"),
        ),
        cli("instances", "list", "--until", before.isoformat()),
        cli("instances", "list", "--all"),
    )
    assert sorted(row[1] for row in rows(waiting)) == ["ask", "nap"]
    assert all(row[2] == "waiting" for row in rows(waiting))
    assert recent.json()["next_page_token"] is None
    assert [i["id"] for i in recent.json()["instances"]] == ["done", "ask", "nap"]
    assert old.out == "no instances\n"
    assert everything.lines[0].split()[:3] == ["WORKFLOW", "ID", "STATUS"]
    assert [row[:3] for row in rows(everything)] == [
        ["pipeline", "done", "complete"],
        ["approval", "ask", "waiting"],
        ["napper", "nap", "waiting"],
    ]


async def test_describe_shows_the_instance_and_its_steps_as_text_and_json(
    client: Client, worker: Worker, cli: Cli
) -> None:
    await (await client.create("pipeline", id="d1")).result(timeout=30)
    with pytest.raises(WorkflowFailedError):
        await (await client.create("doomed", id="d2")).result(timeout=30)
    text, doc, failed = await asyncio.gather(
        cli("instances", "describe", "pipeline", "d1"),
        cli("instances", "describe", "pipeline", "d1", "--json"),
        cli("instances", "describe", "doomed", "d2"),
    )
    assert text.code == 0, text.err
    head, steps = text.out.split("\n\n")
    assert "Status:                complete" in head.splitlines()
    assert "Last successful step:  store" in head.splitlines()
    assert 'Output:                "stored 3 rows"' in head.splitlines()
    assert text.out.count(" UTC\n") == 3  # created, started, ended
    assert [(row[0], row[1], row[5], row[6]) for row in rows(Ran(0, steps, ""))] == [
        ("fetch", "do", "1", "succeeded"),
        ("transform", "do", "1", "succeeded"),
        ("store", "do", "1", "succeeded"),
    ]
    info = doc.json()
    assert (info["status"], info["output"], info["error"]) == ("complete", "stored 3 rows", None)
    assert [s["name"] for s in info["steps"]] == ["fetch", "transform", "store"]
    assert datetime.fromisoformat(info["ended_at"]) >= datetime.fromisoformat(info["started_at"])
    assert "Error:                 NonRetryableError: out of stock" in failed.out
    assert failed.lines[-1].split()[-5:] == ["failed", "NonRetryableError:", "out", "of", "stock"]


async def test_history_prints_one_line_per_transition(
    client: Client, worker: Worker, cli: Cli
) -> None:
    await (await client.create("pipeline", id="h1")).result(timeout=30)
    events = await client.history("pipeline", "h1")
    text, doc = await asyncio.gather(
        cli("instances", "history", "pipeline", "h1"),
        cli("instances", "history", "pipeline", "h1", "--json"),
    )
    assert text.lines[0].startswith("TIME (UTC)")
    assert [line.split()[2:4] for line in text.lines[1:]] == [[str(e.seq), e.type] for e in events]
    assert "step_succeeded        fetch #1" in text.out
    assert [e["type"] for e in doc.json()] == [e.type for e in events]


async def test_watch_prints_transitions_live_and_exits_0_only_when_the_instance_completes(
    client: Client, worker: Worker, cli: Cli
) -> None:
    handle = await client.create("approval", id="w1")
    with pytest.raises(WorkflowFailedError):
        await (await client.create("doomed", id="w2")).result(timeout=30)
    await client.create("napper", id="w3", params={"seconds": 600})
    await client.terminate("napper", "w3", "not needed")
    live = await cli.spawn("instances", "watch", "approval", "w1")
    finished = asyncio.gather(
        cli("instances", "watch", "doomed", "w2"),
        cli("instances", "watch", "napper", "w3", "--json"),
    )
    assert live.stdout is not None
    seen: list[str] = []
    while not seen or "waiting_for_event" not in seen[-1]:
        seen.append((await asyncio.wait_for(live.stdout.readline(), 30)).decode())
    # The instance waits: only now does the event come, and watch shows what follows.
    await handle.send_event("approved", {"by": "ann"})
    rest, _ = await asyncio.wait_for(live.communicate(), 30)
    assert live.returncode == 0
    lines = seen + rest.decode().splitlines()
    assert lines[0].startswith("TIME (UTC)")
    assert "event_taken" in rest.decode()
    assert lines[-1].split()[3] == "completed"

    errored, terminated = await finished
    assert (errored.code, errored.err) == (1, "")
    assert errored.lines[-1].split()[3:] == ["errored", "NonRetryableError:", "out", "of", "stock"]
    assert terminated.code == 1
    last = json.loads(terminated.lines[-1])
    assert (last["type"], last["reason"]) == ("terminated", "not needed")


async def test_control_commands_print_the_resulting_status(
    client: Client, worker: Worker, cli: Cli
) -> None:
    await client.create("napper", id="n1", params={"seconds": 600})
    for id in ("p1", "p2"):
        await (await client.create("pipeline", id=id)).result(timeout=30)
    await until_waiting(client, "napper", "n1")

    async def command(*args: str) -> str:
        ran = await cli("instances", *args)
        assert (ran.code, ran.err) == (0, ""), ran
        return ran.out

    async def pause_resume_terminate() -> None:
        assert await command("pause", "napper", "n1") == "instance n1 of workflow napper: paused\n"
        resumed = json.loads(await command("resume", "napper", "n1", "--json"))
        assert (resumed["id"], resumed["status"]) == ("n1", "waiting")
        assert await command("terminate", "napper", "n1", "--reason", "no longer needed") == (
            "instance n1 of workflow napper: terminated (reason: no longer needed)\n"
        )

    _, restarted, deleted = await asyncio.gather(
        pause_resume_terminate(),
        command("restart", "pipeline", "p1", "--from", "transform"),
        command("delete", "pipeline", "p2"),
    )
    assert restarted == "instance p1 of workflow pipeline: queued (restarted from step transform)\n"
    assert deleted == "instance p2 of workflow pipeline: deleted\n"
    assert await client.get_handle("pipeline", "p1").result(timeout=30) == "stored 3 rows"
    with pytest.raises(NotFoundError):
        await client.status("pipeline", "p2")


async def test_a_refused_command_exits_1_with_the_servers_message_on_stderr(
    client: Client, worker: Worker, cli: Cli, dev_server: DevServer
) -> None:
    await (await client.create("pipeline", id="r1")).result(timeout=30)
    resume, missing, bad_id, bad_key = await asyncio.gather(
        cli("instances", "resume", "pipeline", "r1"),
        cli("instances", "describe", "pipeline", "nope"),
        cli("instances", "create", "pipeline", "--id", "no spaces"),
        Cli(cli.env)("workflows", "list", "--address", dev_server.address, "--api-key", "bad"),
    )
    for ran in (resume, missing, bad_id, bad_key):
        assert (ran.code, ran.out) == (1, ""), ran
        assert ran.err.startswith("error: ") and ran.err.count("\n") == 1, ran.err
    assert "complete, not paused" in resume.err
    assert missing.err == (
        "error: INSTANCE_NOT_FOUND: instance 'nope' of workflow 'pipeline' not found\n"
    )
    assert bad_id.err.startswith("error: INVALID_FIELD: instance_id: 'no spaces' must match")
    assert "API key is not valid" in bad_key.err
    assert (await client.status("pipeline", "r1")).status is InstanceStatus.COMPLETE


async def test_send_event_says_whether_a_step_took_it_or_it_was_buffered(
    client: Client, worker: Worker, cli: Cli
) -> None:
    handle = await client.create("approval", id="e1")
    await client.create("napper", id="e2", params={"seconds": 600})
    await asyncio.gather(
        until_waiting(client, "approval", "e1"), until_waiting(client, "napper", "e2")
    )
    taken, buffered = await asyncio.gather(
        cli(
            *("instances", "send-event", "approval", "e1", "approved"),
            *("--payload", '{"by": "ann"}'),
        ),
        cli("instances", "send-event", "napper", "e2", "poke", "--json"),
    )
    assert taken.code == 0, taken.err
    assert taken.out.startswith("instance e1 of workflow approval: ")
    assert taken.out.endswith("(event 'approved' taken by a waiting step)\n")
    assert await handle.result(timeout=30) == {"by": "ann"}
    doc = buffered.json()
    assert doc["delivered"] is False and doc["instance"]["status"] == "waiting"


async def test_workflows_list_shows_each_workflow_with_its_instance_counts(
    client: Client, worker: Worker, cli: Cli
) -> None:
    for id in ("a", "b"):
        await (await client.create("pipeline", id=id)).result(timeout=30)
    text, doc = await asyncio.gather(
        cli("workflows", "list"),
        cli("workflows", "list", "--json"),
    )
    assert text.lines[0].split() == ["NAME", "TASK", "QUEUE", "REGISTERED", "(UTC)", "INSTANCES"]
    table = {row[0]: row for row in rows(text)}
    assert sorted(table) == ["approval", "doomed", "napper", "pipeline"]
    assert table["pipeline"][1] == "default" and table["pipeline"][3] == "2 complete"
    assert table["napper"][3] == "none"
    by_name = {w["name"]: w for w in doc.json()}
    assert by_name["pipeline"]["instances"] == {"complete": 2}
    assert datetime.fromisoformat(by_name["pipeline"]["registered_at"]).tzinfo is not None


def test_describe_shows_a_running_step_with_its_attempt_and_time_so_far() -> None:
    started = datetime.now(UTC) - timedelta(seconds=3.2)
    step = step_record("render", 1, 0.1, None, state="running", attempts=1)
    step = dataclasses.replace(step, attempt_started_at=started)
    assert step.running_attempt == 2
    text = render.step_outcome(step)
    assert re.fullmatch(r"attempt 2 running for 3\.\ds", text), text
    pending = step_record("render", 1, 0.1, None)
    assert pending.running_attempt is None and pending.running_for() is None


def test_describe_names_a_childs_parent_and_a_parents_children() -> None:
    from stepway.client import ChildInfo, ParentInfo

    kid = instance(
        parent=ParentInfo("order", "o-1", "child:ship", 1, 1, "terminate"),
        children=(
            ChildInfo("audit", "a-1", "child:audit", 1, "abandon", False, None),
            ChildInfo("pack", "p-1", "child:pack", 1, "terminate", True, InstanceStatus.COMPLETE),
        ),
    )
    text = render.describe(kid, color=False, width=100).splitlines()
    assert "Parent:                order/o-1 (step child:ship, depth 1)" in text
    assert "Child:                 audit/a-1 (step child:audit, running)" in text
    assert "Child:                 pack/p-1 (step child:pack, complete)" in text
