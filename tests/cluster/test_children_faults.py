"""A child workflow across shard servers (separate processes on PostgreSQL): the parent's
partition on one server, the child's on another, and the parent's server killed (SIGKILL)
after it journaled the start but before the child's owner answered it. The start is
delivered by the server that takes the parent's partition over: exactly one child runs, and
the parent resumes with its output. Then the same the other way: the child's server is
killed after the child ended, before its end reached the parent's server."""

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
from stepway import Client, NotFoundError, Step, Worker, WorkflowEvent, workflow
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


# Set by the test once the parent's server is stopped: the second child goes on to its end.
gate2 = asyncio.Event()


@workflow("kid2")
async def kid2(event: WorkflowEvent, step: Step) -> Any:
    async def wait_for_gate() -> None:
        await gate2.wait()

    await step.do("gate", wait_for_gate)
    return await step.do("twice", lambda n: n * 2, event.params["n"])


@workflow("mom2")
async def mom2(event: WorkflowEvent, step: Step) -> Any:
    return {"kid": await step.run_workflow("kid2", {"n": 21}, id=event.params["kid"])}


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
        async with Worker(client, workflows=[kid, mom, kid2, mom2]):
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

            # Then the child's server is killed after the child ended, before its end reached
            # the parent's server: the server that takes the child's partition delivers it.
            held = await eventually(
                owned,
                lambda o: (
                    len(o["s2"]) + len(o["s3"]) == DEFAULT_PARTITIONS and all((o["s2"], o["s3"]))
                ),
                timeout=60,
                what="every partition owned by the two servers left",
            )
            parent2 = _pick(account, "mom2", "mom", held["s3"])
            child2 = _pick(account, "kid2", "kid", held["s2"])
            handle2 = await client.create("mom2", id=parent2, params={"kid": child2})

            async def at_gate() -> bool:
                try:
                    info = await client.get_handle("kid2", child2).status()
                except NotFoundError:
                    return False
                return info.current_step == "gate"

            await eventually(at_gate, bool, what="the second child at its gate")
            cluster.procs["s3"].popen.send_signal(signal.SIGSTOP)
            try:
                gate2.set()
                await eventually(
                    outbox,
                    lambda rows: [tuple(r) for r in rows] == [("ended", parent2)],
                    interval=0.01,
                    what="the child's end in its outbox",
                )
                cluster.procs["s2"].popen.send_signal(signal.SIGKILL)
            finally:
                cluster.procs["s3"].popen.send_signal(signal.SIGCONT)
            assert await handle2.result(timeout=90) == {"kid": 42}
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
    kids2 = [r for r in rows if r.workflow == "kid2"]
    assert [(r.instance_id, r.status) for r in kids2] == [(child2, "complete")]
    assert cluster.procs["s3"].popen.poll() is None
