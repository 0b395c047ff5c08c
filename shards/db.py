"""Database engines for the three backends, and the one helper that runs a transaction with retries.

URLs: `sqlite:///path.db` (embedded), `postgresql://...` and `cockroachdb://...`. Each is mapped
to its driver (pysqlite, psycopg). Backend differences stay in this module.

The engine talks to the database from threads, not from the event loop: a shard runs each
group-commit batch whole in its writer thread (one hand-off per batch rather than one per
statement), and reads in a small pool of reader threads.
"""

from __future__ import annotations

import logging
import random
import re
import sqlite3
import time
from collections.abc import Callable
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import make_url

log = logging.getLogger(__name__)

T = TypeVar("T")

SERIALIZATION_FAILURE = "40001"
# PostgreSQL runs snapshot isolation, not SERIALIZABLE. Stepway's writes need no predicate
# locks: each partition has one writer at a time (its owner's writer thread), and the fence of
# every write batch locks the lease rows it reads (FOR SHARE), so an ownership change waits for
# the writes in flight and a former owner's late write sees the new epoch. PostgreSQL's
# SERIALIZABLE adds predicate locks that a group-commit batch escalates to whole tables (past
# max_pred_locks_per_relation), which made shard servers abort each other's unrelated
# transactions. Two transactions that update the same row still conflict (40001, retried).
# CockroachDB runs SERIALIZABLE, its only isolation.
POSTGRESQL_ISOLATION = "REPEATABLE READ"
IDLE_IN_TRANSACTION_MS = 5000
DEADLOCK_DETECTED = "40P01"


class DatabaseUrlError(ValueError):
    """A database URL Stepway cannot use; the message names it without its password."""


def redact(url: str) -> str:
    """The URL with its password replaced by ***, fit to print or log."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", url)


def driver_url(url: str) -> sa.URL:
    """Maps a user-facing database URL to the driver Stepway uses for it (`postgres://`, as
    Heroku and others write it, is PostgreSQL)."""
    try:
        parsed = make_url(url)
    except sa.exc.ArgumentError:
        raise DatabaseUrlError(
            f"{redact(url)!r} is not a database URL: use sqlite:///FILE, "
            "postgresql://USER:PASSWORD@HOST:PORT/DB or cockroachdb://..."
        ) from None
    backend = parsed.get_backend_name()
    backend = {"postgres": "postgresql"}.get(backend, backend)
    drivers = {"sqlite": "pysqlite", "postgresql": "psycopg", "cockroachdb": "psycopg"}
    if backend not in drivers:
        raise DatabaseUrlError(
            f"unsupported database URL {redact(url)!r}: use sqlite:///FILE, postgresql://... "
            "or cockroachdb://..."
        )
    return parsed.set(drivername=f"{backend}+{drivers[backend]}")


def describe_failure(url: str, exc: BaseException) -> str | None:
    """One line for a database that cannot be used (unreachable, missing, refused, a bad URL):
    what failed, the URL without its password, and what to do; None for other errors."""
    if isinstance(exc, DatabaseUrlError):
        return str(exc)
    if not isinstance(exc, sa.exc.DBAPIError | sa.exc.ArgumentError):
        return None
    cause = getattr(exc, "orig", None) or exc
    lines = [line.strip() for line in str(cause).splitlines() if line.strip()]
    reason = lines[0] if lines else type(cause).__name__
    reason = re.sub(r"^(?:connection (?:to server at .*? failed|failed): |FATAL: +)+", "", reason)
    return (
        f"cannot use the database {redact(url)}: {reason.rstrip('.')}. "
        "Check the URL (--db or STEPWAY_DB), "
        "that the database server runs, and that the database exists (createdb NAME)"
    )


def backend_name(engine: sa.Engine) -> str:
    """'sqlite', 'postgresql' or 'cockroachdb'."""
    return engine.url.get_backend_name()


# SQLite's `synchronous` settings Stepway offers, in WAL mode (docs/limits.md, "Durability"):
# FULL syncs the WAL at every commit, so a commit answered OK survives a power cut; NORMAL syncs
# only at checkpoints, so a power cut may lose the last commits (a process crash loses none).
SQLITE_SYNCHRONOUS = ("full", "normal")
DEFAULT_SQLITE_SYNCHRONOUS = "full"


def create_engine(
    url: str, *, pool_size: int = 8, sqlite_synchronous: str = DEFAULT_SQLITE_SYNCHRONOUS
) -> sa.Engine:
    """Creates the engine for a database URL, tuned for its backend. sqlite_synchronous
    ('full' or 'normal') applies to SQLite only."""
    target = driver_url(url)
    if target.get_backend_name() == "sqlite":
        if sqlite_synchronous not in SQLITE_SYNCHRONOUS:
            raise ValueError(
                f"sqlite synchronous must be one of {', '.join(SQLITE_SYNCHRONOUS)}, "
                f"not {sqlite_synchronous!r}"
            )
        engine = sa.create_engine(
            target,
            connect_args={"timeout": 30, "check_same_thread": False},
            pool_size=pool_size,
            max_overflow=pool_size,
        )
        _tune_sqlite(engine, sqlite_synchronous)
        return engine
    kwargs: dict[str, Any] = {
        "pool_size": pool_size,
        "max_overflow": pool_size,
        "pool_pre_ping": True,
    }
    if target.get_backend_name() == "postgresql":
        kwargs["isolation_level"] = POSTGRESQL_ISOLATION
        # A process stopped in the middle of a transaction (SIGSTOP, a long GC pause) would
        # hold its fence's lease-row locks, and so block the take-over of its partitions,
        # until it runs again: PostgreSQL ends such a session instead. Stepway never waits
        # inside a transaction.
        options = f"-c idle_in_transaction_session_timeout={IDLE_IN_TRANSACTION_MS}"
        given = target.query.get("options")  # the URL's own options come first
        if given:
            options = " ".join([*([given] if isinstance(given, str) else given), options])
        kwargs["connect_args"] = {"options": options}
    engine = sa.create_engine(target, **kwargs)
    # Multi-row INSERTs go as one INSERT ... VALUES (...), (...) statement rather than through
    # psycopg's executemany, whose pipeline mode can leave a pooled connection unusable (its
    # next statement waits forever) when a serialization failure aborts the pipeline.
    engine.dialect.use_insertmanyvalues_wo_returning = True
    return engine


def _tune_sqlite(engine: sa.Engine, synchronous: str) -> None:
    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # WAL lets readers run beside the writer. FULL syncs the WAL at each commit (durable
        # through a power cut); NORMAL only at checkpoints (durable through a process crash).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA synchronous={synchronous.upper()}")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # pysqlite's own transaction handling is off (isolation_level None above), so begin here.
        # One process writes an SQLite file (its shard serializes writes), so a deferred BEGIN
        # never has to upgrade against another writer.
        conn.exec_driver_sql("BEGIN")


def is_retryable(exc: BaseException) -> bool:
    """True for a serialization failure (SQLSTATE 40001), a deadlock PostgreSQL broke by
    aborting this transaction (40P01), or SQLite's "database is locked": a whole-transaction
    retry resolves each."""
    orig = getattr(exc, "orig", None)
    sqlstate = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if sqlstate in (SERIALIZATION_FAILURE, DEADLOCK_DETECTED):
        return True
    # SQLite: a transaction that read, then tries to write after another connection committed
    # a write, cannot upgrade its snapshot and fails at once (SQLITE_BUSY_SNAPSHOT); so does
    # one that waited busy_timeout. Run whole again, it starts from a fresh snapshot.
    if isinstance(orig, sqlite3.OperationalError) and "database is locked" in str(orig):
        return True
    # CockroachDB names its retry errors in the message when the code is wrapped.
    return "restart transaction" in str(exc) and "40001" in str(exc)


# SQLSTATE classes of a database that cannot serve now but may shortly: connection exception,
# insufficient resources (too many connections, disk full), operator intervention (shutting
# down, starting up, admin shutdown), system error (I/O).
UNAVAILABLE_CLASSES = frozenset({"08", "53", "57", "58"})


def is_unavailable(exc: BaseException) -> bool:
    """True when the database could not serve a statement now (server stopped or restarting,
    connection lost, pool exhausted): the call may succeed if made again later, so it is
    answered UNAVAILABLE, never INTERNAL. SQLAlchemy has already dropped the broken connection
    from its pool, and pool_pre_ping tests the others before their next use."""
    if isinstance(exc, sa.exc.TimeoutError):
        return True  # no pooled connection came free in time
    if not isinstance(exc, sa.exc.DBAPIError):
        return False
    if exc.connection_invalidated:
        return True
    orig = exc.orig
    if isinstance(orig, sqlite3.OperationalError):
        return "database is locked" in str(orig)
    sqlstate = getattr(orig, "sqlstate", None)
    if sqlstate:
        return str(sqlstate)[:2] in UNAVAILABLE_CLASSES
    # psycopg raises these without a SQLSTATE when it cannot connect or the connection broke.
    return isinstance(exc, (sa.exc.OperationalError, sa.exc.InterfaceError))


def log_failure(logger: logging.Logger, message: str, exc: BaseException) -> None:
    """Logs the failure of a background transaction that will be tried again: one line while
    the database is away (a loop fails every tick of an outage), the traceback otherwise."""
    if is_unavailable(exc):
        logger.warning("%s (database unavailable: %s)", message, str(exc).splitlines()[0])
    else:
        logger.error(message, exc_info=exc)


def run_tx(
    engine: sa.Engine,
    fn: Callable[[sa.Connection], T],
    *,
    attempts: int = 20,
    base_delay: float = 0.002,
    max_delay: float = 0.5,
    on_retry: Callable[[int, BaseException], None] | None = None,
) -> T:
    """Runs fn in a transaction and commits; on SQLSTATE 40001 rolls back and runs it again whole.

    fn must be safe to run more than once: it reads what it needs inside the transaction and keeps
    its effects outside the database until this returns. Retries back off with full jitter.
    Blocking: call it from a thread, never from the event loop.
    """
    for attempt in range(1, attempts + 1):
        try:
            with engine.begin() as conn:
                return fn(conn)
        except sa.exc.DBAPIError as exc:
            if not is_retryable(exc) or attempt == attempts:
                raise
            if on_retry is not None:
                on_retry(attempt, exc)
            delay = random.uniform(0, min(max_delay, base_delay * 2**attempt))
            log.debug("transaction retry %d after serialization failure: %s", attempt, exc.orig)
            time.sleep(delay)
    raise AssertionError("unreachable")


def insert_missing(conn: sa.Connection, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    """INSERT ... ON CONFLICT DO NOTHING: rows whose key exists already are skipped.

    For rows that several processes may create at once (a cluster setting, a member, a
    workflow's registration): under snapshot isolation a plain insert after a read that found
    nothing fails with a unique violation when another transaction got there first; this one
    skips the row, or fails with a serialization failure that run_tx retries, after which the
    read finds it.
    """
    if not rows:
        return
    insert: Any
    if conn.dialect.name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:
        from sqlalchemy.dialects.postgresql import insert
    conn.execute(insert(table).on_conflict_do_nothing(), rows)
