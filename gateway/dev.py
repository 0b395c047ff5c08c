"""`stepway dev`: a gateway, a shard server and the store in one process.

The two servers still talk over gRPC on loopback, exactly as in a cluster. The store is an
SQLite file unless a PostgreSQL or CockroachDB URL is given.
"""

from __future__ import annotations

import asyncio
import secrets
from dataclasses import dataclass, replace

import sqlalchemy as sa

from gateway.config import GatewayConfig
from gateway.console import dial_address, is_loopback_host, start_console
from gateway.server import GatewayServer, start_gateway
from shards import migrate, quotas, schema
from shards.accounts import add_key, ensure_account, hash_key, set_operator
from shards.clock import WALL_CLOCK, Clock
from shards.cluster import ensure_partitions
from shards.config import ShardConfig
from shards.db import DEFAULT_SQLITE_SYNCHRONOUS, create_engine
from shards.engine import ShardEngine
from shards.metrics import Metrics
from shards.pages import ANSWER_BYTES, JOURNAL_PAGE_BYTES
from shards.partitioning import DEFAULT_PARTITIONS
from shards.server import ShardServer, start_shard
from shards.tls import ServerTLS

DEFAULT_DB_URL = "sqlite:///stepway-dev.db"
DEFAULT_LISTEN = "127.0.0.1:7300"
DEFAULT_ACCOUNT = "default"
# `stepway dev` serves the web console on loopback at the gRPC port plus this (7300 → 7380),
# unless told otherwise (`--http off`: nowhere), as `temporal server start-dev` puts its UI
# at its port plus 1000: two dev servers on two ports get two consoles.
CONSOLE_PORT_OFFSET = 80
# The cluster table's row that keeps the dev key of a store, so that every start of
# `stepway dev` on it prints the same key (a development store only: the key is kept as is).
DEV_KEY = "dev_api_key"


@dataclass(frozen=True)
class DevConfig:
    db_url: str = DEFAULT_DB_URL
    listen: str = DEFAULT_LISTEN
    api_key: str | None = None
    account: str = DEFAULT_ACCOUNT
    partitions: int = DEFAULT_PARTITIONS
    lease_timeout: float = 10.0
    # The shard's partition leases last this long without a renewal (ShardConfig).
    partition_lease: float = 10.0
    # SQLite's `synchronous` ('full' or 'normal'; shards.db.SQLITE_SYNCHRONOUS): whether a
    # commit survives a power cut (full) or only a process crash (normal).
    sqlite_synchronous: str = DEFAULT_SQLITE_SYNCHRONOUS
    # HOST:PORT for Prometheus metrics (/metrics); None: not served.
    metrics: str | None = None
    # HOST:PORT for the web console (gateway/console.py); None: not served. On a loopback
    # address the console signs its local user in with the dev key (gateway/console.py).
    http: str | None = None
    # Whether a browser on this machine is signed in to the console with the dev key (only
    # ever when `http` is a loopback address).
    console_sign_in: bool = True
    # Bytes of a journal page and of a many-item answer (shards.pages).
    journal_page_bytes: int = JOURNAL_PAGE_BYTES
    answer_bytes: int = ANSWER_BYTES
    # The certificate served to clients, workers and the console's browsers (shards.tls);
    # None: plaintext. The gateway and the shard server inside still talk over loopback.
    tls: ServerTLS | None = None
    # The CA that issued tls's certificate, trusted by the console and the example when they
    # call the gateway; None: the certificate itself (a self-signed one).
    tls_ca: str | None = None

    @property
    def client_tls(self) -> str | bool:
        """Client.connect's tls for a process of this server that calls its gateway."""
        if self.tls is None:
            return False
        return self.tls_ca or self.tls.cert


@dataclass
class DevServer:
    """A running dev server; `address` and `api_key` are what clients and workers need."""

    config: DevConfig
    db: sa.Engine
    shard: ShardServer
    gateway: GatewayServer
    api_key: str
    metrics: Metrics
    # Where /metrics is served (None when it is not).
    metrics_port: int | None = None

    @property
    def address(self) -> str:
        host = self.config.listen.rsplit(":", 1)[0]
        return f"{host}:{self.gateway.port}"

    @property
    def http_port(self) -> int | None:
        """Where the web console is served (None when it is not)."""
        return self.gateway.http_port

    async def stop(self) -> None:
        await self.gateway.stop(grace=0.5)
        await self.shard.stop(grace=0.5)
        self.metrics.close()
        self.db.dispose()


def dev_key(conn: sa.Connection, account_id: str) -> str:
    """The store's dev key: the one kept from an earlier start while it is still a valid key of
    the account, else a new one, kept for the next start."""
    C, K = schema.cluster, schema.api_keys
    kept = conn.execute(sa.select(C.c.value).where(C.c.name == DEV_KEY)).scalar()
    if kept is not None:
        valid = conn.execute(
            sa.select(K.c.key_hash).where(
                K.c.key_hash == hash_key(kept),
                K.c.account_id == account_id,
                K.c.revoked_at.is_(None),
            )
        ).first()
        if valid is not None:
            return str(kept)
        conn.execute(C.delete().where(C.c.name == DEV_KEY))
    key = add_key(conn, account_id, "admin", name="dev")
    conn.execute(C.insert().values(name=DEV_KEY, value=key))
    return key


def default_http(listen: str) -> str:
    """The console's default HOST:PORT for a dev server listening on listen: loopback, at
    its port plus CONSOLE_PORT_OFFSET (any free port when listen's port is 0 or too high)."""
    port = int(listen.rpartition(":")[2]) + CONSOLE_PORT_OFFSET
    if port == CONSOLE_PORT_OFFSET or port > 65535:
        port = 0
    return f"127.0.0.1:{port}"


def signs_in(config: DevConfig) -> bool:
    """Whether the console signs its local user in: asked, and served on loopback only."""
    if not config.http or not config.console_sign_in:
        return False
    return is_loopback_host(config.http.rpartition(":")[0])


def lift_rate_limits(conn: sa.Connection, account_id: str) -> None:
    """A dev server's own account starts without rate limits (a benchmark or a bulk load on a
    laptop should not meet the production default of 300 creations a second). An account
    whose quotas were ever set keeps them; `stepway accounts quotas set default ...` sets
    them."""
    A = schema.accounts
    row = conn.execute(sa.select(A.c.quotas, A.c.retention_us).where(A.c.id == account_id)).one()
    if row.quotas is None:
        unlimited = replace(
            quotas.DEFAULTS,
            creations_per_second=quotas.MAXIMUM["creations_per_second"],
            requests_per_second=quotas.MAXIMUM["requests_per_second"],
        )
        stored, _ = quotas.to_row(unlimited)
        conn.execute(A.update().where(A.c.id == account_id).values(quotas=stored))


async def start_dev(config: DevConfig, clock: Clock = WALL_CLOCK) -> DevServer:
    """Migrates the store, makes sure the account and its key exist, and starts both servers
    (the shard's timers on clock: stepway.testing passes one that skips ahead)."""
    db = create_engine(config.db_url, sqlite_synchronous=config.sqlite_synchronous)

    def prepare() -> tuple[int, str]:
        migrate.upgrade(db)
        with db.begin() as conn:
            partitions = ensure_partitions(conn, config.partitions)
            account_id = ensure_account(conn, config.account)
            # The dev account manages every account (a store made before accounts had the
            # operator flag holds it as a tenant account).
            set_operator(conn, account_id)
            lift_rate_limits(conn, account_id)
            if config.api_key is not None:
                key = add_key(conn, account_id, "admin", key=config.api_key, name="dev")
            else:
                key = dev_key(conn, account_id)
        return partitions, key

    try:
        partitions, key = await asyncio.to_thread(prepare)
        secret = secrets.token_urlsafe(32)
        shard_config = ShardConfig(
            db_url=config.db_url,
            cluster_secret=secret,
            listen="127.0.0.1:0",
            partitions=partitions,
            lease_timeout=config.lease_timeout,
            partition_lease=config.partition_lease,
            heartbeat=min(1.0, config.partition_lease / 4),
            # One member, with a fixed id: a restart takes its own leases back at once.
            member_id="dev",
            journal_page_bytes=config.journal_page_bytes,
            answer_bytes=config.answer_bytes,
        )
        metrics = Metrics()
        shard = await start_shard(shard_config, ShardEngine(db, shard_config, metrics, clock))
        gateway_config = GatewayConfig(
            db_url=config.db_url,
            cluster_secret=secret,
            listen=config.listen,
            tls=config.tls,
            tls_ca=config.tls_ca,
        )
        try:
            gateway = await start_gateway(gateway_config, db, partitions, metrics)
        except BaseException:
            await shard.stop(0)
            raise
        if config.http:
            try:
                gateway.console = await start_console(
                    config.http,
                    dial_address(config.listen, gateway.port),
                    sign_in_key=key if signs_in(config) else None,
                    db=db,
                    tls=gateway.certificates,
                    gateway_ca=config.tls_ca,
                )
            except BaseException:
                await gateway.stop(0)
                await shard.stop(0)
                raise
    except BaseException:
        db.dispose()
        raise
    try:
        port = metrics.serve(config.metrics) if config.metrics else None
    except BaseException:
        await gateway.stop(0)
        await shard.stop(0)
        db.dispose()
        raise
    return DevServer(config, db, shard, gateway, key, metrics, port)
