"""Child workflows between two shard servers (in-process, on PostgreSQL): a parent on one
server starts children on the other, which its relay reaches through
InternalService.DeliverChildMessages; the children's ends come back the same way, and the
parent's end terminates the child it takes with it."""

from __future__ import annotations

from typing import Any

from shards.partitioning import partition_of
from stepway import InstanceStatus, Step, Worker, WorkflowEvent, workflow
from tests.clusters import PARTITIONS, Cluster, account_id, cluster, start_gateway_of
from tests.helpers import eventually

__all__ = ["cluster"]


@workflow("far_kid")
async def far_kid(event: WorkflowEvent, step: Step) -> Any:
    if event.params == "wait":
        await step.wait_for_event("never", type="never", timeout=3600)
    return {"got": event.params}


@workflow("far_mom")
async def far_mom(event: WorkflowEvent, step: Step) -> Any:
    p = event.params
    await step.start_workflow("far_kid", "wait", id=p["waiting"], parent_close="terminate")
    return await step.run_workflow("far_kid", 5, id=p["kid"])


def _pick(account: str, workflow: str, prefix: str, partitions: set[int]) -> str:
    return next(
        f"{prefix}{n}"
        for n in range(100_000)
        if partition_of(account, workflow, f"{prefix}{n}", PARTITIONS) in partitions
    )


async def test_children_on_another_shard_server_start_end_and_are_terminated_through_it(
    cluster: Cluster,
) -> None:
    a = await cluster.add_shard("a")
    b = await cluster.add_shard("b")
    await cluster.settled()
    account = account_id(cluster)
    mine, theirs = set(a.engine.owned), set(b.engine.owned)
    parent_id = _pick(account, "far_mom", "mom", mine)
    kid, waiting = _pick(account, "far_kid", "kid", theirs), _pick(account, "far_kid", "w", theirs)
    client = await start_gateway_of(cluster)
    try:
        async with Worker(client, workflows=[far_kid, far_mom]):
            handle = await client.create(
                "far_mom", id=parent_id, params={"kid": kid, "waiting": waiting}
            )
            assert await handle.result(timeout=30) == {"got": 5}
            child = client.get_handle("far_kid", waiting)
            await eventually(
                child.status,
                lambda i: i.status is InstanceStatus.TERMINATED,
                what="the waiting child terminated with its parent",
            )
            # Both servers' relays delivered across: a's the starts and the terminate, b's the
            # end (each counted once its answer is settled).

            async def delivered() -> tuple[int, int]:
                return a.engine.children.delivered, b.engine.children.delivered

            await eventually(delivered, lambda d: d[0] >= 3 and d[1] >= 1, what="deliveries")
    finally:
        await client.close()
