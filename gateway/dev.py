"""`stepway dev`: a gateway, a shard server and the store in one process.

The two servers still talk over gRPC on loopback, exactly as in a cluster. The store is an
SQLite file unless a PostgreSQL or CockroachDB URL is given.
"""

from __future__ import annotations

import asyncio
import secrets
from dataclasses import dataclass

import sqlalchemy as sa

from gateway.config import GatewayConfig
from gateway.server import GatewayServer, start_gateway
from shards import migrate
from shards.accounts import add_key, ensure_account
from shards.cluster import ensure_partitions
from shards.config import ShardConfig
from shards.db import create_engine
from shards.engine import ShardEngine
from shards.partitioning import DEFAULT_PARTITIONS
from shards.server import ShardServer, start_shard

DEFAULT_DB_URL = "sqlite:///stepway-dev.db"
DEFAULT_LISTEN = "127.0.0.1:7300"
DEFAULT_ACCOUNT = "default"


@dataclass(frozen=True)
class DevConfig:
    db_url: str = DEFAULT_DB_URL
    listen: str = DEFAULT_LISTEN
    api_key: str | None = None
    account: str = DEFAULT_ACCOUNT
    partitions: int = DEFAULT_PARTITIONS
    lease_timeout: float = 10.0


@dataclass
class DevServer:
    """A running dev server; `address` and `api_key` are what clients and workers need."""

    config: DevConfig
    db: sa.Engine
    shard: ShardServer
    gateway: GatewayServer
    api_key: str

    @property
    def address(self) -> str:
        host = self.config.listen.rsplit(":", 1)[0]
        return f"{host}:{self.gateway.port}"

    async def stop(self) -> None:
        await self.gateway.stop(grace=0.5)
        await self.shard.stop(grace=0.5)
        self.db.dispose()


async def start_dev(config: DevConfig) -> DevServer:
    """Migrates the store, makes sure the account and its key exist, and starts both servers."""
    db = create_engine(config.db_url)

    def prepare() -> tuple[int, str]:
        migrate.upgrade(db)
        with db.begin() as conn:
            partitions = ensure_partitions(conn, config.partitions)
            account_id = ensure_account(conn, config.account)
            key = add_key(conn, account_id, "admin", key=config.api_key, name="dev")
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
            # One member, with a fixed id: a restart takes its own leases back at once.
            member_id="dev",
        )
        shard = await start_shard(shard_config, ShardEngine(db, shard_config))
        gateway_config = GatewayConfig(
            db_url=config.db_url,
            cluster_secret=secret,
            listen=config.listen,
        )
        try:
            gateway = await start_gateway(gateway_config, db, partitions)
        except BaseException:
            await shard.stop(0)
            raise
    except BaseException:
        db.dispose()
        raise
    return DevServer(config, db, shard, gateway, key)
