"""The relay of messages about child workflows: a child's messages go one at a time, oldest
first, so the terminate of a parent's end never overtakes the child's start put off by a
failed delivery."""

from __future__ import annotations

import sqlalchemy as sa

from gateway.dev import DevServer
from shards import schema, store
from shards.clock import now_us
from shards.core.children import Message, MessageKind, pack


def _outbox(server: DevServer) -> list[str]:
    with server.db.connect() as conn:
        return [r.kind for r in conn.execute(sa.select(schema.outbox.c.kind))]


async def test_a_terminate_waits_for_the_start_of_its_child_put_off_before_it(
    dev_server: DevServer,
) -> None:
    children = dev_server.shard.engine.children
    account = "a" * 32
    start = Message(MessageKind.START, account, "kid", "k-1", pack({}, b"null"))
    terminate = Message(MessageKind.TERMINATE, account, "kid", "k-1", pack({}, None))
    partition = next(iter(dev_server.shard.engine.owned))
    with dev_server.db.begin() as conn:
        [first] = store.add_messages(conn, partition, [start], now_us())
        # The start failed once and waits a minute for its next try.
        store.retry_message(conn, partition, first.id, now_us() + 60_000_000)
        store.add_messages(conn, partition, [terminate], now_us() + 1)
    children.recheck()  # as after a takeover: the outbox is read though nothing woke it
    assert await children.relay_once() == 0
    assert sorted(_outbox(dev_server)) == ["start", "terminate"]
