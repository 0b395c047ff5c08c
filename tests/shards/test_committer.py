"""The committer's turns (shards/committer.py): accounts take turns at the writer, one account's
operations cost at most ACCOUNT_COST_PER_BATCH in a batch, and requests are cut into parts of at
most MAX_OPERATION_COST. Checked on the order operations run in, not on timings."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from shards.committer import (
    ACCOUNT_COST_PER_BATCH,
    MAX_BATCH_COST,
    MAX_OPERATION_COST,
    After,
    Committer,
    payload_cost,
    split,
)
from shards.db import create_engine


@pytest.fixture
async def committer(tmp_path: Path) -> AsyncIterator[Committer]:
    db = create_engine(f"sqlite:///{tmp_path / 'c.db'}")
    committer = Committer(db)
    committer.start()
    try:
        yield committer
    finally:
        await committer.stop()
        db.dispose()


def _recording(ran: list[tuple[int, str]], committer: Committer, name: str) -> Callable[..., None]:
    def op(conn: sa.Connection, after: After) -> None:
        ran.append((committer.batches, name))

    return op


async def _hold_writer(committer: Committer) -> tuple[threading.Event, asyncio.Future[None]]:
    """Keeps the writer busy with one operation until the event is set, so that what is
    submitted meanwhile waits and forms the next batches."""
    started, release = threading.Event(), threading.Event()

    def op(conn: sa.Connection, after: After) -> None:
        started.set()
        release.wait(10)

    held = committer.submit(op, account="held")
    await asyncio.to_thread(started.wait, 10)
    return release, held


async def test_a_flooding_account_delays_another_accounts_operation_by_one_turn(
    committer: Committer,
) -> None:
    ran: list[tuple[int, str]] = []
    release, held = await _hold_writer(committer)
    flood = [
        committer.submit(_recording(ran, committer, f"b{n}"), account="b", cost=MAX_OPERATION_COST)
        for n in range(40)
    ]
    create = committer.submit(_recording(ran, committer, "a"), account="a")
    release.set()
    await asyncio.gather(held, create, *flood)

    batch_of_a = next(batch for batch, name in ran if name == "a")
    first = min(batch for batch, _ in ran)
    assert batch_of_a == first  # the batch after the one in the writer
    in_that_batch = [name for batch, name in ran if batch == batch_of_a]
    assert len([n for n in in_that_batch if n.startswith("b")]) * MAX_OPERATION_COST <= (
        ACCOUNT_COST_PER_BATCH
    )
    # B's operations ran in the order submitted.
    assert [name for _, name in ran if name != "a"] == [f"b{n}" for n in range(40)]


async def test_every_batch_holds_at_most_each_accounts_share_and_the_batch_cost(
    committer: Committer,
) -> None:
    ran: list[tuple[int, str]] = []
    release, held = await _hold_writer(committer)
    accounts = [f"acct{n}" for n in range(15)]
    done = [
        committer.submit(
            _recording(ran, committer, account), account=account, cost=MAX_OPERATION_COST
        )
        for _ in range(4)
        for account in accounts
    ]
    release.set()
    await asyncio.gather(held, *done)

    per_batch: dict[int, list[str]] = {}
    for batch, account in ran:
        per_batch.setdefault(batch, []).append(account)
    for names in per_batch.values():
        assert len(names) * MAX_OPERATION_COST <= MAX_BATCH_COST
        for account in set(names):
            assert names.count(account) * MAX_OPERATION_COST <= ACCOUNT_COST_PER_BATCH
    # Round-robin: every account had its first operation run before any had its third.
    first_of = {a: next(i for i, (_, n) in enumerate(ran) if n == a) for a in accounts}
    third_of = {a: [i for i, (_, n) in enumerate(ran) if n == a][2] for a in accounts}
    assert max(first_of.values()) < min(third_of.values())


def test_split_cuts_a_request_into_parts_of_bounded_cost_in_order() -> None:
    items = list(range(1000))
    parts = split(items)
    assert [x for part in parts for x in part] == items
    assert all(len(part) <= MAX_OPERATION_COST for part in parts)
    # A payload counts one row more per 64 KiB: 1 MiB items go one to a part.
    big = [b"x" * (1024 * 1024)] * 3
    assert [len(p) for p in split(big, lambda b: payload_cost(len(b)))] == [1, 1, 1]


async def test_a_prepared_operation_is_built_when_its_batch_forms_with_what_joined_it_meanwhile(
    committer: Committer,
) -> None:
    release, held = await _hold_writer(committer)
    joined: list[str] = ["first"]
    built: list[list[str]] = []

    def prepare() -> tuple[Callable[..., list[str]], frozenset[int], int]:
        items = list(joined)
        built.append(items)
        return (lambda conn, after: items), frozenset(), len(items)

    done = committer.submit_prepared(prepare, account="a")
    joined.append("second")  # arrives while the writer is busy: still in time
    assert built == []
    release.set()
    await held
    assert await done == ["first", "second"]
    assert built == [["first", "second"]]
