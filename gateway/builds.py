"""ListWorkflowBuilds and MoveWorkflowBuild: sent to every shard server at once, each of which
counts or moves the instances of the partitions it owns; the answers are added up."""

from __future__ import annotations

import asyncio
from typing import Any

from gateway.forwarding import Context, Forwarder, workflow_method
from gateway.routing import ShardStubs
from shards.accounts import Principal
from stepway.v1 import workflow_service_pb2 as fpb


async def _every_shard(
    forward: Forwarder, method: str, request: Any, principal: Principal, context: Context
) -> list[Any]:
    async def ask(shard: ShardStubs) -> Any:
        return await forward.call(
            lambda: shard, workflow_method(method), request, principal, context, timeout=120.0
        )

    return list(await asyncio.gather(*(ask(s) for s in forward.router.all_shards())))


async def list_builds(
    forward: Forwarder,
    principal: Principal,
    request: fpb.ListWorkflowBuildsRequest,
    context: Context,
) -> fpb.ListWorkflowBuildsResponse:
    """Every shard server's counts of the workflow's builds, added up build by build, in the
    order the shards answer them (newest first, unassigned last)."""
    answers: list[fpb.ListWorkflowBuildsResponse] = await _every_shard(
        forward, "ListWorkflowBuilds", request, principal, context
    )
    merged: dict[tuple[str, bool], fpb.WorkflowBuild] = {}
    counts: dict[tuple[str, bool], dict[int, int]] = {}
    for answer in answers:
        for build in answer.builds:
            key = (build.build_id, build.unassigned)
            if key not in merged:
                merged[key] = fpb.WorkflowBuild()
                merged[key].CopyFrom(build)
                del merged[key].instances[:]
                merged[key].blocked = 0
                counts[key] = {}
            merged[key].blocked += build.blocked
            merged[key].polling = merged[key].polling or build.polling
            for count in build.instances:
                counts[key][count.status] = counts[key].get(count.status, 0) + count.count
    # Registered builds first (as every shard orders them), then builds only instances are on,
    # then the unassigned instances.
    order = sorted(
        merged,
        key=lambda k: (k[1], not merged[k].HasField("first_registered_at"), _rank(answers, k)),
    )
    response = fpb.ListWorkflowBuildsResponse()
    for key in order:
        build = response.builds.add()
        build.CopyFrom(merged[key])
        for status in sorted(counts[key]):
            build.instances.add(status=status, count=counts[key][status])
    return response


def _rank(answers: list[fpb.ListWorkflowBuildsResponse], key: tuple[str, bool]) -> int:
    for answer in answers:
        for n, build in enumerate(answer.builds):
            if (build.build_id, build.unassigned) == key:
                return n
    return 0


async def move_build(
    forward: Forwarder,
    principal: Principal,
    request: fpb.MoveWorkflowBuildRequest,
    context: Context,
) -> fpb.MoveWorkflowBuildResponse:
    """Every shard server moves the instances of its partitions; the counts are added up."""
    answers: list[fpb.MoveWorkflowBuildResponse] = await _every_shard(
        forward, "MoveWorkflowBuild", request, principal, context
    )
    return fpb.MoveWorkflowBuildResponse(moved=sum(a.moved for a in answers))
