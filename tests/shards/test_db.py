"""Engines for the three backends (shards/db.py), and run_tx: whole-transaction retries on real
serialization failures (SQLSTATE 40001), on PostgreSQL and through the CockroachDB dialect."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa

from shards.db import backend_name, create_engine, driver_url, is_retryable, run_tx

# ------------------------------------------------------------------------------- URLs


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("sqlite:///stepway.db", "sqlite+pysqlite:///stepway.db"),
        ("sqlite:////var/lib/stepway/s.db", "sqlite+pysqlite:////var/lib/stepway/s.db"),
        (
            "postgresql://stepway:s3cret@db.internal:5433/stepway",
            "postgresql+psycopg://stepway:s3cret@db.internal:5433/stepway",
        ),
        # A driver named by the user is replaced by the one Stepway ships with.
        ("postgresql+psycopg2://u@h/d", "postgresql+psycopg://u@h/d"),
        (
            "cockroachdb://root@crdb:26257/stepway?sslmode=verify-full",
            "cockroachdb+psycopg://root@crdb:26257/stepway?sslmode=verify-full",
        ),
    ],
)
def test_driver_url_maps_each_backend_to_its_driver_keeping_the_rest(
    url: str, expected: str
) -> None:
    assert driver_url(url).render_as_string(hide_password=False) == expected


@pytest.mark.parametrize("url", ["mysql://u@h/d", "oracle://u@h/d", "mssql+pyodbc://u@h/d"])
def test_driver_url_refuses_other_backends_naming_the_supported_ones(url: str) -> None:
    with pytest.raises(ValueError, match="unsupported database URL") as info:
        driver_url(url)
    message = str(info.value)
    assert url in message
    for supported in ("sqlite:///", "postgresql://", "cockroachdb://"):
        assert supported in message


def test_create_engine_for_cockroachdb_uses_the_cockroachdb_dialect_over_psycopg() -> None:
    engine = create_engine("cockroachdb://root@127.0.0.1:26257/stepway")
    try:
        assert engine.url.drivername == "cockroachdb+psycopg"
        assert engine.dialect.name == "cockroachdb"
        assert engine.dialect.driver == "psycopg"
        assert backend_name(engine) == "cockroachdb"
    finally:
        engine.dispose()


# ------------------------------------------------------------------------------- SQLite


def test_sqlite_engines_use_wal_with_full_sync_and_foreign_keys(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 's.db'}")
    try:
        assert backend_name(engine) == "sqlite"
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
    finally:
        engine.dispose()
    # WAL is a property of the file: another plain connection sees it too.
    import sqlite3

    with sqlite3.connect(tmp_path / "s.db") as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_sqlite_transactions_commit_and_roll_back(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 's.db'}")
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("CREATE TABLE t (x INTEGER PRIMARY KEY)")
            conn.exec_driver_sql("INSERT INTO t VALUES (1)")
        with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
            conn.exec_driver_sql("INSERT INTO t VALUES (2)")
            conn.exec_driver_sql("INSERT INTO t VALUES (1)")
        with engine.connect() as conn:
            assert list(conn.exec_driver_sql("SELECT x FROM t").scalars()) == [1]
    finally:
        engine.dispose()


# --------------------------------------------------------------------------- PostgreSQL


def test_postgresql_engines_run_snapshot_isolation(scratch_url: str) -> None:
    """REPEATABLE READ on PostgreSQL (see shards.db.POSTGRESQL_ISOLATION): a partition has one
    writer, and the fence locks the lease rows it reads."""
    engine = create_engine(scratch_url)
    try:
        assert engine.url.drivername == "postgresql+psycopg"
        with engine.begin() as conn:
            assert conn.exec_driver_sql("SHOW transaction_isolation").scalar() == "repeatable read"
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def pg_scratch_db(pg_admin_url: str) -> Iterator[str]:
    """One PostgreSQL database for this module's scratch tables (a database takes ~1 s)."""
    name = f"stepway_db_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield sa.make_url(pg_admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(pg_admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def scratch_url(pg_scratch_db: str) -> str:
    """A PostgreSQL database with fresh scratch tables: skew (rows 1 and 2 at 0), skew_log
    and uniq."""
    with psycopg.connect(pg_scratch_db, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS skew, skew_log, uniq")
        conn.execute("CREATE TABLE skew (id int PRIMARY KEY, v int NOT NULL)")
        conn.execute("INSERT INTO skew VALUES (1, 0), (2, 0)")
        conn.execute("CREATE TABLE skew_log (tx text NOT NULL)")
        conn.execute("CREATE TABLE uniq (id int PRIMARY KEY)")
    return pg_scratch_db


class SkewedPair:
    """Two transactions that each read the sum of skew and write their own row to sum + 1.

    Their first attempts both read before either writes (a barrier), which is write skew:
    SERIALIZABLE must abort one with SQLSTATE 40001. Run serially, the rows end as {1, 2}.
    """

    def __init__(self, rows: tuple[int, int] = (1, 2)) -> None:
        self.rows = rows
        self.barrier = threading.Barrier(2, timeout=20)
        self.calls = {"a": 0, "b": 0}
        self.retries: list[tuple[str, int, BaseException]] = []
        self.isolation: set[str] = set()
        self.lock = threading.Lock()

    def tx(self, me: str, row: int) -> Callable[[sa.Connection], int]:
        def fn(conn: sa.Connection) -> int:
            with self.lock:
                self.calls[me] += 1
                first = self.calls[me] == 1
            self.isolation.add(str(conn.exec_driver_sql("SHOW transaction_isolation").scalar()))
            total = int(conn.exec_driver_sql("SELECT coalesce(sum(v), 0) FROM skew").scalar_one())
            if first:
                self.barrier.wait()
            conn.execute(
                sa.text("UPDATE skew SET v = :v WHERE id = :id"), {"v": total + 1, "id": row}
            )
            conn.execute(sa.text("INSERT INTO skew_log (tx) VALUES (:tx)"), {"tx": me})
            return total

        return fn

    def on_retry(self, me: str) -> Callable[[int, BaseException], None]:
        def note(attempt: int, exc: BaseException) -> None:
            with self.lock:
                self.retries.append((me, attempt, exc))

        return note

    def run(self, engine: sa.Engine) -> list[int]:
        with ThreadPoolExecutor(2) as pool:
            futures = [
                pool.submit(
                    run_tx, engine, self.tx(me, row), base_delay=0.001, on_retry=self.on_retry(me)
                )
                for me, row in zip(("a", "b"), self.rows, strict=True)
            ]
            return sorted(f.result(timeout=60) for f in futures)


def _final_state(engine: sa.Engine) -> tuple[list[int], list[str]]:
    with engine.connect() as conn:
        values = sorted(conn.exec_driver_sql("SELECT v FROM skew").scalars())
        log = sorted(conn.exec_driver_sql("SELECT tx FROM skew_log").scalars())
    return values, log


def _assert_retried_whole(
    pair: SkewedPair,
    results: list[int],
    engine: sa.Engine,
    *,
    isolation: str = "serializable",
    values: list[int] | None = None,
) -> None:
    assert pair.isolation == {isolation}
    # At least one transaction failed with a real 40001 and ran again from its first statement.
    assert sum(pair.calls.values()) > 2, pair.calls
    assert pair.retries, "on_retry was never called"
    for _, _, exc in pair.retries:
        assert isinstance(exc, sa.exc.DBAPIError)
        assert getattr(exc.orig, "sqlstate", None) == "40001"
        assert is_retryable(exc)
    # The retry saw the other's committed write: as if run one after the other.
    assert results == [0, 1]
    final, log = _final_state(engine)
    assert final == (values or [1, 2])
    # Nothing of a failed attempt survived: one log row per transaction.
    assert log == ["a", "b"]


def test_run_tx_reruns_the_whole_transaction_after_a_real_serialization_failure(
    scratch_url: str,
) -> None:
    """Write skew, which only SERIALIZABLE refuses (as CockroachDB does)."""
    engine = create_engine(scratch_url)
    try:
        pair = SkewedPair()
        results = pair.run(engine.execution_options(isolation_level="SERIALIZABLE"))
        _assert_retried_whole(pair, results, engine)
    finally:
        engine.dispose()


def test_two_updates_of_one_row_conflict_and_the_loser_runs_again(scratch_url: str) -> None:
    """Under the default isolation, a transaction that updates a row another updated since its
    snapshot fails with 40001 and runs again whole: no update is lost."""
    engine = create_engine(scratch_url)
    try:
        pair = SkewedPair(rows=(1, 1))
        results = pair.run(engine)
        _assert_retried_whole(pair, results, engine, isolation="repeatable read", values=[0, 2])
    finally:
        engine.dispose()


@pytest.fixture
def pg_engine(scratch_url: str) -> Iterator[sa.Engine]:
    engine = create_engine(scratch_url)
    try:
        yield engine
    finally:
        engine.dispose()


def test_run_tx_does_not_retry_a_unique_violation_and_rolls_it_back(pg_engine: sa.Engine) -> None:
    calls: list[int] = []
    retries: list[int] = []

    def fn(conn: sa.Connection) -> None:
        calls.append(1)
        conn.exec_driver_sql("INSERT INTO uniq VALUES (1)")
        conn.exec_driver_sql("INSERT INTO skew_log VALUES ('before the violation')")
        conn.exec_driver_sql("INSERT INTO uniq VALUES (1)")

    with pytest.raises(sa.exc.IntegrityError) as info:
        run_tx(pg_engine, fn, on_retry=lambda attempt, _exc: retries.append(attempt))
    assert getattr(info.value.orig, "sqlstate", None) == "23505"
    assert not is_retryable(info.value)
    assert len(calls) == 1
    assert retries == []
    with pg_engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM uniq").scalar() == 0
        assert conn.exec_driver_sql("SELECT count(*) FROM skew_log").scalar() == 0


def test_run_tx_does_not_retry_errors_raised_by_the_function(pg_engine: sa.Engine) -> None:
    calls: list[int] = []

    def fn(conn: sa.Connection) -> None:
        calls.append(1)
        conn.exec_driver_sql("INSERT INTO uniq VALUES (7)")
        raise LookupError("not in the database")

    with pytest.raises(LookupError):
        run_tx(pg_engine, fn)
    assert len(calls) == 1
    with pg_engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM uniq").scalar() == 0


RAISE_40001 = (
    "DO $$ BEGIN RAISE EXCEPTION 'forced conflict' USING ERRCODE = 'serialization_failure'; END $$"
)


def test_run_tx_gives_up_after_its_attempts_with_the_last_serialization_failure(
    pg_engine: sa.Engine,
) -> None:
    calls: list[int] = []
    retries: list[int] = []

    def fn(conn: sa.Connection) -> None:
        calls.append(1)
        conn.exec_driver_sql("INSERT INTO skew_log VALUES ('attempt')")
        conn.exec_driver_sql(RAISE_40001)

    with pytest.raises(sa.exc.OperationalError) as info:
        run_tx(
            pg_engine,
            fn,
            attempts=4,
            base_delay=0.0001,
            on_retry=lambda attempt, _exc: retries.append(attempt),
        )
    assert getattr(info.value.orig, "sqlstate", None) == "40001"
    assert len(calls) == 4
    assert retries == [1, 2, 3]
    with pg_engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM skew_log").scalar() == 0


def test_run_tx_returns_the_functions_value_after_a_retry(pg_engine: sa.Engine) -> None:
    calls: list[int] = []

    def fn(conn: sa.Connection) -> str:
        calls.append(1)
        conn.exec_driver_sql("INSERT INTO skew_log VALUES ('attempt')")
        if len(calls) == 1:
            conn.exec_driver_sql(RAISE_40001)
        return "done"

    assert run_tx(pg_engine, fn, base_delay=0.0001) == "done"
    assert len(calls) == 2
    with pg_engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM skew_log").scalar() == 1


# ------------------------------------------------------------------ the CockroachDB dialect


def _cockroach(url: str) -> str:
    return url.replace("postgresql://", "cockroachdb://", 1)


def test_is_retryable_recognises_the_error_psycopg_raises_through_the_cockroachdb_dialect(
    scratch_url: str,
) -> None:
    engine = create_engine(_cockroach(scratch_url))
    try:
        with pytest.raises(sa.exc.DBAPIError) as info, engine.begin() as conn:
            conn.exec_driver_sql(RAISE_40001)
        assert isinstance(info.value.orig, psycopg.errors.SerializationFailure)
        assert is_retryable(info.value)
        with pytest.raises(sa.exc.DBAPIError) as other, engine.begin() as conn:
            conn.exec_driver_sql("SELECT 1 / 0")
        assert not is_retryable(other.value)
    finally:
        engine.dispose()


def test_is_retryable_recognises_cockroachdb_restart_messages_without_a_code() -> None:
    wrapped = sa.exc.OperationalError(
        "UPDATE instances ...",
        {},
        Exception(
            "restart transaction: TransactionRetryWithProtoRefreshError: "
            "ReadWithinUncertaintyIntervalError (SQLSTATE 40001)"
        ),
    )
    assert is_retryable(wrapped)
    assert not is_retryable(sa.exc.OperationalError("SELECT 1", {}, Exception("restart later")))
    assert not is_retryable(ValueError("40001"))


def test_run_tx_reruns_the_whole_transaction_through_the_cockroachdb_dialect(
    scratch_url: str,
) -> None:
    engine = create_engine(_cockroach(scratch_url))
    try:
        assert engine.dialect.name == "cockroachdb"
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT 1").scalar() == 1
        # CockroachDB runs SERIALIZABLE by default; PostgreSQL behind this dialect does not,
        # so ask for it, as a CockroachDB cluster would give it.
        pair = SkewedPair()
        results = pair.run(engine.execution_options(isolation_level="SERIALIZABLE"))
        _assert_retried_whole(pair, results, engine)
    finally:
        engine.dispose()
