"""An account's quotas: the limits of DESIGN §2, their defaults, and how they are stored.

An account stores only the quotas an admin changed, as a JSON object in `accounts.quotas`
(NULL when none); everything else is the default. Retention has its own column
(`accounts.retention_us`) because the engine reads it when an instance finishes.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

import sqlalchemy as sa

from shards import schema
from shards.db import insert_missing

# Defaults: Cloudflare Workflows V2's paid limits.
DEFAULT_RETENTION_SECONDS = 30 * 86_400


@dataclass(frozen=True)
class Quotas:
    """Every limit of an account, with its default."""

    # Instance creations per second, a token bucket whose burst is one second's worth.
    creations_per_second: int = 300
    # Instances running at once (status running or waitingForPause); more wait as queued.
    max_running: int = 50_000
    # Queued instances per workflow; a creation past it is refused.
    max_queued_per_workflow: int = 2_000_000
    # Calls per second, all services together.
    requests_per_second: int = 5_000
    # Bytes of params, a step's result, or an event's payload.
    max_payload_bytes: int = 1024 * 1024
    # Steps one instance may record; the step past it fails the instance.
    max_steps_per_instance: int = 10_000
    # How long finished instances are kept.
    retention_seconds: int = DEFAULT_RETENTION_SECONDS
    # Bytes of one instance's recorded state: params, step results and failures, events
    # received. The write past it errors the instance. 100 MiB is Cloudflare Workflows' state
    # limit per instance on its free plan (1 GB on paid): every wake replays the whole journal
    # to a worker, in pages, so 100 MiB keeps a replay to about 25 pages of 4 MiB.
    max_instance_state_bytes: int = 100 * 1024 * 1024
    # Schedules the account holds; CreateSchedule past it is refused.
    max_schedules: int = 1_000
    # Children one instance may start (step.run_workflow, step.start_workflow).
    max_children_per_instance: int = 1_000


NAMES = tuple(f.name for f in fields(Quotas))
DEFAULTS = Quotas()
# The smallest value each quota takes: 0 would stop an account, which revoking its keys does.
MINIMUM = {name: 1 for name in NAMES}
# An instance's params (at most max_payload_bytes, 1 MiB) always fit in its state.
MINIMUM["max_instance_state_bytes"] = 1024 * 1024
# The largest value each quota takes.
MAXIMUM = {
    "creations_per_second": 1_000_000,
    "max_running": 100_000_000,
    "max_queued_per_workflow": 1_000_000_000,
    "requests_per_second": 10_000_000,
    # The servers check 1 MiB when a call arrives: an account's limit can only be lower.
    "max_payload_bytes": 1024 * 1024,
    "max_steps_per_instance": 1_000_000,
    # Cloudflare Workflows' paid limit: 1 GiB.
    "max_instance_state_bytes": 1024 * 1024 * 1024,
    "retention_seconds": 10 * 365 * 86_400,
    "max_schedules": 100_000,
    "max_children_per_instance": 100_000,
}


class QuotaValueError(ValueError):
    """A quota name or value out of range; the message names the quota and its bounds."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name


def check(name: str, value: int) -> int:
    """The value, if name is a quota and value is within its bounds."""
    if name not in NAMES:
        raise QuotaValueError(name, f"unknown quota {name!r}; the quotas are {', '.join(NAMES)}")
    if not MINIMUM[name] <= value <= MAXIMUM[name]:
        raise QuotaValueError(
            name, f"{name} must be between {MINIMUM[name]:,} and {MAXIMUM[name]:,}, not {value:,}"
        )
    return value


def from_row(overrides: str | None, retention_us: int | None) -> Quotas:
    """An account's quotas from its stored overrides (JSON or NULL) and retention column."""
    stored: dict[str, Any] = json.loads(overrides) if overrides else {}
    values = {k: int(v) for k, v in stored.items() if k in NAMES and k != "retention_seconds"}
    if retention_us is not None:
        values["retention_seconds"] = retention_us // 1_000_000
    return replace(DEFAULTS, **values)


def to_row(quotas: Quotas) -> tuple[str | None, int | None]:
    """The stored form: (JSON of the quotas that differ from the default, or None;
    retention in microseconds, or None for the default)."""
    changed = {
        k: v
        for k, v in asdict(quotas).items()
        if k != "retention_seconds" and v != getattr(DEFAULTS, k)
    }
    retention = (
        None
        if quotas.retention_seconds == DEFAULTS.retention_seconds
        else quotas.retention_seconds * 1_000_000
    )
    return (json.dumps(changed, sort_keys=True) if changed else None), retention


class QuotaCache:
    """Accounts' quotas as the database holds them, each kept for `ttl` seconds, so that a
    change an admin makes takes effect within that time without a restart."""

    def __init__(self, ttl: float = 2.0) -> None:
        self.ttl = ttl
        self._cache: dict[str, tuple[float, Quotas]] = {}

    def read(self, conn: sa.Connection, account_id: str) -> Quotas:
        """The account's quotas: cached, or read with this connection (in a thread)."""
        now = time.monotonic()
        hit = self._cache.get(account_id)
        if hit is not None and hit[0] > now:
            return hit[1]
        A = schema.accounts
        row = conn.execute(
            sa.select(A.c.quotas, A.c.retention_us).where(A.c.id == account_id)
        ).first()
        quotas = DEFAULTS if row is None else from_row(row.quotas, row.retention_us)
        self._cache[account_id] = (now + self.ttl, quotas)
        return quotas

    def has(self, account_id: str) -> bool:
        """Whether the account's quotas were ever read."""
        return account_id in self._cache

    def known(self, account_id: str) -> tuple[Quotas, bool]:
        """The last quotas read for the account (the defaults before any), and whether they
        are older than ttl."""
        hit = self._cache.get(account_id)
        if hit is None:
            return DEFAULTS, True
        return hit[1], hit[0] <= time.monotonic()


def add_rejections(conn: sa.Connection, counts: Mapping[tuple[str, str], int]) -> None:
    """Adds a server's refusals, per (account, quota), to the account's totals."""
    R = schema.rejections
    if not counts:
        return
    insert_missing(conn, R, [{"account_id": a, "quota": q, "count": 0} for a, q in sorted(counts)])
    for (account_id, quota), n in sorted(counts.items()):
        conn.execute(
            R.update()
            .where(R.c.account_id == account_id, R.c.quota == quota)
            .values(count=R.c.count + n)
        )


def read_rejections(conn: sa.Connection, account_id: str) -> dict[str, int]:
    """An account's refusals so far, by quota."""
    R = schema.rejections
    rows = conn.execute(sa.select(R.c.quota, R.c.count).where(R.c.account_id == account_id))
    return {quota: int(n) for quota, n in rows}
