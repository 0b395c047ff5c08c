"""Every transition of an instance is recorded in its history, in order, with timestamps."""

from __future__ import annotations

import sqlalchemy as sa

from gateway.dev import DevServer
from shards import schema
from stepway import Client, Worker
from stepway.examples import order


async def test_history_records_every_transition_of_the_example_order(
    dev_server: DevServer, client: Client
) -> None:
    async with Worker(client, workflows=[order.order]):
        handle = await client.create("order", id="h1", params={"sku": "A1"})
        await handle.send_event("approved", {"by": "ann"})
        await handle.result(timeout=30)
    h, i = schema.history, schema.instances
    with dev_server.db.connect() as conn:
        rows = (
            conn.execute(
                sa.select(h.c.seq, h.c.at, h.c.kind, h.c.step_name, h.c.attempt)
                .join(i, sa.and_(i.c.partition == h.c.partition, i.c.uid == h.c.uid))
                .where(i.c.instance_id == "h1")
                .order_by(h.c.seq)
            )
        ).all()
    kinds = [(r.kind, r.step_name, r.attempt) for r in rows]
    assert kinds[:2] == [("created", None, None), ("queued", None, None)]
    assert ("step_succeeded", "reserve", 1) in kinds
    assert ("step_attempt_failed", "charge", 1) in kinds
    assert ("step_retry_scheduled", "charge", 2) in kinds
    assert ("step_succeeded", "charge", 2) in kinds
    assert ("sleeping", "cool off", None) in kinds
    assert ("woke", "cool off", None) in kinds
    assert ("event_received", None, None) in kinds
    assert ("event_taken", "approval", None) in kinds
    assert ("step_succeeded", "ship", 1) in kinds
    assert kinds[-1] == ("completed", None, None)
    assert [r.seq for r in rows] == list(range(1, len(rows) + 1))
    # Timestamps never go backwards: every entry has the shard's time when it was recorded.
    recorded = [r.at for r in rows]
    assert recorded == sorted(recorded)
