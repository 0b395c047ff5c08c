"""Several shard servers on one PostgreSQL database: partition leases, hand-over, fencing and
gateway routing, with real gRPC servers in this process."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from typing import Any

import grpc
import pytest
import sqlalchemy as sa

from shards import schema
from shards.call_context import call_metadata
from shards.engine import NewInstance
from shards.errors import NotOwner
from shards.partitioning import partition_of
from stepway import InstanceStatus, Step, Worker, WorkflowEvent, workflow
from stepway.internal.v1 import internal_service_pb2 as ipb
from stepway.internal.v1 import internal_service_pb2_grpc as igrpc
from stepway.v1 import common_pb2 as cpb
from stepway.v1 import worker_service_pb2 as wpb
from stepway.v1 import worker_service_pb2_grpc as wgrpc
from tests.clusters import PARTITIONS, Cluster, account_id, cluster, start_gateway_of
from tests.helpers import eventually

__all__ = ["cluster"]  # the fixture, shared with other cluster tests


@workflow("hop")
async def hop(event: WorkflowEvent, step: Step) -> Any:
    a = await step.do("a", lambda n: n + 1, event.params)
    await step.sleep("nap", 0.05)
    return await step.do("b", lambda n: n * 2, a)


async def test_shard_servers_split_the_partitions_and_run_workflows_together(
    cluster: Cluster,
) -> None:
    await cluster.add_shard("a")
    assert cluster.owned() == {"a": PARTITIONS}
    await cluster.add_shard("b")
    await cluster.add_shard("c")
    split = await cluster.settled()
    assert sorted(split.values()) == [341, 341, 342]
    client = await start_gateway_of(cluster)
    try:
        async with Worker(client, workflows=[hop]):
            handles = [await client.create("hop", id=f"h{n}", params=n) for n in range(60)]
            results = [await h.result(timeout=30) for h in handles]
        assert results == [(n + 1) * 2 for n in range(60)]
        # A listing spans the partitions of every shard server, in pages.
        listed = [i.id async for i in client.list("hop", page_size=7)]
        assert sorted(listed) == sorted(f"h{n}" for n in range(60))
        summary = {w.name: w for w in await client.list_workflows()}
        assert summary["hop"].instances.get(InstanceStatus.COMPLETE) == 60
    finally:
        await client.close()
    # The instances lived on all three shards.
    account = account_id(cluster)
    homes = {
        member
        for n in range(60)
        for member, server in cluster.shards.items()
        if partition_of(account, "hop", f"h{n}", PARTITIONS) in server.engine.owned
    }
    assert homes == {"a", "b", "c"}
    epochs = _leases(cluster)
    assert all(owner in ("a", "b", "c") for owner, _ in epochs.values())


async def test_a_graceful_stop_hands_its_partitions_over_while_work_goes_on(
    cluster: Cluster,
) -> None:
    await cluster.add_shard("a")
    await cluster.add_shard("b")
    await cluster.settled()
    client = await start_gateway_of(cluster)
    try:
        async with Worker(client, workflows=[hop]):
            first = [await client.create("hop", id=f"g{n}", params=n) for n in range(30)]
            await cluster.stop_shard("b")
            assert await cluster.settled() == {"a": PARTITIONS}
            second = [await client.create("hop", id=f"k{n}", params=n) for n in range(30)]
            for h in first + second:
                await h.result(timeout=30)
    finally:
        await client.close()
    assert set(o for o, _ in _leases(cluster).values()) == {"a"}


async def test_a_write_for_a_partition_taken_over_is_refused_by_the_fence(
    cluster: Cluster,
) -> None:
    server = await cluster.add_shard("a")
    engine = server.engine
    account = account_id(cluster)
    client = await start_gateway_of(cluster)
    try:
        async with Worker(client, workflows=[hop]):
            pass
        await client.create("hop", id="fenced", params=1)
    finally:
        await client.close()
    partition = partition_of(account, "hop", "fenced", PARTITIONS)
    # Another server takes the partition over behind this one's back (its lease lapsed while
    # it stalled, say): a new owner and a new epoch in the lease table.
    L = schema.partition_leases
    with cluster.db.begin() as conn:
        conn.execute(
            L.update().where(L.c.partition == partition).values(owner="b", epoch=L.c.epoch + 1)
        )
    refusals = engine.fence_refusals
    with pytest.raises(NotOwner, match=f"does not own partition {partition} now .owned by b.") as e:
        await engine.send_event(account, "hop", "fenced", "late", b"1")
    assert e.value.owners == {partition: "b"}
    assert engine.fence_refusals == refusals + 1
    with cluster.db.connect() as conn:
        events = conn.execute(sa.select(sa.func.count()).select_from(schema.events)).scalar()
    assert events == 0
    # Writes for the partitions it still owns go on.
    other = next(p for p in engine.owned if p != partition)
    assert other in engine.owned


async def test_a_server_whose_leases_may_have_lapsed_writes_nothing(cluster: Cluster) -> None:
    server = await cluster.add_shard("a")
    engine = server.engine
    await server.membership.stop(release=False)  # no more renewals, as in a stall
    engine.partitions.valid_until = 0.0  # the local lease clock ran out
    account = account_id(cluster)
    engine.partitions.owned = {p: 1 for p in range(PARTITIONS)}  # it believes it owns them all
    with pytest.raises(NotOwner):
        await engine.create(account, "hop", "late", b"1")
    with cluster.db.connect() as conn:
        count = conn.execute(sa.select(sa.func.count()).select_from(schema.instances)).scalar()
    assert count == 0


async def test_the_leases_of_a_dead_member_are_taken_with_a_new_epoch(cluster: Cluster) -> None:
    M, L = schema.members, schema.partition_leases
    with cluster.db.begin() as conn:
        conn.execute(
            M.insert().values(id="dead", address="x:1", started_at=0, heartbeat_at=1, lease_until=2)
        )
        conn.execute(L.update().values(owner="dead", epoch=7))
    await cluster.add_shard("a")
    leases = _leases(cluster)
    assert {owner for owner, _ in leases.values()} == {"a"}
    assert {epoch for _, epoch in leases.values()} == {8}


async def test_a_live_owner_keeps_its_partitions_until_it_releases_them(cluster: Cluster) -> None:
    M, L = schema.members, schema.partition_leases
    far = 2**62
    with cluster.db.begin() as conn:
        conn.execute(
            M.insert().values(
                id="busy", address="x:1", started_at=0, heartbeat_at=far, lease_until=far
            )
        )
        conn.execute(L.update().values(owner="busy", epoch=3))
    server = await cluster.add_shard("a")
    assert server.engine.owned == {}  # assigned half, but held by a live member: not taken
    with cluster.db.begin() as conn:
        conn.execute(L.update().where(L.c.partition % 2 == 0).values(owner=None))
    await server.membership.tick()
    taken = set(server.engine.owned)
    assert taken and all(p % 2 == 0 for p in taken)
    assert {server.engine.owned[p] for p in taken} == {4}


def _leases(cluster: Cluster) -> dict[int, tuple[str | None, int]]:
    L = schema.partition_leases
    with cluster.db.connect() as conn:
        return {r.partition: (r.owner, r.epoch) for r in conn.execute(sa.select(L))}


async def test_cluster_status_lists_members_with_their_partitions_and_leases(
    cluster: Cluster,
) -> None:
    await cluster.add_shard("a")
    await cluster.add_shard("b")
    await cluster.settled()
    out = await asyncio.to_thread(_stepway, "cluster", "status", "--db", cluster.db_url)
    lines = out.splitlines()
    assert lines[0].split() == [
        "MEMBER", "ADDRESS", "STATE", "PARTITIONS", "HEARTBEAT", "LEASE", "LEFT", "HELD", "FOR"
    ]  # fmt: skip
    rows = {line.split()[0]: line.split() for line in lines[1:3]}
    assert rows["a"][2:4] == ["live", "512"] and rows["b"][2:4] == ["live", "512"]
    assert lines[-1] == "1024 partitions, 2 live member(s); 0 partition(s) without a live owner"
    await cluster.stop_shard("b")
    out = await asyncio.to_thread(_stepway, "cluster", "status", "--db", cluster.db_url)
    assert [line.split()[:4] for line in out.splitlines()[1:2]] == [
        ["a", cluster.shards["a"].membership.address, "live", "1024"]
    ]


def test_render_status_marks_expired_members_and_orphaned_partitions() -> None:
    from gateway.commands.cluster import render_status
    from shards.membership import MemberInfo

    now = 1_000_000_000
    members = [
        MemberInfo("live", "h:1", 0, now - 400_000, now + 9_600_000),
        MemberInfo("gone", "h:2", 0, now - 30_000_000, now - 20_000_000),
    ]
    leases = [(0, "live", 3, now - 600_000_000), (1, "gone", 2, 0), (2, None, 0, 0)]
    lines = render_status(3, members, leases, now).splitlines()
    assert lines[1].split() == ["live", "h:1", "live", "1", "0.4s", "ago", "9.6s", "10m"]
    assert lines[2].split() == ["gone", "h:2", "expired", "0", "30.0s", "ago", "-", "-"]
    assert lines[-1] == "3 partitions, 1 live member(s); 2 partition(s) without a live owner"


async def test_a_shard_started_with_another_partition_count_refuses_to_run(
    cluster: Cluster,
) -> None:
    proc = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "stepway", "shard", "--db", cluster.db_url, "--partitions", "512"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode != 0
    assert "this cluster has 1024 partitions" in proc.stderr
    assert "started with 512" in proc.stderr


def _stepway(*args: str) -> str:
    return subprocess.run(
        [sys.executable, "-m", "stepway", *args],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout


async def test_a_fanout_poll_ended_by_name_answers_at_once_and_loses_no_task(
    cluster: Cluster,
) -> None:
    """What a gateway does with the polls it sent to the other shard servers: it ends them by
    id, and each answers normally (not CANCELLED) with what it had claimed. An end that
    overtakes its poll still ends it."""
    server = await cluster.add_shard("a")
    account = account_id(cluster)
    metadata = call_metadata(cluster.secret, ipb.CallContext(account_id=account))
    async with grpc.aio.insecure_channel(f"127.0.0.1:{server.port}") as channel:
        workers = wgrpc.WorkerServiceStub(channel)
        internal = igrpc.InternalServiceStub(channel)
        await workers.RegisterWorker(
            wpb.RegisterWorkerRequest(worker_id="w", task_queue="q", workflows=["hop"]),
            metadata=metadata,
        )

        def poll(poll_id: str) -> Any:
            request = wpb.PollWorkflowTasksRequest(worker_id="w", task_queue="q", max_tasks=5)
            request.wait.FromSeconds(30)
            fanout = ipb.CallContext(account_id=account, fanout_poll_id=poll_id)
            return workers.PollWorkflowTasks(
                request, metadata=call_metadata(cluster.secret, fanout)
            )

        async def end(poll_id: str) -> None:
            await internal.EndPoll(ipb.EndPollRequest(poll_id=poll_id), metadata=metadata)

        parked = poll("p1")
        await eventually(
            lambda: asyncio.sleep(0, server.engine.workflow_tasks.open_polls.get("w", 0)),
            lambda n: n == 1,
            what="the poll parked on the shard server",
        )
        started = asyncio.get_running_loop().time()
        await end("p1")
        assert list((await parked).tasks) == []
        assert asyncio.get_running_loop().time() - started < 5

        await end("p2")  # the end arrives first
        assert list((await poll("p2")).tasks) == []

        await server.engine.create(account, "hop", "one", b"1")
        tasks = (await poll("p3")).tasks  # a poll with work answers as usual
        assert [t.instance_id for t in tasks] == ["one"]


async def test_a_batch_with_items_in_a_moved_partition_creates_the_others(
    cluster: Cluster,
) -> None:
    server = await cluster.add_shard("a")
    engine = server.engine
    account = account_id(cluster)
    client = await start_gateway_of(cluster)
    try:
        async with Worker(client, workflows=[hop]):
            pass  # registers the workflow
    finally:
        await client.close()
    ids = [f"b{n}" for n in range(20)]
    moved = partition_of(account, "hop", ids[3], PARTITIONS)
    L = schema.partition_leases
    with cluster.db.begin() as conn:
        conn.execute(
            L.update().where(L.c.partition == moved).values(owner="b", epoch=L.c.epoch + 1)
        )
    items = [NewInstance("hop", i, b"1") for i in ids]
    outcomes = await engine.create_many(account, items)
    refused = [i for i, o in zip(ids, outcomes, strict=True) if isinstance(o, NotOwner)]
    assert refused == [i for i in ids if partition_of(account, "hop", i, PARTITIONS) == moved]
    assert all(o[1] for o in outcomes if not isinstance(o, NotOwner))  # type: ignore[index]
    with cluster.db.connect() as conn:
        count = conn.execute(sa.select(sa.func.count()).select_from(schema.instances)).scalar()
    assert count == len(ids) - len(refused)


async def test_call_steps_on_every_shard_are_served_through_the_gateway(
    cluster: Cluster,
) -> None:
    for member in ("a", "b", "c"):
        await cluster.add_shard(member)
    await cluster.settled()
    client = await start_gateway_of(cluster)
    md = (("authorization", f"Bearer {cluster.key}"),)
    try:
        stub = client.workers
        await stub.RegisterWorker(
            wpb.RegisterWorkerRequest(worker_id="w", task_queue="q", workflows=["doc"]),
            metadata=md,
        )
        ids = {f"d{n}" for n in range(30)}
        for instance_id in sorted(ids):
            await client.create("doc", id=instance_id)

        async def poll_workflow_tasks() -> list[wpb.WorkflowTask]:
            poll = wpb.PollWorkflowTasksRequest(worker_id="w", task_queue="q", max_tasks=30)
            poll.wait.FromSeconds(5)
            return list((await stub.PollWorkflowTasks(poll, metadata=md)).tasks)

        scheduled: set[str] = set()
        while scheduled != ids:
            for task in await poll_workflow_tasks():
                await stub.ScheduleCall(
                    wpb.ScheduleCallRequest(
                        task_token=task.task_token,
                        name="render",
                        seq=1,
                        task_queue="pdf",
                        step_type="render",
                        input=cpb.Payload(data=f'"{task.instance_id}"'.encode()),
                    ),
                    metadata=md,
                )
                scheduled.add(task.instance_id)
        # Step polls fan out to every shard; each answers at most max_tasks, the rest go back.
        served: set[str] = set()
        while served != ids:
            poll = wpb.PollStepTasksRequest(worker_id="s", task_queue="pdf", max_tasks=4)
            poll.wait.FromSeconds(5)
            tasks = (await stub.PollStepTasks(poll, metadata=md)).tasks
            assert len(tasks) <= 4
            for task in tasks:
                assert task.instance_id not in served
                assert task.attempt == 1  # a task given back is the same attempt
                req = wpb.CompleteStepTaskRequest(task_token=task.task_token)
                req.result.data = task.input.data
                await stub.CompleteStepTask(req, metadata=md)
                served.add(task.instance_id)
        finished: set[str] = set()
        while finished != ids:
            for task in await poll_workflow_tasks():
                (entry,) = task.journal
                assert entry.result.data == f'"{task.instance_id}"'.encode()
                await stub.CompleteWorkflow(
                    wpb.CompleteWorkflowRequest(task_token=task.task_token), metadata=md
                )
                finished.add(task.instance_id)
    finally:
        await client.close()
