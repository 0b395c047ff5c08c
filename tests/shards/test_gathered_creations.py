"""Single creations of one account that wait for the writer together are written by one
operation (shards/engine/instances.py, Gathering), each with its own outcome, as if they had
been made one by one; on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import threading

import pytest
import sqlalchemy as sa

from gateway.dev import DevServer
from shards.committer import MAX_OPERATION_COST, After
from shards.engine.facade import ShardEngine
from shards.errors import WorkflowNotFound

ACCOUNT = "gathered"


async def _hold_writer(engine: ShardEngine) -> tuple[threading.Event, asyncio.Future[None]]:
    """Keeps the shard's writer busy until the event is set, so that what is submitted
    meanwhile waits for it together."""
    started, release = threading.Event(), threading.Event()

    def op(conn: sa.Connection, after: After) -> None:
        started.set()
        release.wait(10)

    held = engine.committer.submit(op, account="held")
    await asyncio.to_thread(started.wait, 10)
    return release, held


@pytest.fixture
async def engine(dev_server: DevServer) -> ShardEngine:
    engine = dev_server.shard.engine
    await engine.register(ACCOUNT, "q", ["w"])
    return engine


async def test_creations_that_wait_for_the_writer_together_are_written_by_one_operation(
    engine: ShardEngine,
) -> None:
    release, held = await _hold_writer(engine)
    before = engine.committer.operations
    creates = [
        asyncio.ensure_future(engine.create(ACCOUNT, "w", f"i{n}", b"{}")) for n in range(20)
    ]
    await asyncio.sleep(0)  # every create has joined the gathering (no I/O before it)
    release.set()
    await held
    created = await asyncio.gather(*creates)
    assert engine.committer.operations - before == 2  # the held one, then all twenty
    assert [(inst.instance_id, fresh) for inst, fresh in created] == [
        (f"i{n}", True) for n in range(20)
    ]
    assert len({inst.uid for inst, _ in created}) == 20
    got = await engine.get(ACCOUNT, "w", "i7")
    assert got.instance.uid == created[7][0].uid


async def test_a_gathering_holds_at_most_one_operations_cost(engine: ShardEngine) -> None:
    release, held = await _hold_writer(engine)
    before = engine.committer.operations
    count = MAX_OPERATION_COST + 5
    creates = [engine.create(ACCOUNT, "w", f"c{n}", b"{}") for n in range(count)]
    pending = asyncio.gather(*creates)
    await asyncio.sleep(0)
    release.set()
    await held
    assert len(await pending) == count
    assert engine.committer.operations - before == 3  # the held one, then 25, then 5


async def test_two_creations_of_one_id_gathered_together_create_once_and_the_other_finds_it(
    engine: ShardEngine,
) -> None:
    release, held = await _hold_writer(engine)
    first = asyncio.ensure_future(engine.create(ACCOUNT, "w", "same", b'{"n": 1}'))
    second = asyncio.ensure_future(engine.create(ACCOUNT, "w", "same", b'{"n": 2}'))
    await asyncio.sleep(0)
    release.set()
    await held
    (a, created_a), (b, created_b) = await asyncio.gather(first, second)
    assert (created_a, created_b) == (True, False)
    assert a.uid == b.uid


async def test_a_failing_creation_in_a_gathering_fails_alone(engine: ShardEngine) -> None:
    release, held = await _hold_writer(engine)
    good = asyncio.ensure_future(engine.create(ACCOUNT, "w", "ok", b"{}"))
    bad = asyncio.ensure_future(engine.create(ACCOUNT, "unregistered", "x", b"{}"))
    await asyncio.sleep(0)
    release.set()
    await held
    outcomes = await asyncio.gather(good, bad, return_exceptions=True)
    assert isinstance(outcomes[0], tuple) and outcomes[0][1] is True
    assert isinstance(outcomes[1], WorkflowNotFound)


async def test_a_caller_that_goes_away_leaves_the_others_of_its_gathering_created(
    engine: ShardEngine,
) -> None:
    release, held = await _hold_writer(engine)
    leaving = asyncio.ensure_future(engine.create(ACCOUNT, "w", "gone", b"{}"))
    staying = asyncio.ensure_future(engine.create(ACCOUNT, "w", "stays", b"{}"))
    await asyncio.sleep(0)
    leaving.cancel()
    release.set()
    await held
    inst, created = await staying
    assert created and inst.instance_id == "stays"
    with pytest.raises(asyncio.CancelledError):
        await leaving
    # The one that went away was written with the others: its creation is not undone.
    assert (await engine.get(ACCOUNT, "w", "gone")).instance.instance_id == "gone"
