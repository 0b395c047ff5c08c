"""A transition's writes to the instance row, its steps and its history as one statement.

On PostgreSQL the instance's UPDATE, the steps' INSERTs and UPDATEs and the history's INSERT go
as one statement, the first ones as data-modifying WITH queries: one round trip instead of up to
four, in the same transaction, with the same rows written. Each part writes another table (or
another step row), so the order PostgreSQL runs them in does not matter. The statement's text
depends only on which parts it has and how many rows, so there are few of them, each converted
and prepared once. Other backends run the statements one after another
(shards.store.transitions).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

import sqlalchemy as sa

# (is the instance updated, for each step whether its row exists (updated) or not (inserted),
# how many history rows)
Shape = tuple[bool, tuple[bool, ...], int]


def writes_together(conn: sa.Connection) -> bool:
    """Whether this connection's backend takes the writes as one statement."""
    return conn.dialect.name == "postgresql"


def write_together(
    conn: sa.Connection,
    key: tuple[int, str],
    instance: dict[str, Any] | None,
    steps: Sequence[tuple[bool, dict[str, Any]]],
    history: Sequence[dict[str, Any]],
) -> None:
    """Writes the instance's new values (columns by name; None: unchanged), its steps (each:
    whether its row exists, and its columns by name, name and seq included) and its history
    rows (columns by name, without the key), in one statement."""
    params: dict[str, Any] = {"k_partition": key[0], "k_uid": key[1]}
    if instance is not None:
        params.update({f"i_{c}": v for c, v in instance.items()})
    for n, (_, values) in enumerate(steps):
        params.update({f"s{n}_{c}": v for c, v in values.items()})
    for n, row in enumerate(history):
        params.update({f"h{n}_{c}": v for c, v in row.items()})
    shape: Shape = (instance is not None, tuple(known for known, _ in steps), len(history))
    columns = (
        tuple(instance) if instance is not None else (),
        tuple(tuple(values) for _, values in steps),
        tuple(history[0]) if history else (),
    )
    conn.execute(_statement(shape, columns), params)


@cache
def _statement(
    shape: Shape, columns: tuple[tuple[str, ...], tuple[tuple[str, ...], ...], tuple[str, ...]]
) -> sa.TextClause:
    updated, steps, history = shape
    instance_columns, step_columns, history_columns = columns
    key = '"partition" = :k_partition AND "uid" = :k_uid'
    parts: list[str] = []
    if updated:
        sets = ", ".join(f'"{c}" = :i_{c}' for c in instance_columns)
        parts.append(f'UPDATE "instances" SET {sets} WHERE {key}')
    for n, (known, names) in enumerate(zip(steps, step_columns, strict=True)):
        if known:
            sets = ", ".join(f'"{c}" = :s{n}_{c}' for c in names if c not in ("name", "seq"))
            where = f'{key} AND "name" = :s{n}_name AND "seq" = :s{n}_seq'
            parts.append(f'UPDATE "steps" SET {sets} WHERE {where}')
        else:
            cols = ", ".join(f'"{c}"' for c in ("partition", "uid", *names))
            values = ", ".join(("(:k_partition", ":k_uid", *(f":s{n}_{c}" for c in names)))
            parts.append(f'INSERT INTO "steps" ({cols}) VALUES {values})')
    if history:
        cols = ", ".join(f'"{c}"' for c in ("partition", "uid", *history_columns))
        rows = ", ".join(
            "("
            + ", ".join((":k_partition", ":k_uid", *(f":h{n}_{c}" for c in history_columns)))
            + ")"
            for n in range(history)
        )
        parts.append(f'INSERT INTO "history" ({cols}) VALUES {rows}')
    *first, last = parts
    if not first:
        return sa.text(last)
    ctes = ", ".join(f"w{n} AS ({part})" for n, part in enumerate(first))
    return sa.text(f"WITH {ctes} {last}")
