"""A batch of creations spread over several shard servers answers each item with its index in
the caller's batch: the gateway checks only what routes an item, and the shard's errors, which
name the item's index in the part it received, are re-indexed. Deletes by ids are split the same
way, and a delete by filter reaches every shard server."""

from __future__ import annotations

from google.rpc import error_details_pb2

from gateway.batches import reindexed
from shards.errors import InvalidArgument, WorkflowNotFound
from shards.partitioning import partition_of
from shards.rpc import error_status
from stepway import InvalidFieldError
from stepway.errors import from_status
from stepway.v1 import common_pb2 as cpb
from stepway.v1 import workflow_service_pb2 as fpb
from tests.clusters import PARTITIONS, Cluster, account_id, cluster, start_gateway_of

__all__ = ["cluster"]  # the fixture


def _details(status: object) -> tuple[dict[str, str], list[str]]:
    info, bad = error_details_pb2.ErrorInfo(), error_details_pb2.BadRequest()
    for detail in status.details:  # type: ignore[attr-defined]
        if detail.Is(info.DESCRIPTOR):
            detail.Unpack(info)
        elif detail.Is(bad.DESCRIPTOR):
            detail.Unpack(bad)
    return dict(info.metadata), [v.field for v in bad.field_violations]


def test_reindexing_names_the_field_at_the_index_in_the_whole_batch() -> None:
    shard = error_status(InvalidArgument("instances[2].params", "is not JSON"))
    whole = reindexed(shard, 2, 41)
    assert whole.message == "instances[41].params: is not JSON"
    assert _details(whole) == ({"field": "instances[41].params"}, ["instances[41].params"])
    assert whole.code == shard.code
    # The shard's answer is left as it was.
    assert _details(shard) == ({"field": "instances[2].params"}, ["instances[2].params"])
    # An error naming no field of the item is unchanged.
    other = error_status(WorkflowNotFound("w"))
    assert reindexed(other, 2, 41) == other


async def test_a_bad_item_far_into_a_batch_over_two_shards_names_its_index_in_the_batch(
    cluster: Cluster,
) -> None:
    await cluster.add_shard("a")
    await cluster.add_shard("b")
    await cluster.settled()
    client = await start_gateway_of(cluster)
    try:
        ids = [f"i{n}" for n in range(60)]
        bad = 57
        request = fpb.CreateInstancesRequest(workflow="w", task_queue="q")
        for n, instance_id in enumerate(ids):
            data = b"{not json" if n == bad else b'{"n": %d}' % n
            request.instances.add(instance_id=instance_id, params=cpb.Payload(data=data))
        resp = await client.call(client.workflows.CreateInstances, request)
    finally:
        await client.close()
    # The items went to both shard servers, so the bad one sat at another index in its part.
    account = account_id(cluster)
    homes = {
        member
        for member, server in cluster.shards.items()
        for instance_id in ids
        if partition_of(account, "w", instance_id, PARTITIONS) in server.engine.owned
    }
    assert homes == {"a", "b"}
    error = resp.results[bad].error
    assert error.message.startswith(f"instances[{bad}].params: ")
    field = f"instances[{bad}].params"
    assert _details(error) == ({"field": field}, [field])
    typed = from_status(error)
    assert isinstance(typed, InvalidFieldError) and typed.field == field
    created = [n for n, r in enumerate(resp.results) if r.HasField("instance")]
    assert created == [n for n in range(60) if n != bad]
    assert all(resp.results[n].instance.created for n in created)


async def test_deletes_over_two_shards_answer_each_id_in_place_and_a_filter_reaches_both(
    cluster: Cluster,
) -> None:
    await cluster.add_shard("a")
    await cluster.add_shard("b")
    await cluster.settled()
    client = await start_gateway_of(cluster)
    try:
        ids = [f"d{n}" for n in range(60)]
        create = fpb.CreateInstancesRequest(workflow="w", task_queue="q")
        for instance_id in ids:
            create.instances.add(instance_id=instance_id)
        await client.call(client.workflows.CreateInstances, create)
        # d0..d49 finished (terminated), d50..d59 still queued.
        for instance_id in ids[:50]:
            await client.call(
                client.workflows.TerminateInstance,
                fpb.TerminateInstanceRequest(workflow="w", instance_id=instance_id),
            )
        by_ids = fpb.DeleteInstancesRequest(
            instances=[fpb.DeleteInstanceRequest(workflow="w", instance_id=i) for i in ids[:20]]
        )
        by_ids.instances.add(workflow="w", instance_id="d55")  # unfinished
        by_ids.instances.add(workflow="w", instance_id="bad id")
        resp = await client.call(client.workflows.DeleteInstances, by_ids)
        assert resp.deleted == 20
        assert [r.WhichOneof("result") for r in resp.results] == ["deleted"] * 20 + ["error"] * 2
        unfinished, bad = (from_status(r.error) for r in resp.results[20:])
        assert unfinished.reason == "INSTANCE_STATE", unfinished
        assert isinstance(bad, InvalidFieldError) and bad.field == "instances[21].instance_id"

        # The other 30 finished ones, on both shard servers, 12 a call.
        calls = []
        while True:
            step = await client.call(
                client.workflows.DeleteInstances,
                fpb.DeleteInstancesRequest(filter=fpb.DeleteFilter(workflow="w"), limit=12),
            )
            calls.append(step.deleted)
            if not step.more:
                break
        assert sum(calls) == 30 and max(calls) <= 12
        left = await client.call(
            client.workflows.ListInstances, fpb.ListInstancesRequest(workflow="w")
        )
        assert sorted(i.instance_id for i in left.instances) == ids[50:]
    finally:
        await client.close()
    account = account_id(cluster)
    homes = {
        member
        for member, server in cluster.shards.items()
        for instance_id in ids[20:50]
        if partition_of(account, "w", instance_id, PARTITIONS) in server.engine.owned
    }
    assert homes == {"a", "b"}
