"""The schedules table and its queries (shards/store/schedules.py) on SQLite and PostgreSQL:
a schedule reads back as written, is listed by id within the partitions asked, is found by the
timer when due, is counted for its account's quota and is deleted."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
import sqlalchemy as sa

from shards import migrate
from shards.core.schedules import (
    Action,
    Cron,
    Interval,
    Overlap,
    Policy,
    Run,
    Schedule,
    Spec,
)
from shards.db import create_engine
from shards.partitioning import schedule_partition
from shards.store import schedules as store

P = 1024


@pytest.fixture
def engine(db_url: str) -> Iterator[sa.Engine]:
    eng = create_engine(db_url)
    migrate.upgrade(eng)
    try:
        yield eng
    finally:
        eng.dispose()


def schedule(schedule_id: str, account: str = "acct", **kw: object) -> Schedule:
    base = Schedule(
        account_id=account,
        schedule_id=schedule_id,
        partition=schedule_partition(account, schedule_id, P),
        spec=Spec(Cron("30 2 * * *", "Europe/Paris"), start_us=5, end_us=None, jitter_us=7),
        action=Action("nightly", b'{"a":1}', "", None),
        policy=Policy(Overlap.BUFFER_ONE, 90_000_000),
        created_us=100,
        updated_us=100,
    )
    return replace(base, **kw)  # type: ignore[arg-type]


def test_a_schedule_reads_back_as_written_and_as_saved(engine: sa.Engine) -> None:
    s = schedule("nightly", next_us=1_000, due_us=1_007)
    with engine.begin() as conn:
        store.insert_schedule(conn, s)
    with engine.connect() as conn:
        assert store.load_schedule(conn, s.partition, "acct", "nightly") == s
        assert store.load_schedule(conn, s.partition, "other", "nightly") is None
    changed = replace(
        s,
        spec=Spec(Interval(60_000_000, 5_000_000)),
        action=Action("other", b"null", "q", 3_600_000_000),
        policy=Policy(Overlap.TERMINATE_PREVIOUS, 1_000_000),
        paused=True,
        note="why",
        next_us=None,
        due_us=None,
        last_instance=("nightly", "nightly-20260101T000000Z"),
        buffered_us=42,
        recent_runs=(Run(2, 3, "nightly-b", "nightly"), Run(1, 2, "other-a", "other")),
        fired=3,
        skipped=4,
        missed=5,
        updated_us=200,
    )
    with engine.begin() as conn:
        store.save_schedules(conn, [changed])
    with engine.connect() as conn:
        assert store.load_schedule(conn, s.partition, "acct", "nightly") == changed


def test_schedules_are_listed_by_id_within_the_partitions_asked(engine: sa.Engine) -> None:
    ids = [f"s{n:02}" for n in range(12)]
    with engine.begin() as conn:
        for sid in ids:
            store.insert_schedule(conn, schedule(sid))
        store.insert_schedule(conn, schedule("s00", account="other"))
    every = None
    with engine.connect() as conn:
        first = store.list_schedules(conn, "acct", every, "", 5)
        assert [s.schedule_id for s in first] == ids[:5]
        rest = store.list_schedules(conn, "acct", every, "s04", 100)
        assert [s.schedule_id for s in rest] == ids[5:]
        some = [schedule_partition("acct", sid, P) for sid in ids[:3]]
        assert {s.schedule_id for s in store.list_schedules(conn, "acct", some, "", 100)} >= set(
            ids[:3]
        )
        assert store.count_schedules(conn, "acct") == 12
        assert store.count_schedules(conn, "other") == 1


def test_the_timer_finds_due_schedules_of_its_partitions_earliest_first(engine: sa.Engine) -> None:
    a = schedule("a", due_us=30)
    b = schedule("b", due_us=10)
    c = schedule("c", due_us=None, paused=True)
    d = schedule("d", due_us=500)
    with engine.begin() as conn:
        for s in (a, b, c, d):
            store.insert_schedule(conn, s)
    owned = [a.partition, b.partition, c.partition, d.partition]
    with engine.connect() as conn:
        assert [s.schedule_id for s in store.due_schedules(conn, owned, 100, 10)] == ["b", "a"]
        assert [s.schedule_id for s in store.due_schedules(conn, owned, 100, 1)] == ["b"]
        assert store.due_schedules(conn, [d.partition], 100, 10) == []
        assert store.next_schedule_due(conn, owned) == 10
        assert store.next_schedule_due(conn, [d.partition]) == 500


def test_a_deleted_schedule_is_gone_and_deleting_it_again_says_so(engine: sa.Engine) -> None:
    s = schedule("gone")
    with engine.begin() as conn:
        store.insert_schedule(conn, s)
        assert store.delete_schedule(conn, s.partition, "acct", "gone")
        assert not store.delete_schedule(conn, s.partition, "acct", "gone")
        assert store.load_schedule(conn, s.partition, "acct", "gone") is None
