"""Database faults: the PostgreSQL server stops in the middle of a run and starts again.

The servers and the worker are never restarted: they must ride through the outage on their
own, lose no instance and run no recorded step again. The outage outlasts the partition leases
and the task leases, so the servers must take their partitions back (or hand them over) after
it. Each test runs a PostgreSQL server of its own (tests/pg_process.py): the machine's shared
server is never stopped.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import grpc
import pytest

from gateway.dev import DevConfig, start_dev
from stepway import Client, InstanceHandle, Worker
from stepway.v1 import workflow_service_pb2 as fpb
from tests.clusters import Cluster, open_cluster, start_gateway_of
from tests.fault_workflows import executions, fault
from tests.helpers import eventually, needs
from tests.pg_process import BIN, PostgresProcess

pytestmark = needs(BIN is not None, "no PostgreSQL binaries (initdb, pg_ctl) here")

# Ten seconds, far longer than the partition leases (2 s for the dev server, 3 s for the
# cluster) and the task leases (2 s): both lapse while the database is away.
OUTAGE_SECONDS = 10.0
INSTANCES = 16
# The steps of the `fault` workflow that run a body (its `nap` is a sleep).
BODIES = ("a", "b", "c")


@pytest.fixture
def postgres() -> Iterator[PostgresProcess]:
    """A PostgreSQL server of this test's own, running."""
    with tempfile.TemporaryDirectory(prefix="stepway-pg-") as root:
        server = PostgresProcess(Path(root))
        server.start()
        try:
            yield server
        finally:
            if server.running():
                server.stop("immediate")


@pytest.fixture
def step_log(tmp_path: Path) -> Iterator[str]:
    """Where the workflow code (tests/fault_workflows.py) counts its step executions."""
    path = str(tmp_path / "steps.log")
    os.environ["STEPWAY_TEST_LOG"] = path
    try:
        yield path
    finally:
        del os.environ["STEPWAY_TEST_LOG"]


async def _recorded(handles: list[InstanceHandle]) -> set[tuple[str, str]]:
    """(instance, step) of every step body whose result is recorded so far."""
    done: set[tuple[str, str]] = set()
    for h in handles:
        info = await h.describe()
        done |= {(h.id, s.name) for s in info.steps or () if s.state == "succeeded"}
    return {(i, step) for i, step in done if step in BODIES}


async def _create_through_outage(client: Client, instance_id: str) -> InstanceHandle:
    """Creates an instance while the database may be away: an answer other than UNAVAILABLE
    fails the test; UNAVAILABLE is retried, as its RetryInfo says a client may."""
    request = fpb.CreateInstanceRequest(workflow="fault", instance_id=instance_id)
    request.params.data = b'{"step_seconds": 0.05}'
    while True:
        try:
            await client.workflows.CreateInstance(request, metadata=client._metadata, timeout=30)
            return InstanceHandle(client, "fault", instance_id)
        except grpc.aio.AioRpcError as err:
            assert err.code() is grpc.StatusCode.UNAVAILABLE, (err.code(), err.details())
        await asyncio.sleep(0.2)


async def _run_through_outage(
    client: Client, postgres: PostgresProcess, step_log: str, stop_mode: str
) -> dict[tuple[str, str], int]:
    """Runs instances on a worker while PostgreSQL stops (`pg_ctl stop -m stop_mode`) and
    starts again; checks that every instance completes and that no step recorded before the
    outage ran again."""
    async with Worker(client, workflows=[fault]):
        # Sleeps from 0.2 to 12.2 s: some instances wake during the outage, some after it, and
        # steps of 0.2 s are in flight when the server stops.
        handles = [
            await client.create(
                "fault", id=f"i{n}", params={"sleep": 0.2 + n * 0.8, "step_seconds": 0.2}
            )
            for n in range(INSTANCES)
        ]
        await eventually(
            lambda: _recorded(handles),
            lambda done: all((h.id, "a") in done for h in handles),
            what="step a recorded by every instance",
        )
        before = await _recorded(handles)
        postgres.stop(stop_mode)
        stopped = time.monotonic()
        # Creations during the outage wait or answer UNAVAILABLE, never an error of their own.
        late = [asyncio.create_task(_create_through_outage(client, f"late{n}")) for n in range(4)]
        await asyncio.sleep(OUTAGE_SECONDS)  # the outage itself: nothing to wait for
        postgres.start()
        handles += await asyncio.gather(*late)
        results = [await h.result(timeout=60) for h in handles]
        recovered = time.monotonic() - stopped
    assert results == [["a-done", "b-done", "c-done"]] * len(handles)
    counts = executions(step_log)
    rerun = {key: counts[key] for key in before if counts[key] != 1}
    assert not rerun, f"steps recorded before the outage ran again: {rerun}"
    again = sum(n - 1 for n in counts.values())
    print(
        f"outage {OUTAGE_SECONDS} s ({stop_mode}): every instance complete {recovered:.1f} s "
        f"after the stop; step bodies run again (in flight at the stop): {again}"
    )
    return counts


async def test_dev_server_and_worker_ride_through_a_postgresql_restart(
    postgres: PostgresProcess, step_log: str
) -> None:
    server = await start_dev(
        DevConfig(db_url=postgres.url, listen="127.0.0.1:0", lease_timeout=2.0, partition_lease=2.0)
    )
    try:
        client = await Client.connect(server.address, api_key=server.api_key)
        try:
            # fast: PostgreSQL ends every session and shuts down cleanly.
            await _run_through_outage(client, postgres, step_log, "fast")
            assert len(server.shard.engine.owned) == server.config.partitions
        finally:
            await client.close()
    finally:
        await server.stop()


@pytest.fixture
async def restart_cluster(postgres: PostgresProcess) -> AsyncIterator[Cluster]:
    """Two shard servers and a gateway on the test's own PostgreSQL server."""
    async with open_cluster(postgres.url, migrate_first=True) as cluster:
        await cluster.add_shard("s1", lease_timeout=2.0)
        await cluster.add_shard("s2", lease_timeout=2.0)
        await cluster.settled()
        yield cluster


async def test_gateway_and_shards_ride_through_a_postgresql_restart(
    restart_cluster: Cluster, postgres: PostgresProcess, step_log: str
) -> None:
    client = await start_gateway_of(restart_cluster)
    try:
        # immediate: PostgreSQL stops as in a crash, and recovers from its WAL at the start.
        await _run_through_outage(client, postgres, step_log, "immediate")
        await restart_cluster.settled()
    finally:
        await client.close()
