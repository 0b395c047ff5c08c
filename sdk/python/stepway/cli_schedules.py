"""The `stepway schedules` commands: create, list, describe, pause, resume, update, delete,
trigger and backfill the account's schedules (stepway.schedules), with the output, errors and
exit codes of every client command (stepway._cli_base).

`describe` shows the next fire times in the schedule's time zone (a cron's; the machine's
for an interval) and in UTC, and the last runs with their instances' status.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from datetime import UTC, datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from stepway import _render as render
from stepway._cli_base import CommandError, View
from stepway.cli import (
    DEFAULT_LIMIT,
    _client_command,
    parse_json,
    parse_limit,
    parse_span,
    parse_time,
)
from stepway.client import Client
from stepway.schedules import Overlap, Schedule, ScheduleRun

OVERLAPS = [o.value for o in Overlap]
# Next fire times `describe` shows unless --next says otherwise, and the most the server gives.
DESCRIBE_NEXT = 5
MAX_NEXT = 100
SCHEDULE_HEADER = ("ID", "WORKFLOW", "SPEC", "OVERLAP", "STATE", "NEXT FIRE (UTC)", "FIRED")
SCHEDULE_RIGHT = frozenset({6})
RUN_HEADER = ("SCHEDULED (UTC)", "CREATED (UTC)", "WORKFLOW", "INSTANCE", "STATUS")
_LABEL_WIDTH = len("Catch-up window:") + len(render.GAP)


def add_schedule_commands(sub: Any) -> None:
    """Registers `stepway schedules` on the `stepway` parser's subcommands."""
    schedules = sub.add_parser("schedules", help="start workflows on a cron or an interval")
    ssub = schedules.add_subparsers(dest="action", required=True, metavar="ACTION")

    create = _client_command(ssub, "create", _create, "create a schedule")
    create.add_argument("schedule_id", metavar="SCHEDULE_ID", help="the schedule's id")
    create.add_argument("workflow", help="the workflow each fire starts")
    _spec_args(create, required=True)
    create.add_argument(
        "--paused", action="store_true", help="create it paused (resume it to start)"
    )

    listing = _client_command(
        ssub,
        "list",
        _list,
        "list schedules by id, each with its next fire time",
        json_help="print a JSON document: {schedules, next_page_token}",
    )
    listing.add_argument(
        "--limit",
        type=parse_limit,
        default=DEFAULT_LIMIT,
        help="rows per page (default %(default)s, at most 1000)",
    )
    paging = listing.add_mutually_exclusive_group()
    paging.add_argument(
        "--cursor", help="show the page that this token, from a previous page, names"
    )
    paging.add_argument("--all", action="store_true", help="every schedule, page by page")

    describe = _client_command(
        ssub, "describe", _describe, "a schedule's spec, next fire times and recent runs"
    )
    _id_arg(describe)
    describe.add_argument(
        "--next",
        type=_parse_next,
        default=DESCRIBE_NEXT,
        metavar="N",
        help=f"how many next fire times to show (default %(default)s, at most {MAX_NEXT})",
    )

    for name, handler, text in (
        ("pause", _pause, "pause a schedule: no fire until resumed"),
        ("resume", _resume, "resume a paused schedule from now"),
    ):
        command = _client_command(ssub, name, handler, text)
        _id_arg(command)
        command.add_argument("--note", default="", help="why, shown by describe")

    update = _client_command(
        ssub, "update", _update, "change a schedule's spec, workflow or policy; the rest stays"
    )
    _id_arg(update)
    update.add_argument("--workflow", help="the workflow each fire starts")
    _spec_args(update, required=False)

    delete = _client_command(
        ssub, "delete", _delete, "delete a schedule (the instances it created are kept)"
    )
    _id_arg(delete)

    trigger = _client_command(
        ssub, "trigger", _trigger, "fire a schedule now, once, even when paused"
    )
    _id_arg(trigger)
    _overlap_arg(trigger, "this fire's overlap policy (default: the schedule's)")

    backfill = _client_command(
        ssub,
        "backfill",
        _backfill,
        "fire a schedule for each time its spec gives in a past range, as if on time",
    )
    _id_arg(backfill)
    backfill.add_argument(
        "--start",
        type=parse_time,
        required=True,
        metavar="TIME",
        help="the range's first time: ISO 8601, or an age (2h, 3d)",
    )
    backfill.add_argument(
        "--end",
        type=parse_time,
        required=True,
        metavar="TIME",
        help="the range's end (excluded): ISO 8601, or an age (2h, 3d)",
    )
    _overlap_arg(backfill, "the overlap policy between the backfilled fires (default allow_all)")


def _id_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("schedule_id", metavar="SCHEDULE_ID", help="the schedule's id")


def _overlap_arg(p: argparse.ArgumentParser, text: str) -> None:
    p.add_argument("--overlap", choices=OVERLAPS, help=f"{text}: {', '.join(OVERLAPS)}")


def _spec_args(p: argparse.ArgumentParser, *, required: bool) -> None:
    """The options of a schedule's spec, action and policy; create needs a trigger."""
    trigger = p.add_mutually_exclusive_group(required=required)
    trigger.add_argument(
        "--cron",
        metavar="EXPR",
        help="a cron expression: five fields (or six, seconds first), or @hourly, @daily, "
        "@weekly, @monthly, @yearly",
    )
    trigger.add_argument(
        "--every", type=parse_span, metavar="SPAN", help="a fixed interval: 90s, 30m, 12h, 7d"
    )
    p.add_argument("--time-zone", metavar="TZ", help="the IANA time zone of --cron (default UTC)")
    p.add_argument(
        "--offset",
        type=parse_span,
        metavar="SPAN",
        help="the phase of --every within its interval, since the Unix epoch (default 0s)",
    )
    p.add_argument(
        "--start", type=parse_time, metavar="TIME", help="no fire before TIME (ISO 8601)"
    )
    p.add_argument(
        "--end", type=parse_time, metavar="TIME", help="no fire at or after TIME (ISO 8601)"
    )
    p.add_argument(
        "--jitter",
        type=parse_span,
        metavar="SPAN",
        help="delay each fire by a random time below SPAN",
    )
    p.add_argument(
        "--params", type=parse_json, help="the params as JSON, or @FILE to read them from a file"
    )
    p.add_argument(
        "--task-queue", help="the task queue its instances wait on (default: the workflow's)"
    )
    p.add_argument(
        "--retention",
        type=parse_span,
        help="how long to keep each instance once finished (default: the account's)",
    )
    _overlap_arg(
        p,
        "what a fire does while an earlier instance runs" + (" (default skip)" if required else ""),
    )
    p.add_argument(
        "--catchup-window",
        type=parse_span,
        metavar="SPAN",
        help="after the server was away, fires later than this are missed (default 1m)",
    )


def _parse_next(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= MAX_NEXT:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number from 1 to {MAX_NEXT}")
    return value


# ---------------------------------------------------------------------- what they print


def spec_text(schedule: Schedule) -> str:
    """The trigger in a few words: `cron "0 3 * * *" Europe/Paris`, `every 1h +15m`."""
    if schedule.cron is not None:
        return f'cron "{schedule.cron}" {schedule.time_zone or "UTC"}'
    every = render.format_span(schedule.every) if schedule.every is not None else render.NONE
    if schedule.offset:
        return f"every {every} +{render.format_span(schedule.offset)}"
    return f"every {every}"


def state_text(schedule: Schedule, color: bool) -> str:
    return render.paint("paused", color) if schedule.paused else "active"


def schedule_row(schedule: Schedule, color: bool) -> list[str]:
    """A listing's row: id, workflow, spec, overlap, state, next fire, fires."""
    nxt = schedule.next_fire_times[0] if schedule.next_fire_times else None
    return [
        schedule.id,
        schedule.workflow,
        spec_text(schedule),
        schedule.overlap.value,
        state_text(schedule, color),
        render.format_time(nxt),
        f"{schedule.fired:,}",
    ]


def schedule_table(schedules: Sequence[Schedule], color: bool) -> list[str]:
    if not schedules:
        return ["no schedules"]
    rows = [schedule_row(s, color) for s in schedules]
    return render.table(SCHEDULE_HEADER, rows, SCHEDULE_RIGHT)


def _zone(schedule: Schedule) -> tzinfo:
    """Where describe's local times are read: the cron's time zone, else the machine's."""
    if schedule.time_zone:
        try:
            return ZoneInfo(schedule.time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return datetime.now(UTC).astimezone().tzinfo or UTC


def _span(value: Any) -> str:
    return render.format_span(value) if value is not None else render.NONE


def _utc(when: datetime | None) -> str:
    return f"{render.format_time(when)} UTC" if when is not None else render.NONE


def describe_text(schedule: Schedule, *, color: bool, width: int) -> str:
    """A schedule at a glance: its settings, its next fire times, and its recent runs."""
    room = max(width - _LABEL_WIDTH, render.MIN_TEXT_WIDTH)
    state = state_text(schedule, color)
    facts = [
        ("Schedule", schedule.id),
        ("Workflow", schedule.workflow),
        ("Spec", spec_text(schedule)),
        ("State", f"{state} ({schedule.note})" if schedule.note else state),
        ("Start", _utc(schedule.start)),
        ("End", _utc(schedule.end)),
        ("Jitter", _span(schedule.jitter)),
        ("Overlap", schedule.overlap.value),
        ("Catch-up window", _span(schedule.catchup_window)),
        ("Task queue", schedule.task_queue or "the workflow's"),
        ("Retention", _span(schedule.retention) if schedule.retention else "the account's"),
        ("Params", render.truncate(render.format_value(schedule.params), room)),
        ("Created", _utc(schedule.created_at)),
        ("Updated", _utc(schedule.updated_at)),
        (
            "Fires",
            f"{schedule.fired:,} fired, {schedule.skipped:,} skipped, {schedule.missed:,} missed",
        ),
    ]
    lines = [f"{label}:".ljust(_LABEL_WIDTH) + value for label, value in facts]
    lines.append("")
    zone = _zone(schedule)
    if schedule.next_fire_times:
        rows = [
            [
                t.astimezone(zone).strftime(f"{render.TIME_FORMAT} %Z"),
                render.format_time(t),
            ]
            for t in schedule.next_fire_times
        ]
        lines += render.table((f"NEXT FIRE ({zone})", "UTC"), rows)
    else:
        why = "paused" if schedule.paused else "past its end"
        lines.append(f"no next fire ({why})")
    lines.append("")
    lines += run_table(schedule.recent_runs, color)
    return "\n".join(lines)


def run_table(runs: Sequence[ScheduleRun], color: bool) -> list[str]:
    """The recent runs, newest first, with their instances' workflow and status."""
    if not runs:
        return ["no runs yet"]
    rows = [
        [
            render.format_time(r.scheduled_at),
            render.format_time(r.created_at),
            r.workflow,
            r.instance_id,
            render.paint(r.status.value if r.status.value != "unknown" else "deleted", color),
        ]
        for r in runs
    ]
    return render.table(RUN_HEADER, rows)


def schedule_line(schedule: Schedule, what: str, color: bool) -> str:
    """The one line a command prints about the schedule it changed."""
    nxt = schedule.next_fire_times[0] if schedule.next_fire_times else None
    when = f"; next fire {_utc(nxt)}" if nxt is not None else ""
    return f"schedule {schedule.id} {render.paint(what, color)}{when}"


# ---------------------------------------------------------------------- handlers


def _settings(args: argparse.Namespace) -> dict[str, Any]:
    """The spec, action and policy options given on the command line, by their SDK names."""
    names = (
        "cron",
        "time_zone",
        "every",
        "offset",
        "start",
        "end",
        "jitter",
        "params",
        "task_queue",
        "retention",
        "overlap",
        "catchup_window",
    )
    return {name: getattr(args, name) for name in names if getattr(args, name) is not None}


async def _create(client: Client, args: argparse.Namespace, view: View) -> int:
    try:
        made = await client.schedules.create(
            args.schedule_id, args.workflow, paused=args.paused, **_settings(args)
        )
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    return view.result(made, schedule_line(made, "created", view.color))


async def _list(client: Client, args: argparse.Namespace, view: View) -> int:
    if args.all:
        found = [s async for s in client.schedules.list(page_size=args.limit)]
        token = None
    else:
        page = await client.schedules.list_page(args.limit, args.cursor)
        found, token = page.schedules, page.next_page_token
    if view.output == "jsonl":
        return view.result(found, "")
    lines = schedule_table(found, view.color)
    if token is not None:
        lines.append(
            f"more schedules: stepway schedules list --limit {args.limit} --cursor {token}"
        )
    return view.result({"schedules": found, "next_page_token": token}, "\n".join(lines))


async def _describe(client: Client, args: argparse.Namespace, view: View) -> int:
    schedule = await client.schedules.get(args.schedule_id, next_fire_times=args.next)
    return view.result(schedule, describe_text(schedule, color=view.color, width=view.width))


async def _pause(client: Client, args: argparse.Namespace, view: View) -> int:
    schedule = await client.schedules.pause(args.schedule_id, args.note)
    return view.result(schedule, schedule_line(schedule, "paused", view.color))


async def _resume(client: Client, args: argparse.Namespace, view: View) -> int:
    schedule = await client.schedules.resume(args.schedule_id, args.note)
    return view.result(schedule, schedule_line(schedule, "resumed", view.color))


async def _update(client: Client, args: argparse.Namespace, view: View) -> int:
    changes = _settings(args)
    if args.workflow is not None:
        changes["workflow"] = args.workflow
    if not changes:
        args.parser.error("name at least one setting to change, e.g. --cron or --every")
    try:
        schedule = await client.schedules.update(args.schedule_id, **changes)
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    return view.result(schedule, schedule_line(schedule, "updated", view.color))


async def _delete(client: Client, args: argparse.Namespace, view: View) -> int:
    await client.schedules.delete(args.schedule_id)
    document = {"schedule_id": args.schedule_id, "deleted": True}
    return view.result(document, f"schedule {args.schedule_id} deleted")


async def _trigger(client: Client, args: argparse.Namespace, view: View) -> int:
    instance_id = await client.schedules.trigger(args.schedule_id, args.overlap)
    document = {"schedule_id": args.schedule_id, "instance_id": instance_id}
    if instance_id is None:
        text = f"schedule {args.schedule_id} fired: skipped by its overlap policy"
    else:
        text = f"schedule {args.schedule_id} fired: created instance {instance_id}"
    return view.result(document, text)


async def _backfill(client: Client, args: argparse.Namespace, view: View) -> int:
    done = await client.schedules.backfill(args.schedule_id, args.start, args.end, args.overlap)
    text = (
        f"schedule {args.schedule_id} backfilled: {done.created:,} created, "
        f"{done.existing:,} existed already, {done.skipped:,} skipped"
    )
    return view.result(done, text)
