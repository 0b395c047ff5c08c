"""Fixtures that start real servers: a PostgreSQL server (the machine's, or an embedded one),
one fresh database per test, and Stepway dev servers on free ports.

Every test that takes `db_url` runs twice: on SQLite and on PostgreSQL. Set
STEPWAY_TEST_PG_URL to use another PostgreSQL server, or STEPWAY_TEST_BACKENDS=sqlite to skip
PostgreSQL.

Each test's database is a copy of one migrated once per session (a template): an SQLite file
copied in a RAM-backed directory (/dev/shm where there is one), a PostgreSQL database made
with CREATE DATABASE ... TEMPLATE whose commits do not wait for the WAL to reach the disk
(synchronous_commit off). The engine runs as in production (SQLite in WAL mode with
synchronous FULL); only the disk's flushes, which no test can observe, are spared.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa

from gateway.dev import DevConfig, DevServer, start_dev
from shards import migrate
from shards.cluster import ensure_partitions
from shards.db import create_engine
from shards.partitioning import DEFAULT_PARTITIONS
from stepway import Client

MACHINE_PG = "postgresql://postgres@127.0.0.1:5432/postgres"
BACKENDS = os.environ.get("STEPWAY_TEST_BACKENDS", "sqlite,postgresql").split(",")
TEMPLATE = f"stepway_tpl_{uuid.uuid4().hex[:8]}"


def _reachable(url: str) -> bool:
    try:
        with psycopg.connect(url, connect_timeout=2):
            return True
    except psycopg.Error:
        return False


@pytest.fixture(scope="session")
def pg_admin_url() -> Iterator[str]:
    """A PostgreSQL server to make test databases on: STEPWAY_TEST_PG_URL, the machine's
    server on 127.0.0.1:5432, or else an embedded server started from the pgserver package."""
    configured = os.environ.get("STEPWAY_TEST_PG_URL")
    if configured:
        yield configured
        return
    if _reachable(MACHINE_PG):
        yield MACHINE_PG
        return
    from pgserver import get_server  # type: ignore[attr-defined]

    with tempfile.TemporaryDirectory(prefix="stepway-pg-") as data:
        server = get_server(data, cleanup_mode="stop")
        try:
            yield server.get_uri()
        finally:
            server.cleanup()


def _with_db(url: str, name: str) -> str:
    return str(sa.make_url(url).set(database=name).render_as_string(hide_password=False))


@pytest.fixture(scope="session")
def pg_template(pg_admin_url: str) -> Iterator[str]:
    """A migrated database that each test's database is copied from."""
    with psycopg.connect(pg_admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{TEMPLATE}"')

    engine = create_engine(_with_db(pg_admin_url, TEMPLATE))
    migrate.upgrade(engine)
    with engine.begin() as conn:
        # As a dev server's first start does: the cluster's partitions and their lease rows.
        ensure_partitions(conn, DEFAULT_PARTITIONS)
    engine.dispose()
    try:
        yield TEMPLATE
    finally:
        with psycopg.connect(pg_admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{TEMPLATE}" WITH (FORCE)')


class _Databases:
    """Each test's PostgreSQL database, made one test ahead and dropped after its test in a
    thread of their own: PostgreSQL copies and removes the files while the tests run."""

    def __init__(self, admin_url: str, template: str) -> None:
        self._admin_url, self._template = admin_url, template
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="test-databases")
        self._drops: list[Future[None]] = []
        self._next = self._thread.submit(self._create)

    def _create(self) -> str:
        name = f"stepway_t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self._admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{self._template}"')
            # A commit answers once its WAL record is written, without waiting for the flush
            # to the disk: only a crash of the PostgreSQL server itself could tell.
            conn.execute(f'ALTER DATABASE "{name}" SET synchronous_commit TO off')
        return name

    def _drop(self, name: str) -> None:
        with psycopg.connect(self._admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def take(self) -> str:
        name = self._next.result()
        self._next = self._thread.submit(self._create)
        return name

    def drop(self, name: str) -> None:
        self._drops.append(self._thread.submit(self._drop, name))

    def close(self) -> None:
        """Drops the database made ahead; raises if a drop failed."""
        try:
            self.drop(self._next.result())
        finally:
            self._thread.shutdown(wait=True)
        for dropped in self._drops:
            dropped.result()


@pytest.fixture(scope="session")
def pg_databases(pg_admin_url: str, pg_template: str) -> Iterator[_Databases]:
    databases = _Databases(pg_admin_url, pg_template)
    try:
        yield databases
    finally:
        databases.close()


@pytest.fixture
def pg_url(pg_admin_url: str, pg_databases: _Databases) -> Iterator[str]:
    """A fresh, migrated PostgreSQL database for one test."""
    name = pg_databases.take()
    try:
        yield _with_db(pg_admin_url, name)
    finally:
        pg_databases.drop(name)


def _ram_dir() -> str | None:
    """A RAM-backed directory (tmpfs) for the tests' SQLite files, where a commit's flush to
    the disk costs nothing; None (the system's temporary directory) where there is none."""
    shm = "/dev/shm"
    return shm if os.path.isdir(shm) and os.access(shm, os.W_OK | os.X_OK) else None


@pytest.fixture(scope="session")
def sqlite_template() -> Iterator[Path]:
    """A migrated SQLite file that each test's SQLite file is copied from."""
    root = Path(tempfile.mkdtemp(prefix="stepway-sqlite-", dir=_ram_dir()))
    path = root / "template.db"
    engine = create_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    with engine.begin() as conn:
        # As a dev server's first start does: the cluster's partitions and their lease rows.
        ensure_partitions(conn, DEFAULT_PARTITIONS)
    with engine.connect() as conn:
        # Everything in the file itself, so that copying the file copies the database.
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    try:
        yield path
    finally:
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def sqlite_url(sqlite_template: Path) -> Iterator[str]:
    """A fresh, migrated SQLite file for one test, removed after it."""
    directory = Path(tempfile.mkdtemp(prefix="t-", dir=sqlite_template.parent))
    shutil.copyfile(sqlite_template, directory / "stepway.db")
    try:
        yield f"sqlite:///{directory / 'stepway.db'}"
    finally:
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest) -> str:
    """A fresh, migrated database: an SQLite file, then a PostgreSQL database."""
    if request.param == "sqlite":
        return str(request.getfixturevalue("sqlite_url"))
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def lease_timeout() -> float:
    """Lease timeout of the dev server; override in a module to test expiry."""
    return 10.0


@pytest.fixture
async def dev_server(db_url: str, lease_timeout: float) -> AsyncIterator[DevServer]:
    """A dev server (gateway + shard) on a free port."""
    server = await start_dev(
        DevConfig(db_url=db_url, listen="127.0.0.1:0", lease_timeout=lease_timeout)
    )
    try:
        yield server
    finally:
        await server.stop()


@pytest.fixture
async def client(dev_server: DevServer) -> AsyncIterator[Client]:
    """A client of the dev server, with its admin key."""
    c = await Client.connect(dev_server.address, api_key=dev_server.api_key)
    try:
        yield c
    finally:
        await c.close()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The rules of tests/core (hundreds of quick tests, no servers) run last: when pytest -n
    gives whole files to its processes in this order, they fill the time in which the other
    process finishes its last file."""
    items.sort(key=lambda item: item.path.parent.name == "core")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "alone: a test whose bounds on time hold only on a machine not shared with another test;"
        " with pytest -n, no other test runs meanwhile",
    )


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_protocol(item: pytest.Item) -> Iterator[None]:
    """Under pytest -n, every test holds a shared lock, in the run's temporary directory that
    its processes share, and a test marked `alone` an exclusive one: it waits for the tests
    running in the other processes to end, and no other test starts until it ends. The lock
    is taken before the test's setup, so a wait does not count toward its timeout."""
    basetemp = item.config.getoption("basetemp")
    if "PYTEST_XDIST_WORKER" not in os.environ or not basetemp:
        yield
        return
    alone = item.get_closest_marker("alone") is not None
    # pytest -n gives each process a base temporary directory in the run's (popen-gw0, ...).
    with open(Path(basetemp).parent / "alone.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX if alone else fcntl.LOCK_SH)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
