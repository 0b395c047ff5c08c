"""Many rows inserted by one statement (shards/store/bulk.py): every value comes back as
written, NULLs and bytes included, on SQLite and PostgreSQL; a duplicate key inserts none."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from shards import schema
from shards.db import create_engine
from shards.store.bulk import insert_rows
from shards.store.rows import INSTANCE_COLUMNS

COLUMNS = (*(c.name for c in INSTANCE_COLUMNS), "params")


def _instance(n: int) -> dict[str, Any]:
    row: dict[str, Any] = {c: None for c in COLUMNS}
    row.update(
        partition=n % 3,
        uid=f"u{n}",
        account_id="a",
        workflow="w",
        instance_id=f"i{n}",
        task_queue="q",
        status="queued",
        params=bytes([0, n, 255]) + "é".encode(),
        created_at=1_800_000_000_000_000 + n,
        ready_at=1_800_000_000_000_000 + n,
        history_seq=1,
        dispatches=0,
        retention_us=86_400_000_000,
        state_bytes=5,
        trace_parent=f"00-{n:032x}-{n:016x}-01" if n % 2 else None,
    )
    return row


@pytest.fixture
def engine(db_url: str) -> Any:
    engine = create_engine(db_url)
    schema.metadata.create_all(engine)
    try:
        yield engine
    finally:
        engine.dispose()


def test_rows_inserted_in_one_statement_read_back_exactly_as_written(engine: sa.Engine) -> None:
    rows = [_instance(n) for n in range(1, 6)]
    history = [
        {
            "partition": r["partition"],
            "uid": r["uid"],
            "seq": 1,
            "at": r["created_at"],
            "kind": "created",
            "step_name": None,
            "step_seq": None,
            "attempt": None,
            "detail": '{"k":"v"}' if n % 2 else None,
        }
        for n, r in enumerate(rows)
    ]
    with engine.begin() as conn:
        insert_rows(conn, schema.instances, COLUMNS, rows)
        insert_rows(conn, schema.history, tuple(history[0]), history)
        insert_rows(conn, schema.history, tuple(history[0]), [])
    with engine.connect() as conn:
        got = [dict(r._mapping) for r in conn.execute(sa.select(schema.instances))]
        seen = [dict(r._mapping) for r in conn.execute(sa.select(schema.history))]
    key = lambda r: r["uid"]  # noqa: E731
    assert sorted(({c: r[c] for c in COLUMNS} for r in got), key=key) == sorted(rows, key=key)
    assert sorted(seen, key=key) == sorted(history, key=key)


def test_a_duplicate_key_among_the_rows_inserts_none_of_them(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        insert_rows(conn, schema.instances, COLUMNS, [_instance(1)])
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
        insert_rows(conn, schema.instances, COLUMNS, [_instance(2), _instance(1)])
    with engine.connect() as conn:
        count = conn.execute(sa.select(sa.func.count()).select_from(schema.instances)).scalar()
    assert count == 1
