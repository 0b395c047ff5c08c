"""The shard server's gRPC services: WorkflowService and WorkerService as the gateway forwards them.

Requests arrive from a gateway, which has authenticated the caller and names its account in the
`x-stepway-account` metadata. Each handler checks its fields, calls the engine and converts the
answer; errors are StepwayErrors, mapped to gRPC statuses by shards.rpc.ErrorInterceptor.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import hmac
import json
import logging
import uuid
from collections import OrderedDict
from collections.abc import AsyncIterator, Coroutine
from dataclasses import replace
from typing import Any, TypeVar

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from shards import limits, pages
from shards import validation as v
from shards.clock import now_us, set_time
from shards.committer import serve
from shards.config import ShardConfig
from shards.convert import (
    STATUS_FROM_PB,
    STATUS_TO_PB,
    failure_from_pb,
    failure_to_pb,
    history_to_pb,
    instance_summary_to_pb,
    instance_to_pb,
    policy_from_pb,
    step_info_to_pb,
    step_task_to_pb,
    step_to_pb,
    task_to_pb,
)
from shards.core.calls import DEFAULT_TIMEOUT_US, MAX_TIMEOUT_US, CallSpec
from shards.core.model import LEASED, Instance, StepState
from shards.db import is_unavailable
from shards.engine import NewInstance, ShardEngine, Task
from shards.errors import DatabaseUnavailable, InvalidArgument, StepwayError, Unauthenticated
from shards.membership import Membership
from shards.rpc import (
    ACCOUNT_HEADER,
    CLUSTER_SECRET_HEADER,
    END_POLL_HEADER,
    FANOUT_HEADER,
    SERVER_OPTIONS,
    WORKER_GONE_HEADER,
    AddressInUse,
    ErrorInterceptor,
    command_error,
    listen,
    metadata_value,
    rich_status,
)
from shards.tls import CertificateError, CertificateFiles, server_credentials
from shards.tokens import StepTaskRef, TaskRef, decode, decode_any, decode_step
from stepway import tracing
from stepway.v1 import common_pb2 as cpb
from stepway.v1 import worker_service_pb2 as wpb
from stepway.v1 import worker_service_pb2_grpc as wgrpc
from stepway.v1 import workflow_service_pb2 as fpb
from stepway.v1 import workflow_service_pb2_grpc as fgrpc

log = logging.getLogger(__name__)
T = TypeVar("T")

Context = grpc.aio.ServicerContext[Any, Any]
MAX_WAIT_SECONDS = v.MAX_WAIT_SECONDS
MAX_TASKS_PER_POLL = 100
# Fan-out polls ended by a gateway are remembered by id, in case the end overtakes the poll.
ENDED_POLLS_KEPT = 4096


class _FromGateway:
    """Checks that a call comes from a gateway of this cluster, and reads its account."""

    def __init__(self, engine: ShardEngine) -> None:
        self.engine = engine
        self._secret = engine.config.cluster_secret.encode()

    def _account(self, context: Context) -> str:
        secret = (metadata_value(context, CLUSTER_SECRET_HEADER) or "").encode()
        account = metadata_value(context, ACCOUNT_HEADER)
        if not account or not hmac.compare_digest(secret, self._secret):
            raise Unauthenticated("shard servers take calls from a Stepway gateway only")
        # The call's writes take their turn at the writer as this account's.
        serve(account)
        return account


class ShardWorkflowService(_FromGateway, fgrpc.WorkflowServiceServicer):  # type: ignore[misc]
    async def CreateInstance(
        self, request: fpb.CreateInstanceRequest, context: Context
    ) -> fpb.CreateInstanceResponse:
        account = self._account(context)
        inst, created = await self.engine.create(
            account,
            v.check_id("workflow", request.workflow),
            v.check_id("instance_id", request.instance_id),
            v.check_payload("params", request.params.data),
            v.check_retention(request),
            trace_parent=tracing.current_traceparent(),
            task_queue=_task_queue(request.task_queue),
        )
        return _created_pb(inst, created)

    async def CreateInstances(
        self, request: fpb.CreateInstancesRequest, context: Context
    ) -> fpb.CreateInstancesResponse:
        account = self._account(context)
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
                results.append(fpb.CreateInstanceResult(error=rich_status(exc)))
        parent = tracing.current_traceparent()
        items = [replace(item, trace_parent=parent) for item in items]
        outcomes = iter(await self.engine.create_many(account, items) if items else [])
        response = fpb.CreateInstancesResponse()
        for result in results:
            if result is None:
                outcome = next(outcomes)
                if isinstance(outcome, StepwayError):
                    result = fpb.CreateInstanceResult(error=rich_status(outcome))
                else:
                    result = fpb.CreateInstanceResult(instance=_created_pb(*outcome))
            response.results.append(result)
        return response

    async def GetInstance(
        self, request: fpb.GetInstanceRequest, context: Context
    ) -> fpb.GetInstanceResponse:
        account = self._account(context)
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
        account = self._account(context)
        timeout = v.check_wait(request, "timeout", MAX_WAIT_SECONDS, MAX_WAIT_SECONDS)
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
        account = self._account(context)
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
        account = self._account(context)
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
            created_after=_time_or_none(request, "created_after"),
            created_before=_time_or_none(request, "created_before"),
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
        account = self._account(context)
        workflow, instance_id = _instance_key(request)
        inst = await self.engine.pause(account, workflow, instance_id)
        return fpb.PauseInstanceResponse(instance=instance_summary_to_pb(inst))

    async def ResumeInstance(
        self, request: fpb.ResumeInstanceRequest, context: Context
    ) -> fpb.ResumeInstanceResponse:
        account = self._account(context)
        workflow, instance_id = _instance_key(request)
        inst = await self.engine.resume(account, workflow, instance_id)
        return fpb.ResumeInstanceResponse(instance=instance_summary_to_pb(inst))

    async def TerminateInstance(
        self, request: fpb.TerminateInstanceRequest, context: Context
    ) -> fpb.TerminateInstanceResponse:
        account = self._account(context)
        workflow, instance_id = _instance_key(request)
        reason = v.check_reason("reason", request.reason)
        inst = await self.engine.terminate(account, workflow, instance_id, reason)
        return fpb.TerminateInstanceResponse(instance=instance_summary_to_pb(inst))

    async def RestartInstance(
        self, request: fpb.RestartInstanceRequest, context: Context
    ) -> fpb.RestartInstanceResponse:
        account = self._account(context)
        workflow, instance_id = _instance_key(request)
        from_step = v.check_step_name("from_step", request.from_step) if request.from_step else None
        inst, dropped = await self.engine.restart(account, workflow, instance_id, from_step)
        return fpb.RestartInstanceResponse(
            instance=instance_summary_to_pb(inst), steps_dropped=dropped
        )

    async def DeleteInstance(
        self, request: fpb.DeleteInstanceRequest, context: Context
    ) -> fpb.DeleteInstanceResponse:
        account = self._account(context)
        workflow, instance_id = _instance_key(request)
        await self.engine.delete(account, workflow, instance_id)
        return fpb.DeleteInstanceResponse()

    async def GetHistory(
        self, request: fpb.GetHistoryRequest, context: Context
    ) -> fpb.GetHistoryResponse:
        account = self._account(context)
        workflow, instance_id = _instance_key(request)
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
        account = self._account(context)
        workflow, instance_id = _instance_key(request)
        async for seq, entry in self.engine.watch(
            account, workflow, instance_id, v.check_counter("after_seq", request.after_seq)
        ):
            yield fpb.WatchHistoryResponse(event=history_to_pb(seq, entry))

    async def ListWorkflows(
        self, request: fpb.ListWorkflowsRequest, context: Context
    ) -> fpb.ListWorkflowsResponse:
        account = self._account(context)
        response = fpb.ListWorkflowsResponse()
        for info in await self.engine.workflows(account):
            summary = response.workflows.add(name=info.name, task_queue=info.task_queue)
            set_time(summary.registered_at, info.registered_at)
            for status, pb in STATUS_TO_PB.items():
                if info.counts.get(status):
                    summary.instances.add(status=pb, count=info.counts[status])
        return response


class ShardWorkerService(_FromGateway, wgrpc.WorkerServiceServicer):  # type: ignore[misc]
    def __init__(self, engine: ShardEngine) -> None:
        super().__init__(engine)
        self._polls: dict[str, asyncio.Future[Any]] = {}
        self._ended_polls: OrderedDict[str, None] = OrderedDict()

    async def RegisterWorker(
        self, request: wpb.RegisterWorkerRequest, context: Context
    ) -> wpb.RegisterWorkerResponse:
        account = self._account(context)
        v.check_id("worker_id", request.worker_id)
        task_queue = v.check_id("task_queue", request.task_queue)
        names = [v.check_id("workflows", w) for w in request.workflows]
        if names:
            await self.engine.register(account, task_queue, names)
        resp = wpb.RegisterWorkerResponse()
        resp.lease_timeout.FromMicroseconds(int(self.engine.config.lease_timeout * 1_000_000))
        return resp

    async def PollWorkflowTasks(
        self, request: wpb.PollWorkflowTasksRequest, context: Context
    ) -> wpb.PollWorkflowTasksResponse:
        account = self._account(context)
        worker_id = v.check_id("worker_id", request.worker_id)
        task_queue = v.check_id("task_queue", request.task_queue)
        max_tasks = min(max(request.max_tasks, 1), MAX_TASKS_PER_POLL)
        wait = v.check_wait(request, "wait", MAX_WAIT_SECONDS, MAX_WAIT_SECONDS)
        poll_id = metadata_value(context, FANOUT_HEADER)
        if poll_id is None:
            tasks = await self.engine.poll(account, worker_id, task_queue, max_tasks, wait)
        else:
            tasks = await self._fanout_poll(
                poll_id,
                self.engine.poll(account, worker_id, task_queue, max_tasks, wait, fanout=True),
            )
        return await self._bounded_poll_answer(account, worker_id, tasks)

    async def _bounded_poll_answer(
        self, account: str, worker_id: str, tasks: list[Task]
    ) -> wpb.PollWorkflowTasksResponse:
        """The poll's answer, cut before it would pass the answer budget (it holds at least
        one task): the tasks left out are given back before the answer goes, so none of them
        waits for its lease to run out, and the next poll takes them."""
        lease = self.engine.config.lease_timeout
        msgs = [task_to_pb(t, lease) for t in tasks]
        # Each task costs its size plus a tag and a length prefix in the answer.
        sizes = [m.ByteSize() + 8 for m in msgs]
        end = pages.cut(sizes, 0, self.engine.config.answer_bytes)
        if end < len(tasks):
            left = [t.ref for t in tasks[end:]]
            await self.engine.release(account, worker_id, left, reason="poll answer full")
        return wpb.PollWorkflowTasksResponse(tasks=msgs[:end])

    async def GetTaskJournal(
        self, request: wpb.GetTaskJournalRequest, context: Context
    ) -> wpb.GetTaskJournalResponse:
        account = self._account(context)
        start = pages.position("page_token", request.page_token)
        journal, more = await self.engine.journal_page(account, decode(request.task_token), start)
        return wpb.GetTaskJournalResponse(
            journal=[step_to_pb(s) for s in journal],
            next_page_token="" if more is None else str(more),
        )

    async def _fanout_poll(self, poll_id: str, poll: Coroutine[Any, Any, list[T]]) -> list[T]:
        """Runs a gateway's fan-out poll so that the gateway can end it by id: an ended poll
        answers normally with no tasks (what it had claimed was given back)."""
        if poll_id in self._ended_polls:
            poll.close()
            return []
        running = asyncio.ensure_future(poll)
        self._polls[poll_id] = running
        try:
            return await running
        except asyncio.CancelledError:
            current = asyncio.current_task()
            if poll_id in self._ended_polls and current is not None and not current.cancelling():
                return []
            running.cancel()
            raise
        finally:
            self._polls.pop(poll_id, None)

    def _end_poll(self, poll_id: str) -> None:
        self._ended_polls[poll_id] = None
        while len(self._ended_polls) > ENDED_POLLS_KEPT:
            self._ended_polls.popitem(last=False)
        running = self._polls.get(poll_id)
        if running is not None:
            running.cancel()

    async def StartStep(
        self, request: wpb.StartStepRequest, context: Context
    ) -> wpb.StartStepResponse:
        """Only as a command of RecordBatch: records that a DO step's attempt starts."""
        await self.engine.start_step(
            self._account(context),
            decode(request.task_token),
            name=v.check_step_name("name", request.name),
            seq=_seq(request.seq),
            attempt=v.check_counter("attempt", max(request.attempt, 1)),
        )
        return wpb.StartStepResponse()

    async def CompleteStep(
        self, request: wpb.CompleteStepRequest, context: Context
    ) -> wpb.CompleteStepResponse:
        account = self._account(context)
        ended = await self.engine.complete_step(
            account,
            decode(request.task_token),
            name=v.check_step_name("name", request.name),
            seq=_seq(request.seq),
            attempt=v.check_counter("attempt", max(request.attempt, 1)),
            result=v.check_payload("result", request.result.data),
            started_at=_started(request),
        )
        return wpb.CompleteStepResponse(task_ended=ended)

    async def FailStep(
        self, request: wpb.FailStepRequest, context: Context
    ) -> wpb.FailStepResponse:
        account = self._account(context)
        outcome = await self.engine.fail_step(
            account,
            decode(request.task_token),
            name=v.check_step_name("name", request.name),
            seq=_seq(request.seq),
            attempt=v.check_counter("attempt", max(request.attempt, 1)),
            error=failure_from_pb(request.error),
            policy=policy_from_pb(request.retry),
            non_retryable=request.non_retryable,
            started_at=_started(request),
        )
        resp = wpb.FailStepResponse(task_ended=outcome.task_ended)
        if outcome.exhausted is not None:
            resp.exhausted.CopyFrom(failure_to_pb(outcome.exhausted))
        elif outcome.retry_at is not None:
            set_time(resp.retry_at, outcome.retry_at)
        return resp

    async def StartSleep(
        self, request: wpb.StartSleepRequest, context: Context
    ) -> wpb.StartSleepResponse:
        account = self._account(context)
        suspended = await self.engine.start_sleep(
            account,
            decode(request.task_token),
            name=v.check_step_name("name", request.name),
            seq=_seq(request.seq),
            wake_at=v.check_timestamp("wake_at", request.wake_at),
        )
        return wpb.StartSleepResponse(suspended=suspended)

    async def WaitForEvent(
        self, request: wpb.WaitForEventRequest, context: Context
    ) -> wpb.WaitForEventResponse:
        account = self._account(context)
        if not request.HasField("timeout_at"):
            raise InvalidArgument("timeout_at", "is required")
        step = await self.engine.wait_for_event(
            account,
            decode(request.task_token),
            name=v.check_step_name("name", request.name),
            seq=_seq(request.seq),
            event_type=v.check_event_type("event_type", request.event_type),
            timeout_at=v.check_timestamp("timeout_at", request.timeout_at),
        )
        if step is None:
            return wpb.WaitForEventResponse(suspended=True)
        if step.state is StepState.FAILED or step.result is None:
            error = cpb.Failure(type=step.error_type or "", message=step.error_message or "")
            return wpb.WaitForEventResponse(suspended=False, error=error)
        return wpb.WaitForEventResponse(suspended=False, event=_event_from_result(step.result))

    async def CompleteWorkflow(
        self, request: wpb.CompleteWorkflowRequest, context: Context
    ) -> wpb.CompleteWorkflowResponse:
        account = self._account(context)
        output = v.check_payload("output", request.output.data)
        await self.engine.complete_workflow(account, decode(request.task_token), output)
        return wpb.CompleteWorkflowResponse()

    async def FailWorkflow(
        self, request: wpb.FailWorkflowRequest, context: Context
    ) -> wpb.FailWorkflowResponse:
        account = self._account(context)
        await self.engine.fail_workflow(
            account, decode(request.task_token), failure_from_pb(request.error)
        )
        return wpb.FailWorkflowResponse()

    async def HeartbeatTasks(
        self, request: wpb.HeartbeatTasksRequest, context: Context
    ) -> wpb.HeartbeatTasksResponse:
        account = self._account(context)
        refs = {decode(t): t for t in request.task_tokens}
        lost = await self.engine.heartbeat(account, list(refs))
        return wpb.HeartbeatTasksResponse(lost_task_tokens=[refs[r] for r in lost])

    async def ReleaseTasks(
        self, request: wpb.ReleaseTasksRequest, context: Context
    ) -> wpb.ReleaseTasksResponse:
        account = self._account(context)
        end_poll = metadata_value(context, END_POLL_HEADER)
        if not request.task_tokens and end_poll is not None:
            self._end_poll(end_poll)
            return wpb.ReleaseTasksResponse()
        if not request.task_tokens and metadata_value(context, WORKER_GONE_HEADER) is not None:
            # A gateway saw the worker's connection drop while it polled several shards.
            self.engine.worker_disconnected(request.worker_id)
            return wpb.ReleaseTasksResponse()
        refs = [decode_any(t) for t in request.task_tokens]
        tasks = [r for r in refs if isinstance(r, TaskRef)]
        steps = [r for r in refs if isinstance(r, StepTaskRef)]
        if tasks:
            await self.engine.release(
                account, request.worker_id, tasks, reason="released by worker"
            )
        if steps:
            await self.engine.release_steps(account, steps)
        return wpb.ReleaseTasksResponse()

    async def ScheduleCall(
        self, request: wpb.ScheduleCallRequest, context: Context
    ) -> wpb.ScheduleCallResponse:
        account = self._account(context)
        spec = CallSpec(
            task_queue=v.check_id("task_queue", request.task_queue),
            step_type=v.check_event_type("step_type", request.step_type),
            input=v.check_payload("input", request.input.data),
            policy=policy_from_pb(request.retry),
            timeout_us=_timeout(request, "timeout", DEFAULT_TIMEOUT_US) or DEFAULT_TIMEOUT_US,
            heartbeat_timeout_us=_timeout(request, "heartbeat_timeout", None),
            trace_parent=v.check_traceparent(request.trace_parent),
        )
        if spec.heartbeat_timeout_us is not None and spec.heartbeat_timeout_us > spec.timeout_us:
            raise InvalidArgument(
                "heartbeat_timeout",
                f"is {spec.heartbeat_timeout_us / 1e6:g} s, longer than the attempt's timeout "
                f"({spec.timeout_us / 1e6:g} s)",
            )
        step = await self.engine.schedule_call(
            account,
            decode(request.task_token),
            name=v.check_step_name("name", request.name),
            seq=_seq(request.seq),
            spec=spec,
        )
        if step is None:
            return wpb.ScheduleCallResponse(suspended=True)
        return wpb.ScheduleCallResponse(suspended=False, step=step_to_pb(step))

    async def PollStepTasks(
        self, request: wpb.PollStepTasksRequest, context: Context
    ) -> wpb.PollStepTasksResponse:
        account = self._account(context)
        worker_id = v.check_id("worker_id", request.worker_id)
        task_queue = v.check_id("task_queue", request.task_queue)
        max_tasks = min(max(request.max_tasks, 1), MAX_TASKS_PER_POLL)
        wait = v.check_wait(request, "wait", MAX_WAIT_SECONDS, MAX_WAIT_SECONDS)
        poll = self.engine.poll_steps(account, worker_id, task_queue, max_tasks, wait)
        poll_id = metadata_value(context, FANOUT_HEADER)
        claimed = await (poll if poll_id is None else self._fanout_poll(poll_id, poll))
        # Up to 100 tasks of up to 2 MiB each (input and details): cut as workflow tasks are.
        msgs = [step_task_to_pb(c) for c in claimed]
        end = pages.cut([m.ByteSize() + 8 for m in msgs], 0, self.engine.config.answer_bytes)
        if end < len(claimed):
            await self.engine.release_steps(account, [c.ref for c in claimed[end:]])
        return wpb.PollStepTasksResponse(tasks=msgs[:end])

    async def CompleteStepTask(
        self, request: wpb.CompleteStepTaskRequest, context: Context
    ) -> wpb.CompleteStepTaskResponse:
        account = self._account(context)
        result = v.check_payload("result", request.result.data)
        await self.engine.complete_step_task(account, decode_step(request.task_token), result)
        return wpb.CompleteStepTaskResponse()

    async def FailStepTask(
        self, request: wpb.FailStepTaskRequest, context: Context
    ) -> wpb.FailStepTaskResponse:
        account = self._account(context)
        outcome = await self.engine.fail_step_task(
            account,
            decode_step(request.task_token),
            failure_from_pb(request.error),
            request.non_retryable,
        )
        resp = wpb.FailStepTaskResponse()
        if outcome.exhausted is not None:
            resp.exhausted.CopyFrom(failure_to_pb(outcome.exhausted))
        elif outcome.retry_at is not None:
            set_time(resp.retry_at, outcome.retry_at)
        return resp

    async def HeartbeatStepTask(
        self, request: wpb.HeartbeatStepTaskRequest, context: Context
    ) -> wpb.HeartbeatStepTaskResponse:
        account = self._account(context)
        details = (
            v.check_payload("details", request.details.data)
            if request.HasField("details")
            else None
        )
        deadline = await self.engine.heartbeat_step_task(
            account, decode_step(request.task_token), details
        )
        resp = wpb.HeartbeatStepTaskResponse()
        set_time(resp.heartbeat_deadline, deadline)
        return resp

    async def RecordBatch(
        self, request: wpb.RecordBatchRequest, context: Context
    ) -> wpb.RecordBatchResponse:
        self._account(context)
        if len(request.commands) > MAX_BATCH_COMMANDS:
            raise InvalidArgument(
                "commands", f"{len(request.commands)} commands; the limit is {MAX_BATCH_COMMANDS}"
            )
        # Run together, the commands land in the same group-commit transactions.
        results = await asyncio.gather(*(self._command(c, context) for c in request.commands))
        return wpb.RecordBatchResponse(results=results)

    async def _command(self, command: wpb.WorkerCommand, context: Context) -> wpb.CommandResult:
        kind = command.WhichOneof("command")
        if kind is None:
            return command_error(InvalidArgument("command", "is empty"))
        handler = getattr(self, _COMMAND_HANDLERS[kind])
        try:
            # Each write is bounded as its single call is (the interceptor counted them).
            limits.check_request(getattr(command, kind))
            response = await handler(getattr(command, kind), context)
        except StepwayError as exc:
            return command_error(exc)
        except Exception as exc:
            if is_unavailable(exc):
                log.warning("database unavailable in batched %s: %s", kind, exc)
                return command_error(DatabaseUnavailable())
            self.engine.metrics.internal_errors.labels(_RECORD_BATCH).inc()
            incident = uuid.uuid4().hex[:12]
            log.exception("internal error %s in batched %s", incident, kind)
            error = wpb.CommandError(
                code=grpc.StatusCode.INTERNAL.value[0],
                message=f"internal error {incident}; see the server log",
            )
            return wpb.CommandResult(error=error)
        result = wpb.CommandResult()
        getattr(result, kind).CopyFrom(response)
        return result


_RECORD_BATCH = "/stepway.v1.WorkerService/RecordBatch"

# The single call that does what each kind of batched command does.
_COMMAND_HANDLERS = {
    "complete_step": "CompleteStep",
    "fail_step": "FailStep",
    "start_sleep": "StartSleep",
    "wait_for_event": "WaitForEvent",
    "complete_workflow": "CompleteWorkflow",
    "fail_workflow": "FailWorkflow",
    "schedule_call": "ScheduleCall",
    "start_step": "StartStep",
}
MAX_BATCH_COMMANDS = limits.MAX_BATCH_COMMANDS
MAX_BATCH_INSTANCES = limits.MAX_BATCH_INSTANCES


def check_batch_size(count: int) -> None:
    """A batch of creations holds 1 to 1,000 instances."""
    if count == 0:
        raise InvalidArgument("instances", "must hold at least one instance")
    if count > MAX_BATCH_INSTANCES:
        raise InvalidArgument(
            "instances", f"holds {count} instances; the limit is {MAX_BATCH_INSTANCES} per call"
        )


def check_new_instance(
    item: fpb.CreateInstanceRequest, workflow: str, prefix: str, task_queue: str = ""
) -> NewInstance:
    """One item of a batch, checked; field names in errors carry the item's index."""
    limits.check_request(item, prefix)
    return NewInstance(
        workflow=v.check_id(prefix + "workflow", item.workflow or workflow),
        instance_id=v.check_id(prefix + "instance_id", item.instance_id),
        params=v.check_payload(prefix + "params", item.params.data),
        retention_us=v.check_retention(item, prefix + "retention"),
        task_queue=_task_queue(item.task_queue or task_queue, prefix + "task_queue"),
    )


def _task_queue(name: str, field: str = "task_queue") -> str | None:
    """A create's task queue, checked; None when it names none."""
    return v.check_id(field, name) if name else None


def _created_pb(inst: Instance, created: bool) -> fpb.CreateInstanceResponse:
    resp = fpb.CreateInstanceResponse(
        instance_id=inst.instance_id, created=created, status=STATUS_TO_PB[inst.status]
    )
    set_time(resp.created_at, inst.created_at)
    return resp


def _instance_key(request: Any) -> tuple[str, str]:
    return (
        v.check_id("workflow", request.workflow),
        v.check_id("instance_id", request.instance_id),
    )


def _time_or_none(request: Any, field: str) -> int | None:
    return v.check_timestamp(field, getattr(request, field)) if request.HasField(field) else None


def encode_page_token(created_at: int, uid: str) -> str:
    """An opaque cursor: the (created_at, uid) of the last instance of a page."""
    return base64.urlsafe_b64encode(f"{created_at}:{uid}".encode()).decode().rstrip("=")


def decode_page_token(token: str) -> tuple[int, str]:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        at, uid = raw.split(":", 1)
        if not uid.isalnum() or not v.MIN_TIME_US <= int(at) <= v.MAX_TIME_US:
            raise ValueError(uid)
        return int(at), uid
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise InvalidArgument(
            "page_token", "is not a token this server gave out (pass next_page_token as is)"
        ) from None


def _seq(seq: int) -> int:
    if seq < 1:
        raise InvalidArgument("seq", "must be 1 or more (the occurrence of the step name)")
    return v.check_counter("seq", seq)


def _timeout(request: Any, field: str, default: int | None) -> int | None:
    """A call's timeout in microseconds: more than 0, at most 7 days; default when unset."""
    if not request.HasField(field):
        return default
    value = v.duration_us(field, getattr(request, field))
    if value <= 0:
        raise InvalidArgument(field, "must be more than 0 (leave it unset for the default)")
    if value > MAX_TIMEOUT_US:
        raise InvalidArgument(
            field, f"is {value / 1e6:g} s; the limit is {MAX_TIMEOUT_US / 1e6:g} s (7 days)"
        )
    return value


def _started(request: Any) -> int:
    if not request.HasField("started_at"):
        return now_us()
    return v.check_timestamp("started_at", request.started_at)


def _event_from_result(result: bytes) -> wpb.Event:
    doc = json.loads(result)
    event = wpb.Event(
        type=doc["type"], payload=cpb.Payload(data=json.dumps(doc["payload"]).encode())
    )
    set_time(event.received_at, doc["received_at"])
    return event


class ShardServer:
    """A running shard server: the engine, its gRPC server and its cluster membership."""

    def __init__(
        self,
        engine: ShardEngine,
        server: grpc.aio.Server,
        port: int,
        membership: Membership,
    ) -> None:
        self.engine = engine
        self.server = server
        self.port = port
        self.membership = membership

    async def stop(self, grace: float = 1.0) -> None:
        """Stops serving, hands its partitions over (released leases), and stops the engine."""
        await self.server.stop(grace)
        await self.membership.stop(release=True)
        await self.engine.stop()


async def start_shard(config: ShardConfig, engine: ShardEngine) -> ShardServer:
    """Starts the engine and serves it on config.listen (port 0 picks a free port)."""
    await engine.start()
    server = grpc.aio.server(
        interceptors=[*tracing.server_interceptors(), ErrorInterceptor(engine.metrics)],
        options=SERVER_OPTIONS,
    )
    fgrpc.add_WorkflowServiceServicer_to_server(ShardWorkflowService(engine), server)
    wgrpc.add_WorkerServiceServicer_to_server(ShardWorkerService(engine), server)
    health_servicer = health.aio.HealthServicer()  # type: ignore[attr-defined]
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    names = [
        fpb.DESCRIPTOR.services_by_name["WorkflowService"].full_name,
        wpb.DESCRIPTOR.services_by_name["WorkerService"].full_name,
        health.SERVICE_NAME,
        reflection.SERVICE_NAME,
    ]
    reflection.enable_server_reflection(names, server)
    try:
        credentials = (
            None if config.tls is None else server_credentials(CertificateFiles(config.tls))
        )
        port = listen(server, config.listen, credentials)
    except (AddressInUse, CertificateError):
        await engine.stop()
        raise
    host = config.listen.rsplit(":", 1)[0]
    membership = Membership(
        engine.db,
        member_id=config.member_id,
        address=config.advertise or f"{host}:{port}",
        partitions=config.partitions,
        lease_seconds=config.partition_lease,
        heartbeat_seconds=config.heartbeat,
        on_change=engine.set_ownership,
        runner=lambda fn: engine.committer.run(lambda conn, after: fn(conn)),
    )
    try:
        await membership.start()
    except BaseException:
        await engine.stop()
        raise
    await server.start()
    await health_servicer.set("", health_pb2.HealthCheckResponse.SERVING)
    log.info(
        "shard server %s listening on port %d, owning %d partition(s)",
        config.member_id,
        port,
        len(engine.owned),
    )
    return ShardServer(engine, server, port, membership)
