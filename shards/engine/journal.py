"""Pages of an instance's journal, cut to the shard's page budget (shards.pages): the first
page of each task a poll hands out, a worker's later pages, and a client's pages of steps."""

from __future__ import annotations

import sqlalchemy as sa

from shards import pages, store
from shards.core.model import Step
from shards.engine.types import Key


def page(
    conn: sa.Connection, key: Key, entries: list[tuple[str, int, int]], start: int, budget: int
) -> tuple[list[Step], int | None]:
    """The page of journal entries that begins at start, and where the next one starts."""
    end = pages.cut([e[2] for e in entries], start, budget)
    steps = store.load_steps(conn, key, [(n, q) for n, q, _ in entries[start:end]])
    return steps, (end if end < len(entries) else None)


def first_pages(
    conn: sa.Connection, keys: list[Key], budget: int
) -> dict[Key, tuple[list[Step], int | None]]:
    """The first page of each instance's journal, and where the next page starts: a
    journal within one page is read whole, in one query for them all."""
    sizes = store.journal_sizes(conn, keys)
    whole = [k for k in keys if sum(e[2] for e in sizes[k]) <= budget]
    firsts: dict[Key, tuple[list[Step], int | None]] = {
        k: (journal, None) for k, journal in store.load_journals(conn, whole).items()
    }
    for key in keys:
        if key not in firsts:
            firsts[key] = page(conn, key, sizes[key], 0, budget)
    return firsts
