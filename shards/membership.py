"""Cluster membership and partition leases, kept in the database.

Every shard server heartbeats its `members` row, which renews every lease it holds at once
(`lease_until`), and in the same transaction computes which partitions the live members should
own (shards.assignment) and acts on its own share: it releases the partitions that now belong
to another member (so that a joining server gets them at once), and takes those assigned to it
that are free or whose owner's lease ran out, with the epoch raised by one. A tick is a handful
of statements whatever the number of partitions, and the lease rows, which every write reads
for its fence, change only when a partition moves.

A server that stops gracefully releases its leases and deletes its row, so the others take its
partitions at their next tick. A server that dies or stalls keeps its leases until its
`lease_until` passes. The engine fences every write with the epochs it holds
(shards.engine.ownership.Partitions.fence), and it stops writing on its own once its leases
may have run out (`valid_until`, on the monotonic clock).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from shards import schema
from shards.assignment import assign
from shards.clock import now_us
from shards.db import insert_missing, log_failure, run_tx
from shards.store.rows import partition_in

log = logging.getLogger(__name__)

Runner = Callable[[Callable[[sa.Connection], Any]], Awaitable[Any]]
M = schema.members
L = schema.partition_leases


@dataclass(frozen=True)
class Ownership:
    """The partitions a member holds (partition → epoch) and until when it may write for them."""

    epochs: dict[int, int]
    # time.monotonic() after which the leases may have expired: no write may start later.
    valid_until: float


@dataclass(frozen=True)
class MemberInfo:
    id: str
    address: str
    started_at: int
    heartbeat_at: int
    lease_until: int


def members(conn: sa.Connection) -> list[MemberInfo]:
    """Every member row, live or not, by id."""
    rows = conn.execute(
        sa.select(M.c.id, M.c.address, M.c.started_at, M.c.heartbeat_at, M.c.lease_until).order_by(
            M.c.id
        )
    )
    return [MemberInfo(r.id, r.address, r.started_at, r.heartbeat_at, r.lease_until) for r in rows]


def lease_table(conn: sa.Connection) -> list[tuple[int, str | None, int, int]]:
    """(partition, owner, epoch, taken_at) of every partition."""
    rows = conn.execute(sa.select(L.c.partition, L.c.owner, L.c.epoch, L.c.taken_at))
    return [(r.partition, r.owner, r.epoch, r.taken_at) for r in rows]


def live_owners(
    conn: sa.Connection, now: int, partitions: Sequence[int] | None = None
) -> dict[int, str]:
    """Partition → address of its owner, for the partitions (all when None) whose owner's lease
    is live at `now`: a gateway's routing table, and where a shard server sends a call for a
    partition it does not own."""
    query = sa.select(L.c.partition, M.c.address).join(M, M.c.id == L.c.owner)
    query = query.where(M.c.lease_until > now)
    if partitions is not None:
        query = query.where(partition_in(L.c.partition, partitions, conn.dialect))
    return {r.partition: r.address for r in conn.execute(query)}


class Membership:
    """One shard server's heartbeat and partition leases."""

    def __init__(
        self,
        db: sa.Engine,
        *,
        member_id: str,
        address: str,
        partitions: int,
        lease_seconds: float = 10.0,
        heartbeat_seconds: float = 1.0,
        on_change: Callable[[Ownership], None],
        assign_fn: Callable[[int, Sequence[str]], dict[int, str]] = assign,
        runner: Runner | None = None,
    ) -> None:
        self.db = db
        # How a transaction runs: by default in a thread with its own retries; a shard server
        # passes its committer, so that its writes to an SQLite file stay in one writer thread.
        self.run: Runner = runner or (lambda fn: asyncio.to_thread(run_tx, db, fn))
        self.member_id = member_id
        self.address = address
        self.partitions = partitions
        self.lease_us = int(lease_seconds * 1_000_000)
        # Local writes stop this much before the lease's end, for clock drift between servers.
        self._margin = max(1.0, lease_seconds * 0.2)
        self.heartbeat_seconds = heartbeat_seconds
        self.on_change = on_change
        self.assign = assign_fn
        self.started_at = now_us()
        self.ownership = Ownership({}, 0.0)
        self.ticks = 0
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Joins the cluster: the first tick is awaited, so the server starts owning its share."""
        await self.tick()
        self._task = asyncio.create_task(self._loop(), name=f"membership-{self.member_id}")

    async def stop(self, *, release: bool = True) -> None:
        """Leaves the cluster; with release, hands every lease over at once."""
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
        if release:
            try:
                await self.run(self._leave)
            except Exception:
                log.exception("could not release partition leases; they expire on their own")
        self.ownership = Ownership({}, 0.0)
        self.on_change(self.ownership)

    async def _loop(self) -> None:
        while True:
            await asyncio.sleep(self.heartbeat_seconds)
            try:
                await self.tick()
            except Exception as exc:
                log_failure(log, "membership heartbeat failed; retrying", exc)

    async def tick(self) -> Ownership:
        """Heartbeats, then renews, releases and takes leases; tells the engine what it holds."""
        started = time.monotonic()
        epochs = await self.run(self._tick)
        self.ticks += 1
        self.ownership = Ownership(epochs, started + self.lease_us / 1_000_000 - self._margin)
        self.on_change(self.ownership)
        return self.ownership

    def _tick(self, conn: sa.Connection) -> dict[int, int]:
        now = now_us()
        me = self.member_id
        until = now + self.lease_us
        beat = conn.execute(
            M.update()
            .where(M.c.id == me)
            .values(heartbeat_at=now, lease_until=until, address=self.address)
        )
        if beat.rowcount == 0:
            row = {
                "id": me,
                "address": self.address,
                "started_at": self.started_at,
                "heartbeat_at": now,
                "lease_until": until,
            }
            insert_missing(conn, M, [row])
        live = sorted({m.id for m in members(conn) if m.lease_until > now} | {me})
        target = self.assign(self.partitions, live)
        release, take = [], []
        epochs: dict[int, int] = {}
        held = set(self.ownership.epochs)
        for partition, owner, epoch, _taken_at in lease_table(conn):
            mine = target.get(partition) == me
            if owner == me and partition in held:
                if mine:
                    epochs[partition] = epoch
                else:
                    release.append(partition)
            elif mine and (owner is None or owner == me or owner not in live):
                # A lease this member id held before a restart is taken again with a new epoch,
                # so that nothing the previous process had in flight passes the fence.
                take.append(partition)
            elif owner == me:
                release.append(partition)
        if release:
            conn.execute(
                L.update()
                .where(partition_in(L.c.partition, release, conn.dialect), L.c.owner == me)
                .values(owner=None)
            )
        if take:
            others = [m for m in live if m != me]
            conn.execute(
                L.update()
                .where(
                    partition_in(L.c.partition, take, conn.dialect),
                    sa.or_(L.c.owner.is_(None), L.c.owner.not_in(others)),
                )
                .values(owner=me, epoch=L.c.epoch + 1, taken_at=now)
            )
            # What the table now says is what this member holds.
            rows = conn.execute(sa.select(L.c.partition, L.c.epoch).where(L.c.owner == me))
            epochs = {r.partition: r.epoch for r in rows}
        if take or release:
            log.info(
                "member %s: took %d partition(s), released %d, holds %d",
                me,
                len(take),
                len(release),
                len(epochs),
            )
        return epochs

    def _leave(self, conn: sa.Connection) -> None:
        conn.execute(L.update().where(L.c.owner == self.member_id).values(owner=None))
        conn.execute(M.delete().where(M.c.id == self.member_id))
