"""The `stepway` command: `worker`, and `instances`, `workflows` and `schedules` (cli_schedules)
to create, inspect and control what runs on a server; the server's commands (`dev`, `migrate`,
`shard`, `gateway`, `cluster`, `keys`) come from the stepway-server distribution, through the
`stepway.commands` entry points it declares (gateway.commands), and without it each says what
to install.

Every command that talks to a server reads `--address` and `--api-key`, else STEPWAY_ADDRESS and
STEPWAY_API_KEY, else the profile named by `--profile` (or `--env`, or STEPWAY_PROFILE) in the
config file (stepway._profiles). What the commands print is made in stepway._render; this module
parses arguments and makes the calls.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import logging
import os
import re
import signal
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

from stepway import _complete, _server_config, strict_json, tracing
from stepway import _render as render
from stepway._cli_base import (
    CommandError,
    View,
    _connection_args,
    _output_args,
    report_error,
    report_refusal,
    resolve_connection,
)
from stepway.client import Client, InstanceInfo, InstancePage, InstanceStatus
from stepway.errors import (
    NotFoundError,
    StepwayError,
    UnavailableError,
    WorkflowFailedError,
)
from stepway.workflow import WorkflowDefinition

DEFAULT_LIMIT = 50
MAX_LIMIT = 1000
# Rows fetched per call when `instances list --all` streams a whole listing.
STREAM_PAGE = 500
FINISHED_EVENTS = {"completed": 0, "errored": 1, "terminated": 1}
STATUSES = [s.value for s in InstanceStatus if s is not InstanceStatus.UNKNOWN]
# The instance id that names a workflow's most recently created instance.
LATEST = "latest"
# Seconds between tries while `stepway worker` waits for its server, at most.
WORKER_MAX_BACKOFF = 10.0
# The entry-point group of functions that add commands to the parser's subcommands: the server
# distribution's gateway.commands.add_commands.
COMMANDS_GROUP = "stepway.commands"
SERVER_PACKAGE = "stepway-server"
# The commands the server distribution adds, named (with what to install) when it is missing.
SERVER_COMMANDS = {
    "dev": "run a gateway, a shard and an embedded store in one process",
    "migrate": "create or upgrade a database's schema",
    "shard": "run a shard server of a cluster",
    "gateway": "run a gateway of a cluster",
    "cluster": "inspect the cluster",
    "keys": "API keys",
}


Handler = Callable[[Client, argparse.Namespace, View], Awaitable[int]]


# ---------------------------------------------------------------------- argument types

_SPAN = re.compile(r"(\d+(?:\.\d+)?)([smhdw])")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800}


def parse_span(text: str) -> timedelta:
    """A length of time such as `90s`, `30m`, `12h`, `7d` or `2w`."""
    match = _SPAN.fullmatch(text.strip())
    if match is None:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a length of time such as 90s, 30m, 12h or 7d"
        )
    return timedelta(seconds=float(match[1]) * _UNIT_SECONDS[match[2]])


def parse_time(text: str) -> datetime:
    """An ISO 8601 time (UTC when it names no zone), or an age such as `2h`: that long ago."""
    if _SPAN.fullmatch(text.strip()):
        return datetime.now(UTC) - parse_span(text)
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is neither an ISO 8601 time (2026-11-25T06:17:13Z) nor an age (2h, 3d)"
        ) from None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def parse_json(text: str) -> Any:
    """A JSON value, or `@FILE`: the JSON in that file."""
    source = text
    if text.startswith("@"):
        try:
            source = Path(text[1:]).read_text()
        except OSError as err:
            raise argparse.ArgumentTypeError(f"cannot read {text[1:]!r}: {err.strerror}") from None
    try:
        return strict_json.loads(source)
    except ValueError as err:
        raise argparse.ArgumentTypeError(f"not JSON as Stepway takes it ({err})") from None


def parse_limit(text: str) -> int:
    """A page size between 1 and the server's limit."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= MAX_LIMIT:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number from 1 to {MAX_LIMIT}")
    return value


# ---------------------------------------------------------------------- parser


def _client_command(
    sub: Any,
    name: str,
    handler: Handler,
    help: str,
    *,
    instance: bool = False,
    json_help: str | None = None,
) -> argparse.ArgumentParser:
    """A subcommand that connects to a server, runs handler and prints text or JSON; with
    instance, its first arguments are an instance's workflow and id."""
    p: argparse.ArgumentParser = sub.add_parser(name, help=help, description=help)
    p.set_defaults(run=partial(_with_client, handler), instance_command=instance)
    if instance:
        p.add_argument("workflow", help="the workflow's name")
        p.add_argument(
            "id", help=f"the instance's id; {LATEST}: the workflow's most recently created one"
        )
    _output_args(p, json_help)
    _connection_args(p)
    return p


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="stepway", description="Durable workflows over gRPC.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log at debug level")
    parser.add_argument("-V", "--version", action="version", version=f"stepway {version()}")
    parser.add_argument(
        "--log-format",
        choices=("text", "json"),
        default=os.environ.get("STEPWAY_LOG_FORMAT", "text"),
        help="text, or one JSON object per line with the trace id (default %(default)s)",
    )
    parser.add_argument(
        "--otlp-endpoint",
        metavar="URL",
        default=os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT"),
        help="export OpenTelemetry traces there by OTLP/gRPC, e.g. http://127.0.0.1:4317 "
        "(default: $OTEL_EXPORTER_OTLP_ENDPOINT; none: no tracing)",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    add_server_commands(sub)

    worker = sub.add_parser("worker", help="run the workflows a Python module defines")
    worker.set_defaults(run=_worker)
    worker.add_argument("module", help="module to import, e.g. myapp.workflows")
    worker.add_argument(
        "--task-queue", default="default", help="the task queue to poll (default: %(default)r)"
    )
    worker.add_argument(
        "--build-id",
        default="",
        help="the build of this code: an instance runs on the build its first task ran on, "
        "new ones on the newest (default: unversioned)",
    )
    worker.add_argument(
        "--max-concurrent",
        type=int,
        default=256,
        help="workflow tasks run at once, at most (default: %(default)s)",
    )
    _connection_args(worker)

    from stepway.cli_admin import add_admin_commands

    add_admin_commands(sub)
    _instances_parser(sub)
    from stepway.cli_schedules import add_schedule_commands

    add_schedule_commands(sub)
    workflows = sub.add_parser("workflows", help="the workflows registered in the account")
    wsub = workflows.add_subparsers(dest="action", required=True, metavar="ACTION")
    _client_command(wsub, "list", _workflows_list, "list workflows with their instance counts")
    versions = _client_command(
        wsub, "versions", _workflows_versions, "a workflow's builds with their instance counts"
    )
    versions.add_argument("workflow", help="the workflow's name")
    move = _client_command(
        wsub,
        "move-build",
        _workflows_move_build,
        "move a workflow's unfinished instances from one build to another",
    )
    move.add_argument("workflow", help="the workflow's name")
    move.add_argument(
        "--from", dest="from_build", required=True, help="the build they are on ('' unversioned)"
    )
    move.add_argument(
        "--to", dest="to_build", required=True, help="the build to move them to ('' unversioned)"
    )
    completion = sub.add_parser(
        "completion",
        help="print a shell completion script: bash, zsh or fish",
        description="Prints the completion script for a shell. bash: `source <(stepway "
        "completion bash)` in ~/.bashrc; zsh: `source <(stepway completion zsh)` in ~/.zshrc; "
        "fish: `stepway completion fish > ~/.config/fish/completions/stepway.fish`.",
    )
    completion.add_argument("shell", choices=_complete.SHELLS)
    completion.set_defaults(run=_completion)
    return parser


def add_server_commands(sub: Any) -> None:
    """The commands that the installed distributions register under COMMANDS_GROUP; without
    any (the server is not installed), SERVER_COMMANDS, each saying what to install."""
    found = entry_points(group=COMMANDS_GROUP)
    for entry in found:
        entry.load()(sub)
    if found:
        return
    for name, text in SERVER_COMMANDS.items():
        missing = sub.add_parser(
            name,
            help=f"{text} (needs the {SERVER_PACKAGE} package)",
            description=f"{text[0].upper()}{text[1:]}: a server command, which comes with the "
            f"{SERVER_PACKAGE} package (pip install {SERVER_PACKAGE}).",
        )
        missing.set_defaults(run=_server_missing, server_missing=True)


async def _server_missing(args: argparse.Namespace) -> int:
    raise CommandError(
        f"`stepway {args.command}` is a server command, and the Stepway server is not installed "
        f"here: pip install {SERVER_PACKAGE}"
    )


def version() -> str:
    """The installed stepway package's version."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as package_version

    try:
        return package_version("stepway")
    except PackageNotFoundError:
        return "unknown"


def _instances_parser(sub: Any) -> None:
    instances = sub.add_parser("instances", help="create, list, inspect and control instances")
    isub = instances.add_subparsers(dest="action", required=True, metavar="ACTION")

    create = _client_command(isub, "create", _create, "create an instance (idempotent by id)")
    create.add_argument("workflow", help="the workflow's name")
    create.add_argument("--id", help="the instance's id (default: one the server makes up)")
    create.add_argument(
        "--params", type=parse_json, help="the params as JSON, or @FILE to read them from a file"
    )
    create.add_argument(
        "--task-queue",
        help="the task queue it waits on; then the workflow need not be registered yet, and it "
        "runs once a worker defining it polls that queue (default: the workflow's registered "
        "queue)",
    )
    create.add_argument(
        "--wait",
        action="store_true",
        help="wait until the instance finishes and print its result (exit 1 if it errored or "
        "was terminated)",
    )
    create.add_argument(
        "--from-file",
        metavar="FILE",
        type=Path,
        help="create one instance per line of this JSON Lines file, each line an object "
        '{"id": ..., "params": ..., "retention": SECONDS} (every key optional), with a '
        "progress bar on a terminal",
    )
    create.add_argument(
        "--retention",
        type=parse_span,
        help="how long to keep it once finished: 90s, 12h, 7d (default: the account's)",
    )

    listing = _client_command(
        isub,
        "list",
        _list,
        "list instances, newest first",
        json_help="print a JSON document: {instances, next_page_token}",
    )
    listing.add_argument("--workflow", help="only this workflow's instances")
    listing.add_argument(
        "--status",
        nargs="+",
        action="extend",
        choices=STATUSES,
        metavar="STATUS",
        help=f"only instances in these statuses: {', '.join(STATUSES)}",
    )
    listing.add_argument(
        "--since", type=parse_time, help="created at or after TIME: ISO 8601, or an age (2h, 3d)"
    )
    listing.add_argument(
        "--until", type=parse_time, help="created before TIME: ISO 8601, or an age (2h, 3d)"
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
    paging.add_argument("--all", action="store_true", help="every matching instance, page by page")

    command = partial(_client_command, isub, instance=True)
    command("describe", _describe, "an instance's status and steps")
    command("history", _history, "every transition of an instance")
    command(
        "watch",
        _watch,
        "follow an instance's transitions until it finishes "
        "(exit 0 when it completes, 1 when it errored or was terminated)",
        json_help="print each transition as one line of JSON (JSON Lines)",
    )
    command("pause", _pause, "pause an instance (after its current step)")
    command("resume", _resume, "resume a paused instance")
    terminate = command("terminate", _terminate, "end an instance at once")
    terminate.add_argument("--reason", default="", help="why, kept in the history")
    restart = command("restart", _restart, "run an instance again")
    restart.add_argument(
        "--from",
        dest="from_step",
        metavar="STEP",
        help="rerun from this step, keeping the results of earlier ones (default: from the start)",
    )
    send = command("send-event", _send_event, "send an event to an instance")
    send.add_argument("type", help="the event's type")
    send.add_argument(
        "--payload", type=parse_json, help="the payload as JSON, or @FILE to read it from a file"
    )
    from stepway.cli_bulk import add_bulk_command, add_delete_command

    add_delete_command(isub)
    add_bulk_command(isub)


# ---------------------------------------------------------------------- running


def parse_args(argv: list[str]) -> argparse.Namespace:
    """The command line's arguments, server flags completed from STEPWAY_<FLAG> variables and
    the config file (stepway._server_config)."""
    parser = build_parser()
    _server_config.apply(parser, argv, os.environ)
    args, unknown = parser.parse_known_args(argv)
    # A server command without the server takes whatever it is given: it only says what to
    # install.
    if unknown and not getattr(args, "server_missing", False):
        parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    return args


def main(argv: list[str] | None = None) -> None:
    """Entry point of the `stepway` command."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["__complete"]:
        print("\n".join(_complete.candidates(build_parser(), argv[1:])))
        sys.exit(0)
    args = parse_args(argv)
    if getattr(args, "connects", False):
        try:
            resolve_connection(args)
        except CommandError as exc:
            sys.exit(report_error(args, str(exc)))
    if getattr(args, "needs_key", False) and not args.api_key:
        args.parser.error(
            "an API key is needed: --api-key or STEPWAY_API_KEY (or api_key in a profile)"
        )
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if args.log_format == "json":
        for handler in logging.getLogger().handlers:
            handler.setFormatter(tracing.JsonFormatter())
    if args.otlp_endpoint:
        try:
            tracing.configure(f"stepway-{args.command}", args.otlp_endpoint)
        except tracing.ExporterMissing as exc:
            sys.exit(report_error(args, str(exc)))
    try:
        code = asyncio.run(_until_signal(args.run(args)))
    except CommandError as exc:
        code = report_error(args, str(exc))
    except KeyboardInterrupt:
        code = 130
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly, without a second error at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 1
    sys.exit(code)


async def _until_signal(main: Awaitable[int]) -> int:
    """Runs main; SIGTERM and SIGINT cancel it so that it stops cleanly."""
    task = asyncio.ensure_future(main)
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, task.cancel)
    try:
        return await task
    except asyncio.CancelledError:
        return 0


def load_workflows(module_name: str) -> list[WorkflowDefinition]:
    """The workflows a module defines (its WorkflowDefinition attributes)."""
    sys.path.insert(0, os.getcwd())
    module = importlib.import_module(module_name)
    found = [v for v in vars(module).values() if isinstance(v, WorkflowDefinition)]
    if not found:
        raise SystemExit(f"module {module_name!r} defines no workflow (use @stepway.workflow)")
    return found


async def connect_patiently(address: str, api_key: str, tls: str | bool = False) -> Client:
    """Connects, retrying with backoff (and saying so on stderr) while no server answers, as a
    started worker does when its server goes away."""
    delay = 0.5
    while True:
        try:
            return await Client.connect(address, api_key=api_key, tls=tls)
        except UnavailableError as exc:
            print(
                f"cannot reach a Stepway server at {address} ({render.one_line(exc.message)}); "
                f"retrying in {delay:.1f} s",
                file=sys.stderr,
                flush=True,
            )
        await asyncio.sleep(delay)
        delay = min(delay * 2, WORKER_MAX_BACKOFF)


async def _worker(args: argparse.Namespace) -> int:
    from stepway.worker import Worker

    workflows = load_workflows(args.module)
    try:
        client = await connect_patiently(args.address, args.api_key, args.tls)
    except StepwayError as exc:
        return report_refusal(args, exc)
    worker = Worker(
        client,
        task_queue=args.task_queue,
        workflows=workflows,
        max_concurrent=args.max_concurrent,
        build_id=args.build_id,
    )
    names = ", ".join(sorted(w.name for w in workflows))
    try:
        await worker.start()  # registered: a create of these workflows is accepted from now on
        print(f"worker {worker.id} serving {names} on task queue {args.task_queue!r}", flush=True)
        await worker.serve()
    finally:
        await client.close()
    return 0


def _completion(args: argparse.Namespace) -> Awaitable[int]:
    async def show() -> int:
        print(_complete.SCRIPTS[args.shell], end="", flush=True)
        return 0

    return show()


# ---------------------------------------------------------------------- instances and workflows


async def _with_client(handler: Handler, args: argparse.Namespace) -> int:
    """Connects, runs the handler, and turns a server's error into a line on stderr (a JSON
    object under --output json) and exit 1. An instance command takes `latest` for the
    workflow's newest instance, and an unknown workflow is named as such."""
    view = View.of(args)
    try:
        try:
            client = await Client.connect(args.address, api_key=args.api_key, tls=args.tls)
        except UnavailableError as exc:
            exc.message = f"cannot reach a Stepway server at {args.address}: {exc.message}"
            raise
        try:
            if getattr(args, "instance_command", False) and args.id == LATEST:
                args.id = await latest_id(client, args.workflow)
            try:
                return await handler(client, args, view)
            except NotFoundError:
                if getattr(args, "instance_command", False):
                    await check_workflow(client, args.workflow)
                raise
        finally:
            await client.close()
    except StepwayError as exc:
        return report_refusal(args, exc)


async def latest_id(client: Client, workflow: str) -> str:
    """The id of the workflow's most recently created instance."""
    page = await client.list_page(workflow, page_size=1)
    if not page.instances:
        await check_workflow(client, workflow)
        raise NotFoundError(f"workflow {workflow!r} has no instances, so none is {LATEST}")
    return page.instances[0].id


async def check_workflow(client: Client, workflow: str) -> None:
    """Raises NotFoundError naming the workflow when no worker registered it."""
    names = sorted(w.name for w in await client.list_workflows())
    if workflow not in names:
        known = ", ".join(names) or "none yet"
        raise NotFoundError(f"workflow {workflow!r} not found (the workflows: {known})")


async def _create(client: Client, args: argparse.Namespace, view: View) -> int:
    if args.from_file is not None:
        from stepway.cli_bulk import create_from_file

        return await create_from_file(client, args, view)
    handle = await client.create(
        args.workflow,
        id=args.id,
        params=args.params,
        retention=args.retention,
        task_queue=args.task_queue,
    )
    document: dict[str, Any] = {
        "workflow": handle.workflow,
        "id": handle.id,
        "created": handle.created,
    }
    created = render.created_line(handle.workflow, handle.id, handle.created)
    if not args.wait:
        return view.result(document, created)
    if not view.json:
        view.show(created)
    try:
        output = await handle.result()
    except WorkflowFailedError as exc:
        info = await handle.status()
        document.update(status=info.status.value, error=info.error)
        if view.json:
            view.result(document, "")
        else:
            view.show(render.instance_line(handle.workflow, handle.id, info.status.value, False))
        return report_error(args, f"instance {handle.id} {info.status.value}: {exc}")
    document.update(status=InstanceStatus.COMPLETE.value, output=output)
    return view.result(document, render.format_value(output))


def listed(info: InstanceInfo) -> dict[str, Any]:
    """An instance as a listing's JSON shows it: without params, output and steps, which
    listings do not carry."""
    document: dict[str, Any] = render.jsonable(info)
    for absent in ("params", "output", "steps"):
        document.pop(absent, None)
    return document


async def _list(client: Client, args: argparse.Namespace, view: View) -> int:
    if args.all:
        return await _list_all(client, args, view)
    page = await client.list_page(
        args.workflow,
        status=args.status,
        created_after=args.since,
        created_before=args.until,
        page_size=args.limit,
        page_token=args.cursor,
    )
    if not page.instances and args.workflow and not args.cursor:
        await check_workflow(client, args.workflow)
    lines = render.instance_table(page.instances, view.color)
    if view.output == "jsonl":
        return view.result([listed(i) for i in page.instances], "")
    if page.next_page_token is not None:
        lines.append(
            render.next_page_hint(
                page.next_page_token,
                workflow=args.workflow,
                statuses=args.status or (),
                since=args.since,
                until=args.until,
                limit=args.limit,
            )
        )
    document = {
        "instances": [listed(i) for i in page.instances],
        "next_page_token": page.next_page_token,
    }
    return view.result(document, "\n".join(lines))


async def list_pages(client: Client, args: argparse.Namespace) -> AsyncIterator[InstancePage]:
    """Every page of the instances the list filters of args match, newest first."""
    token: str | None = None
    while True:
        page = await client.list_page(
            args.workflow,
            status=args.status,
            created_after=args.since,
            created_before=args.until,
            page_size=STREAM_PAGE,
            page_token=token,
        )
        yield page
        token = page.next_page_token
        if token is None:
            return


async def _list_all(client: Client, args: argparse.Namespace, view: View) -> int:
    """Every page in turn; columns keep their widths from page to page, growing when needed."""
    found: list[InstanceInfo] = []
    widths: list[int] = []
    async for page in list_pages(client, args):
        found.extend(page.instances)
        if view.output == "jsonl":
            for info in page.instances:
                view.show(render.to_json_line(listed(info)))
        elif view.json:
            pass
        elif page.instances:
            rows = [render.instance_row(i, view.color) for i in page.instances]
            if not widths:
                widths = render.column_widths([render.INSTANCE_HEADER])
                rows.insert(0, list(render.INSTANCE_HEADER))
            widths = render.column_widths(rows, widths)
            for row in rows:
                view.show(render.format_row(row, widths, render.INSTANCE_RIGHT))
    if view.output == "json":
        listing = [listed(i) for i in found]
        view.show(render.to_json({"instances": listing, "next_page_token": None}))
    if not found and not widths and args.workflow:
        await check_workflow(client, args.workflow)
    if view.output == "text" and not widths:
        view.show("no instances")
    return 0


async def _describe(client: Client, args: argparse.Namespace, view: View) -> int:
    info = await client.describe(args.workflow, args.id)
    return view.result(info, render.describe(info, color=view.color, width=view.width))


async def _history(client: Client, args: argparse.Namespace, view: View) -> int:
    events = await client.history(args.workflow, args.id)
    return view.result(events, render.history(events, view.color))


async def _watch(client: Client, args: argparse.Namespace, view: View) -> int:
    """Prints each transition as it happens; the exit code tells how the instance ended."""
    last = None
    try:
        async for event in client.watch(args.workflow, args.id):
            if last is None and not view.json:
                view.show(render.history_header())
            view.show(
                render.to_json_line(event) if view.json else render.history_line(event, view.color)
            )
            last = event
    except asyncio.CancelledError:
        # Ctrl-C or SIGTERM: the instance did not finish while watched, which 0 would claim.
        return 130
    if last is not None and last.type in FINISHED_EVENTS:
        return FINISHED_EVENTS[last.type]
    info = await client.status(args.workflow, args.id)
    return 0 if info.status is InstanceStatus.COMPLETE else 1


async def _pause(client: Client, args: argparse.Namespace, view: View) -> int:
    info = await client.pause(args.workflow, args.id)
    later = info.status is InstanceStatus.WAITING_FOR_PAUSE
    return view.status(info, "pauses when its current step ends" if later else "")


async def _resume(client: Client, args: argparse.Namespace, view: View) -> int:
    return view.status(await client.resume(args.workflow, args.id))


async def _terminate(client: Client, args: argparse.Namespace, view: View) -> int:
    info = await client.terminate(args.workflow, args.id, args.reason)
    return view.status(info, f"reason: {args.reason}" if args.reason else "")


async def _restart(client: Client, args: argparse.Namespace, view: View) -> int:
    info = await client.restart(args.workflow, args.id, args.from_step)
    start = f"step {args.from_step}" if args.from_step else "the beginning"
    return view.status(info, f"restarted from {start}")


async def _send_event(client: Client, args: argparse.Namespace, view: View) -> int:
    delivered = await client.send_event(args.workflow, args.id, args.type, args.payload)
    info = await client.status(args.workflow, args.id)
    how = "taken by a waiting step" if delivered else "buffered until a step waits for it"
    if view.json:
        return view.result({"delivered": delivered, "instance": info}, "")
    return view.status(info, f"event {args.type!r} {how}")


async def _workflows_list(client: Client, args: argparse.Namespace, view: View) -> int:
    workflows = await client.list_workflows()
    return view.result(workflows, "\n".join(render.workflow_table(workflows, view.color)))


async def _workflows_versions(client: Client, args: argparse.Namespace, view: View) -> int:
    builds = await client.workflow_builds(args.workflow)
    return view.result(builds, "\n".join(render.build_table(builds, view.color)))


async def _workflows_move_build(client: Client, args: argparse.Namespace, view: View) -> int:
    moved = await client.move_build(args.workflow, args.from_build, args.to_build)
    text = (
        f"moved {moved} instance(s) of {args.workflow} from build "
        f"{render.build_label(args.from_build)} to {render.build_label(args.to_build)}"
    )
    return view.result({"moved": moved}, text)
