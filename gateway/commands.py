"""The `stepway` commands that run or inspect a server: `dev`, `migrate`, `shard`, `gateway`,
`cluster status` and `keys`. The SDK's `stepway` command (stepway.cli) finds add_commands
through the `stepway.commands` entry point this distribution declares. Each talks to the
database directly (`--db` or STEPWAY_DB), except `dev`, which runs a server of its own, and
the key commands that go through a gateway's AdminService (stepway.cli_admin): `keys list`,
`keys revoke`, and `keys create` without --db."""

from __future__ import annotations

import argparse
import asyncio
import errno
import logging
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from shards import schema
from shards.clock import now_us
from shards.cluster import ClusterMismatch, ensure_partitions, read_partitions
from shards.db import describe_failure, insert_missing
from shards.errors import InvalidArgument
from shards.partitioning import DEFAULT_PARTITIONS
from shards.tls import ClientTLS, ServerTLS, plaintext_warning

SECRET = "cluster_secret"
ROLES = ("admin", "client", "worker")
# A key given by `keys create --key-file` is as strong as one Stepway makes: sw_ and 32
# characters at least (new_key makes 43).
KEY_FILE_MIN_CHARS = 32
KEY_FILE_RULE = f"the key is sw_ and at least {KEY_FILE_MIN_CHARS} characters of A-Z a-z 0-9 - _"


def ensure_secret(conn: sa.Connection) -> str:
    """The secret the cluster's gateways and shard servers share, made on first use."""
    C = schema.cluster
    found = conn.execute(sa.select(C.c.value).where(C.c.name == SECRET)).scalar()
    if found is not None:
        return str(found)
    # Several processes may start on a new database at once: the first secret stays.
    insert_missing(conn, C, [{"name": SECRET, "value": secrets.token_urlsafe(32)}])
    return str(conn.execute(sa.select(C.c.value).where(C.c.name == SECRET)).scalar_one())


@contextmanager
def startup_errors(db_url: str) -> Iterator[None]:
    """Turns what stops a server command from starting (a database it cannot use, a port
    another process holds) into one line and exit 1, with the URL's password hidden."""
    from shards.rpc import AddressInUse
    from shards.tls import CertificateError
    from stepway._cli_base import CommandError

    try:
        yield
    except (AddressInUse, CertificateError) as exc:
        raise CommandError(str(exc)) from None
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE:
            raise
        raise CommandError(f"cannot listen on a port another process holds: {exc}") from None
    except Exception as exc:
        message = describe_failure(db_url, exc)
        if message is None:
            raise
        raise CommandError(message) from None


def add_commands(sub: Any) -> None:
    """Registers the server commands on the `stepway` parser's subcommands."""
    from stepway._server_config import add_config_arg

    dev = sub.add_parser("dev", help="run a gateway, a shard and an embedded store in one process")
    dev.set_defaults(run=run_dev)
    dev.add_argument(
        "--db",
        default=os.environ.get("STEPWAY_DB"),
        help="database URL (default sqlite:///stepway-dev.db; postgresql://... works too)",
    )
    dev.add_argument("--listen", default="127.0.0.1:7300", help="HOST:PORT (default %(default)s)")
    dev.add_argument(
        "--api-key",
        help="use this API key instead of the store's dev key (one per store, kept across starts)",
    )
    dev.add_argument("--metrics", metavar="HOST:PORT", help="serve Prometheus metrics there")
    dev.add_argument(
        "--http",
        metavar="HOST:PORT",
        help="serve the web console there (default 127.0.0.1 at the --listen port + 80, "
        "127.0.0.1:7380; 'off': not at all); on a loopback address it signs in a browser on "
        "this machine with the dev key",
    )
    dev.add_argument(
        "--lease-timeout",
        type=float,
        default=10.0,
        help="seconds a worker holds a task without a heartbeat (default %(default)s)",
    )
    dev.add_argument(
        "--sqlite-synchronous",
        choices=("full", "normal"),
        default="full",
        help="SQLite store only: 'full' (default) keeps every answered commit through a power "
        "cut; 'normal' is faster but may lose the last commits on a power cut "
        "(env STEPWAY_SQLITE_SYNCHRONOUS)",
    )
    tls_args(dev, "clients and workers (and the console, over HTTPS)")
    gateway_ca_arg(dev)
    dev.add_argument(
        "--example",
        action="store_true",
        help="also run the example order workflow with a worker, printing its steps",
    )
    add_config_arg(dev)

    migrate = sub.add_parser("migrate", help="create or upgrade a database's schema")
    migrate.set_defaults(run=run_migrate)
    migrate.add_argument(
        "--db",
        default=os.environ.get("STEPWAY_DB"),
        required=os.environ.get("STEPWAY_DB") is None,
        help="database URL (env STEPWAY_DB)",
    )
    add_config_arg(migrate)

    def db_arg(p: argparse.ArgumentParser, *, required: bool = True) -> None:
        p.add_argument(
            "--db",
            default=os.environ.get("STEPWAY_DB"),
            required=required and os.environ.get("STEPWAY_DB") is None,
            help="database URL (env STEPWAY_DB); postgresql://... or cockroachdb://...",
        )

    shard = sub.add_parser("shard", help="run a shard server of a cluster")
    shard.set_defaults(run=run_shard)
    db_arg(shard)
    shard.add_argument("--listen", default="127.0.0.1:7301", help="HOST:PORT (default %(default)s)")
    shard.add_argument(
        "--advertise", help="HOST:PORT where gateways reach this server (default: --listen)"
    )
    shard.add_argument(
        "--partitions",
        type=int,
        default=DEFAULT_PARTITIONS,
        help="partition count, fixed when the cluster is created (default %(default)s)",
    )
    shard.add_argument("--member-id", help="this server's id (default shard@ADVERTISE)")
    shard.add_argument(
        "--lease-timeout",
        type=float,
        default=10.0,
        help="seconds a worker holds a task without a heartbeat (default %(default)s)",
    )
    shard.add_argument(
        "--partition-lease",
        type=float,
        default=10.0,
        help="seconds a partition lease lasts without renewal (default %(default)s)",
    )
    tls_args(shard, "gateways")
    shard.add_argument(
        "--tls-client-ca",
        metavar="FILE",
        help="accept only callers with a certificate from this CA: the cluster CA that issues "
        "the gateways' --shard-tls-cert (mutual TLS; env STEPWAY_TLS_CLIENT_CA)",
    )
    shard.add_argument("--metrics", metavar="HOST:PORT", help="serve Prometheus metrics there")
    shard.add_argument(
        "--heartbeat",
        type=float,
        default=1.0,
        help="seconds between membership heartbeats, which renew the leases "
        "(default %(default)s; keep it well under --partition-lease)",
    )
    add_config_arg(shard)

    gateway = sub.add_parser("gateway", help="run a gateway of a cluster")
    gateway.set_defaults(run=run_gateway)
    db_arg(gateway)
    gateway.add_argument(
        "--listen", default="127.0.0.1:7300", help="HOST:PORT (default %(default)s)"
    )
    gateway.add_argument("--metrics", metavar="HOST:PORT", help="serve Prometheus metrics there")
    gateway.add_argument("--http", metavar="HOST:PORT", help="serve the web console there")
    tls_args(gateway, "clients and workers (and the console, over HTTPS)")
    gateway_ca_arg(gateway)
    for name, env, text in (
        ("cert", "STEPWAY_SHARD_TLS_CERT", "the cluster certificate shown to shard servers"),
        ("key", "STEPWAY_SHARD_TLS_KEY", "the key of --shard-tls-cert"),
        ("ca", "STEPWAY_SHARD_TLS_CA", "the CA that issued the shard servers' certificates"),
    ):
        gateway.add_argument(
            f"--shard-tls-{name}",
            metavar="FILE",
            help=f"{text} (mutual TLS to the shards; env {env})",
        )
    add_config_arg(gateway)

    cluster = sub.add_parser("cluster", help="inspect the cluster")
    csub = cluster.add_subparsers(dest="action", required=True, metavar="ACTION")
    status = csub.add_parser("status", help="members, their partitions and lease ages")
    status.set_defaults(run=cluster_status)
    db_arg(status)
    output_args(status)
    forget = csub.add_parser(
        "forget",
        help="remove an expired member from the cluster's list (a live one is refused)",
    )
    forget.set_defaults(run=cluster_forget)
    forget.add_argument("member", help="the member's id, as `cluster status` shows it")
    db_arg(forget)
    output_args(forget)

    from stepway.cli_admin import add_connection_args, add_key_commands

    keys = sub.add_parser("keys", help="API keys")
    ksub = keys.add_subparsers(dest="action", required=True, metavar="ACTION")
    create = ksub.add_parser(
        "create",
        help="create an API key; prints the key last",
        description="Creates an API key and prints it last. With --db (or STEPWAY_DB) it writes "
        "the database directly and creates the account if needed: the way to make the first "
        "key of a cluster. Without, it asks a gateway with an admin key.",
    )
    create.set_defaults(run=keys_create)
    db_arg(create, required=False)
    create.add_argument("--account", required=True, help="account name")
    create.add_argument("--role", choices=ROLES, default="client", help="default %(default)s")
    create.add_argument("--name", default="", help="a label for the key (default: the role)")
    create.add_argument(
        "--operator",
        action="store_true",
        help="with --db: create the account as an operator account, whose admin keys manage "
        "every account",
    )
    create.add_argument(
        "--key-file",
        metavar="FILE",
        help="with --db: store the key held in FILE (a mounted Secret) instead of making one; "
        f"{KEY_FILE_RULE}; running it again is a no-op, and the key is never printed",
    )
    output_args(create)
    add_connection_args(create)
    add_key_commands(ksub)


def tls_args(p: argparse.ArgumentParser, callers: str) -> None:
    """`--tls-cert` and `--tls-key`: the server's certificate chain and key (PEM), read again
    when the files change."""
    p.add_argument(
        "--tls-cert",
        metavar="FILE",
        help=f"serve TLS to {callers} with this certificate chain (PEM; env STEPWAY_TLS_CERT; "
        "read again when the file changes); default: plaintext",
    )
    p.add_argument(
        "--tls-key",
        metavar="FILE",
        help="the private key of --tls-cert (PEM; env STEPWAY_TLS_KEY)",
    )


def gateway_ca_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--tls-ca",
        metavar="FILE",
        help="the CA that issued --tls-cert, which the console and the example trust when they "
        "call this server (env STEPWAY_TLS_CA; default: --tls-cert itself, if self-signed)",
    )


def server_tls(args: argparse.Namespace, client_ca: str | None = None) -> ServerTLS | None:
    """The ServerTLS of --tls-cert and --tls-key (None when neither is given)."""
    from stepway._cli_base import CommandError

    if not args.tls_cert and not args.tls_key:
        if client_ca:
            raise CommandError("--tls-client-ca needs --tls-cert and --tls-key")
        return None
    if not args.tls_cert or not args.tls_key:
        raise CommandError("TLS needs both --tls-cert and --tls-key")
    return ServerTLS(args.tls_cert, args.tls_key, client_ca)


def shard_tls(args: argparse.Namespace) -> ClientTLS | None:
    """The gateway's ClientTLS toward the shards (None: plaintext)."""
    from stepway._cli_base import CommandError

    given = (args.shard_tls_cert, args.shard_tls_key, args.shard_tls_ca)
    if not any(given):
        return None
    if not all(given):
        raise CommandError(
            "mutual TLS to the shards needs --shard-tls-cert, --shard-tls-key and --shard-tls-ca"
        )
    return ClientTLS(ca=args.shard_tls_ca, cert=args.shard_tls_cert, key=args.shard_tls_key)


def tls_banner(tls: ServerTLS | None, listen: str, what: str) -> str:
    """The start-up line that says how a server's port is protected."""
    if tls is None:
        return plaintext_warning(listen, what)
    mutual = f", callers need a certificate from {tls.client_ca}" if tls.client_ca else ""
    return f"{what} serves TLS with {tls.cert} (read again when it changes{mutual})"


def output_args(p: argparse.ArgumentParser) -> None:
    from stepway._cli_base import _output_args

    _output_args(p)


async def run_dev(args: argparse.Namespace) -> int:
    """`stepway dev`: a dev server until Ctrl-C or SIGTERM, after the example with --example."""
    from gateway.dev import DEFAULT_DB_URL, DevConfig, default_http, signs_in, start_dev
    from shards.db import redact
    from stepway.examples import order

    config = DevConfig(
        tls=server_tls(args),
        tls_ca=args.tls_ca,
        db_url=args.db or DEFAULT_DB_URL,
        listen=args.listen,
        api_key=args.api_key,
        lease_timeout=args.lease_timeout,
        sqlite_synchronous=args.sqlite_synchronous,
        metrics=args.metrics,
        http=None if args.http == "off" else args.http or default_http(args.listen),
    )
    with startup_errors(config.db_url):
        server = await start_dev(config)
    print(f"Stepway dev server listening on {server.address} (store: {redact(config.db_url)})")
    print(tls_banner(config.tls, config.listen, "the dev server"))
    if server.metrics_port is not None:
        host = config.metrics.rsplit(":", 1)[0] if config.metrics else "127.0.0.1"
        print(f"Prometheus metrics on http://{host}:{server.metrics_port}/metrics")
    if server.http_port is not None:
        host = config.http.rsplit(":", 1)[0] if config.http else "127.0.0.1"
        how = "signed in on this machine" if signs_in(config) else "sign in with the API key"
        scheme = "http" if config.tls is None else "https"
        print(
            f"Web console on {scheme}://{host}:{server.http_port}/ ({how}; --http off: no console)"
        )
    print(f"API key (account {config.account!r}, role admin): {server.api_key}")
    ca = "" if config.tls is None else f" STEPWAY_TLS_CA={config.client_tls}"
    print(
        f"  export STEPWAY_ADDRESS={server.address} STEPWAY_API_KEY={server.api_key}{ca}",
        flush=True,
    )
    try:
        if args.example:
            await order.run(server.address, server.api_key, config.client_tls)
        print("Serving; Ctrl-C stops.", flush=True)
        await asyncio.Event().wait()
    finally:
        await server.stop()
    return 0


async def run_migrate(args: argparse.Namespace) -> int:
    """`stepway migrate`: creates or upgrades the schema of --db."""
    from shards import migrate
    from shards.db import create_engine, redact

    with startup_errors(args.db):
        engine = create_engine(args.db)
        try:
            before, after = await asyncio.to_thread(migrate.upgrade, engine)
        finally:
            engine.dispose()
    where = redact(args.db)
    if before is None:
        print(f"created the schema of {where} (revision {after})")
    elif before != after:
        print(f"upgraded the schema of {where} from revision {before} to {after}")
    else:
        print(f"the schema of {where} is up to date (revision {after})")
    return 0


async def run_shard(args: argparse.Namespace) -> int:
    with startup_errors(args.db):
        return await _run_shard(args)


async def _run_shard(args: argparse.Namespace) -> int:
    _log_info()
    from shards.config import ShardConfig
    from shards.db import create_engine
    from shards.engine import ShardEngine
    from shards.metrics import Metrics
    from shards.server import start_shard

    if not 0 < args.heartbeat < args.partition_lease / 2:
        raise SystemExit(
            f"error: --heartbeat {args.heartbeat} must be positive and under half of "
            f"--partition-lease {args.partition_lease}"
        )
    db = create_engine(args.db)
    advertise = args.advertise or (None if args.listen.endswith(":0") else args.listen)
    # An id that stays the same across restarts lets a restarted server take back its own
    # partitions at once; a server on a port picked at random gets a random id.
    member_id = args.member_id or (
        f"shard@{advertise}" if advertise else f"shard-{secrets.token_hex(6)}"
    )

    def prepare(conn: sa.Connection) -> str:
        ensure_partitions(conn, args.partitions)
        return ensure_secret(conn)

    try:
        secret = await asyncio.to_thread(_in_tx, db, prepare)
    except ClusterMismatch as exc:
        db.dispose()
        raise SystemExit(f"error: {exc}") from None
    tls = server_tls(args, args.tls_client_ca)
    config = ShardConfig(
        tls=tls,
        db_url=args.db,
        cluster_secret=secret,
        listen=args.listen,
        partitions=args.partitions,
        lease_timeout=args.lease_timeout,
        member_id=member_id,
        advertise=advertise,
        partition_lease=args.partition_lease,
        heartbeat=args.heartbeat,
    )
    metrics = Metrics()
    if args.metrics:
        metrics.serve(args.metrics)
    server = await start_shard(config, ShardEngine(db, config, metrics))
    print(
        f"shard server {config.member_id} listening on port {server.port} "
        f"(advertised as {server.membership.address}), "
        f"owning {len(server.engine.owned)} of {args.partitions} partitions",
        flush=True,
    )
    print(tls_banner(tls, args.listen, "shard server"), flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        # A graceful stop hands the partitions over at once.
        await server.stop()
        db.dispose()
    return 0


async def run_gateway(args: argparse.Namespace) -> int:
    with startup_errors(args.db):
        return await _run_gateway(args)


async def _run_gateway(args: argparse.Namespace) -> int:
    _log_info()
    from gateway.config import GatewayConfig
    from gateway.server import start_gateway
    from shards.db import create_engine
    from shards.metrics import Metrics

    db = create_engine(args.db)

    def prepare(conn: sa.Connection) -> tuple[int | None, str]:
        return read_partitions(conn), ensure_secret(conn)

    partitions, secret = await asyncio.to_thread(_in_tx, db, prepare)
    if partitions is None:
        db.dispose()
        raise SystemExit(
            "error: this database holds no cluster yet: run `stepway migrate --db URL`, "
            "then start a shard server (`stepway shard --db URL`)"
        )
    config = GatewayConfig(
        db_url=args.db,
        cluster_secret=secret,
        listen=args.listen,
        http=args.http,
        tls=server_tls(args),
        tls_ca=args.tls_ca,
        shard_tls=shard_tls(args),
    )
    metrics = Metrics()
    if args.metrics:
        metrics.serve(args.metrics)
    server = await start_gateway(config, db, partitions, metrics)
    print(f"gateway listening on port {server.port}", flush=True)
    print(tls_banner(config.tls, args.listen, "gateway"), flush=True)
    if config.shard_tls is None:
        print("gateway calls shard servers in plaintext (--shard-tls-*: mutual TLS)", flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await server.stop()
        db.dispose()
    return 0


async def cluster_status(args: argparse.Namespace) -> int:
    from shards.db import create_engine
    from shards.membership import MemberInfo, lease_table, members
    from stepway._cli_base import CommandError, View

    view = View.of(args)
    with startup_errors(args.db):
        db = create_engine(args.db)
        try:

            def read() -> tuple[
                int | None, list[MemberInfo], list[tuple[int, str | None, int, int]]
            ]:
                with db.connect() as conn:
                    return read_partitions(conn), members(conn), lease_table(conn)

            partitions, rows_in, leases = await asyncio.to_thread(read)
        finally:
            db.dispose()
    if partitions is None:
        raise CommandError("no cluster in this database yet")
    now = now_us()
    return view.result(
        status_document(partitions, rows_in, leases, now),
        render_status(partitions, rows_in, leases, now),
    )


def status_document(
    partitions: int,
    member_rows: list[Any],
    leases: list[tuple[int, str | None, int, int]],
    now: int,
) -> dict[str, Any]:
    """`cluster status --output json`: the members with their state and partition counts."""
    live = {m.id for m in member_rows if m.lease_until > now}
    held: dict[str, int] = {}
    for _partition, owner, _epoch, _taken in leases:
        if owner is not None and owner in live:
            held[owner] = held.get(owner, 0) + 1
    return {
        "partitions": partitions,
        "members": [
            {
                "id": m.id,
                "address": m.address,
                "state": "live" if m.id in live else "expired",
                "partitions": held.get(m.id, 0),
                "heartbeat_age_seconds": round(max(now - m.heartbeat_at, 0) / 1e6, 3),
                "lease_left_seconds": round(max(m.lease_until - now, 0) / 1e6, 3),
            }
            for m in member_rows
        ],
        "orphaned_partitions": partitions - sum(held.values()),
    }


async def cluster_forget(args: argparse.Namespace) -> int:
    """Removes an expired member's row; its partitions were taken over when its lease ended."""
    from shards.db import create_engine
    from stepway._cli_base import CommandError, View

    view = View.of(args)
    M = schema.members

    def forget(conn: sa.Connection) -> str:
        row = conn.execute(sa.select(M.c.lease_until).where(M.c.id == args.member)).first()
        if row is None:
            return "missing"
        if row.lease_until > now_us():
            return "live"
        conn.execute(M.delete().where(M.c.id == args.member, M.c.lease_until <= now_us()))
        return "forgotten"

    with startup_errors(args.db):
        db = create_engine(args.db)
        try:
            outcome = await asyncio.to_thread(_in_tx, db, forget)
        finally:
            db.dispose()
    if outcome == "missing":
        raise CommandError(f"no member {args.member!r} in this cluster")
    if outcome == "live":
        raise CommandError(
            f"member {args.member!r} is live (its lease is renewed); stop it first, then forget "
            "it once `cluster status` shows it expired"
        )
    return view.result({"member": args.member, "forgotten": True}, f"forgot member {args.member}")


def render_status(
    partitions: int,
    member_rows: list[Any],
    leases: list[tuple[int, str | None, int, int]],
    now: int,
) -> str:
    """The `stepway cluster status` table: one line per member, then the partitions without a
    live owner."""
    live = {m.id for m in member_rows if m.lease_until > now}
    held: dict[str, list[tuple[int, int]]] = {}
    orphaned = 0
    for _partition, owner, epoch, taken_at in leases:
        if owner is not None and owner in live:
            held.setdefault(owner, []).append((epoch, taken_at))
        else:
            orphaned += 1
    rows = [("MEMBER", "ADDRESS", "STATE", "PARTITIONS", "HEARTBEAT", "LEASE LEFT", "HELD FOR")]
    for m in member_rows:
        mine = held.get(m.id, [])
        since = max((t for _, t in mine), default=None)
        rows.append(
            (
                m.id,
                m.address,
                "live" if m.id in live else "expired",
                str(len(mine)),
                f"{_seconds(now - m.heartbeat_at)} ago",
                _seconds(m.lease_until - now) if m.id in live else "-",
                "-" if since is None else _seconds(now - since),
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines.append("")
    lines.append(
        f"{partitions} partitions, {len(live)} live member(s); "
        f"{orphaned} partition(s) without a live owner"
    )
    return "\n".join(lines)


def _seconds(us: int) -> str:
    seconds = max(us, 0) / 1e6
    if seconds < 100:
        return f"{seconds:.1f}s"
    if seconds < 6000:
        return f"{seconds / 60:.0f}m"
    return f"{seconds / 3600:.1f}h"


async def keys_create(args: argparse.Namespace) -> int:
    from stepway._cli_base import CommandError
    from stepway.cli_admin import keys_create_over_api

    if args.db is None:
        if args.key_file is not None:
            raise CommandError("--key-file needs --db: a gateway makes its keys itself")
        return await keys_create_over_api(args)
    with startup_errors(args.db):
        return await _keys_create_in_db(args)


async def _keys_create_in_db(args: argparse.Namespace) -> int:
    from shards.accounts import add_key, ensure_account, get_account, hash_key, key_id
    from shards.db import create_engine
    from stepway._cli_base import CommandError, View
    from stepway.cli_admin import key_created_line

    given = None if args.key_file is None else read_key_file(args.key_file)
    db = create_engine(args.db)

    def create(conn: sa.Connection) -> str | None:
        account_id = ensure_account(conn, args.account, operator=args.operator)
        if args.operator and not get_account(conn, args.account).operator:
            return None
        return add_key(conn, account_id, args.role, key=given, name=args.name or args.role)

    try:
        key = await asyncio.to_thread(_in_tx, db, create)
    except InvalidArgument as exc:
        raise CommandError(exc.message) from None
    except ValueError as exc:  # the given key belongs to another account
        raise CommandError(str(exc)) from None
    finally:
        db.dispose()
    if key is None:
        raise CommandError(
            f"account {args.account!r} exists and is a tenant account; --operator "
            "makes only a new account an operator account"
        )
    document = {
        "key": key,
        "key_id": key_id(hash_key(key)),
        "account": args.account,
        "role": args.role,
        "name": args.name or args.role,
    }
    if given is not None:
        # The key is in the file already; logs (a bootstrap Job's) must not hold it.
        del document["key"]
        line = (
            f"API key from {args.key_file} stored for account {args.account!r}, role "
            f"{args.role}, id {document['key_id']}"
        )
        return View.of(args).result(document, line)
    return View.of(args).result(document, key_created_line(args.account, args.role, key))


def read_key_file(path: str) -> str:
    """The API key in a file (surrounding whitespace dropped), checked against KEY_FILE_RULE."""
    from shards.accounts import KEY_PREFIX
    from stepway._cli_base import CommandError

    try:
        key = Path(path).read_text().strip()
    except OSError as exc:
        raise CommandError(f"cannot read the key file {path}: {exc.strerror}") from None
    body = key.removeprefix(KEY_PREFIX)
    if (
        not key.startswith(KEY_PREFIX)
        or len(body) < KEY_FILE_MIN_CHARS
        or not all(c.isascii() and (c.isalnum() or c in "-_") for c in body)
    ):
        raise CommandError(f"the key in {path} is refused: {KEY_FILE_RULE}")
    return key


def _log_info() -> None:
    """Servers log what they do (partitions taken and released, late writes) at INFO, unless
    `-v` asked for more."""
    root = logging.getLogger()
    if root.level > logging.INFO:
        root.setLevel(logging.INFO)


def _in_tx(db: sa.Engine, fn: Any) -> Any:
    from shards.db import run_tx

    return run_tx(db, fn)
