"""`stepway shard` and `stepway gateway`: one server of a cluster each, started on a database
whose partitions and cluster secret they make on first use."""

from __future__ import annotations

import argparse
import asyncio
import logging
import secrets

import sqlalchemy as sa

from gateway.commands.common import in_tx, server_tls, startup_errors, tls_banner
from shards import schema
from shards.cluster import ClusterMismatch, ensure_partitions, read_partitions
from shards.db import insert_missing
from shards.tls import ClientTLS

SECRET = "cluster_secret"


def ensure_secret(conn: sa.Connection) -> str:
    """The secret the cluster's gateways and shard servers share, made on first use."""
    C = schema.cluster
    found = conn.execute(sa.select(C.c.value).where(C.c.name == SECRET)).scalar()
    if found is not None:
        return str(found)
    # Several processes may start on a new database at once: the first secret stays.
    insert_missing(conn, C, [{"name": SECRET, "value": secrets.token_urlsafe(32)}])
    return str(conn.execute(sa.select(C.c.value).where(C.c.name == SECRET)).scalar_one())


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
        secret = await asyncio.to_thread(in_tx, db, prepare)
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

    partitions, secret = await asyncio.to_thread(in_tx, db, prepare)
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


def _log_info() -> None:
    """Servers log what they do (partitions taken and released, late writes) at INFO, unless
    `-v` asked for more."""
    root = logging.getLogger()
    if root.level > logging.INFO:
        root.setLevel(logging.INFO)
