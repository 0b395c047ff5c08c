"""A cluster of separate processes on PostgreSQL, one gateway and shard servers, under faults.

2,000 three-step workflows run through the gateway while a fourth shard server joins, one is
killed (SIGKILL) and another is stopped (SIGSTOP) until its leases lapse and other servers take
its partitions, then resumed (SIGCONT). Every workflow must complete with each step recorded
once, no instance may be lost or duplicated, and the stopped server's late writes must all be
refused: it tries some (writes that reached it while it was stopped, and one create sent to it
directly as a gateway would), and its log counts them, with the partitions of any it committed.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import grpc
import pytest
import sqlalchemy as sa

from gateway.dev import lift_rate_limits
from shards import schema
from shards.call_context import call_metadata
from shards.db import create_engine
from shards.partitioning import DEFAULT_PARTITIONS, partition_of
from shards.rpc import NOT_OWNER
from stepway import Client, NewInstance, Step, Worker, WorkflowEvent, workflow
from stepway.internal.v1 import internal_service_pb2 as ipb
from stepway.v1 import common_pb2 as cpb
from stepway.v1 import workflow_service_pb2 as fpb
from stepway.v1 import workflow_service_pb2_grpc as fgrpc
from tests.helpers import eventually

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = 2_000
LEASE = 3.0
ADMIN = ("--account", "acme", "--role", "admin")
LATE_WRITES = re.compile(r"late writes: refused=(\d+) committed=(\d+) partitions=(\S+)")


@workflow("three")
async def three(event: WorkflowEvent, step: Step) -> Any:
    a = await step.do("a", lambda n: n + 1, event.params)
    b = await step.do("b", lambda n: n * 2, a)
    return await step.do("c", lambda n: n - 1, b)


@dataclass
class Proc:
    name: str
    popen: subprocess.Popen[str]
    log: Path
    port: int


@dataclass
class Cluster:
    url: str
    tmp: Path
    procs: dict[str, Proc] = field(default_factory=dict)

    def _spawn(self, name: str, args: list[str]) -> Proc:
        log = self.tmp / f"{name}.log"
        popen = subprocess.Popen(
            [sys.executable, "-m", "stepway", *args],
            cwd=ROOT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
            stdout=subprocess.PIPE,
            stderr=log.open("w"),
            text=True,
        )
        assert popen.stdout is not None
        line = popen.stdout.readline()  # the server's first line names its port
        match = re.search(r"listening on port (\d+)", line)
        if match is None:
            popen.kill()
            raise AssertionError(f"{name} did not start: {line!r}\n{log.read_text()}")
        proc = Proc(name, popen, log, int(match.group(1)))
        self.procs[name] = proc
        return proc

    def shard(self, name: str) -> Proc:
        return self._spawn(
            name,
            [
                "shard",
                "--db",
                self.url,
                "--listen",
                "127.0.0.1:0",
                "--member-id",
                name,
                "--partition-lease",
                str(LEASE),
                "--heartbeat",
                "0.3",
                "--lease-timeout",
                "5",
            ],
        )

    def gateway(self) -> Proc:
        return self._spawn("gateway", ["gateway", "--db", self.url, "--listen", "127.0.0.1:0"])

    def stop_all(self) -> None:
        for proc in self.procs.values():
            if proc.popen.poll() is None:
                proc.popen.send_signal(signal.SIGCONT)
                proc.popen.kill()
            proc.popen.wait(timeout=10)


@pytest.fixture
def cluster(pg_url: str, tmp_path: Path) -> Iterator[Cluster]:
    c = Cluster(pg_url, tmp_path)
    try:
        yield c
    finally:
        c.stop_all()


@pytest.fixture
async def db(pg_url: str) -> AsyncIterator[sa.Engine]:
    engine = create_engine(pg_url)
    yield engine
    engine.dispose()


def _query(db: sa.Engine, statement: Any) -> list[Any]:
    with db.connect() as conn:
        return list(conn.execute(statement))


async def _count_complete(db: sa.Engine) -> int:
    inst = schema.instances
    rows = await asyncio.to_thread(
        _query,
        db,
        sa.select(sa.func.count()).select_from(inst).where(inst.c.status == "complete"),
    )
    return int(rows[0][0])


async def _owned_by(db: sa.Engine, member: str) -> dict[int, int]:
    L = schema.partition_leases
    rows = await asyncio.to_thread(
        _query, db, sa.select(L.c.partition, L.c.epoch).where(L.c.owner == member)
    )
    return {r.partition: r.epoch for r in rows}


async def _progress(db: sa.Engine, at_least: int) -> None:
    await eventually(
        lambda: _count_complete(db),
        lambda n: n >= at_least,
        timeout=180,
        interval=0.2,
        what=f"{at_least} workflows complete",
    )


def _lift_rate_limits(db: sa.Engine) -> None:
    """The creations go in batches of 500, past the default rate: this test is not about it."""
    with db.begin() as conn:
        account = conn.execute(
            sa.select(schema.accounts.c.id).where(schema.accounts.c.name == "acme")
        ).scalar_one()
        lift_rate_limits(conn, account)


def _keys_create(url: str) -> str:
    out = subprocess.run(
        [sys.executable, "-m", "stepway", "keys", "create", "--db", url, *ADMIN],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return out.split()[-1]


async def test_a_cluster_of_processes_survives_a_join_a_kill_and_a_stall(
    cluster: Cluster, db: sa.Engine
) -> None:
    key = await asyncio.to_thread(_keys_create, cluster.url)
    await asyncio.to_thread(_lift_rate_limits, db)
    for name in ("s1", "s2", "s3"):
        await asyncio.to_thread(cluster.shard, name)
    gateway = await asyncio.to_thread(cluster.gateway)
    client = await Client.connect(f"127.0.0.1:{gateway.port}", api_key=key)
    try:
        async with Worker(client, workflows=[three], max_concurrent=64):
            for start in range(0, WORKFLOWS, 500):
                batch = [NewInstance(id=f"w{n}", params=n) for n in range(start, start + 500)]
                results = await client.create_batch("three", batch)
                assert all(r.error is None for r in results)

            await _progress(db, WORKFLOWS // 5)
            await asyncio.to_thread(cluster.shard, "s4")

            await _progress(db, 2 * WORKFLOWS // 5)
            cluster.procs["s2"].popen.send_signal(signal.SIGKILL)

            await _progress(db, 3 * WORKFLOWS // 5)
            stalled = cluster.procs["s3"]
            held = await _owned_by(db, "s3")
            assert held, "s3 held no partitions before its stall"
            stalled.popen.send_signal(signal.SIGSTOP)
            # Past its lease: the other servers take every partition it held.
            await eventually(
                lambda: _owned_by(db, "s3"),
                lambda owned: not owned,
                timeout=60,
                interval=0.1,
                what="the stalled server's partitions taken over",
            )
            late = asyncio.ensure_future(_create_directly(stalled.port, db, held))
            await asyncio.sleep(0.5)  # the call reaches the stopped server's socket
            stalled.popen.send_signal(signal.SIGCONT)
            late_code, late_id = await late
            assert late_code == grpc.StatusCode.UNAVAILABLE  # NOT_OWNER: refused, not run

            await _progress(db, WORKFLOWS)
    finally:
        await client.close()

    inst, H = schema.instances, schema.history
    rows = await asyncio.to_thread(
        _query, db, sa.select(inst.c.instance_id, inst.c.status, inst.c.output, inst.c.uid)
    )
    by_id = Counter(r.instance_id for r in rows)
    assert late_id not in by_id  # the refused create left nothing
    assert sorted(by_id) == sorted(f"w{n}" for n in range(WORKFLOWS))
    assert set(by_id.values()) == {1}
    assert {r.status for r in rows} == {"complete"}
    assert all(json.loads(r.output) == (n + 1) * 2 - 1 for n, r in _by_number(rows))
    succeeded = await asyncio.to_thread(
        _query,
        db,
        sa.select(H.c.uid, H.c.step_name, H.c.step_seq, sa.func.count())
        .where(H.c.kind == "step_succeeded")
        .group_by(H.c.uid, H.c.step_name, H.c.step_seq),
    )
    assert len(succeeded) == 3 * WORKFLOWS  # every step of every instance, each recorded once
    assert {r[3] for r in succeeded} == {1}

    # The stalled server tried late writes and committed none for a partition that moved.
    moved = set(held)  # every one was taken over during the stall
    refused, committed_in = 0, set()
    for match in LATE_WRITES.finditer(stalled.log.read_text()):
        refused += int(match.group(1))
        if match.group(3) != "-":
            committed_in |= {int(p) for p in match.group(3).split(",")}
    assert refused > 0
    assert not committed_in & moved
    for name, proc in cluster.procs.items():
        if name != "s2":
            assert proc.popen.poll() is None, f"{name} exited:\n{proc.log.read_text()}"


def _by_number(rows: list[Any]) -> list[tuple[int, Any]]:
    return [(int(r.instance_id[1:]), r) for r in rows]


async def _create_directly(
    port: int, db: sa.Engine, partitions: dict[int, int]
) -> tuple[grpc.StatusCode, str]:
    """Sends a CreateInstance straight to a shard server, as a gateway that still routes to it
    would, for an instance id in one of the partitions it held; answers the status code."""
    account = (
        await asyncio.to_thread(
            _query, db, sa.select(schema.accounts.c.id).where(schema.accounts.c.name == "acme")
        )
    )[0][0]
    secret = (
        await asyncio.to_thread(
            _query,
            db,
            sa.select(schema.cluster.c.value).where(schema.cluster.c.name == "cluster_secret"),
        )
    )[0][0]
    instance_id = next(
        f"late{n}"
        for n in range(100_000)
        if partition_of(account, "three", f"late{n}", DEFAULT_PARTITIONS) in partitions
    )
    request = fpb.CreateInstanceRequest(
        workflow="three", instance_id=instance_id, params=cpb.Payload(data=b"1")
    )
    metadata = call_metadata(secret, ipb.CallContext(account_id=account))
    async with grpc.aio.insecure_channel(f"127.0.0.1:{port}") as channel:
        try:
            await fgrpc.WorkflowServiceStub(channel).CreateInstance(
                request, metadata=metadata, timeout=60
            )
        except grpc.aio.AioRpcError as exc:
            assert NOT_OWNER in str(exc.trailing_metadata()) or "does not own" in (
                exc.details() or ""
            ), exc
            return exc.code(), instance_id
    return grpc.StatusCode.OK, instance_id
