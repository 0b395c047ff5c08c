"""The `stepway` command: `dev`, `worker` and `migrate`.

Every command that talks to a server reads `--address` and `--api-key`, or STEPWAY_ADDRESS and
STEPWAY_API_KEY.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import logging
import os
import signal
import sys
from collections.abc import Awaitable, Callable

from stepway.client import Client
from stepway.workflow import WorkflowDefinition

DEFAULT_ADDRESS = "127.0.0.1:7300"


def _connection_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--address",
        default=os.environ.get("STEPWAY_ADDRESS", DEFAULT_ADDRESS),
        help="gateway HOST:PORT (env STEPWAY_ADDRESS; default %(default)s)",
    )
    p.add_argument(
        "--api-key",
        default=os.environ.get("STEPWAY_API_KEY"),
        help="API key (env STEPWAY_API_KEY)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="stepway", description="Durable workflows over gRPC.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log at debug level")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    dev = sub.add_parser("dev", help="run a gateway, a shard and an embedded store in one process")
    dev.add_argument(
        "--db",
        default=os.environ.get("STEPWAY_DB"),
        help="database URL (default sqlite:///stepway-dev.db; postgresql://... works too)",
    )
    dev.add_argument("--listen", default="127.0.0.1:7300", help="HOST:PORT (default %(default)s)")
    dev.add_argument("--api-key", help="use this API key instead of a new random one")
    dev.add_argument(
        "--lease-timeout",
        type=float,
        default=10.0,
        help="seconds a worker holds a task without a heartbeat (default %(default)s)",
    )
    dev.add_argument(
        "--example",
        action="store_true",
        help="also run the example order workflow with a worker, printing its steps",
    )

    worker = sub.add_parser("worker", help="run the workflows a Python module defines")
    worker.add_argument("module", help="module to import, e.g. myapp.workflows")
    worker.add_argument("--task-queue", default="default", help="default %(default)s")
    worker.add_argument("--max-concurrent", type=int, default=256, help="default %(default)s")
    _connection_args(worker)

    migrate = sub.add_parser("migrate", help="create or upgrade a database's schema")
    migrate.add_argument("--db", required=True, help="database URL")
    return parser


def main(argv: list[str] | None = None) -> None:
    """Entry point of the `stepway` command."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    commands: dict[str, Callable[[argparse.Namespace], Awaitable[int]]] = {
        "dev": _dev,
        "worker": _worker,
        "migrate": _migrate,
    }
    try:
        code = asyncio.run(_until_signal(commands[args.command](args)))
    except KeyboardInterrupt:
        code = 130
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


async def _dev(args: argparse.Namespace) -> int:
    from gateway.dev import DEFAULT_DB_URL, DevConfig, start_dev

    config = DevConfig(
        db_url=args.db or DEFAULT_DB_URL,
        listen=args.listen,
        api_key=args.api_key,
        lease_timeout=args.lease_timeout,
    )
    server = await start_dev(config)
    print(f"Stepway dev server listening on {server.address} (store: {config.db_url})")
    print(f"API key (account {config.account!r}, role admin): {server.api_key}")
    print(f"  export STEPWAY_ADDRESS={server.address} STEPWAY_API_KEY={server.api_key}", flush=True)
    try:
        if args.example:
            await _run_example(server.address, server.api_key)
        print("Serving; Ctrl-C stops.", flush=True)
        await asyncio.Event().wait()
    finally:
        await server.stop()
    return 0


async def _run_example(address: str, api_key: str) -> None:
    import uuid

    from stepway.examples import order
    from stepway.worker import Worker

    client = await Client.connect(address, api_key=api_key)
    worker = Worker(client, task_queue="default", workflows=[order.order])
    await worker.start()
    try:
        handle = await client.create(
            "order", id=f"order-{uuid.uuid4().hex[:6]}", params={"sku": "A1", "qty": 2}
        )
        order.say(f"created instance {handle.id} of workflow 'order'")
        info = await handle.status()
        while info.current_step != "approval" or info.status != "waiting":
            await asyncio.sleep(0.1)
            info = await handle.status()
        order.say("instance waits for an 'approved' event; sending it")
        await handle.send_event("approved", {"by": "ann"})
        result = await handle.result(timeout=60)
        order.say(f"instance {handle.id} complete: {result}")
    finally:
        await worker.stop()
        await client.close()


def load_workflows(module_name: str) -> list[WorkflowDefinition]:
    """The workflows a module defines (its WorkflowDefinition attributes)."""
    sys.path.insert(0, os.getcwd())
    module = importlib.import_module(module_name)
    found = [v for v in vars(module).values() if isinstance(v, WorkflowDefinition)]
    if not found:
        raise SystemExit(f"module {module_name!r} defines no workflow (use @stepway.workflow)")
    return found


async def _worker(args: argparse.Namespace) -> int:
    from stepway.worker import Worker

    if not args.api_key:
        raise SystemExit("an API key is needed: --api-key or STEPWAY_API_KEY")
    workflows = load_workflows(args.module)
    client = await Client.connect(args.address, api_key=args.api_key)
    worker = Worker(
        client, task_queue=args.task_queue, workflows=workflows, max_concurrent=args.max_concurrent
    )
    names = ", ".join(sorted(w.name for w in workflows))
    print(f"worker {worker.id} serving {names} on task queue {args.task_queue!r}", flush=True)
    try:
        await worker.run()
    finally:
        await client.close()
    return 0


async def _migrate(args: argparse.Namespace) -> int:
    from shards import migrate
    from shards.db import create_engine

    engine = create_engine(args.db)
    try:
        await asyncio.to_thread(migrate.upgrade, engine)
    finally:
        engine.dispose()
    print(f"schema of {args.db} is up to date")
    return 0
