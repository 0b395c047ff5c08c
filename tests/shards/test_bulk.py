"""Writes in fewer statements (shards/store/bulk.py, together.py): many rows inserted by one
statement, and a transition's instance, steps and history written by one, read back as written,
NULLs and bytes included, on SQLite and PostgreSQL; a duplicate key inserts none."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
import sqlalchemy as sa

from shards import schema, store
from shards.core import machine
from shards.core.model import (
    HistoryEntry,
    HistoryKind,
    Instance,
    Status,
    Step,
    StepKind,
    StepState,
    Transition,
)
from shards.db import create_engine
from shards.store.bulk import insert_rows
from shards.store.rows import INSTANCE_COLUMNS, ByKeys

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
        children=0,
        trace_parent=f"00-{n:032x}-{n:016x}-01" if n % 2 else None,
    )
    return row


def offline_dialects() -> Iterator[tuple[sa.Dialect, bool]]:
    """The dialects of PostgreSQL, CockroachDB and SQLite, each with whether it binds lists
    as arrays; nothing is connected to."""
    for url, arrays in [
        ("postgresql://u@127.0.0.1/d", True),
        ("cockroachdb://u@127.0.0.1/d", True),
        ("sqlite:///unused.db", False),
    ]:
        engine = create_engine(url)
        try:
            yield engine.dialect, arrays
        finally:
            engine.dispose()


def _inserted(engine: sa.Engine, n: int) -> list[dict[str, Any]]:
    """n instances (_instance), written."""
    rows = [_instance(i) for i in range(n)]
    with engine.begin() as conn:
        insert_rows(conn, schema.instances, COLUMNS, rows)
    return rows


@contextlib.contextmanager
def _statements_naming(engine: sa.Engine, marker: str) -> Iterator[list[tuple[str, Any]]]:
    """The statements sent meanwhile whose text holds marker, each with its parameters."""
    statements: list[tuple[str, Any]] = []

    def seen(conn: Any, cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if marker in statement:
            statements.append((statement, parameters))

    sa.event.listen(engine, "before_cursor_execute", seen)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", seen)


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


def test_a_transition_reads_back_as_written_whether_its_writes_go_in_one_statement_or_several(
    engine: sa.Engine,
) -> None:
    at = 1_800_000_000_000_000
    fresh = Instance(3, "u1", "a", "w", "i1", "q", Status.QUEUED, at)
    with engine.begin() as conn:
        (queued,) = store.create_many(conn, [(machine.create(fresh, at), b"{}")])
        old_step = Step("a", 1, StepKind.DO, StepState.RUNNING, at, 0, attempt_lease=7)
        store.apply(conn, queued, Transition(queued, steps=[old_step]))
    done = Step("a", 1, StepKind.DO, StepState.SUCCEEDED, at, 1, result=b'"r"', ended_at=at + 1)
    new = Step("b", 2, StepKind.SLEEP, StepState.PENDING, at + 1, 0, wake_at=at + 9)
    history = [
        HistoryEntry(HistoryKind.STEP_SUCCEEDED, at + 1, "a", 1, 1),
        HistoryEntry(HistoryKind.STEP_ATTEMPT_STARTED, at + 1, "b", 2, 1, {"started_at": at}),
    ]
    moved = Transition(
        replace(queued, status=Status.WAITING, due_at=at + 9, current_step="b"),
        steps=[done, new],
        history=history,
    )
    with engine.begin() as conn:
        written = store.apply(conn, queued, moved, known_steps=[("a", 1)])
    with engine.connect() as conn:
        assert store.load_instance(conn, (3, "u1")) == written
        assert written.history_seq == queued.history_seq + 2
        assert store.load_steps(conn, (3, "u1"), [("a", 1), ("b", 2)]) == [done, new]
        entries = store.load_history(conn, (3, "u1"), queued.history_seq, 10)
    assert entries == [(queued.history_seq + n, h) for n, h in enumerate(history, 1)]


def test_instances_found_by_many_keys_are_exactly_those_keys_on_every_backend(
    engine: sa.Engine,
) -> None:
    rows = _inserted(engine, 30)
    # Keys of several partitions, with a partition and a uid that exist but not together.
    wanted = [(r["partition"], r["uid"]) for r in rows[:12:3]]
    crossed = (rows[1]["partition"], rows[2]["uid"])
    unknown = (0, "u-none")
    with engine.connect() as conn:
        found = store.load_instances(conn, [*wanted, crossed, unknown])
        params = store.load_params(conn, wanted)
    assert sorted(found) == sorted(wanted)
    assert all(found[k].uid == k[1] and found[k].partition == k[0] for k in wanted)
    assert params == {(r["partition"], r["uid"]): r["params"] for r in rows[:12:3]}


def test_many_keys_bind_as_arrays_zipped_into_pairs_on_postgresql_and_cockroachdb_and_as_json_pairs_on_sqlite() -> (  # noqa: E501
    None
):
    select = ByKeys(lambda keys: sa.select(schema.instances.c.uid).where(*keys(schema.instances)))
    for dialect, arrays in offline_dialects():
        statement = select.for_dialect(dialect)
        assert isinstance(statement, sa.Select)
        text = str(statement.compile(dialect=dialect))
        if arrays:
            assert "unnest(" in text and "AS k(p, u)" in text, text
            assert "ANY" not in text and " IN " not in text, text
        else:
            assert "json_each(" in text and " IN " not in text and "ANY" not in text, text


def test_on_sqlite_instances_and_steps_found_by_many_keys_are_each_found_by_the_primary_key(
    sqlite_url: str,
) -> None:
    engine = create_engine(sqlite_url)
    try:
        rows = [_instance(n) for n in range(60)]
        with engine.begin() as conn:
            insert_rows(conn, schema.instances, COLUMNS, rows)
        # No statistics, as the shard runs SQLite: the planner takes a table to be large.
        keys = [(r["partition"], r["uid"]) for r in rows[::2]]
        with _statements_naming(engine, "json_each") as statements, engine.connect() as conn:
            assert sorted(store.load_instances(conn, keys)) == sorted(keys)
            store.load_journals(conn, keys)
        assert len(statements) == 2
        with engine.connect() as conn:
            plans = [
                [str(r[-1]) for r in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {s}", p)]
                for s, p in statements
            ]
    finally:
        engine.dispose()
    for plan in plans:
        # The pairs are walked, and each is looked up by its partition and uid together.
        assert plan[0].startswith("SCAN k"), plan
        assert "(partition=? AND uid=?" in plan[1], plan


def test_on_postgresql_instances_found_by_many_keys_are_each_found_by_the_primary_key(
    pg_url: str,
) -> None:
    """Keys spread over many partitions: each pair is one probe of the primary key, where
    `partition = ANY(...) AND uid = ANY(...)` tried every partition with every uid."""
    engine = create_engine(pg_url)
    try:
        rows = [
            {**_instance(n % 256), "partition": n % 256, "uid": f"u{n}", "instance_id": f"i{n}"}
            for n in range(30_000)
        ]
        with engine.begin() as conn:
            insert_rows(conn, schema.instances, COLUMNS, rows)
        with engine.connect() as conn:
            conn.execute(sa.text("ANALYZE instances"))
            conn.commit()
        keys = [(r["partition"], r["uid"]) for r in rows[::100]]
        with _statements_naming(engine, "unnest(") as statements, engine.connect() as conn:
            found = store.load_instances(conn, [*keys, keys[0]])  # a key named twice
        assert sorted(found) == sorted(keys)
        assert len(statements) == 1
        statement, params = statements[0]
        with engine.connect() as conn:
            plan = "\n".join(
                str(r[0]) for r in conn.exec_driver_sql(f"EXPLAIN {statement}", params)
            )
    finally:
        engine.dispose()
    assert "Index Cond: ((partition = k.p) AND ((uid)::text = (k.u)::text))" in plan, plan
    assert "ANY" not in plan, plan


def test_instances_deleted_by_many_keys_are_exactly_those_keys_on_every_backend(
    engine: sa.Engine,
) -> None:
    rows = _inserted(engine, 30)
    doomed = [(r["partition"], r["uid"]) for r in rows[:12:3]]
    # A partition and a uid that exist but not together: that instance stays.
    crossed = (rows[1]["partition"], rows[2]["uid"])
    with engine.begin() as conn:
        store.delete_instances(conn, [*doomed, crossed, doomed[0]])
    with engine.connect() as conn:
        left = set(conn.execute(sa.select(schema.instances.c.partition, schema.instances.c.uid)))
    everyone = {(r["partition"], r["uid"]) for r in rows}
    assert {tuple(k) for k in left} == everyone - set(doomed)
