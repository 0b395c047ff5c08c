"""Long CLI work over many instances: `stepway instances create --from-file FILE.jsonl`,
`stepway instances bulk ACTION`, both with a progress bar on a terminal (stepway._progress),
and `stepway instances delete`: instances by id, or every finished one a filter matches.

`bulk` applies pause, resume, terminate or delete to every instance a filter matches (the
filters of `instances list`). Without --yes it only says how many instances it would touch.
"""

from __future__ import annotations

import argparse
import asyncio
import re
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from stepway import _render as render
from stepway import strict_json
from stepway._cli_base import CommandError, View, error_message, report_error
from stepway._progress import Count, Progress
from stepway.cli import (
    LATEST,
    STATUSES,
    _client_command,
    check_workflow,
    latest_id,
    list_pages,
    parse_time,
)
from stepway.client import MAX_BATCH, Client, InstanceInfo, NewInstance
from stepway.errors import NotFoundError, StepwayError

# Instances per CreateInstances call when `instances create --from-file` reads a file.
BATCH_SIZE = 500
# An item's place in its CreateInstances call, which names its fields there; it means nothing
# to the file's reader, who is told the item's number in the file.
_BATCH_PLACE = re.compile(r"^instances\[\d+\]\.")
# Calls `instances bulk` keeps in flight at once.
BULK_CONCURRENCY = 16
# What each bulk action does to one instance, and the word its summary uses.
ACTIONS: dict[str, tuple[str, Callable[[Client, InstanceInfo, str], Awaitable[Any]]]] = {
    "pause": ("paused", lambda c, i, _: c.pause(i.workflow, i.id)),
    "resume": ("resumed", lambda c, i, _: c.resume(i.workflow, i.id)),
    "terminate": ("terminated", lambda c, i, reason: c.terminate(i.workflow, i.id, reason)),
    "delete": ("deleted", lambda c, i, _: c.delete(i.workflow, i.id)),
}


def add_bulk_command(isub: Any) -> None:
    """Registers `stepway instances bulk` on the `instances` command's subcommands."""
    bulk = _client_command(
        isub,
        "bulk",
        _bulk,
        "pause, resume, terminate or delete every instance a filter matches",
    )
    bulk.add_argument("action", choices=sorted(ACTIONS))
    bulk.add_argument("--workflow", required=True, help="the workflow whose instances to touch")
    bulk.add_argument(
        "--status",
        nargs="+",
        action="extend",
        choices=STATUSES,
        metavar="STATUS",
        help=f"only instances in these statuses: {', '.join(STATUSES)}",
    )
    bulk.add_argument("--since", type=parse_time, help="created at or after TIME")
    bulk.add_argument("--until", type=parse_time, help="created before TIME")
    bulk.add_argument("--reason", default="", help="terminate: why, kept in each history")
    bulk.add_argument(
        "--yes", action="store_true", help="do it; without, only say how many it would touch"
    )


# The statuses a delete by filter may name: the final ones.
FINAL_STATUSES = ("complete", "errored", "terminated")


def add_delete_command(isub: Any) -> None:
    """Registers `stepway instances delete`: WORKFLOW ID... or a filter."""
    delete = _client_command(
        isub,
        "delete",
        _delete,
        "delete finished instances: WORKFLOW ID... by id, or every one that --status, "
        "--before and --workflow match",
    )
    delete.add_argument(
        "ids",
        nargs="*",
        metavar="WORKFLOW ID",
        help=f"a workflow and the ids of its instances to delete; {LATEST}: its newest",
    )
    delete.add_argument(
        "--status",
        nargs="+",
        action="extend",
        choices=FINAL_STATUSES,
        metavar="STATUS",
        help=f"delete by filter: only these statuses ({', '.join(FINAL_STATUSES)}; default all)",
    )
    delete.add_argument(
        "--before",
        type=parse_time,
        metavar="TIME",
        help="delete by filter: only instances created before TIME",
    )
    delete.add_argument("--workflow", help="delete by filter: only this workflow's instances")


async def _delete(client: Client, args: argparse.Namespace, view: View) -> int:
    by_filter = args.status or args.before or args.workflow
    if by_filter and args.ids:
        raise CommandError("give WORKFLOW ID... or filters (--status, --before, --workflow)")
    if by_filter:
        return await _delete_where(client, args, view)
    if len(args.ids) < 2:
        raise CommandError("give WORKFLOW ID... (or --status, --before, --workflow)")
    workflow, ids = args.ids[0], args.ids[1:]
    if len(ids) == 1:
        return await _delete_one(client, workflow, ids[0], view)
    refusals: list[dict[str, str]] = []
    for start in range(0, len(ids), MAX_BATCH):
        chunk = ids[start : start + MAX_BATCH]
        for result in await client.delete_instances((workflow, i) for i in chunk):
            if result.error is not None:
                refusals.append({"id": result.id, "error": error_message(result.error)})
    deleted = len(ids) - len(refusals)
    lines = [f"deleted {deleted:,} of {len(ids):,} instance(s) of workflow {workflow}"]
    lines += [f"  {r['id']}: {r['error']}" for r in refusals]
    view.result({"workflow": workflow, "deleted": deleted, "refusals": refusals}, "\n".join(lines))
    if refusals:
        return report_error(args, f"{len(refusals):,} instance(s) not deleted")
    return 0


async def _delete_one(client: Client, workflow: str, id: str, view: View) -> int:
    """One instance, as `instances delete WORKFLOW ID` always did (`latest` included)."""
    try:
        if id == LATEST:
            id = await latest_id(client, workflow)
        await client.delete(workflow, id)
    except NotFoundError:
        await check_workflow(client, workflow)
        raise
    document = {"workflow": workflow, "id": id, "deleted": True}
    return view.result(document, render.instance_line(workflow, id, "deleted", view.color))


async def _delete_where(client: Client, args: argparse.Namespace, view: View) -> int:
    """Every finished instance the filter matches, a call of up to 1,000 at a time, with the
    count so far on stderr."""
    with Count("deleting") as count:
        while True:
            step = await client.delete_where(
                args.workflow, status=args.status, created_before=args.before
            )
            count.advance(step.count)
            if not step.more:
                break
    return view.result({"deleted": count.done}, f"deleted {count.done:,} instance(s)")


def read_batch(path: Path) -> list[NewInstance]:
    """The instances a JSON Lines file lists, one object a line (blank lines skipped)."""
    try:
        text = path.read_text()
    except OSError as err:
        raise CommandError(f"cannot read {str(path)!r}: {err.strerror}") from None
    items = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = strict_json.loads(line)
        except ValueError as err:
            raise CommandError(f"{path}:{number}: not JSON as Stepway takes it ({err})") from None
        if not isinstance(item, dict) or set(item) - {"id", "params", "retention"}:
            raise CommandError(
                f"{path}:{number}: each line must be an object with only id, params, retention"
            )
        items.append(NewInstance(item.get("id"), item.get("params"), item.get("retention")))
    return items


async def create_from_file(client: Client, args: argparse.Namespace, view: View) -> int:
    """Creates the file's instances in batches, drawing a progress bar on a terminal."""
    items = read_batch(args.from_file)
    outcome = {"created": 0, "existing": 0, "refused": 0}
    refusals = []
    with Progress(len(items), f"creating {args.workflow}") as bar:
        for start in range(0, len(items), BATCH_SIZE):
            chunk = items[start : start + BATCH_SIZE]
            made = await client.create_batch(args.workflow, chunk, task_queue=args.task_queue)
            for number, result in enumerate(made):
                if result.error is not None:
                    outcome["refused"] += 1
                    message = _BATCH_PLACE.sub("", error_message(result.error))
                    refusals.append({"item": start + number + 1, "id": result.id, "error": message})
                else:
                    outcome["created" if result.created else "existing"] += 1
            bar.advance(len(chunk))
    text = [
        f"{outcome['created']:,} created, {outcome['existing']:,} existed already, "
        f"{outcome['refused']:,} refused"
    ]
    text += [f"  item {r['item']} ({r['id'] or 'no id'}): {r['error']}" for r in refusals]
    view.result({**outcome, "refusals": refusals}, "\n".join(text))
    if refusals:
        return report_error(args, f"{len(refusals):,} item(s) of {args.from_file} refused")
    return 0


async def matching(client: Client, args: argparse.Namespace) -> list[InstanceInfo]:
    """Every instance the filters match, page by page."""
    return [info async for page in list_pages(client, args) for info in page.instances]


async def _bulk(client: Client, args: argparse.Namespace, view: View) -> int:
    done_word, act = ACTIONS[args.action]
    targets = await matching(client, args)
    if not args.yes:
        document = {"action": args.action, "matching": len(targets), "done": False}
        text = (
            f"would {args.action} {len(targets):,} instance(s) of workflow {args.workflow}; "
            "add --yes to do it"
        )
        return view.result(document, text)
    refusals: list[dict[str, str]] = []
    gate = asyncio.Semaphore(BULK_CONCURRENCY)
    with Progress(len(targets), f"{args.action} {args.workflow}") as bar:

        async def one(info: InstanceInfo) -> None:
            async with gate:
                try:
                    await act(client, info, args.reason)
                except StepwayError as exc:
                    refusals.append({"id": info.id, "error": error_message(exc)})
                bar.advance()

        await asyncio.gather(*(one(info) for info in targets))
    done = len(targets) - len(refusals)
    document = {"action": args.action, "matching": len(targets), "done": done, "refusals": refusals}
    lines = [f"{done_word} {done:,} of {len(targets):,} instance(s) of workflow {args.workflow}"]
    lines += [f"  {r['id']}: {r['error']}" for r in sorted(refusals, key=lambda r: r["id"])]
    view.result(document, "\n".join(lines))
    if refusals:
        return report_error(args, f"{len(refusals):,} instance(s) refused the {args.action}")
    return 0
