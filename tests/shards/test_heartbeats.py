"""Heartbeats are heard in memory and write nothing (shards/engine/heartbeats.py): a task kept
alive by heartbeats alone outlives many lease timeouts, renewed by the timer from the latest
heartbeat; a task whose heartbeats stop is dispatched again a lease timeout after the last one.
On SQLite and PostgreSQL, with a 1 s lease."""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import Any

import pytest

from gateway.dev import DevServer
from shards.core.model import HistoryKind, Status
from shards.engine.heartbeats import AccountLanes, Heartbeats
from tests.helpers import eventually
from tests.shards.test_handoffs import _default_account, transactions

WORKER = "w-heartbeats"


@pytest.fixture
def lease_timeout() -> float:
    return 1.0


def _updates_instances(statement: str) -> bool:
    return (
        statement.lower()
        .replace('"', "")
        .startswith(("update instances", "with w0 as (update instances"))
    )


async def _running(dev_server: DevServer, instance_id: str) -> tuple[Any, str]:
    engine = dev_server.shard.engine
    account = _default_account(dev_server)
    await engine.create(account, "wf", instance_id, b"{}", task_queue="hb")
    [task] = await engine.poll(account, WORKER, "hb", 1, 10.0)
    return task, account


async def test_a_task_kept_by_heartbeats_alone_outlives_many_lease_timeouts_and_they_write_nothing(
    dev_server: DevServer,
) -> None:
    engine = dev_server.shard.engine
    task, account = await _running(dev_server, "kept")
    beats = 0
    with transactions(engine.db) as committed:
        ends = time.monotonic() + 3.5  # three and a half lease timeouts
        while time.monotonic() < ends:
            assert await engine.heartbeat(account, WORKER, [task.ref]) == []
            beats += 1
            await asyncio.sleep(0.25)  # the worker's pace: four heartbeats a lease
    view = await engine.get(account, "wf", "kept")
    assert view.instance.status is Status.RUNNING
    assert view.instance.lease_token == task.ref.lease
    history = await engine.history(account, "wf", "kept", 0, 100)
    assert HistoryKind.LEASE_EXPIRED not in [h.kind for _, h in history.entries]
    # The timer renewed the lease once a lease timeout or so; no heartbeat wrote anything.
    renewals = [tx for tx in committed if any(_updates_instances(s) for s, _ in tx)]
    assert 1 <= len(renewals) <= 5 < beats
    # The task is still the worker's.
    await engine.complete_workflow(account, task.ref, b"1")
    assert (await engine.get(account, "wf", "kept")).instance.status is Status.COMPLETE


async def test_a_task_whose_heartbeats_stop_is_dispatched_again_a_lease_timeout_after_the_last(
    dev_server: DevServer,
) -> None:
    engine = dev_server.shard.engine
    task, account = await _running(dev_server, "dropped")
    for _ in range(3):
        assert await engine.heartbeat(account, WORKER, [task.ref]) == []
        await asyncio.sleep(0.25)
    last = time.time()
    assert await engine.heartbeat(account, WORKER, [task.ref]) == []

    async def status() -> Status:
        return (await engine.get(account, "wf", "dropped")).instance.status

    await eventually(status, lambda s: s is Status.QUEUED, timeout=10, what="the lease expired")
    history = await engine.history(account, "wf", "dropped", 0, 100)
    [expired] = [h for _, h in history.entries if h.kind == HistoryKind.LEASE_EXPIRED]
    assert expired.at / 1_000_000 >= last + 1.0 - 0.05  # not before a lease after the last
    # Its old lease is lost now.
    assert await engine.heartbeat(account, WORKER, [task.ref]) == [task.ref]


async def _beat_while_reads_wait(
    dev_server: DevServer, account: str, worker: str, task: Any, seconds: float
) -> None:
    """Heartbeats at the worker's pace while every heartbeat read of the account waits, each
    given up (its deadline passed) before its read could run."""
    engine = dev_server.shard.engine
    async with engine.workflow_tasks.heartbeat_lanes.hold(account):
        ends = time.monotonic() + seconds
        while time.monotonic() < ends:
            beat = asyncio.ensure_future(engine.heartbeat(account, worker, [task.ref]))
            await asyncio.sleep(0.25)
            beat.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await beat


async def test_a_workers_heartbeats_keep_its_leases_while_their_reads_wait_past_the_lease(
    dev_server: DevServer,
) -> None:
    engine = dev_server.shard.engine
    task, account = await _running(dev_server, "slow-reads")
    await _beat_while_reads_wait(dev_server, account, WORKER, task, 2.5)  # 2.5 lease timeouts
    view = await engine.get(account, "wf", "slow-reads")
    assert (view.instance.status, view.instance.lease_token) == (Status.RUNNING, task.ref.lease)


async def test_another_workers_heartbeat_for_a_task_is_heard_only_once_its_read_finds_it(
    dev_server: DevServer,
) -> None:
    engine = dev_server.shard.engine
    task, account = await _running(dev_server, "other-worker")
    await _beat_while_reads_wait(dev_server, account, "not-the-lessee", task, 2.0)

    async def status() -> Status:
        return (await engine.get(account, "wf", "other-worker")).instance.status

    await eventually(status, lambda s: s is Status.QUEUED, timeout=10, what="the lease expired")


async def test_an_accounts_heartbeat_reads_go_one_at_a_time_beside_other_accounts() -> None:
    lanes = AccountLanes()
    inside: list[str] = []
    most = 0
    release_b = asyncio.Event()

    async def beat(account: str) -> None:
        nonlocal most
        async with lanes.hold(account):
            inside.append(account)
            most = max(most, inside.count("b"))
            if account == "b":
                await release_b.wait()
            inside.remove(account)

    bs = [asyncio.create_task(beat("b")) for _ in range(5)]
    await eventually(lambda: asyncio.sleep(0, lanes.waiting("b")), lambda n: n == 5)
    # B's five wait in its lane behind the first; A's goes through meanwhile.
    await asyncio.wait_for(beat("a"), timeout=5)
    assert inside == ["b"]
    release_b.set()
    await asyncio.gather(*bs)
    assert most == 1 and inside == []
    assert lanes.waiting("b") == 0 and lanes.waiting("a") == 0


def test_the_timers_copy_holds_each_latest_heartbeat_and_ones_past_a_lease_are_forgotten() -> None:
    lease_us = 1_000_000
    heartbeats = Heartbeats(lease_us)
    a, b = ((1, "a"), 7), ((2, "b"), 3)
    heartbeats.hear(*a, at=10)
    heartbeats.hear(*a, at=5)  # an older one arriving late keeps the latest
    heartbeats.hear(*b, at=20)
    copy = heartbeats.snapshot(100)
    assert copy == {a: 10, b: 20}
    heartbeats.hear(*a, at=200)
    assert copy[a] == 10  # the timer's copy does not change under it
    # Once a lease timeout has passed since a heartbeat, it is forgotten within a quarter more.
    heartbeats.hear(*b, at=900_000)
    later = 10 + lease_us + lease_us // 4
    assert heartbeats.snapshot(later) == {b: 900_000}
    assert heartbeats.snapshot(900_000 + lease_us + lease_us // 4) == {}
