"""An in-process cluster for tests: shard servers and a gateway on one PostgreSQL database,
with real gRPC servers on loopback ports."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace
from typing import Any

import pytest
import sqlalchemy as sa

from gateway.commands.servers import ensure_secret
from gateway.config import GatewayConfig
from gateway.dev import lift_rate_limits
from gateway.server import GatewayServer, start_gateway
from shards import migrate, schema
from shards.accounts import add_key, ensure_account
from shards.cluster import ensure_partitions
from shards.config import ShardConfig
from shards.db import create_engine
from shards.engine import ShardEngine
from shards.server import ShardServer, start_shard
from stepway import Client
from tests.helpers import eventually

PARTITIONS = 1024


@dataclass
class Cluster:
    db: sa.Engine
    db_url: str
    secret: str
    key: str
    shards: dict[str, ShardServer] = field(default_factory=dict)
    gateways: list[GatewayServer] = field(default_factory=list)

    async def add_shard(self, member_id: str, **settings: Any) -> ShardServer:
        """Starts a shard server; settings override ShardConfig's test defaults."""
        config = ShardConfig(
            db_url=self.db_url,
            cluster_secret=self.secret,
            listen="127.0.0.1:0",
            partitions=PARTITIONS,
            member_id=member_id,
            heartbeat=0.1,
            partition_lease=3.0,
        )
        config = replace(config, **settings)
        server = await start_shard(config, ShardEngine(self.db, config))
        self.shards[member_id] = server
        return server

    async def stop_shard(self, member_id: str) -> None:
        await self.shards.pop(member_id).stop(grace=0.2)

    def owned(self) -> dict[str, int]:
        return {m: len(s.engine.owned) for m, s in self.shards.items()}

    async def settled(self) -> dict[str, int]:
        """Waits until the live shards own every partition between them, evenly."""

        async def probe() -> dict[str, int]:
            return self.owned()

        def even(owned: dict[str, int]) -> bool:
            share = PARTITIONS / len(owned)
            return sum(owned.values()) == PARTITIONS and all(
                abs(n - share) <= 1 for n in owned.values()
            )

        return await eventually(probe, even, what="an even split of the partitions")


@contextlib.asynccontextmanager
async def open_cluster(db_url: str, *, migrate_first: bool = False) -> AsyncIterator[Cluster]:
    """A cluster (no servers yet) on a PostgreSQL database; stops its servers at the end.
    With migrate_first, the database is migrated first (the test databases come migrated)."""
    db = create_engine(db_url)

    def prepare() -> tuple[str, str]:
        if migrate_first:
            migrate.upgrade(db)
        with db.begin() as conn:
            ensure_partitions(conn, PARTITIONS)
            secret = ensure_secret(conn)
            account = ensure_account(conn, "acme")
            lift_rate_limits(conn, account)  # tests that need a rate set their own
            return secret, add_key(conn, account, "admin", name="test")

    secret, key = await asyncio.to_thread(prepare)
    c = Cluster(db, db_url, secret, key)
    try:
        yield c
    finally:
        for gateway in c.gateways:
            await gateway.stop(grace=0.2)
        for member in list(c.shards):
            await c.stop_shard(member)
        db.dispose()


@pytest.fixture
async def cluster(pg_url: str) -> AsyncIterator[Cluster]:
    async with open_cluster(pg_url) as c:
        yield c


async def start_gateway_of(cluster: Cluster) -> Client:
    config = GatewayConfig(
        db_url=cluster.db_url,
        cluster_secret=cluster.secret,
        listen="127.0.0.1:0",
        route_refresh_seconds=0.2,
    )
    gateway = await start_gateway(config, cluster.db, PARTITIONS)
    cluster.gateways.append(gateway)
    return await Client.connect(f"127.0.0.1:{gateway.port}", api_key=cluster.key)


def account_id(cluster: Cluster) -> str:
    """The id of the account the cluster's key belongs to."""
    with cluster.db.connect() as conn:
        return str(
            conn.execute(
                sa.select(schema.accounts.c.id).where(schema.accounts.c.name == "acme")
            ).scalar_one()
        )
