"""The timer's and the retention sweep's queries (shards/store/due.py, step_tasks.py,
retention.py): they find the earliest rows of the owned partitions, on both backends, and on
SQLite they walk the due (or expiry) index in order instead of reading every row of the owned
partitions, so their cost does not grow with the number of instances."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa

from shards import schema, store
from shards.db import create_engine
from shards.store.bulk import insert_rows
from shards.store.rows import of_partitions, owned_rows_in_order
from tests.shards.test_bulk import COLUMNS, _instance, offline_dialects

NOW = 1_900_000_000_000_000


@pytest.fixture
def engine(db_url: str) -> Iterator[sa.Engine]:
    engine = create_engine(db_url)
    try:
        yield engine
    finally:
        engine.dispose()


def _rows() -> list[dict[str, Any]]:
    """300 instances over partitions 0-2: every fourth one due, every fifth expiring."""
    rows = []
    for n in range(300):
        row = _instance(n % 200)
        row.update(partition=n % 3, uid=f"u{n}", instance_id=f"i{n}")
        if n % 4 == 0:
            row.update(status="running", due_at=NOW - 1_000 + (n * 37) % 300, ready_at=None)
        if n % 5 == 0:
            row.update(expires_at=NOW - 2_000 + (n * 41) % 300)
        rows.append(row)
    return rows


def test_the_earliest_due_and_expired_rows_of_the_owned_partitions_are_found(
    engine: sa.Engine,
) -> None:
    rows = _rows()
    with engine.begin() as conn:
        insert_rows(conn, schema.instances, COLUMNS, rows)
    owned = {1, 2}
    mine = [r for r in rows if r["partition"] in owned]
    due = sorted((r["due_at"], r["uid"]) for r in mine if r["due_at"] is not None)
    expiring = sorted((r["expires_at"], r["uid"]) for r in mine if r["expires_at"] is not None)
    with engine.connect() as conn:
        assert store.next_due(conn, owned) == due[0][0]
        assert store.next_due(conn, {0, 1, 2}) == min(r["due_at"] or NOW for r in rows)
        assert store.next_due(conn, set()) is None
        found = store.due_instances(conn, NOW, 5, owned)
        assert [i.uid for i in found] == [uid for _, uid in due[:5]]
        expired = store.expired_instances(conn, NOW, 4, owned)
        assert [uid for _, uid in expired] == [uid for _, uid in expiring[:4]]
        assert store.due_step_tasks(conn, NOW, 10, owned) == []


def test_on_sqlite_the_due_queries_walk_the_due_index_in_order(sqlite_url: str) -> None:
    engine = create_engine(sqlite_url)
    statements: list[tuple[str, Any]] = []

    def seen(conn: Any, cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if "ORDER BY" in statement and statement.startswith("SELECT"):
            statements.append((statement, parameters))

    try:
        with engine.begin() as conn:
            insert_rows(conn, schema.instances, COLUMNS, _rows())
            conn.exec_driver_sql("ANALYZE")
        sa.event.listen(engine, "before_cursor_execute", seen)
        owned = set(range(256))
        with engine.connect() as conn:
            store.next_due(conn, owned)
            store.due_instances(conn, NOW, 5, owned)
            store.due_step_tasks(conn, NOW, 5, owned)
            store.expired_instances(conn, NOW, 5, owned)
        sa.event.remove(engine, "before_cursor_execute", seen)
        assert len(statements) == 5
        with engine.connect() as conn:
            plans = [
                " ".join(str(r[-1]) for r in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {s}", p))
                for s, p in statements
            ]
    finally:
        engine.dispose()
    for plan in plans:
        assert "_due " in plan or "_expires " in plan, plans
        assert "TEMP B-TREE" not in plan, plans


def test_the_owned_partitions_bind_as_one_array_on_postgresql_and_cockroachdb_and_a_list_on_sqlite() -> (  # noqa: E501
    None
):
    owned = set(range(256))
    for dialect, arrays in offline_dialects():
        statements = [
            sa.select(schema.instances.c.uid).where(of_partitions(owned, dialect)),
            sa.select(schema.instances.c.uid).where(
                owned_rows_in_order(schema.instances, owned, dialect)
            ),
        ]
        compiled = [s.compile(dialect=dialect) for s in statements]
        for c in compiled:
            if arrays:
                assert "= ANY (" in str(c) and " IN " not in str(c), str(c)
                lists = [v for v in c.params.values() if isinstance(v, list)]
                assert lists == [sorted(owned)], c.params
            else:
                assert " IN " in str(c) and "ANY" not in str(c), str(c)
