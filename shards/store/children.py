"""Child workflows' rows: a parent's child links, and the outbox of messages waiting to be
delivered to the owner of their target partition."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from shards import schema
from shards.core.children import ChildLink, Message, MessageKind, ParentClose
from shards.store.rows import Key, bp, partition_in

L = schema.child_links
O = schema.outbox  # noqa: E741

_LINK_KEY = (
    L.c.partition == bp("k_partition"),
    L.c.uid == bp("k_uid"),
    L.c.name == bp("k_name"),
    L.c.seq == bp("k_seq"),
)
_LOAD_LINK = sa.select(L).where(*_LINK_KEY)
_LOAD_LINKS = (
    sa.select(L)
    .where(L.c.partition == bp("k_partition"), L.c.uid == bp("k_uid"))
    .order_by(L.c.started_at, L.c.name, L.c.seq)
)
_INSERT_LINK = L.insert()
_DELETE_LINK = L.delete().where(*_LINK_KEY)
_UPDATE_LINK = L.update().where(*_LINK_KEY).values(status=bp("v_status"))
_INSERT_MESSAGE = O.insert()
_DELETE_MESSAGE = O.delete().where(O.c.partition == bp("k_partition"), O.c.id == bp("k_id"))
_RETRY_MESSAGE = (
    O.update()
    .where(O.c.partition == bp("k_partition"), O.c.id == bp("k_id"))
    .values(next_at=bp("v_next_at"), attempts=O.c.attempts + 1)
)


def _to_link(row: Any) -> ChildLink:
    m = row._mapping
    return ChildLink(
        partition=m["partition"],
        uid=m["uid"],
        name=m["name"],
        seq=m["seq"],
        workflow=m["workflow"],
        instance_id=m["instance_id"],
        close=ParentClose(m["parent_close"]),
        wait=bool(m["wait"]),
        started_at=m["started_at"],
        status=m["status"],
    )


def load_link(conn: sa.Connection, key: Key, name: str, seq: int) -> ChildLink | None:
    params = {"k_partition": key[0], "k_uid": key[1], "k_name": name, "k_seq": seq}
    row = conn.execute(_LOAD_LINK, params).first()
    return None if row is None else _to_link(row)


def load_links(conn: sa.Connection, key: Key, limit: int | None = None) -> list[ChildLink]:
    """An instance's children, in the order they were started."""
    query = _LOAD_LINKS if limit is None else _LOAD_LINKS.limit(limit)
    return [_to_link(r) for r in conn.execute(query, {"k_partition": key[0], "k_uid": key[1]})]


def insert_link(conn: sa.Connection, link: ChildLink) -> None:
    """Writes a new link; one a restart left behind for the same step is replaced."""
    key = {"k_partition": link.partition, "k_uid": link.uid, "k_name": link.name, "k_seq": link.seq}
    conn.execute(_DELETE_LINK, key)
    conn.execute(
        _INSERT_LINK,
        {
            "partition": link.partition,
            "uid": link.uid,
            "name": link.name,
            "seq": link.seq,
            "workflow": link.workflow,
            "instance_id": link.instance_id,
            "parent_close": link.close.value,
            "wait": link.wait,
            "status": link.status,
            "started_at": link.started_at,
        },
    )


def update_link(conn: sa.Connection, link: ChildLink) -> None:
    key = {"k_partition": link.partition, "k_uid": link.uid, "k_name": link.name, "k_seq": link.seq}
    conn.execute(_UPDATE_LINK, {**key, "v_status": link.status})


@dataclass(frozen=True)
class Outgoing:
    """An outbox row: a message from `partition`, tried `attempts` times so far."""

    partition: int
    id: str
    message: Message
    attempts: int
    created_at: int = 0

    @property
    def target(self) -> tuple[str, str, str]:
        """(account, workflow, instance id) of the message's target."""
        m = self.message
        return (m.account_id, m.workflow, m.instance_id)


def add_messages(
    conn: sa.Connection, partition: int, messages: Sequence[Message], now: int
) -> list[Outgoing]:
    """Puts messages in the outbox of a partition, due at once."""
    rows = [Outgoing(partition, uuid.uuid4().hex, m, 0, now) for m in messages]
    if rows:
        conn.execute(
            _INSERT_MESSAGE,
            [
                {
                    "partition": r.partition,
                    "id": r.id,
                    "account_id": r.message.account_id,
                    "kind": r.message.kind.value,
                    "workflow": r.message.workflow,
                    "instance_id": r.message.instance_id,
                    "body": r.message.body,
                    "created_at": now,
                    "next_at": now,
                    "attempts": 0,
                }
                for r in rows
            ],
        )
    return rows


def due_messages(
    conn: sa.Connection, partitions: Collection[int], now: int, limit: int
) -> list[Outgoing]:
    """Messages of these partitions due now, oldest first."""
    if not partitions:
        return []
    rows = conn.execute(
        sa.select(O)
        .where(partition_in(O.c.partition, partitions, conn.dialect), O.c.next_at <= now)
        .order_by(O.c.next_at, O.c.created_at)
        .limit(limit)
    )
    return [
        Outgoing(
            r.partition,
            r.id,
            Message(MessageKind(r.kind), r.account_id, r.workflow, r.instance_id, r.body),
            r.attempts,
            r.created_at,
        )
        for r in rows
    ]


def next_message_at(conn: sa.Connection, partitions: Collection[int], now: int) -> int | None:
    """When the earliest message of these partitions not due now is due, if any."""
    if not partitions:
        return None
    at = conn.execute(
        sa.select(sa.func.min(O.c.next_at)).where(
            partition_in(O.c.partition, partitions, conn.dialect), O.c.next_at > now
        )
    ).scalar()
    return None if at is None else int(at)


def first_messages(
    conn: sa.Connection, partitions: Collection[int], instance_ids: Collection[str]
) -> dict[tuple[str, str, str], int]:
    """When the oldest start or terminate message to each child with one of these ids was
    written, due or not, in these partitions: a child's messages are delivered one at a time,
    oldest first."""
    if not partitions or not instance_ids:
        return {}
    rows = conn.execute(
        sa.select(O.c.account_id, O.c.workflow, O.c.instance_id, sa.func.min(O.c.created_at))
        .where(
            partition_in(O.c.partition, partitions, conn.dialect),
            O.c.instance_id.in_(sorted(instance_ids)),
            O.c.kind != MessageKind.ENDED.value,
        )
        .group_by(O.c.account_id, O.c.workflow, O.c.instance_id)
    )
    return {(r[0], r[1], r[2]): int(r[3]) for r in rows}


def delete_message(conn: sa.Connection, partition: int, id: str) -> None:
    conn.execute(_DELETE_MESSAGE, {"k_partition": partition, "k_id": id})


def retry_message(conn: sa.Connection, partition: int, id: str, next_at: int) -> None:
    conn.execute(_RETRY_MESSAGE, {"k_partition": partition, "k_id": id, "v_next_at": next_at})
