"""A noisy neighbour: one account sending the heaviest calls the API allows, in loops, adds a
bounded delay to another account's creates, and never lets the shard server's partition leases
go stale. The bound of the writer's turns is stated in shards/committer.py.

Account B runs in a process of its own (tests/noisy_tenant.py), as another tenant's clients
would: the servers' process then spends its CPU on B's calls, not on building them.
"""

from __future__ import annotations

import asyncio
import json
import math
import secrets
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass

import grpc
import pytest
import sqlalchemy as sa

from gateway.dev import DevServer, lift_rate_limits
from shards import schema
from shards.partitioning import DEFAULT_PARTITIONS
from stepway import Client, Step, Worker, WorkflowEvent, workflow
from stepway.v1 import worker_service_pb2 as wpb
from stepway.v1 import worker_service_pb2_grpc as wgrpc
from stepway.v1 import workflow_service_pb2 as fpb
from stepway.v1 import workflow_service_pb2_grpc as fgrpc

# Its bounds on latency leave no room for another test's load on the machine.
pytestmark = pytest.mark.alone

# What account A's create latency may gain at the 99th percentile while B is noisy. The
# writer's part is at most two transactions of bounded cost (shards/committer.py), measured at
# 30 to 380 ms added on a loaded 2-core machine; the rest of the margin is for CI, where B's
# calls also take the servers' CPU and other jobs take the machine's. Before accounts took
# turns at the writer, this test measured 1 to 4 s added.
ADDED_P99_SECONDS = 0.6
# A's creates per phase, by this many callers at once, and the most rounds each of B's loops
# runs.
CREATES = 100
CALLERS = 4
ROUNDS = 40
# The largest heartbeat the API takes, and how many of them B sends at once.
TOKENS_PER_CALL = 1000
HEARTBEATS_AT_ONCE = 20


def one() -> int:
    return 1


@workflow("quiet")
async def quiet(event: WorkflowEvent, step: Step) -> int:
    result: int = await step.do("one", one)
    return result


@dataclass
class Keys:
    account_id: str
    client: str
    worker: str


@pytest.fixture
async def noisy(dev_server: DevServer, client: Client) -> Keys:
    """Account B, with its client and worker keys; the worst neighbour: no rate limits."""
    await client.admin.create_account("noisy")
    keys = {r: (await client.admin.create_key("noisy", r)).key for r in ("client", "worker")}
    with dev_server.db.begin() as conn:
        A = schema.accounts
        account_id = conn.execute(sa.select(A.c.id).where(A.c.name == "noisy")).scalar_one()
        lift_rate_limits(conn, str(account_id))
    return Keys(str(account_id), keys["client"], keys["worker"])


@pytest.fixture
async def a_stub(dev_server: DevServer) -> AsyncIterator[fgrpc.WorkflowServiceStub]:
    async with grpc.aio.insecure_channel(dev_server.address) as channel:
        yield fgrpc.WorkflowServiceStub(channel)


def _md(key: str) -> tuple[tuple[str, str], ...]:
    return (("authorization", f"Bearer {key}"),)


async def _create_latencies(
    stub: fgrpc.WorkflowServiceStub, key: str, prefix: str, count: int = CREATES
) -> list[float]:
    """Each create's latency, CALLERS creating at once."""
    latencies: list[float] = []

    async def caller(first: int) -> None:
        for n in range(first, count, CALLERS):
            started = time.perf_counter()
            await stub.CreateInstance(
                fpb.CreateInstanceRequest(workflow="quiet", instance_id=f"{prefix}-{n}"),
                metadata=_md(key),
            )
            latencies.append(time.perf_counter() - started)

    await asyncio.gather(*(caller(n) for n in range(CALLERS)))
    return latencies


def _p99(values: list[float]) -> float:
    """The 99th percentile, nearest rank: of 100 values, the second largest."""
    ordered = sorted(values)
    return ordered[max(math.ceil(len(ordered) * 0.99) - 1, 0)]


def _report(alone: list[float], noisy: list[float], longest: float, what: str) -> float:
    added = _p99(noisy) - _p99(alone)
    print(
        f"\n{what}: A's create p99 alone {_p99(alone) * 1000:.1f} ms, with B "
        f"{_p99(noisy) * 1000:.1f} ms (added {added * 1000:.1f} ms); longest writer "
        f"transaction {longest * 1000:.1f} ms"
    )
    return added


def _lease_stayed_fresh(dev_server: DevServer) -> None:
    """No write was submitted while the server's partition leases could have lapsed, and it
    still owns every partition: its lease renewals kept their turn at the writer."""
    engine = dev_server.shard.engine
    assert engine.committer.late_refused == 0
    assert not engine.committer.late_committed
    assert engine.fence_refusals == 0
    assert len(engine.owned) == DEFAULT_PARTITIONS


async def test_a_noisy_accounts_heaviest_calls_add_a_bounded_delay_to_another_accounts_creates(
    dev_server: DevServer,
    client: Client,
    noisy: Keys,
    a_stub: fgrpc.WorkflowServiceStub,
) -> None:
    committer = dev_server.shard.engine.committer
    async with Worker(client, workflows=[quiet]):
        alone = await _create_latencies(a_stub, dev_server.api_key, "alone")
        b = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "tests.noisy_tenant",
            dev_server.address,
            noisy.client,
            noisy.worker,
            str(ROUNDS),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
        )
        assert b.stdin is not None and b.stdout is not None
        try:
            started = await asyncio.wait_for(b.stdout.readline(), 120)
            assert started == b"running\n"
            committer.longest_batch = 0.0
            with_b = await _create_latencies(a_stub, dev_server.api_key, "noisy")
            longest = committer.longest_batch
        finally:
            b.stdin.close()
            out, _ = await asyncio.wait_for(b.communicate(), 120)
        assert b.returncode == 0
        rounds = json.loads(out.decode().strip().splitlines()[-1])
        print(f"\nB's rounds: {rounds}")
        added = _report(alone, with_b, longest, "heaviest calls")
        assert added < ADDED_P99_SECONDS
        _lease_stayed_fresh(dev_server)
        for prefix in ("alone", "noisy"):
            for n in range(CREATES):
                handle = client.get_handle("quiet", f"{prefix}-{n}")
                assert await handle.result(timeout=60) == 1


async def test_forged_heartbeats_neither_stall_other_accounts_nor_let_the_servers_lease_go_stale(
    dev_server: DevServer,
    client: Client,
    noisy: Keys,
    a_stub: fgrpc.WorkflowServiceStub,
) -> None:
    # The defect seen: one heartbeat of 100,000 unknown tokens held the writer for 17-29 s.
    # As many forged tokens now arrive as heartbeats of the largest size, all at once; a
    # heartbeat is read, never written (shards/engine/heartbeats.py).
    committer = dev_server.shard.engine.committer
    register = wpb.RegisterWorkerRequest(worker_id="a", task_queue="q", workflows=["quiet"])
    async with grpc.aio.insecure_channel(dev_server.address) as channel:
        await wgrpc.WorkerServiceStub(channel).RegisterWorker(
            register, metadata=_md(dev_server.api_key)
        )
        alone = await _create_latencies(a_stub, dev_server.api_key, "alone", 40)
        stub = wgrpc.WorkerServiceStub(channel)
        requests = [
            wpb.HeartbeatTasksRequest(
                worker_id="b",
                task_tokens=[
                    wpb.TaskToken(
                        partition=secrets.randbelow(DEFAULT_PARTITIONS),
                        uid=secrets.token_hex(16),
                        lease=secrets.randbelow(2**62) + 1,
                    ).SerializeToString()
                    for _ in range(TOKENS_PER_CALL)
                ],
            )
            for _ in range(HEARTBEATS_AT_ONCE)
        ]
        committer.longest_batch = 0.0
        beats = [
            asyncio.ensure_future(stub.HeartbeatTasks(r, metadata=_md(noisy.worker)))
            for r in requests
        ]
        # A heartbeat is a read: B's tokens never wait for the writer, while A creates.
        lanes: set[str] = set()

        async def watch_writer() -> None:
            while not all(beat.done() for beat in beats):
                lanes.update(committer.waiting())
                await asyncio.sleep(0.001)

        watching = asyncio.ensure_future(watch_writer())
        with_b = await _create_latencies(a_stub, dev_server.api_key, "noisy", 40)
        longest = committer.longest_batch
        for beat in beats:
            assert len((await beat).lost_task_tokens) == TOKENS_PER_CALL
        await watching
        assert noisy.account_id not in lanes, lanes
    added = _report(alone, with_b, longest, f"{HEARTBEATS_AT_ONCE} forged heartbeats")
    assert added < ADDED_P99_SECONDS
    _lease_stayed_fresh(dev_server)
