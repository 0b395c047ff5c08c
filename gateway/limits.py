"""Per-account rates a gateway enforces: requests per second (every call) and instance
creations per second, each a token bucket whose burst is one second's worth. A creation that
a shard refuses as bad input (INVALID_ARGUMENT) gives its token back (refund).

An account's rates hold for the whole cluster. Gateways register in the `gateways` table with
a heartbeat, and each enforces an equal share of every rate: the quota divided by the number
of live gateways (as Temporal's frontends split a namespace's RPS). A client spread over the
gateways then gets the whole rate, and the cluster never admits more. A gateway that joins or
leaves changes every share within one heartbeat.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import Counter
from dataclasses import dataclass

import sqlalchemy as sa

from shards import schema
from shards.clock import now_us
from shards.db import backend_name, insert_missing, log_failure, run_tx
from shards.errors import QuotaExceeded
from shards.metrics import Metrics
from shards.quotas import QuotaCache, Quotas, add_rejections

log = logging.getLogger(__name__)


@dataclass
class Bucket:
    """A token bucket: `rate` tokens a second, holding at most `rate` (one second's burst)."""

    tokens: float
    updated: float

    def take(self, rate: float, wanted: int, now: float) -> int:
        """Takes up to wanted tokens; answers how many it took."""
        self.tokens = min(rate, self.tokens + (now - self.updated) * rate)
        self.updated = now
        taken = min(wanted, int(self.tokens))
        self.tokens -= taken
        return taken

    def give_back(self, rate: float, count: int) -> None:
        """Puts back count tokens taken for work that was refused (at most `rate` held)."""
        self.tokens = min(rate, self.tokens + count)

    def wait(self, rate: float, wanted: int) -> float:
        """Seconds until wanted tokens are there (at least one; a burst caps at the rate)."""
        missing = min(wanted, max(rate, 1.0)) - self.tokens
        return max(missing / rate, 0.001)


class GatewayLimits:
    """This gateway's share of each account's request and creation rates."""

    def __init__(
        self,
        db: sa.Engine,
        gateway_id: str,
        address: str,
        *,
        heartbeat_seconds: float = 1.0,
        quota_seconds: float = 2.0,
        metrics: Metrics | None = None,
    ) -> None:
        self.db = db
        self.metrics = metrics or Metrics()
        self.gateway_id = gateway_id
        self.address = address
        self.heartbeat_seconds = heartbeat_seconds
        self.quotas = QuotaCache(quota_seconds)
        # Live gateways, this one included; 1 until the first heartbeat.
        self.gateways = 1
        self._requests: dict[str, Bucket] = {}
        self._creations: dict[str, Bucket] = {}
        self._reading: set[str] = set()
        self._task: asyncio.Task[None] | None = None
        self._background: set[asyncio.Future[None]] = set()
        # Calls and creations refused, per (account, quota).
        self.rejected: Counter[tuple[str, str]] = Counter()

    # ------------------------------------------------------------------ membership

    async def start(self) -> None:
        await self.heartbeat()
        self._task = asyncio.create_task(self._loop(), name="gateway-heartbeat")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
        await self.flush()
        if backend_name(self.db) != "sqlite":
            with contextlib.suppress(Exception):
                await asyncio.to_thread(run_tx, self.db, self._leave)

    async def _loop(self) -> None:
        while True:
            await asyncio.sleep(self.heartbeat_seconds)
            try:
                await self.heartbeat()
            except Exception as exc:
                log_failure(
                    log,
                    f"gateway heartbeat failed; keeping {self.gateways} as the gateway count",
                    exc,
                )
            await self.flush()

    async def flush(self) -> None:
        """Adds this gateway's refusals to the accounts' totals (their usage)."""
        if not self.rejected:
            return
        counts, self.rejected = self.rejected, Counter()
        try:
            await asyncio.to_thread(run_tx, self.db, lambda conn: add_rejections(conn, counts))
        except Exception:
            log.exception("could not record quota refusals; keeping them for the next try")
            self.rejected.update(counts)

    async def heartbeat(self) -> None:
        """Renews this gateway's row and counts the live gateways. An SQLite store has one
        process, so one gateway, and no row to write."""
        if backend_name(self.db) == "sqlite":
            return
        self.gateways = await asyncio.to_thread(run_tx, self.db, self._beat)

    def _beat(self, conn: sa.Connection) -> int:
        G = schema.gateways
        now = now_us()
        # A gateway counts as live for three heartbeats.
        until = now + int(self.heartbeat_seconds * 3_000_000)
        beat = conn.execute(
            G.update()
            .where(G.c.id == self.gateway_id)
            .values(address=self.address, heartbeat_at=now, lease_until=until)
        )
        if beat.rowcount == 0:
            row = {
                "id": self.gateway_id,
                "address": self.address,
                "heartbeat_at": now,
                "lease_until": until,
            }
            insert_missing(conn, G, [row])
        live = conn.execute(
            sa.select(sa.func.count()).select_from(G).where(G.c.lease_until > now)
        ).scalar_one()
        return max(int(live), 1)

    def _leave(self, conn: sa.Connection) -> None:
        conn.execute(schema.gateways.delete().where(schema.gateways.c.id == self.gateway_id))

    # ------------------------------------------------------------------ the limits

    def _quotas(self, account_id: str) -> Quotas:
        """The account's quotas as last read; stale ones are read again in the background."""
        quotas, stale = self.quotas.known(account_id)
        if stale and account_id not in self._reading:
            self._reading.add(account_id)

            def read() -> None:
                with self.db.connect() as conn:
                    self.quotas.read(conn, account_id)

            async def refresh() -> None:
                try:
                    await asyncio.to_thread(read)
                except Exception:
                    log.exception("could not read the quotas of account %s", account_id)
                finally:
                    self._reading.discard(account_id)

            task = asyncio.ensure_future(refresh())
            self._background.add(task)
            task.add_done_callback(self._background.discard)
        return quotas

    async def ready(self, account_id: str) -> None:
        """Reads the account's quotas now if they were never read (the first call of an
        account waits for them instead of using the defaults)."""
        if self.quotas.known(account_id)[1] and account_id not in self._reading:

            def read() -> None:
                with self.db.connect() as conn:
                    self.quotas.read(conn, account_id)

            await asyncio.to_thread(read)

    def request(self, account_id: str) -> None:
        """Admits one call of the account, or raises QuotaExceeded (requests_per_second)."""
        self._take(self._requests, account_id, "requests_per_second", 1, whole=True)

    def creations(self, account_id: str, wanted: int) -> int:
        """Admits up to wanted creations of the account: answers how many; raises
        QuotaExceeded (creations_per_second) when it admits none."""
        return self._take(self._creations, account_id, "creations_per_second", wanted)

    def refund(self, account_id: str, count: int) -> None:
        """Gives back creations that creations() admitted but a shard refused as bad input
        (INVALID_ARGUMENT): a creation refused does not use up the account's rate."""
        bucket = self._creations.get(account_id)
        if bucket is not None:
            rate = self._quotas(account_id).creations_per_second / self.gateways
            bucket.give_back(rate, count)

    def _take(
        self,
        buckets: dict[str, Bucket],
        account_id: str,
        quota: str,
        wanted: int,
        *,
        whole: bool = False,
    ) -> int:
        limit = getattr(self._quotas(account_id), quota)
        rate = limit / self.gateways
        now = time.monotonic()
        bucket = buckets.get(account_id)
        if bucket is None:
            bucket = buckets[account_id] = Bucket(tokens=rate, updated=now)
        taken = bucket.take(rate, wanted, now)
        if taken == 0 or (whole and taken < wanted):
            bucket.tokens += taken
            self.reject(account_id, quota, wanted)
            raise QuotaExceeded(quota, limit, bucket.wait(rate, wanted))
        if taken < wanted:
            self.reject(account_id, quota, wanted - taken)
        return taken

    def reject(self, account_id: str, quota: str, count: int = 1) -> None:
        """Counts calls of the account refused by a quota or cap (usage, and the metric)."""
        self.rejected[(account_id, quota)] += count
        self.metrics.quota_rejections.labels(account_id, quota).inc(count)
