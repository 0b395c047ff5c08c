"""What the `stepway` command prints: tables, times, durations, colours and JSON documents.

Pure functions of the SDK's dataclasses; the command decides where the text goes. Times are UTC:
a table says so once, in its header, and `describe` after each time of its facts; durations
read `41ms`, `1.2s`, `3m 04s`, `2h 05m`, `3d 07h`.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from enum import Enum
from typing import Any

from stepway.client import (
    HistoryEvent,
    InstanceInfo,
    InstanceStatus,
    StepRecord,
    WorkflowBuild,
    WorkflowInfo,
)

TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
NONE = "-"
ELLIPSIS = "…"
GAP = "  "
# The narrowest the free-text column of a table gets, however narrow the terminal.
MIN_TEXT_WIDTH = 10

_RESET = "\033[0m"
_GREEN, _RED, _YELLOW, _CYAN = "\033[32m", "\033[31m", "\033[33m", "\033[36m"
_ANSI = re.compile(r"\033\[[0-9;]*m")

# Instance statuses, step states and history event types, by what they mean to a reader:
# done well, gone wrong, held, moving.
_COLORS = {
    "complete": _GREEN,
    "succeeded": _GREEN,
    "completed": _GREEN,
    "step_succeeded": _GREEN,
    "errored": _RED,
    "failed": _RED,
    "terminated": _RED,
    "step_failed": _RED,
    "step_attempt_failed": _RED,
    "waiting": _YELLOW,
    "paused": _YELLOW,
    "waitingForPause": _YELLOW,
    "pause_requested": _YELLOW,
    "sleeping": _YELLOW,
    "waiting_for_event": _YELLOW,
    "call_scheduled": _YELLOW,
    "running": _CYAN,
    "queued": _CYAN,
    "pending": _CYAN,
}

# A step kind as the table names it; the others keep their own name.
_STEP_KINDS = {"wait_for_event": "event"}


def color_enabled(isatty: bool, environ: Mapping[str, str]) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    return isatty and not environ.get("NO_COLOR")


def paint(word: str, color: bool) -> str:
    """A status word in its colour; as is for words without one or when colour is off."""
    code = _COLORS.get(word)
    return f"{code}{word}{_RESET}" if color and code else word


def visible_len(text: str) -> int:
    """The width text takes on a terminal: its length without colour codes."""
    return len(_ANSI.sub("", text))


# ---------------------------------------------------------------------- values


def format_time(when: datetime | None) -> str:
    """A UTC time to the second, `2026-11-25 06:17:13`; `-` when unset."""
    if when is None:
        return NONE
    return when.astimezone(UTC).strftime(TIME_FORMAT)


def format_time_ms(when: datetime | None) -> str:
    """A UTC time to the millisecond, as history lines show it (retries and wakes are often
    less than a second apart)."""
    if when is None:
        return NONE
    return when.astimezone(UTC).strftime(TIME_FORMAT + ".%f")[:-3]


def format_clock(when: datetime | None, day: date | None) -> str:
    """Only the time of day when `when` falls on `day` (UTC), else the full time."""
    if when is None:
        return NONE
    utc = when.astimezone(UTC)
    return utc.strftime("%H:%M:%S") if utc.date() == day else utc.strftime(TIME_FORMAT)


def format_duration(span: timedelta | None) -> str:
    """A duration to two significant units: `41ms`, `1.2s`, `3m 04s`, `2h 05m`, `3d 07h`."""
    if span is None:
        return NONE
    micros = max(span // timedelta(microseconds=1), 0)
    if micros < 1_000_000:
        return f"{micros // 1000}ms"
    if micros < 60_000_000:
        tenths = micros // 100_000
        return f"{tenths // 10}.{tenths % 10}s"
    seconds = micros // 1_000_000
    if seconds < 3600:
        return f"{seconds // 60}m {seconds % 60:02d}s"
    if seconds < 86_400:
        return f"{seconds // 3600}h {seconds % 3600 // 60:02d}m"
    return f"{seconds // 86_400}d {seconds % 86_400 // 3600:02d}h"


def format_span(span: timedelta) -> str:
    """A configured length of time in whole units, without zeros: `30d`, `12h`, `1m 30s`."""
    seconds = max(int(span.total_seconds()), 0)
    parts = []
    for unit, size in (("d", 86_400), ("h", 3600), ("m", 60), ("s", 1)):
        if seconds >= size:
            parts.append(f"{seconds // size}{unit}")
            seconds %= size
    return " ".join(parts) or "0s"


def format_value(value: Any) -> str:
    """A payload as one line of JSON."""
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "), default=str)


def one_line(text: str) -> str:
    """Text with each run of whitespace, newlines included, made one space."""
    return " ".join(text.split())


def truncate(text: str, width: int) -> str:
    """Text cut to width characters, the last one `…` when anything was cut."""
    if len(text) <= width:
        return text
    return text[: width - 1] + ELLIPSIS if width > 0 else ""


# ---------------------------------------------------------------------- tables


def column_widths(rows: Iterable[Sequence[str]], start: Sequence[int] = ()) -> list[int]:
    """The width of each column: its widest cell, and at least the width in start."""
    widths = list(start)
    for row in rows:
        for n, cell in enumerate(row):
            if n == len(widths):
                widths.append(0)
            widths[n] = max(widths[n], visible_len(cell))
    return widths


def format_row(row: Sequence[str], widths: Sequence[int], right: Collection[int] = ()) -> str:
    """One table line: cells padded to their column's width, two spaces apart."""
    cells = []
    for n, cell in enumerate(row):
        pad = " " * (widths[n] - visible_len(cell))
        cells.append(pad + cell if n in right else cell + pad)
    return GAP.join(cells).rstrip()


def table(
    header: Sequence[str], rows: Sequence[Sequence[str]], right: Collection[int] = ()
) -> list[str]:
    """A header line and one aligned line per row."""
    widths = column_widths([header, *rows])
    return [format_row(row, widths, right) for row in [header, *rows]]


# ---------------------------------------------------------------------- instances

INSTANCE_HEADER = ("WORKFLOW", "ID", "STATUS", "CREATED (UTC)", "DURATION", "STEP")
INSTANCE_RIGHT = frozenset({4})


def instance_row(info: InstanceInfo, color: bool) -> list[str]:
    """A listing's row: workflow, id, status, created, duration, current step."""
    return [
        info.workflow,
        info.id,
        paint(info.status.value, color),
        format_time(info.created_at),
        format_duration(info.duration),
        info.current_step or NONE,
    ]


def instance_table(instances: Sequence[InstanceInfo], color: bool) -> list[str]:
    """A listing as an aligned table, newest first as the server gives it."""
    if not instances:
        return ["no instances"]
    return table(INSTANCE_HEADER, [instance_row(i, color) for i in instances], INSTANCE_RIGHT)


def next_page_hint(
    cursor: str,
    *,
    workflow: str | None,
    statuses: Sequence[str],
    since: datetime | None,
    until: datetime | None,
    limit: int,
) -> str:
    """The last line of a page that is not the last: the command that prints the next one.

    Relative times are given as the absolute times they meant, so that the next page continues
    the same listing.
    """
    words = ["stepway", "instances", "list"]
    if workflow:
        words += ["--workflow", workflow]
    if statuses:
        words += ["--status", *statuses]
    if since is not None:
        words += ["--since", _iso_utc(since)]
    if until is not None:
        words += ["--until", _iso_utc(until)]
    words += ["--limit", str(limit), "--cursor", cursor]
    return "more instances: " + " ".join(words)


def _iso_utc(when: datetime) -> str:
    return when.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def instance_line(workflow: str, id: str, what: str, color: bool, note: str = "") -> str:
    """The one line a control command prints: the instance and its status after it."""
    line = f"instance {id} of workflow {workflow}: {paint(what, color)}"
    return f"{line} ({note})" if note else line


def created_line(workflow: str, id: str, created: bool) -> str:
    """What `create` prints: the id, and whether the call made it or found it."""
    if created:
        return f"created instance {id} of workflow {workflow}"
    return f"instance {id} of workflow {workflow} already exists (left as it was)"


# ---------------------------------------------------------------------- describe

STEP_HEADER = ("STEP", "TYPE", "START", "END", "DURATION", "ATTEMPTS", "STATE", "OUTPUT")
STEP_RIGHT = frozenset({4, 5})
# Header labels are padded to the longest one's width, plus a gap.
_LABEL_WIDTH = len("Last successful step:") + len(GAP)


def describe(info: InstanceInfo, *, color: bool, width: int) -> str:
    """An instance at a glance: a header of facts, then its steps as a table."""
    lines = [f"{label}:".ljust(_LABEL_WIDTH) + value for label, value in _facts(info, color, width)]
    lines.append("")
    if info.steps:
        day = info.created_at.astimezone(UTC).date() if info.created_at else None
        lines += step_table(info.steps, day=day, color=color, width=width)
    else:
        lines.append("no steps yet")
    return "\n".join(lines)


def _facts(info: InstanceInfo, color: bool, width: int) -> list[tuple[str, str]]:
    facts = [
        ("Workflow", info.workflow),
        ("Instance", info.id),
        ("Status", paint(info.status.value, color)),
        ("Created", _utc(info.created_at)),
        ("Started", _utc(info.started_at)),
        ("Ended", _utc(info.ended_at)),
        ("Duration", format_duration(info.duration)),
    ]
    if not info.status.finished and info.current_step:
        facts.append(("Current step", info.current_step))
    facts.append(("Last successful step", info.last_successful_step or NONE))
    if info.build_id:
        facts.append(("Build", info.build_id))
    if info.blocked is not None:
        facts.append(("Blocked", one_line(f"non-determinism: {info.blocked.message}")))
    if info.error is not None:
        facts.append(("Error", one_line(f"{info.error.type}: {info.error.message}")))
    if info.rollback is not None:
        facts.append(("Rollback", _rollback(info)))
    room = max(width - _LABEL_WIDTH, MIN_TEXT_WIDTH)
    if info.params is not None:
        facts.append(("Params", truncate(format_value(info.params), room)))
    if info.output is not None:
        facts.append(("Output", truncate(format_value(info.output), room)))
    facts.append(("Retention", _retention(info)))
    if info.parent is not None:
        p = info.parent
        facts.append(("Parent", f"{p.workflow}/{p.id} (step {p.step_name}, depth {p.depth})"))
    for child in info.children:
        status = child.status.value if child.status is not None else "running"
        facts.append(("Child", f"{child.workflow}/{child.id} (step {child.step_name}, {status})"))
    return facts


def _rollback(info: InstanceInfo) -> str:
    """The instance's rollback outcome, with the step whose rollback failed and its error."""
    text = (info.rollback or "").replace("_", " ")
    if info.rollback_step is not None:
        text += f": step {info.rollback_step!r} #{info.rollback_step_seq or 1}"
        if info.rollback_error is not None:
            text += f", {info.rollback_error.type}: {info.rollback_error.message}"
    return one_line(text)


def _utc(when: datetime | None) -> str:
    return f"{format_time(when)} UTC" if when is not None else NONE


def _retention(info: InstanceInfo) -> str:
    kept = format_span(info.retention) if info.retention is not None else "account default"
    if info.expires_at is not None:
        return f"{kept}, deleted after {format_time(info.expires_at)}"
    return f"{kept} once finished"


def step_table(
    steps: Sequence[StepRecord], *, day: date | None, color: bool, width: int
) -> list[str]:
    """The step journal as a table; the output column takes what room the terminal has left."""
    rows = [
        [
            step.name,
            _STEP_KINDS.get(step.kind, step.kind),
            format_clock(step.started_at, day),
            format_clock(step.ended_at, day),
            format_duration(step.duration),
            str(step.attempts) if step.attempts else NONE,
            step.state,
        ]
        for step in steps
    ]
    widths = column_widths([STEP_HEADER[:-1], *rows])
    room = max(width - sum(widths) - len(GAP) * len(widths), MIN_TEXT_WIDTH)
    for row, step in zip(rows, steps, strict=True):
        row[6] = paint(step.state, color)
        row.append(truncate(step_outcome(step), room))
    widths = column_widths([STEP_HEADER, *rows])
    return [format_row(row, widths, STEP_RIGHT) for row in [STEP_HEADER, *rows]]


def step_outcome(step: StepRecord) -> str:
    """A step's output, its error once it failed, or what a pending step waits for."""
    if step.state == "failed" and step.error is not None:
        return one_line(f"{step.error.type}: {step.error.message}")
    if step.state == "running":
        elapsed = step.running_for()
        ran = f" for {format_duration(elapsed)}" if elapsed is not None else ""
        return f"attempt {step.running_attempt} running{ran}"
    if step.state == "pending":
        until = format_time(step.wake_at)
        if step.kind == "sleep":
            return f"wakes at {until}"
        if step.kind == "wait_for_event":
            return f"waits for event {step.event_type!r} until {until}"
        if step.wake_at is not None:
            cause = f" after {step.error.type}: {step.error.message}" if step.error else ""
            return one_line(f"retry at {until}{cause}")
        if step.kind == "call":
            last = f" (last attempt: {step.error.type}: {step.error.message})" if step.error else ""
            return one_line(f"waits for a step worker's result{last}")
        return ""
    return one_line(format_value(step.output))


# ---------------------------------------------------------------------- history

HISTORY_HEADER = ("TIME (UTC)", "SEQ", "TYPE", "STEP #ATTEMPT", "DETAILS")
# Fixed columns, so that `watch` can print each line as it comes and stay aligned.
HISTORY_WIDTHS = (23, 4, 20, 16, 0)
HISTORY_RIGHT = frozenset({1})


def history_header() -> str:
    """The header line above history lines."""
    return format_row(HISTORY_HEADER, HISTORY_WIDTHS, HISTORY_RIGHT)


def history_line(event: HistoryEvent, color: bool) -> str:
    """One transition: time, seq, type, step and attempt, then its details."""
    step = event.step_name or ""
    if event.attempt is not None:
        step = f"{step} #{event.attempt}" if step else f"#{event.attempt}"
    row = [
        format_time_ms(event.time),
        str(event.seq),
        paint(event.type, color),
        step,
        history_details(event),
    ]
    return format_row(row, HISTORY_WIDTHS, HISTORY_RIGHT)


def history_details(event: HistoryEvent) -> str:
    """What else a transition carries: a call's step type and queue, error, retry or wake
    time, event type, worker, reason."""
    details = []
    if event.step_type is not None:
        details.append(f"step type {event.step_type!r} on queue {event.task_queue or ''!r}")
    if event.event_type is not None:
        details.append(f"event {event.event_type!r}")
    if event.until is not None:
        label = {"step_retry_scheduled": "retry at", "waiting_for_event": "timeout at"}
        details.append(f"{label.get(event.type, 'until')} {format_time_ms(event.until)}")
    if event.error is not None:
        details.append(f"{event.error.type}: {event.error.message}")
    if event.worker is not None:
        details.append(f"worker {event.worker}")
    if event.build_id is not None:
        details.append(f"build {event.build_id!r}")
    if event.reason is not None:
        details.append(f"reason: {event.reason}")
    return one_line("; ".join(details))


def history(events: Sequence[HistoryEvent], color: bool) -> str:
    """Every transition, oldest first, under a header."""
    return "\n".join([history_header(), *(history_line(e, color) for e in events)])


# ---------------------------------------------------------------------- workflows

WORKFLOW_HEADER = ("NAME", "TASK QUEUE", "REGISTERED (UTC)", "INSTANCES")
BUILD_HEADER = ("BUILD", "NEWEST", "POLLING", "FIRST REGISTERED (UTC)", "BLOCKED", "INSTANCES")


def build_label(build_id: str | None) -> str:
    """A build id as people read it: "(unversioned)" for "", "(none yet)" for None."""
    if build_id is None:
        return "(none yet)"
    return build_id or "(unversioned)"


def build_table(builds: Sequence[WorkflowBuild], color: bool) -> list[str]:
    """A workflow's builds, newest first, with their instance counts by status."""
    if not builds:
        return ["no builds registered and no instances"]
    rows = [
        [
            build_label(None if b.unassigned else b.build_id),
            "yes" if b.newest else "",
            "" if b.unassigned else ("yes" if b.polling else "no"),
            format_time(b.first_registered_at) if b.first_registered_at else NONE,
            str(b.blocked),
            instance_counts(b.instances, color),
        ]
        for b in builds
    ]
    return table(BUILD_HEADER, rows)


def instance_counts(counts: Mapping[InstanceStatus, int], color: bool) -> str:
    """`2 complete, 1 running`, in the order of the statuses; `none` when there are none."""
    parts = [
        f"{counts[status]} {paint(status.value, color)}"
        for status in InstanceStatus
        if counts.get(status)
    ]
    return ", ".join(parts) or "none"


def workflow_table(workflows: Sequence[WorkflowInfo], color: bool) -> list[str]:
    """The registered workflows with their instance counts by status."""
    if not workflows:
        return ["no workflows registered (a worker registers the workflows it runs)"]
    rows = [
        [w.name, w.task_queue, format_time(w.registered_at), instance_counts(w.instances, color)]
        for w in workflows
    ]
    return table(WORKFLOW_HEADER, rows)


# ---------------------------------------------------------------------- JSON


def jsonable(value: Any) -> Any:
    """A value made of JSON's types: dataclasses as dicts, enums as their values, datetimes as
    ISO 8601 strings, timedeltas as seconds (a whole number when whole: 2592000, not 2592000.0)."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, timedelta):
        seconds = value.total_seconds()
        return int(seconds) if seconds.is_integer() else seconds
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(jsonable(k)): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def to_json(value: Any) -> str:
    """A value as an indented JSON document."""
    return json.dumps(jsonable(value), indent=2, ensure_ascii=False)


def to_json_line(value: Any) -> str:
    """A value as one line of JSON, for streams (JSON Lines)."""
    return json.dumps(jsonable(value), ensure_ascii=False, separators=(",", ":"))
