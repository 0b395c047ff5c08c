"""A child workflow across shard servers (separate processes on PostgreSQL): the parent's
partition on one server, the child's on another, and the parent's server killed (SIGKILL)
after it journaled the start but before the child's owner answered it. The start is
delivered by the server that takes the parent's partition over: exactly one child runs, and
the parent resumes with its output."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from shards import schema
from shards.db import create_engine
from shards.partitioning import DEFAULT_PARTITIONS, partition_of
from stepway import Client, Step, Worker, WorkflowEvent, workflow
from tests.cluster.test_cluster_faults import Cluster, _keys_create, _owned_by, _query
from tests.helpers import eventually


@workflow("kid")
async def kid(event: WorkflowEvent, step: Step) -> Any:
    return await step.do("twice", lambda n: n * 2, event.params["n"])


# Set by the test once the child's server is stopped: the parent goes on to start its child.
gate = asyncio.Event()


@workflow("mom")
async def mom(event: WorkflowEvent, step: Step) -> Any:
    async def wait_for_gate() -> None:
        await gate.wait()

    await step.do("gate", wait_for_gate)
    return {"kid": await step.run_workflow("kid", {"n": 21}, id=event.params["kid"])}


@pytest.fixture
def cluster(pg_url: str, tmp_path: Path) -> Iterator[Cluster]:
    c = Cluster(pg_url, tmp_path)
    try:
        yield c
    finally:
        c.stop_all()


def _pick(account: str, workflow: str, prefix: str, partitions: dict[int, int]) -> str:
    """An instance id of the workflow whose partition is one of these."""
    return next(
        f"{prefix}{n}"
        for n in range(100_000)
        if partition_of(account, workflow, f"{prefix}{n}", DEFAULT_PARTITIONS) in partitions
    )


async def test_a_child_on_another_server_starts_once_when_the_parents_server_is_killed(
    cluster: Cluster, pg_url: str
) -> None:
    db = create_engine(pg_url)
    key = await asyncio.to_thread(_keys_create, cluster.url)
    for name in ("s1", "s2", "s3"):
        await asyncio.to_thread(cluster.shard, name)
    gateway = await asyncio.to_thread(cluster.gateway)

    async def owned() -> dict[str, dict[int, int]]:
        return {m: await _owned_by(db, m) for m in ("s1", "s2", "s3")}

    held = await eventually(
        owned,
        lambda o: sum(map(len, o.values())) == DEFAULT_PARTITIONS and all(o.values()),
        timeout=60,
        what="every partition owned, by all three servers",
    )
    A, O = schema.accounts, schema.outbox  # noqa: E741
    [(account,)] = await asyncio.to_thread(_query, db, sa.select(A.c.id).where(A.c.name == "acme"))
    parent_id = _pick(account, "mom", "mom", held["s1"])
    child_id = _pick(account, "kid", "kid", held["s2"])

    async def outbox() -> list[Any]:
        return await asyncio.to_thread(_query, db, sa.select(O.c.kind, O.c.instance_id))

    client = await Client.connect(f"127.0.0.1:{gateway.port}", api_key=key)
    try:
        async with Worker(client, workflows=[kid, mom]):
            handle = await client.create("mom", id=parent_id, params={"kid": child_id})
            await eventually(
                handle.status, lambda i: i.current_step == "gate", what="the parent at its gate"
            )
            # The child's server stops answering: the parent's server journals the start and
            # cannot deliver it yet.
            cluster.procs["s2"].popen.send_signal(signal.SIGSTOP)
            try:
                gate.set()
                await eventually(
                    outbox,
                    lambda rows: [tuple(r) for r in rows] == [("start", child_id)],
                    interval=0.01,
                    what="the start in the parent's outbox",
                )
                cluster.procs["s1"].popen.send_signal(signal.SIGKILL)
            finally:
                cluster.procs["s2"].popen.send_signal(signal.SIGCONT)
            assert await handle.result(timeout=90) == {"kid": 42}
            await eventually(outbox, lambda rows: rows == [], what="every message delivered")
    finally:
        await client.close()
        inst = schema.instances
        rows = await asyncio.to_thread(
            _query,
            db,
            sa.select(inst.c.workflow, inst.c.instance_id, inst.c.status, inst.c.parent),
        )
        db.dispose()
    kids = [r for r in rows if r.workflow == "kid"]
    assert [(r.instance_id, r.status) for r in kids] == [(child_id, "complete")]
    assert f'"instance_id":"{parent_id}"' in kids[0].parent
    assert cluster.procs["s3"].popen.poll() is None
