"""Settings of a gateway, built once at start and passed down."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class GatewayConfig:
    db_url: str
    # Where the shard server listens (one shard server until the cluster lands).
    shard_address: str
    # Sent with every forwarded call; must match the shard servers' secret.
    cluster_secret: str
    listen: str = "127.0.0.1:7300"
    # How long a verified API key is trusted before the database is asked again.
    key_cache_seconds: float = 10.0
