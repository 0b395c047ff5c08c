"""A create hands its instance to a parked poll in its own transaction (shards.engine.handoffs):
the poll answers with the task without a transaction of its own, and every rule of a poll's
claim still holds (running limit, build routing, a cancelled poll gives the task back)."""

from __future__ import annotations

import asyncio
import contextlib
import functools
from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace
from typing import Any

import pytest
import sqlalchemy as sa

from gateway.dev import DevServer
from shards import schema
from shards.core.model import HistoryKind, Status
from shards.engine.types import NewInstance, Task
from shards.quotas import DEFAULTS, to_row
from tests.helpers import eventually

WORKER = "w-handoff"
STARTED = HistoryKind.STARTED


def _default_account(dev_server: DevServer) -> str:
    with dev_server.db.connect() as conn:
        return str(
            conn.execute(
                sa.select(schema.accounts.c.id).where(schema.accounts.c.name == "default")
            ).scalar_one()
        )


def set_max_running(db: sa.Engine, account: str, limit: int) -> None:
    quotas, retention = to_row(replace(DEFAULTS, max_running=limit))
    with db.begin() as conn:
        conn.execute(
            schema.accounts.update()
            .where(schema.accounts.c.id == account)
            .values(quotas=quotas, retention_us=retention)
        )


@contextlib.contextmanager
def transactions(db: sa.Engine) -> Iterator[list[list[tuple[str, Any]]]]:
    """Records the statements of each transaction committed on db while open, with their
    parameters, one list per transaction."""
    committed: list[list[tuple[str, Any]]] = []
    open_tx: dict[int, list[tuple[str, Any]]] = {}

    def on_statement(conn: Any, _cursor: Any, statement: str, params: Any, *_: Any) -> None:
        open_tx.setdefault(id(conn), []).append((statement, params))

    def on_commit(conn: Any) -> None:
        committed.append(open_tx.pop(id(conn), []))

    def on_rollback(conn: Any) -> None:
        open_tx.pop(id(conn), None)

    sa.event.listen(db, "before_cursor_execute", on_statement)
    sa.event.listen(db, "commit", on_commit)
    sa.event.listen(db, "rollback", on_rollback)
    try:
        yield committed
    finally:
        sa.event.remove(db, "before_cursor_execute", on_statement)
        sa.event.remove(db, "commit", on_commit)
        sa.event.remove(db, "rollback", on_rollback)


def mentions(tx: list[tuple[str, Any]], text: str, value: str) -> bool:
    """Whether a statement of the transaction that contains text was given value."""
    return any(text in s.lower().replace('"', "") and value in repr(p) for s, p in tx)


async def parked(dev_server: DevServer, account: str, queue: str, build: str = "") -> None:
    """Waits until a poll of the queue (and build) is open: it parks at once, the queue
    being empty."""
    polling = dev_server.shard.engine.workflow_tasks.polling
    await eventually(
        lambda: asyncio.sleep(0, (account, queue, build) in polling), bool, what="a poll parked"
    )


async def writer_idle(dev_server: DevServer) -> None:
    """Waits until the shard's writer is idle: a create called right after, in the same turn
    of the event loop, may hand its instance off (only a create that finds it idle does)."""
    committer = dev_server.shard.engine.committer
    await eventually(lambda: asyncio.sleep(0, committer.idle()), bool, what="the writer idle")


async def until(condition: Callable[[], object], timeout: float = 10.0) -> None:
    """Waits, a turn of the event loop at a time, until condition() holds: for a state that
    lasts only while a transaction commits."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, "condition not reached"
        await asyncio.sleep(0)


def reserved_or_done(claiming: Mapping[str, int], account: str, create: asyncio.Task[Any]) -> bool:
    return bool(claiming.get(account, 0)) or create.done()


async def test_a_parked_poll_gets_an_instance_created_while_it_waits_in_the_creates_transaction(
    dev_server: DevServer,
) -> None:
    engine = dev_server.shard.engine
    account = _default_account(dev_server)
    handed = engine.workflow_tasks.handoffs.handed
    with transactions(engine.db) as committed:
        poll = asyncio.create_task(engine.poll(account, WORKER, "hq", 1, 30.0))
        await parked(dev_server, account, "hq")
        await writer_idle(dev_server)
        await engine.create(account, "wf", "h1", b"{}", task_queue="hq")
        [task] = await poll
    assert task.instance.instance_id == "h1"
    assert task.instance.status is Status.RUNNING
    assert task.params == b"{}" and task.journal == [] and task.journal_next is None
    assert engine.workflow_tasks.handoffs.handed == handed + 1
    # One transaction wrote the instance and leased it to the worker.
    [tx] = [tx for tx in committed if mentions(tx, "insert into instances", "h1")]
    assert mentions(tx, "update instances", WORKER)
    assert not any(mentions(t, "update instances", WORKER) for t in committed if t is not tx)
    # The task is the worker's, as any claimed one: it completes.
    await engine.complete_workflow(account, task.ref, b"1")
    view = await engine.get(account, "wf", "h1")
    assert view.instance.status is Status.COMPLETE


async def test_a_batch_created_while_a_poll_waits_hands_it_at_most_its_max_tasks(
    dev_server: DevServer,
) -> None:
    engine = dev_server.shard.engine
    account = _default_account(dev_server)
    poll = asyncio.create_task(engine.poll(account, WORKER, "bq", 2, 30.0))
    await parked(dev_server, account, "bq")
    items = [NewInstance("wf", f"b{n}", b"{}", task_queue="bq") for n in range(5)]
    await writer_idle(dev_server)
    outcomes = await engine.create_many(account, items)
    assert all(not isinstance(o, Exception) for o in outcomes)
    handed = await poll
    assert sorted(t.instance.instance_id for t in handed) == ["b0", "b1"]
    # The rest are queued, in order, for the next poll.
    rest = await engine.poll(account, WORKER, "bq", 10, 5.0)
    assert [t.instance.instance_id for t in rest] == ["b2", "b3", "b4"]


async def test_a_poll_cancelled_while_the_handoff_commits_gives_the_task_back_unstarted(
    dev_server: DevServer,
) -> None:
    engine = dev_server.shard.engine
    account = _default_account(dev_server)
    claiming, handoffs = engine.occupancy.claiming, engine.workflow_tasks.handoffs
    # The create starts in a task of its own, a turn after the writer was seen idle: should
    # the writer have woken meanwhile (no handoff then), the round goes again.
    for n in range(20):
        instance_id, reserved = f"c{n}", handoffs.reserved
        poll = asyncio.create_task(engine.poll(account, "gone", "cq", 1, 30.0, fanout=True))
        await parked(dev_server, account, "cq")
        await writer_idle(dev_server)
        create = asyncio.create_task(
            engine.create(account, "wf", instance_id, b"{}", task_queue="cq")
        )
        # Reserved (its slot counts as claiming) or claimed by the poll, not committed yet.
        await until(functools.partial(reserved_or_done, claiming, account, create))
        poll.cancel()
        await create
        with pytest.raises(asyncio.CancelledError):
            await poll
        # Given back: queued again, and the next poll takes it. The poll never answered, so
        # the next claim is the instance's start.
        [task] = await engine.poll(account, WORKER, "cq", 1, 10.0)
        assert task.instance.instance_id == instance_id
        page = await engine.history(account, "wf", instance_id, 0, 100)
        released = [e for _, e in page.entries if e.kind == HistoryKind.TASK_RELEASED]
        assert [e.detail for e in released] == [{"worker": "gone", "reason": "poll cancelled"}]
        starts = [e for _, e in page.entries if e.kind in (STARTED, HistoryKind.RESUMED_ON_WORKER)]
        assert [(e.kind, (e.detail or {})["worker"]) for e in starts] == [
            (STARTED, "gone"),
            (STARTED, WORKER),
        ]
        assert task.instance.started_at is not None
        assert task.instance.started_at >= released[0].at
        if handoffs.reserved > reserved:
            return
    raise AssertionError("no create found the writer idle")


async def test_a_create_that_finds_the_writer_busy_leaves_the_claim_to_the_poll(
    dev_server: DevServer,
) -> None:
    engine = dev_server.shard.engine
    account = _default_account(dev_server)
    reserved = engine.workflow_tasks.handoffs.reserved
    poll = asyncio.create_task(engine.poll(account, WORKER, "bq", 10, 30.0))
    await parked(dev_server, account, "bq")
    # Two creates queued together: the second finds the first waiting for the writer.
    await writer_idle(dev_server)
    first = asyncio.ensure_future(engine.create(account, "wf", "x1", b"{}", task_queue="bq"))
    second = asyncio.ensure_future(engine.create(account, "wf", "x2", b"{}", task_queue="bq"))
    await asyncio.gather(first, second)
    tasks = await poll
    rest = await engine.poll(account, WORKER, "bq", 10, 5.0)
    assert sorted(t.instance.instance_id for t in tasks + rest) == ["x1", "x2"]
    # At most the first was handed off (unless the writer woke between the two).
    assert engine.workflow_tasks.handoffs.reserved <= reserved + 1


async def test_a_handoff_never_passes_the_accounts_running_limit(dev_server: DevServer) -> None:
    engine = dev_server.shard.engine
    account = _default_account(dev_server)
    set_max_running(dev_server.db, account, 1)
    engine.admission.read_quotas(account)
    await engine.create(account, "wf", "r1", b"{}", task_queue="rq")
    [first] = await engine.poll(account, WORKER, "rq", 1, 10.0)
    handed = engine.workflow_tasks.handoffs.handed
    poll = asyncio.create_task(engine.poll(account, WORKER, "rq", 1, 30.0))
    await parked(dev_server, account, "rq")
    await engine.create(account, "wf", "r2", b"{}", task_queue="rq")
    view = await engine.get(account, "wf", "r2")
    assert view.instance.status is Status.QUEUED  # the one slot is r1's
    assert engine.workflow_tasks.handoffs.handed == handed
    assert not poll.done()
    # r1 ends: its slot frees, and the parked poll takes r2 from the queue.
    await engine.complete_workflow(account, first.ref, b"1")
    [second] = await poll
    assert second.instance.instance_id == "r2"


async def test_a_handoff_respects_build_routing(dev_server: DevServer) -> None:
    engine = dev_server.shard.engine
    account = _default_account(dev_server)
    await engine.register(account, "vq", ["vwf"], build_id="old")
    await engine.register(account, "vq", ["vwf"], build_id="new")
    old_poll = asyncio.create_task(engine.poll(account, "w-old", "vq", 1, 30.0, build_id="old"))
    await parked(dev_server, account, "vq", "old")
    await engine.create(account, "vwf", "v1", b"{}")
    # The old build's poll is not given it: the instance goes to the newest build's queue.
    tasks: list[Task] = await engine.poll(account, "w-new", "vq", 1, 10.0, build_id="new")
    assert [t.instance.instance_id for t in tasks] == ["v1"]
    assert tasks[0].instance.build_id == "new"
    assert not old_poll.done()
    old_poll.cancel()
    with pytest.raises(asyncio.CancelledError):
        await old_poll
