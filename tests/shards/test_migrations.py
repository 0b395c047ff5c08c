"""Alembic migrations build exactly shards/schema.py on every backend; the partition count is fixed
when the cluster is created (shards/cluster.py)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from shards import migrate, schema
from shards.cluster import ClusterMismatch, ensure_partitions, read_partitions
from shards.db import create_engine

BACKENDS = os.environ.get("STEPWAY_TEST_BACKENDS", "sqlite,postgresql").split(",")


@pytest.fixture(scope="module")
def pg_scratch_db(pg_admin_url: str) -> Iterator[str]:
    """One empty PostgreSQL database for this module (creating a database takes ~1 s)."""
    name = f"stepway_mig_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield sa.make_url(pg_admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(pg_admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=BACKENDS)
def empty_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database: a new SQLite file, or a new PostgreSQL schema that connections of
    the URL use as their default (search_path), so tables land in it as in a new database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    base = str(request.getfixturevalue("pg_scratch_db"))
    name = f"s_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{name}"')
    try:
        url = sa.make_url(base).update_query_dict({"options": f"-csearch_path={name}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{name}" CASCADE')


@pytest.fixture
def engine(empty_db_url: str) -> Iterator[sa.Engine]:
    eng = create_engine(empty_db_url)
    try:
        yield eng
    finally:
        eng.dispose()


def _differences(engine: sa.Engine) -> list[Any]:
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "compare_server_default": True}
        )
        diffs: list[Any] = compare_metadata(context, schema.metadata)
    return diffs


def _revision(engine: sa.Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _head() -> str | None:
    return ScriptDirectory.from_config(migrate.alembic_config()).get_current_head()


def _tables(engine: sa.Engine) -> set[str]:
    return set(sa.inspect(engine).get_table_names())


def test_upgrade_builds_exactly_the_tables_of_the_schema_module(engine: sa.Engine) -> None:
    assert _tables(engine) == set()
    migrate.upgrade(engine)
    assert _tables(engine) == set(schema.metadata.tables) | {"alembic_version"}
    diffs = _differences(engine)
    assert diffs == [], (
        f"the migrations and shards/schema.py disagree on {engine.dialect.name}: {diffs}; "
        "add a migration for the change to shards/schema.py"
    )


def test_upgrade_records_the_newest_revision(engine: sa.Engine) -> None:
    assert _revision(engine) is None
    migrate.upgrade(engine)
    assert _revision(engine) == _head()


def test_upgrade_twice_changes_nothing_and_keeps_the_data(engine: sa.Engine) -> None:
    migrate.upgrade(engine)
    migrate.upgrade(engine)
    assert _differences(engine) == []
    with engine.begin() as conn:
        conn.execute(schema.cluster.insert().values(name="marker", value="kept"))
    migrate.upgrade(engine)
    assert _revision(engine) == _head()
    assert _differences(engine) == []
    with engine.connect() as conn:
        rows = conn.execute(sa.select(schema.cluster.c.name, schema.cluster.c.value)).all()
        versions = conn.execute(sa.text("SELECT version_num FROM alembic_version")).all()
    assert [tuple(r) for r in rows] == [("marker", "kept")]
    assert len(versions) == 1


def test_a_new_cluster_records_its_partition_count_once(engine: sa.Engine) -> None:
    migrate.upgrade(engine)
    with engine.connect() as conn:
        assert read_partitions(conn) is None
    with engine.begin() as conn:
        assert ensure_partitions(conn, 1024) == 1024
    with engine.begin() as conn:
        assert ensure_partitions(conn, 1024) == 1024
    with engine.connect() as conn:
        assert read_partitions(conn) == 1024
        rows = conn.execute(sa.select(schema.cluster.c.value)).scalars().all()
    assert rows == ["1024"]


def test_a_process_started_with_another_partition_count_is_refused(engine: sa.Engine) -> None:
    migrate.upgrade(engine)
    with engine.begin() as conn:
        ensure_partitions(conn, 1024)
    with (
        pytest.raises(ClusterMismatch, match=r"has 1024 partitions.*started with 512"),
        engine.begin() as conn,
    ):
        ensure_partitions(conn, 512)
    with engine.connect() as conn:
        assert read_partitions(conn) == 1024


@pytest.mark.parametrize("count", [0, -1])
def test_a_partition_count_below_one_is_refused_and_not_recorded(
    engine: sa.Engine, count: int
) -> None:
    migrate.upgrade(engine)
    with pytest.raises(ClusterMismatch, match="must be positive"), engine.begin() as conn:
        ensure_partitions(conn, count)
    with engine.connect() as conn:
        assert read_partitions(conn) is None


def test_upgrade_of_a_database_already_migrated_is_a_no_op(db_url: str) -> None:
    # db_url is a copy of a migrated template (an SQLite file, a PostgreSQL database).
    eng = create_engine(db_url)
    try:
        migrate.upgrade(eng)
        before = _tables(eng)
        migrate.upgrade(eng)
        assert _tables(eng) == before == set(schema.metadata.tables) | {"alembic_version"}
        assert _revision(eng) == _head()
        assert _differences(eng) == []
    finally:
        eng.dispose()


def test_the_schema_comparison_notices_a_missing_index(engine: sa.Engine) -> None:
    # Guards the test above: a drifted database must show up as a difference.
    migrate.upgrade(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP INDEX ix_instances_due")
    diffs = _differences(engine)
    assert [d[0] for d in diffs] == ["add_index"]
    assert diffs[0][1].name == "ix_instances_due"
