"""The shard server's WorkflowService: what clients call, as a gateway forwards it.

Requests arrive from a gateway, which has authenticated the caller and names its account in the
call's CallContext (shards.call_context). Each handler checks its fields, calls the engine and
converts the answer; errors are StepwayErrors, mapped to gRPC statuses by
shards.rpc.ErrorInterceptor.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import grpc

from shards import pages
from shards import validation as v
from shards.call_context import FromGateway
from shards.clock import set_time
from shards.convert import (
    STATUS_FROM_PB,
    STATUS_TO_PB,
    history_to_pb,
    instance_summary_to_pb,
    instance_to_pb,
    step_info_to_pb,
)
from shards.core.model import LEASED, Instance
from shards.engine import NewInstance, ShardEngine
from shards.errors import InvalidArgument, StepwayError
from shards.requests import (
    check_batch_size,
    check_delete_filter,
    check_delete_item,
    check_new_instance,
    decode_page_token,
    deletes_by_ids,
    encode_page_token,
    instance_key,
    retentions_by_outcome,
    task_queue_or_none,
    time_or_none,
)
from shards.rpc import error_status
from stepway import tracing
from stepway.v1 import common_pb2 as cpb
from stepway.v1 import workflow_service_pb2 as fpb
from stepway.v1 import workflow_service_pb2_grpc as fgrpc

Context = grpc.aio.ServicerContext[Any, Any]


class ShardWorkflowService(FromGateway, fgrpc.WorkflowServiceServicer):  # type: ignore[misc]
    """WorkflowService as a gateway forwards it: checks each field, calls the engine."""

    def __init__(self, engine: ShardEngine) -> None:
        super().__init__(engine.config.cluster_secret)
        self.engine = engine

    async def CreateInstance(
        self, request: fpb.CreateInstanceRequest, context: Context
    ) -> fpb.CreateInstanceResponse:
        account = self.account(context)
        inst, created = await self.engine.create(
            account,
            v.check_id("workflow", request.workflow),
            v.check_id("instance_id", request.instance_id),
            v.check_payload("params", request.params.data),
            v.check_retention(request),
            trace_parent=tracing.current_traceparent(),
            task_queue=task_queue_or_none(request.task_queue),
            by_outcome=retentions_by_outcome(request),
        )
        return created_pb(inst, created)

    async def CreateInstances(
        self, request: fpb.CreateInstancesRequest, context: Context
    ) -> fpb.CreateInstancesResponse:
        account = self.account(context)
        check_batch_size(len(request.instances))
        results: list[fpb.CreateInstanceResult | None] = []
        items: list[NewInstance] = []
        for n, item in enumerate(request.instances):
            try:
                items.append(
                    check_new_instance(
                        item, request.workflow, f"instances[{n}].", request.task_queue
                    )
                )
                results.append(None)
            except StepwayError as exc:
                results.append(fpb.CreateInstanceResult(error=error_status(exc)))
        parent = tracing.current_traceparent()
        items = [replace(item, trace_parent=parent) for item in items]
        outcomes = iter(await self.engine.create_many(account, items) if items else [])
        response = fpb.CreateInstancesResponse()
        for result in results:
            if result is None:
                outcome = next(outcomes)
                if isinstance(outcome, StepwayError):
                    result = fpb.CreateInstanceResult(error=error_status(outcome))
                else:
                    result = fpb.CreateInstanceResult(instance=created_pb(*outcome))
            response.results.append(result)
        return response

    async def GetInstance(
        self, request: fpb.GetInstanceRequest, context: Context
    ) -> fpb.GetInstanceResponse:
        account = self.account(context)
        view = await self.engine.get(
            account,
            v.check_id("workflow", request.workflow),
            v.check_id("instance_id", request.instance_id),
            steps=request.include_steps,
            steps_from=pages.position("steps_page_token", request.steps_page_token),
        )
        return fpb.GetInstanceResponse(
            instance=instance_to_pb(view),
            steps=[step_info_to_pb(s, view.instance.status in LEASED) for s in view.steps or []],
            next_steps_page_token="" if view.steps_next is None else str(view.steps_next),
        )

    async def WaitInstance(
        self, request: fpb.WaitInstanceRequest, context: Context
    ) -> fpb.WaitInstanceResponse:
        account = self.account(context)
        timeout = v.check_wait(request, "timeout", v.MAX_WAIT_SECONDS, v.MAX_WAIT_SECONDS)
        view = await self.engine.wait(
            account,
            v.check_id("workflow", request.workflow),
            v.check_id("instance_id", request.instance_id),
            timeout,
        )
        msg = instance_to_pb(view)
        finished = msg.status in (
            cpb.INSTANCE_STATUS_COMPLETE,
            cpb.INSTANCE_STATUS_ERRORED,
            cpb.INSTANCE_STATUS_TERMINATED,
        )
        return fpb.WaitInstanceResponse(instance=msg, finished=finished)

    async def SendEvent(
        self, request: fpb.SendEventRequest, context: Context
    ) -> fpb.SendEventResponse:
        account = self.account(context)
        delivered = await self.engine.send_event(
            account,
            v.check_id("workflow", request.workflow),
            v.check_id("instance_id", request.instance_id),
            v.check_event_type("type", request.type),
            v.check_payload("payload", request.payload.data),
        )
        return fpb.SendEventResponse(delivered=delivered)

    async def ListInstances(
        self, request: fpb.ListInstancesRequest, context: Context
    ) -> fpb.ListInstancesResponse:
        account = self.account(context)
        workflow = v.check_id("workflow", request.workflow) if request.workflow else None
        statuses = []
        for n, pb in enumerate(request.statuses):
            if pb not in STATUS_FROM_PB:
                raise InvalidArgument(f"statuses[{n}]", f"{pb} is not an instance status")
            statuses.append(STATUS_FROM_PB[pb])
        size = v.check_page_size("page_size", request.page_size, 100, 1000)
        page = await self.engine.list_instances(
            account,
            workflow=workflow,
            statuses=statuses,
            created_after=time_or_none(request, "created_after"),
            created_before=time_or_none(request, "created_before"),
            cursor=decode_page_token(request.page_token) if request.page_token else None,
            limit=size + 1,
        )
        response = fpb.ListInstancesResponse(
            instances=[instance_summary_to_pb(i) for i in page[:size]]
        )
        if len(page) > size:
            last = page[size - 1]
            response.next_page_token = encode_page_token(last.created_at, last.uid)
        return response

    async def PauseInstance(
        self, request: fpb.PauseInstanceRequest, context: Context
    ) -> fpb.PauseInstanceResponse:
        account = self.account(context)
        workflow, instance_id = instance_key(request)
        inst = await self.engine.pause(account, workflow, instance_id)
        return fpb.PauseInstanceResponse(instance=instance_summary_to_pb(inst))

    async def ResumeInstance(
        self, request: fpb.ResumeInstanceRequest, context: Context
    ) -> fpb.ResumeInstanceResponse:
        account = self.account(context)
        workflow, instance_id = instance_key(request)
        inst = await self.engine.resume(account, workflow, instance_id)
        return fpb.ResumeInstanceResponse(instance=instance_summary_to_pb(inst))

    async def TerminateInstance(
        self, request: fpb.TerminateInstanceRequest, context: Context
    ) -> fpb.TerminateInstanceResponse:
        account = self.account(context)
        workflow, instance_id = instance_key(request)
        reason = v.check_reason("reason", request.reason)
        inst = await self.engine.terminate(account, workflow, instance_id, reason)
        return fpb.TerminateInstanceResponse(instance=instance_summary_to_pb(inst))

    async def RestartInstance(
        self, request: fpb.RestartInstanceRequest, context: Context
    ) -> fpb.RestartInstanceResponse:
        account = self.account(context)
        workflow, instance_id = instance_key(request)
        from_step = v.check_step_name("from_step", request.from_step) if request.from_step else None
        inst, dropped = await self.engine.restart(account, workflow, instance_id, from_step)
        return fpb.RestartInstanceResponse(
            instance=instance_summary_to_pb(inst), steps_dropped=dropped
        )

    async def DeleteInstance(
        self, request: fpb.DeleteInstanceRequest, context: Context
    ) -> fpb.DeleteInstanceResponse:
        account = self.account(context)
        workflow, instance_id = instance_key(request)
        await self.engine.delete(account, workflow, instance_id)
        return fpb.DeleteInstanceResponse()

    async def DeleteInstances(
        self, request: fpb.DeleteInstancesRequest, context: Context
    ) -> fpb.DeleteInstancesResponse:
        account = self.account(context)
        if not deletes_by_ids(request):
            f = check_delete_filter(request)
            deleted, more = await self.engine.delete_where(
                account, f.workflow, f.statuses, f.created_before, f.limit
            )
            return fpb.DeleteInstancesResponse(deleted=deleted, more=more)
        results: list[fpb.DeleteInstanceResult | None] = []
        keys: list[tuple[str, str]] = []
        for n, item in enumerate(request.instances):
            try:
                keys.append(check_delete_item(item, n))
                results.append(None)
            except StepwayError as exc:
                results.append(fpb.DeleteInstanceResult(error=error_status(exc)))
        outcomes = iter(await self.engine.delete_many(account, keys) if keys else [])
        response = fpb.DeleteInstancesResponse()
        for result in results:
            if result is None:
                outcome = next(outcomes)
                if outcome is None:
                    result = fpb.DeleteInstanceResult(deleted=True)
                    response.deleted += 1
                else:
                    result = fpb.DeleteInstanceResult(error=error_status(outcome))
            response.results.append(result)
        return response

    async def GetHistory(
        self, request: fpb.GetHistoryRequest, context: Context
    ) -> fpb.GetHistoryResponse:
        account = self.account(context)
        workflow, instance_id = instance_key(request)
        size = v.check_page_size("page_size", request.page_size, 1000, 1000)
        after = v.check_counter("after_seq", request.after_seq)
        page = await self.engine.history(account, workflow, instance_id, after, size)
        events = [history_to_pb(seq, e) for seq, e in page.entries]
        end = pages.cut([e.ByteSize() for e in events], 0, self.engine.config.answer_bytes)
        return fpb.GetHistoryResponse(
            events=events[:end],
            more=page.more or end < len(events),
            status=STATUS_TO_PB[page.status],
        )

    async def WatchHistory(
        self, request: fpb.WatchHistoryRequest, context: Context
    ) -> AsyncIterator[fpb.WatchHistoryResponse]:
        account = self.account(context)
        workflow, instance_id = instance_key(request)
        async for seq, entry in self.engine.watch(
            account, workflow, instance_id, v.check_counter("after_seq", request.after_seq)
        ):
            yield fpb.WatchHistoryResponse(event=history_to_pb(seq, entry))

    async def ListWorkflows(
        self, request: fpb.ListWorkflowsRequest, context: Context
    ) -> fpb.ListWorkflowsResponse:
        account = self.account(context)
        response = fpb.ListWorkflowsResponse()
        for info in await self.engine.workflows(account):
            summary = response.workflows.add(name=info.name, task_queue=info.task_queue)
            set_time(summary.registered_at, info.registered_at)
            for status, pb in STATUS_TO_PB.items():
                if info.counts.get(status):
                    summary.instances.add(status=pb, count=info.counts[status])
        return response

    async def ListWorkflowBuilds(
        self, request: fpb.ListWorkflowBuildsRequest, context: Context
    ) -> fpb.ListWorkflowBuildsResponse:
        """A workflow's builds, its instances counted in the partitions this server owns."""
        account = self.account(context)
        workflow = v.check_id("workflow", request.workflow)
        response = fpb.ListWorkflowBuildsResponse()
        for info in await self.engine.list_builds(account, workflow):
            build = response.builds.add(
                build_id=info.build_id or "",
                unassigned=info.build_id is None,
                newest=info.newest,
                blocked=info.blocked,
                polling=info.polling,
            )
            if info.first_registered_at is not None:
                set_time(build.first_registered_at, info.first_registered_at)
            if info.last_registered_at is not None:
                set_time(build.last_registered_at, info.last_registered_at)
            for status, pb in STATUS_TO_PB.items():
                if info.counts.get(status):
                    build.instances.add(status=pb, count=info.counts[status])
        return response

    async def MoveWorkflowBuild(
        self, request: fpb.MoveWorkflowBuildRequest, context: Context
    ) -> fpb.MoveWorkflowBuildResponse:
        """Moves a workflow's unfinished instances between builds, in the partitions owned here."""
        account = self.account(context)
        workflow = v.check_id("workflow", request.workflow)
        from_build = v.check_build_id("from_build_id", request.from_build_id)
        to_build = v.check_build_id("to_build_id", request.to_build_id)
        if from_build == to_build:
            raise InvalidArgument("to_build_id", "must differ from from_build_id")
        moved = await self.engine.move_build(account, workflow, from_build, to_build)
        return fpb.MoveWorkflowBuildResponse(moved=moved)


def created_pb(inst: Instance, created: bool) -> fpb.CreateInstanceResponse:
    """The answer to a CreateInstance (or a batch item) that found or created inst."""
    resp = fpb.CreateInstanceResponse(
        instance_id=inst.instance_id, created=created, status=STATUS_TO_PB[inst.status]
    )
    set_time(resp.created_at, inst.created_at)
    return resp
