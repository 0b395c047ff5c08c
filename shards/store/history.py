"""Reading an instance's history (written with the transitions, by shards.store.transitions)."""

from __future__ import annotations

import json

import sqlalchemy as sa

from shards.core.model import HistoryEntry
from shards.store.rows import H, Key


def load_history(
    conn: sa.Connection, key: Key, after_seq: int, limit: int
) -> list[tuple[int, HistoryEntry]]:
    """History entries (seq, entry) of an instance after a seq, oldest first."""
    rows = conn.execute(
        sa.select(H)
        .where(H.c.partition == key[0], H.c.uid == key[1], H.c.seq > after_seq)
        .order_by(H.c.seq)
        .limit(limit)
    )
    return [
        (
            r.seq,
            HistoryEntry(
                r.kind,
                r.at,
                r.step_name,
                r.step_seq,
                r.attempt,
                None if r.detail is None else json.loads(r.detail),
            ),
        )
        for r in rows
    ]
