"""`stepway cluster status` (the members, their partitions and lease ages, as a table or a
document) and `stepway cluster forget` (remove an expired member's row)."""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

import sqlalchemy as sa

from gateway.commands.common import in_tx, startup_errors
from shards import schema
from shards.clock import now_us
from shards.cluster import read_partitions


async def cluster_status(args: argparse.Namespace) -> int:
    from shards.db import create_engine
    from shards.membership import MemberInfo, lease_table, members
    from stepway._cli_base import CommandError, View

    view = View.of(args)
    with startup_errors(args.db):
        db = create_engine(args.db)
        try:

            def read() -> tuple[
                int | None, list[MemberInfo], list[tuple[int, str | None, int, int]]
            ]:
                with db.connect() as conn:
                    return read_partitions(conn), members(conn), lease_table(conn)

            partitions, rows_in, leases = await asyncio.to_thread(read)
        finally:
            db.dispose()
    if partitions is None:
        raise CommandError("no cluster in this database yet")
    now = now_us()
    return view.result(
        status_document(partitions, rows_in, leases, now),
        render_status(partitions, rows_in, leases, now),
    )


def status_document(
    partitions: int,
    member_rows: list[Any],
    leases: list[tuple[int, str | None, int, int]],
    now: int,
) -> dict[str, Any]:
    """`cluster status --output json`: the members with their state and partition counts."""
    live = {m.id for m in member_rows if m.lease_until > now}
    held: dict[str, int] = {}
    for _partition, owner, _epoch, _taken in leases:
        if owner is not None and owner in live:
            held[owner] = held.get(owner, 0) + 1
    return {
        "partitions": partitions,
        "members": [
            {
                "id": m.id,
                "address": m.address,
                "state": "live" if m.id in live else "expired",
                "partitions": held.get(m.id, 0),
                "heartbeat_age_seconds": round(max(now - m.heartbeat_at, 0) / 1e6, 3),
                "lease_left_seconds": round(max(m.lease_until - now, 0) / 1e6, 3),
            }
            for m in member_rows
        ],
        "orphaned_partitions": partitions - sum(held.values()),
    }


async def cluster_forget(args: argparse.Namespace) -> int:
    """Removes an expired member's row; its partitions were taken over when its lease ended."""
    from shards.db import create_engine
    from stepway._cli_base import CommandError, View

    view = View.of(args)
    M = schema.members

    def forget(conn: sa.Connection) -> str:
        row = conn.execute(sa.select(M.c.lease_until).where(M.c.id == args.member)).first()
        if row is None:
            return "missing"
        if row.lease_until > now_us():
            return "live"
        conn.execute(M.delete().where(M.c.id == args.member, M.c.lease_until <= now_us()))
        return "forgotten"

    with startup_errors(args.db):
        db = create_engine(args.db)
        try:
            outcome = await asyncio.to_thread(in_tx, db, forget)
        finally:
            db.dispose()
    if outcome == "missing":
        raise CommandError(f"no member {args.member!r} in this cluster")
    if outcome == "live":
        raise CommandError(
            f"member {args.member!r} is live (its lease is renewed); stop it first, then forget "
            "it once `cluster status` shows it expired"
        )
    return view.result({"member": args.member, "forgotten": True}, f"forgot member {args.member}")


def render_status(
    partitions: int,
    member_rows: list[Any],
    leases: list[tuple[int, str | None, int, int]],
    now: int,
) -> str:
    """The `stepway cluster status` table: one line per member, then the partitions without a
    live owner."""
    live = {m.id for m in member_rows if m.lease_until > now}
    held: dict[str, list[tuple[int, int]]] = {}
    orphaned = 0
    for _partition, owner, epoch, taken_at in leases:
        if owner is not None and owner in live:
            held.setdefault(owner, []).append((epoch, taken_at))
        else:
            orphaned += 1
    rows = [("MEMBER", "ADDRESS", "STATE", "PARTITIONS", "HEARTBEAT", "LEASE LEFT", "HELD FOR")]
    for m in member_rows:
        mine = held.get(m.id, [])
        since = max((t for _, t in mine), default=None)
        rows.append(
            (
                m.id,
                m.address,
                "live" if m.id in live else "expired",
                str(len(mine)),
                f"{_seconds(now - m.heartbeat_at)} ago",
                _seconds(m.lease_until - now) if m.id in live else "-",
                "-" if since is None else _seconds(now - since),
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines.append("")
    lines.append(
        f"{partitions} partitions, {len(live)} live member(s); "
        f"{orphaned} partition(s) without a live owner"
    )
    return "\n".join(lines)


def _seconds(us: int) -> str:
    seconds = max(us, 0) / 1e6
    if seconds < 100:
        return f"{seconds:.1f}s"
    if seconds < 6000:
        return f"{seconds / 60:.0f}m"
    return f"{seconds / 3600:.1f}h"
