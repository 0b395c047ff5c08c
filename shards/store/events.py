"""Buffered events: receiving one for an instance, and finding the first one a wait takes."""

from __future__ import annotations

import sqlalchemy as sa

from shards.store.rows import E, Key


def insert_event(
    conn: sa.Connection,
    key: Key,
    event_id: str,
    event_type: str,
    payload: bytes,
    at: int,
    seq: int,
) -> None:
    """Buffers an event for an instance; seq is its place in the order of arrival."""
    conn.execute(
        E.insert().values(
            partition=key[0],
            uid=key[1],
            id=event_id,
            type=event_type,
            payload=payload,
            received_at=at,
            seq=seq,
        )
    )


def oldest_buffered_event(
    conn: sa.Connection, key: Key, event_type: str
) -> tuple[str, tuple[str, bytes, int]] | None:
    """(id, (type, payload, received_at)) of the unconsumed event of a type that arrived
    first (by seq: events received in the same microsecond keep their order)."""
    row = (
        conn.execute(
            sa.select(E.c.id, E.c.type, E.c.payload, E.c.received_at)
            .where(
                E.c.partition == key[0],
                E.c.uid == key[1],
                E.c.type == event_type,
                E.c.consumed_by.is_(None),
            )
            .order_by(E.c.seq, E.c.received_at, E.c.id)
            .limit(1)
        )
    ).first()
    if row is None:
        return None
    return row.id, (row.type, row.payload, row.received_at)
