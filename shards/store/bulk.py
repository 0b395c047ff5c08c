"""Inserts of many rows, into one table or several, in one statement whose text does not depend
on their number.

On PostgreSQL the rows go as one array per column, `INSERT ... SELECT * FROM unnest(...)` (and
the rows of several tables as one statement, data-modifying WITH queries first): the
statement is the same text for 1 row or 1,000, so psycopg converts it once (its cache keeps
statements of at most 4 KiB and 50 parameters, which a multi-row VALUES list passes at a few
rows) and prepares it after a few runs, and PostgreSQL plans it once per connection. Elsewhere
(SQLite, CockroachDB) each table's rows go as the dialect sends an executemany (one multi-row
INSERT).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# Rows for one table: the table, its columns, and the rows (each with exactly those columns).
Rows = tuple[sa.Table, Sequence[str], list[dict[str, Any]]]


def insert_rows(
    conn: sa.Connection, table: sa.Table, columns: Sequence[str], rows: list[dict[str, Any]]
) -> None:
    """Inserts rows (each with exactly these columns) into table."""
    insert_all(conn, [(table, columns, rows)])


def insert_all(conn: sa.Connection, inserts: Sequence[Rows]) -> None:
    """Inserts rows into several tables: on PostgreSQL in one statement (the inserts but the
    last as data-modifying WITH queries; each writes another table, so their order does not
    matter), elsewhere one statement a table."""
    inserts = [(table, tuple(columns), rows) for table, columns, rows in inserts if rows]
    if not inserts:
        return
    if conn.dialect.name != "postgresql":
        for table, _, rows in inserts:
            conn.execute(table.insert(), rows)
        return
    arrays = {
        f"t{t}a{n}": [row[c] for row in rows]
        for t, (_, columns, rows) in enumerate(inserts)
        for n, c in enumerate(columns)
    }
    shape = tuple((table, columns) for table, columns, _ in inserts)
    conn.execute(_unnest_insert(shape), arrays)


@cache
def _unnest_insert(shape: tuple[tuple[sa.Table, tuple[str, ...]], ...]) -> sa.TextClause:
    dialect = postgresql.dialect()  # type: ignore[no-untyped-call]
    statements = []
    for t, (table, columns) in enumerate(shape):
        arrays = ", ".join(
            f"CAST(:t{t}a{n} AS {table.c[c].type.compile(dialect=dialect)}[])"
            for n, c in enumerate(columns)
        )
        names = ", ".join(f'"{c}"' for c in columns)
        statements.append(f'INSERT INTO "{table.name}" ({names}) SELECT * FROM unnest({arrays})')
    *first, last = statements
    if not first:
        return sa.text(last)
    ctes = ", ".join(f"w{n} AS ({statement})" for n, statement in enumerate(first))
    return sa.text(f"WITH {ctes} {last}")
