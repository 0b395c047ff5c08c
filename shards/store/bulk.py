"""Inserts of many rows in one statement whose text does not depend on their number.

On PostgreSQL the rows go as one array per column, `INSERT ... SELECT * FROM unnest(...)`: the
statement is the same text for 2 rows or 1,000, so psycopg converts it once (its cache keeps
statements of at most 4 KiB and 50 parameters, which a multi-row VALUES list passes at a few
rows) and prepares it after a few runs, and PostgreSQL plans it once per connection. Elsewhere
(SQLite, CockroachDB) the rows go as the dialect sends an executemany (one multi-row INSERT).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


def insert_rows(
    conn: sa.Connection, table: sa.Table, columns: Sequence[str], rows: list[dict[str, Any]]
) -> None:
    """Inserts rows (each with exactly these columns) into table."""
    if not rows:
        return
    if len(rows) == 1 or conn.dialect.name != "postgresql":
        conn.execute(table.insert(), rows)
        return
    arrays = {f"a{n}": [row[c] for row in rows] for n, c in enumerate(columns)}
    conn.execute(_unnest_insert(table, tuple(columns)), arrays)


@cache
def _unnest_insert(table: sa.Table, columns: tuple[str, ...]) -> sa.TextClause:
    dialect = postgresql.dialect()  # type: ignore[no-untyped-call]
    arrays = ", ".join(
        f"CAST(:a{n} AS {table.c[c].type.compile(dialect=dialect)}[])"
        for n, c in enumerate(columns)
    )
    names = ", ".join(f'"{c}"' for c in columns)
    return sa.text(f'INSERT INTO "{table.name}" ({names}) SELECT * FROM unnest({arrays})')
