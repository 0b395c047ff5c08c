"""Settings of a gateway, built once at start and passed down."""

from __future__ import annotations

from dataclasses import dataclass

from shards.tls import ClientTLS, ServerTLS


@dataclass(frozen=True)
class GatewayConfig:
    db_url: str
    # Sent with every forwarded call; must match the shard servers' secret.
    cluster_secret: str
    listen: str = "127.0.0.1:7300"
    # How long a verified API key is trusted before the database is asked again.
    key_cache_seconds: float = 10.0
    # How often the routing table (which shard server owns each partition) is read again.
    route_refresh_seconds: float = 2.0
    # HOST:PORT for the web console (gateway/console.py); None: not served.
    http: str | None = None
    # The certificate served to clients and workers (shards.tls); None: plaintext.
    tls: ServerTLS | None = None
    # The CA a process on this machine (the console) verifies tls's certificate with; None:
    # tls's certificate itself (a self-signed one).
    tls_ca: str | None = None
    # The cluster certificate presented to shard servers and the CA that verifies theirs
    # (mutual TLS); None: plaintext to the shards.
    shard_tls: ClientTLS | None = None
