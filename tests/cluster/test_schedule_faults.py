"""Schedules on a cluster of separate processes on PostgreSQL (a gateway, three shard servers)
while a shard server is killed (SIGKILL) during fires: every schedule's instances are one per
second, with no second missing and none doubled, across the kill and the takeover of the killed
server's partitions (well within the catch-up window)."""

from __future__ import annotations

import asyncio
import signal
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import grpc
import pytest
import sqlalchemy as sa

from shards import schema
from shards.db import create_engine
from stepway.v1 import schedule_service_pb2 as spb
from stepway.v1 import schedule_service_pb2_grpc as sgrpc
from tests.cluster.test_cluster_faults import Cluster, _keys_create, _owned_by, _query
from tests.helpers import eventually

SCHEDULES = 12
S = 1_000_000


@pytest.fixture
def cluster(pg_url: str, tmp_path: Path) -> Iterator[Cluster]:
    c = Cluster(pg_url, tmp_path)
    try:
        yield c
    finally:
        c.stop_all()


def _second(instance_id: str) -> int:
    stamp = instance_id.rsplit("-", 1)[1]
    return int(datetime.strptime(stamp, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC).timestamp())


async def test_a_shard_server_killed_during_fires_loses_and_doubles_no_fire(
    cluster: Cluster, pg_url: str
) -> None:
    db = create_engine(pg_url)
    key = await asyncio.to_thread(_keys_create, cluster.url)
    for name in ("s1", "s2", "s3"):
        await asyncio.to_thread(cluster.shard, name)
    gateway = await asyncio.to_thread(cluster.gateway)
    md = (("authorization", f"Bearer {key}"),)
    ids = [f"every-second-{n}" for n in range(SCHEDULES)]
    try:
        async with grpc.aio.insecure_channel(f"127.0.0.1:{gateway.port}") as channel:
            stub = sgrpc.ScheduleServiceStub(channel)

            async def fired() -> dict[str, int]:
                got = {}
                for sid in ids:
                    resp = await stub.GetSchedule(
                        spb.GetScheduleRequest(schedule_id=sid), metadata=md
                    )
                    got[sid] = resp.schedule.fired
                return got

            for sid in ids:
                request = spb.CreateScheduleRequest(
                    schedule_id=sid,
                    action=spb.ScheduleAction(workflow="tick", task_queue="nobody"),
                    policy=spb.SchedulePolicy(overlap=spb.OVERLAP_POLICY_ALLOW_ALL),
                )
                request.spec.interval.every.FromSeconds(1)
                await stub.CreateSchedule(request, metadata=md)
            await eventually(fired, lambda f: min(f.values()) >= 3, timeout=60, what="fires")

            held = await _owned_by(db, "s2")
            assert held, "s2 held no partitions"
            cluster.procs["s2"].popen.send_signal(signal.SIGKILL)
            before = await fired()
            await eventually(
                lambda: _owned_by(db, "s2"),
                lambda owned: not owned,
                timeout=60,
                interval=0.1,
                what="the killed server's partitions taken over",
            )
            await eventually(
                fired,
                lambda f: all(f[s] >= before[s] + 4 for s in ids),
                timeout=60,
                what="fires after the takeover",
            )
            for sid in ids:
                await stub.PauseSchedule(spb.PauseScheduleRequest(schedule_id=sid), metadata=md)
            final = {}
            for sid in ids:
                resp = await stub.GetSchedule(spb.GetScheduleRequest(schedule_id=sid), metadata=md)
                final[sid] = resp.schedule
    finally:
        inst = schema.instances
        rows = await asyncio.to_thread(
            _query, db, sa.select(inst.c.instance_id).where(inst.c.workflow == "tick")
        )
        db.dispose()

    made = Counter(r.instance_id for r in rows)
    assert set(made.values()) == {1}  # none doubled
    for sid in ids:
        seconds = sorted(_second(i) for i in made if i.rsplit("-", 1)[0] == sid)
        # One instance per second from the first fire to the last: no second lost.
        assert seconds == list(range(seconds[0], seconds[-1] + 1)), sid
        assert final[sid].missed == 0, sid
        assert final[sid].fired == len(seconds), sid
