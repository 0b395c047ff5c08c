"""Settings of a shard server, built once at start and passed down."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from shards.pages import ANSWER_BYTES, JOURNAL_PAGE_BYTES
from shards.partitioning import DEFAULT_PARTITIONS
from shards.tls import ServerTLS


@dataclass(frozen=True)
class ShardConfig:
    db_url: str
    # Shared by the cluster's gateways and shard servers: a shard refuses calls without it.
    cluster_secret: str
    listen: str = "127.0.0.1:7301"
    partitions: int = DEFAULT_PARTITIONS
    # A worker's task lease lasts this long without a heartbeat or a recorded step.
    lease_timeout: float = 10.0
    # Operations per group-commit transaction, at most.
    max_batch: int = 128
    # Instances handled per timer transaction.
    timer_batch: int = 500
    # How long finished instances are kept when neither the instance nor its account says.
    default_retention: float = 30 * 86_400.0
    # Seconds between two sweeps for expired instances, and instances deleted per transaction.
    purge_interval: float = 60.0
    purge_batch: int = 500
    # This server's id in the cluster's membership, and where gateways reach it.
    member_id: str = field(default_factory=lambda: f"shard-{uuid.uuid4().hex[:12]}")
    advertise: str | None = None
    # Partition leases last this long without renewal; heartbeats come this often.
    partition_lease: float = 10.0
    heartbeat: float = 1.0
    # Bytes of one page of a task's journal (or of an instance's steps), and of one answer that
    # holds many tasks or history entries (shards.pages): far under the transport's limit.
    journal_page_bytes: int = JOURNAL_PAGE_BYTES
    answer_bytes: int = ANSWER_BYTES
    # The certificate served to gateways, and the CA their certificates must come from
    # (mutual TLS, shards.tls); None: plaintext.
    tls: ServerTLS | None = None
