"""Workers' polls on several shard servers, routed by the gateway's ready index (gateway.ready):
a poll asks only where tasks may be and parks at the gateway otherwise, and no task is lost,
stranded or handed out twice."""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from typing import Any

import pytest

from gateway.server import GatewayServer
from shards.partitioning import partition_of
from stepway import Client, Step, Worker, WorkflowEvent, workflow
from stepway.v1 import worker_service_pb2 as wpb
from tests.clusters import PARTITIONS, Cluster, account_id, cluster, start_gateway_of
from tests.helpers import eventually

__all__ = ["cluster"]

MD_KEY = "authorization"


async def three_shards_watched(cluster: Cluster) -> tuple[Client, GatewayServer]:
    """Three shard servers and a gateway whose ready streams to all three are open."""
    for member in ("a", "b", "c"):
        await cluster.add_shard(member)
    await cluster.settled()
    client = await start_gateway_of(cluster)
    gateway = cluster.gateways[-1]
    await gateway.router.refresh()
    await short_poll(client, cluster, "q")  # the first poll opens the streams
    await streams_up(gateway)
    return client, gateway


async def streams_up(gateway: GatewayServer) -> None:
    async def probe() -> list[bool]:
        return [gateway.polls.index.up(s.address) for s in gateway.router.all_shards()]

    await eventually(probe, lambda ups: len(ups) == 3 and all(ups), what="open ready streams")


def poll_of(task_queue: str, wait: float, max_tasks: int = 1) -> wpb.PollWorkflowTasksRequest:
    poll = wpb.PollWorkflowTasksRequest(worker_id="w", task_queue=task_queue, max_tasks=max_tasks)
    poll.wait.FromMilliseconds(int(wait * 1000))
    return poll


async def short_poll(client: Client, cluster: Cluster, task_queue: str) -> None:
    md = ((MD_KEY, f"Bearer {cluster.key}"),)
    await client.workers.PollWorkflowTasks(poll_of(task_queue, 0.05), metadata=md)


def id_on(cluster: Cluster, member: str, workflow_name: str, prefix: str) -> str:
    """An instance id whose partition the member owns."""
    account = account_id(cluster)
    owned = cluster.shards[member].engine.owned
    return next(
        f"{prefix}{n}"
        for n in range(100_000)
        if partition_of(account, workflow_name, f"{prefix}{n}", PARTITIONS) in owned
    )


@pytest.mark.alone
async def test_a_parked_poll_on_three_shards_gets_a_task_created_on_any_of_them_promptly(
    cluster: Cluster,
) -> None:
    client, gateway = await three_shards_watched(cluster)
    md = ((MD_KEY, f"Bearer {cluster.key}"),)
    try:
        await client.workers.RegisterWorker(
            wpb.RegisterWorkerRequest(worker_id="w", task_queue="q", workflows=["doc"]),
            metadata=md,
        )
        loop = asyncio.get_running_loop()
        for member in ("a", "b", "c"):
            instance_id = id_on(cluster, member, "doc", f"{member}-")
            poll = asyncio.ensure_future(
                client.workers.PollWorkflowTasks(poll_of("q", 30), metadata=md)
            )
            # The poll parks at the gateway: no shard has a task for it yet.
            await eventually(
                lambda: asyncio.sleep(0, gateway.polls.index.parked()),
                lambda parked: parked == 1,
                what="a parked poll",
            )
            started = loop.time()
            await client.create("doc", id=instance_id)
            answer = await asyncio.wait_for(poll, 5)
            assert [t.instance_id for t in answer.tasks] == [instance_id]
            assert loop.time() - started < 2.0
        assert gateway.polls.index.notices >= 3
    finally:
        await client.close()


runs: Counter[str] = Counter()
runs_lock = threading.Lock()


def count_run(instance_id: str) -> str:
    with runs_lock:
        runs[instance_id] += 1
    return instance_id


@workflow("once")
async def once(event: WorkflowEvent, step: Step) -> Any:
    return await step.do("count", count_run, event.instance_id)


async def test_many_workers_on_three_shards_run_every_instance_exactly_once(
    cluster: Cluster,
) -> None:
    client, gateway = await three_shards_watched(cluster)
    runs.clear()
    ids = [f"o{n}" for n in range(240)]
    try:
        workers = [Worker(client, workflows=[once], max_concurrent=8) for _ in range(6)]
        for w in workers:
            await w.__aenter__()
        try:
            handles = await asyncio.gather(*(client.create("once", id=i) for i in ids))
            results = await asyncio.gather(*(h.result(timeout=60) for h in handles))
        finally:
            for w in workers:
                await w.__aexit__(None, None, None)
        assert results == ids
        assert runs == Counter(dict.fromkeys(ids, 1))
        assert all(gateway.polls.index.up(s.address) for s in gateway.router.all_shards())
    finally:
        await client.close()


async def test_a_restarted_shard_server_is_watched_again_and_its_queued_tasks_are_handed_out(
    cluster: Cluster,
) -> None:
    client, gateway = await three_shards_watched(cluster)
    md = ((MD_KEY, f"Bearer {cluster.key}"),)
    try:
        await client.workers.RegisterWorker(
            wpb.RegisterWorkerRequest(worker_id="w", task_queue="q", workflows=["doc"]),
            metadata=md,
        )
        # Tasks queued on every shard with no worker polling, then shard c stops (its stream
        # breaks) and starts again (on another port: the old one lingers in TIME_WAIT).
        ids = {id_on(cluster, m, "doc", f"{m}{n}-") for m in ("a", "b", "c") for n in range(5)}
        for instance_id in sorted(ids):
            await client.create("doc", id=instance_id)
        await cluster.stop_shard("c")
        await cluster.add_shard("c")
        await cluster.settled()
        await gateway.router.refresh(force=True)
        await short_poll(client, cluster, "other")  # a poll watches the shards it finds
        await streams_up(gateway)
        served: list[str] = []
        while set(served) != ids:
            answer = await client.workers.PollWorkflowTasks(poll_of("q", 10, 8), metadata=md)
            served.extend(t.instance_id for t in answer.tasks)
        assert sorted(served) == sorted(ids)  # none handed out twice
        # A task created on the restarted shard reaches a poll parked at the gateway.
        instance_id = id_on(cluster, "c", "doc", "late-")
        poll = asyncio.ensure_future(
            client.workers.PollWorkflowTasks(poll_of("q", 30), metadata=md)
        )
        await eventually(
            lambda: asyncio.sleep(0, gateway.polls.index.parked()),
            lambda parked: parked == 1,
            what="a parked poll",
        )
        await client.create("doc", id=instance_id)
        answer = await asyncio.wait_for(poll, 10)
        assert [t.instance_id for t in answer.tasks] == [instance_id]
    finally:
        await client.close()


@pytest.mark.alone
async def test_a_worker_whose_poll_parked_at_the_gateway_is_cancelled_gives_its_tasks_back(
    cluster: Cluster,
) -> None:
    for member in ("a", "b", "c"):
        await cluster.add_shard(member, lease_timeout=120.0)
    await cluster.settled()
    client = await start_gateway_of(cluster)
    gateway = cluster.gateways[-1]
    md = ((MD_KEY, f"Bearer {cluster.key}"),)
    try:
        await short_poll(client, cluster, "q")
        await streams_up(gateway)
        await client.workers.RegisterWorker(
            wpb.RegisterWorkerRequest(worker_id="w1", task_queue="q", workflows=["doc"]),
            metadata=md,
        )
        instance_id = id_on(cluster, "b", "doc", "held-")
        await client.create("doc", id=instance_id)
        taken: list[str] = []
        while not taken:
            poll = poll_of("q", 10)
            poll.worker_id = "w1"
            answer = await client.workers.PollWorkflowTasks(poll, metadata=md)
            taken = [t.instance_id for t in answer.tasks]
        assert taken == [instance_id]
        # w1 holds the task (its lease is 120 s) and parks its next poll at the gateway.
        poll = poll_of("q", 30)
        poll.worker_id = "w1"
        parked = client.workers.PollWorkflowTasks(poll, metadata=md)
        await eventually(
            lambda: asyncio.sleep(0, gateway.polls.index.parked()),
            lambda n: n == 1,
            what="w1's parked poll",
        )
        parked.cancel()
        # w1's last poll is gone: its task goes to another worker long before its lease ends.

        async def poll_as_w2() -> list[str]:
            while True:
                poll = poll_of("q", 10)
                poll.worker_id = "w2"
                answer = await client.workers.PollWorkflowTasks(poll, metadata=md)
                if answer.tasks:
                    return [t.instance_id for t in answer.tasks]

        assert await asyncio.wait_for(poll_as_w2(), 60) == [instance_id]
    finally:
        await client.close()
