"""Batches split by owning shard: CreateInstances, DeleteInstances and RecordBatch.

The gateway checks only what it needs to route each item (with the item's index in the whole
batch), sends a part per owning shard server at once through the one forwarding path
(gateway.forwarding), and merges the results in the batch's order. A shard checks the rest of
each item; its errors name the item's index in the part it received, which the gateway turns
into the index in the whole batch (reindexed). Items a shard refused because their partition
moved go again to the new owner. Creations a shard refused as bad input are given back to the
account's creation rate.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import TypeVar

import grpc
from google.rpc import error_details_pb2, status_pb2

from gateway.forwarding import Context, Forwarder, workflow_method
from gateway.limits import GatewayLimits
from gateway.routing import ShardStubs
from shards.accounts import Principal
from shards.errors import InvalidArgument, NotOwner, QuotaExceeded, StepwayError
from shards.limits import check_request
from shards.partitioning import partition_of
from shards.requests import (
    check_batch_size,
    check_delete_filter,
    check_delete_item,
    check_item_key,
    deletes_by_ids,
)
from shards.rpc import command_error, error_status, is_not_owner, is_not_owner_status
from shards.tokens import partition_of_token
from stepway.v1 import worker_service_pb2 as wpb
from stepway.v1 import workflow_service_pb2 as fpb

P = TypeVar("P")


async def create_instances(
    forward: Forwarder,
    limits: GatewayLimits,
    principal: Principal,
    request: fpb.CreateInstancesRequest,
    context: Context,
) -> fpb.CreateInstancesResponse:
    """Splits the batch by owning shard, forwards the parts at once, and merges the results;
    items a shard refused because their partition moved are sent again to the new owner."""
    router = forward.router
    check_batch_size(len(request.instances))
    results: list[fpb.CreateInstanceResult | None] = [None] * len(request.instances)
    partitions: dict[int, int] = {}
    for n, item in enumerate(request.instances):
        if not item.workflow:
            item.workflow = request.workflow
        if not item.task_queue:
            item.task_queue = request.task_queue
        if not item.instance_id:
            item.instance_id = uuid.uuid4().hex
        try:
            # What routing needs; the shard checks the rest of the item.
            check_item_key(item, request.workflow, f"instances[{n}].")
        except StepwayError as exc:
            results[n] = fpb.CreateInstanceResult(error=error_status(exc))
            continue
        partitions[n] = partition_of(
            principal.account_id, item.workflow, item.instance_id, router.partitions
        )
    _admit(limits, principal, partitions, results)
    charged = list(partitions)

    async def send(shard: ShardStubs, positions: list[int]) -> list[int]:
        part = fpb.CreateInstancesRequest(instances=[request.instances[n] for n in positions])
        resp = await _part(
            shard.workflows.CreateInstances(
                part, metadata=forward.metadata(principal), timeout=120.0
            ),
            lambda: fpb.CreateInstancesResponse(
                results=[fpb.CreateInstanceResult(error=error_status(NotOwner(set())))]
                * len(positions)
            ),
        )
        for k, (n, result) in enumerate(zip(positions, resp.results, strict=True)):
            if result.HasField("error"):
                result = fpb.CreateInstanceResult(error=reindexed(result.error, k, n))
            results[n] = result
        return [n for n in positions if _moved_item(results[n])]

    await forward.spread(
        list(partitions), lambda n: router.for_partition(partitions[n]), send, context
    )
    refused = sum(1 for n in charged if _bad_item(results[n]))
    if refused:
        limits.refund(principal.account_id, refused)
    return fpb.CreateInstancesResponse(results=[r for r in results if r is not None])


async def delete_instances(
    forward: Forwarder,
    principal: Principal,
    request: fpb.DeleteInstancesRequest,
    context: Context,
) -> fpb.DeleteInstancesResponse:
    """By ids: splits the items by owning shard, forwards the parts at once, and merges the
    results; items a shard refused because their partition moved are sent again. By filter:
    asks every shard server in turn (each deletes in the partitions it owns) for what is left
    of the limit."""
    router = forward.router
    if not deletes_by_ids(request):
        return await _delete_where(forward, principal, request, context)
    results: list[fpb.DeleteInstanceResult | None] = [None] * len(request.instances)
    partitions: dict[int, int] = {}
    for n, item in enumerate(request.instances):
        try:
            check_delete_item(item, n)
        except StepwayError as exc:
            results[n] = fpb.DeleteInstanceResult(error=error_status(exc))
            continue
        partitions[n] = partition_of(
            principal.account_id, item.workflow, item.instance_id, router.partitions
        )

    async def send(shard: ShardStubs, positions: list[int]) -> list[int]:
        part = fpb.DeleteInstancesRequest(instances=[request.instances[n] for n in positions])
        resp = await _part(
            shard.workflows.DeleteInstances(
                part, metadata=forward.metadata(principal), timeout=120.0
            ),
            lambda: fpb.DeleteInstancesResponse(
                results=[fpb.DeleteInstanceResult(error=error_status(NotOwner(set())))]
                * len(positions)
            ),
        )
        for k, (n, result) in enumerate(zip(positions, resp.results, strict=True)):
            if result.HasField("error"):
                result = fpb.DeleteInstanceResult(error=reindexed(result.error, k, n))
            results[n] = result
        return [n for n in positions if _moved_item(results[n])]

    await forward.spread(
        list(partitions), lambda n: router.for_partition(partitions[n]), send, context
    )
    done = [r for r in results if r is not None]
    return fpb.DeleteInstancesResponse(
        results=done, deleted=sum(1 for r in done if r.WhichOneof("result") == "deleted")
    )


async def _delete_where(
    forward: Forwarder,
    principal: Principal,
    request: fpb.DeleteInstancesRequest,
    context: Context,
) -> fpb.DeleteInstancesResponse:
    """DeleteInstances by filter: every shard server in turn, each with what is left of the
    limit; more when one says more remain or the limit ran out before the last."""
    limit = check_delete_filter(request).limit
    answer = fpb.DeleteInstancesResponse()

    async def ask(shard: ShardStubs) -> fpb.DeleteInstancesResponse:
        part = fpb.DeleteInstancesRequest(filter=request.filter, limit=limit - answer.deleted)
        resp: fpb.DeleteInstancesResponse = await forward.call(
            lambda: shard,
            workflow_method("DeleteInstances"),
            part,
            principal,
            context,
            timeout=120.0,
        )
        return resp

    for shard in forward.router.all_shards():
        if answer.deleted >= limit:
            answer.more = True
            break
        resp = await ask(shard)
        answer.deleted += resp.deleted
        answer.more = answer.more or resp.more
    return answer


def reindexed(status: status_pb2.Status, part_index: int, batch_index: int) -> status_pb2.Status:
    """A shard's error for the item at part_index of the part it received, naming the item's
    field at its index in the caller's batch instead (`instances[k].params` becomes
    `instances[n].params`): in the message, the ErrorInfo metadata and the BadRequest field
    violations. Errors that name no field of the item come back unchanged."""
    before, after = f"instances[{part_index}].", f"instances[{batch_index}]."

    def moved(text: str) -> str:
        return after + text.removeprefix(before) if text.startswith(before) else text

    status = status_pb2.Status(
        code=status.code, message=moved(status.message), details=status.details
    )
    for detail in status.details:
        if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
            info = error_details_pb2.ErrorInfo()
            detail.Unpack(info)
            if "field" in info.metadata:
                info.metadata["field"] = moved(info.metadata["field"])
            detail.Pack(info)
        elif detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
            bad = error_details_pb2.BadRequest()
            detail.Unpack(bad)
            for violation in bad.field_violations:
                violation.field = moved(violation.field)
            detail.Pack(bad)
    return status


def _admit(
    limits: GatewayLimits,
    principal: Principal,
    partitions: dict[int, int],
    results: list[fpb.CreateInstanceResult | None],
) -> None:
    """Takes the batch's valid items out of the account's creation rate; the items past
    what it admits now are answered RESOURCE_EXHAUSTED (with RetryInfo) and not sent."""
    valid = list(partitions)
    try:
        admitted = limits.creations(principal.account_id, len(valid)) if valid else 0
        refusal: QuotaExceeded | None = None
    except QuotaExceeded as exc:
        admitted, refusal = 0, exc
    for n in valid[admitted:]:
        if refusal is None:
            limit = limits.quotas.known(principal.account_id)[0].creations_per_second
            rate = limit / limits.gateways
            refusal = QuotaExceeded("creations_per_second", limit, 1.0 / max(rate, 1.0))
        results[n] = fpb.CreateInstanceResult(error=error_status(refusal))
        del partitions[n]


def _moved_item(result: fpb.CreateInstanceResult | fpb.DeleteInstanceResult | None) -> bool:
    return result is not None and result.HasField("error") and is_not_owner_status(result.error)


def _bad_item(result: fpb.CreateInstanceResult | None) -> bool:
    """True for an item the shard refused as bad input: not charged to the creation rate."""
    return (
        result is not None
        and result.HasField("error")
        and result.error.code == grpc.StatusCode.INVALID_ARGUMENT.value[0]
    )


async def record_batch(
    forward: Forwarder,
    principal: Principal,
    request: wpb.RecordBatchRequest,
    context: Context,
) -> wpb.RecordBatchResponse:
    """Splits the commands by the owner of their task's partition, forwards the parts at once,
    and merges the results; commands refused because their partition moved go again."""
    router = forward.router
    results: list[wpb.CommandResult | None] = [None] * len(request.commands)
    partitions: dict[int, int] = {}
    for n, command in enumerate(request.commands):
        kind = command.WhichOneof("command")
        try:
            if kind is None:
                raise InvalidArgument("command", "is empty")
            # Each write is bounded as its single call is (the interceptor counted them).
            check_request(getattr(command, kind))
            token = getattr(command, kind).task_token
            partitions[n] = partition_of_token(token, router.partitions)
        except StepwayError as exc:
            results[n] = command_error(exc)

    async def send(shard: ShardStubs, positions: list[int]) -> list[int]:
        part = wpb.RecordBatchRequest(commands=[request.commands[n] for n in positions])
        resp = await _part(
            shard.workers.RecordBatch(part, metadata=forward.metadata(principal), timeout=30.0),
            lambda: wpb.RecordBatchResponse(
                results=[command_error(NotOwner(set()))] * len(positions)
            ),
        )
        for n, result in zip(positions, resp.results, strict=True):
            results[n] = result
        return [n for n in positions if _moved_command(results[n])]

    await forward.spread(
        list(partitions), lambda n: router.for_partition(partitions[n]), send, context
    )
    return wpb.RecordBatchResponse(results=[r for r in results if r is not None])


def _moved_command(result: wpb.CommandResult | None) -> bool:
    return (
        result is not None
        and result.WhichOneof("result") == "error"
        and is_not_owner_status(result.error)
    )


async def _part(answer: Awaitable[P], moved: Callable[[], P]) -> P:
    """A part's answer; when the shard refused the whole part because it no longer owns its
    partitions, the answer of a part whose every item moved (each is routed again)."""
    try:
        return await answer
    except grpc.aio.AioRpcError as err:
        if not is_not_owner(err):
            raise
        return moved()
