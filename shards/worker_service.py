"""The shard server's WorkerService: what workers call, as a gateway forwards it.

Requests arrive from a gateway, which has authenticated the caller and names its account in the
call's CallContext (shards.call_context); a poll the gateway sent to several shard servers names
its fan-out id there too (shards.fanout). Each handler checks its fields, calls the engine and
converts the answer; errors are StepwayErrors, mapped to gRPC statuses by
shards.rpc.ErrorInterceptor.
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from collections.abc import Sequence
from typing import Any

import grpc

from shards import limits, pages
from shards import validation as v
from shards.call_context import FromGateway
from shards.clock import set_time
from shards.convert import (
    failure_from_pb,
    failure_to_pb,
    non_determinism_from_pb,
    policy_from_pb,
    step_task_to_pb,
    step_to_pb,
    task_to_pb,
)
from shards.core.calls import DEFAULT_TIMEOUT_US, CallSpec
from shards.core.children import ChildSpec, ParentClose
from shards.core.model import StepState
from shards.core.steps import AttemptRef, starts_reported_with
from shards.db import is_unavailable
from shards.engine import ShardEngine, Task
from shards.errors import DatabaseUnavailable, Internal, InvalidArgument, StepwayError
from shards.fanout import FanoutPolls
from shards.requests import call_timeout, check_seq, max_tasks, started_at, workflow_options
from shards.rpc import command_error
from shards.tokens import StepTaskRef, TaskRef, decode, decode_any, decode_step
from stepway.v1 import common_pb2 as cpb
from stepway.v1 import worker_service_pb2 as wpb
from stepway.v1 import worker_service_pb2_grpc as wgrpc

log = logging.getLogger(__name__)

Context = grpc.aio.ServicerContext[Any, Any]


class ShardWorkerService(FromGateway, wgrpc.WorkerServiceServicer):  # type: ignore[misc]
    """WorkerService as a gateway forwards it: checks each field, calls the engine."""

    def __init__(self, engine: ShardEngine, fanouts: FanoutPolls) -> None:
        super().__init__(engine.config.cluster_secret)
        self.engine = engine
        self.fanouts = fanouts

    async def RegisterWorker(
        self, request: wpb.RegisterWorkerRequest, context: Context
    ) -> wpb.RegisterWorkerResponse:
        account = self.account(context)
        v.check_id("worker_id", request.worker_id)
        task_queue = v.check_id("task_queue", request.task_queue)
        names = [v.check_id("workflows", w) for w in request.workflows]
        options = workflow_options(request, names)
        build_id = v.check_build_id("build_id", request.build_id)
        if names:
            await self.engine.register(account, task_queue, names, options, build_id)
        resp = wpb.RegisterWorkerResponse()
        resp.lease_timeout.FromMicroseconds(int(self.engine.config.lease_timeout * 1_000_000))
        return resp

    async def PollWorkflowTasks(
        self, request: wpb.PollWorkflowTasksRequest, context: Context
    ) -> wpb.PollWorkflowTasksResponse:
        call = self.call_context(context)
        account = call.account_id
        worker_id = v.check_id("worker_id", request.worker_id)
        task_queue = v.check_id("task_queue", request.task_queue)
        count = max_tasks(request.max_tasks)
        wait = v.check_wait(request, "wait", v.MAX_WAIT_SECONDS, v.MAX_WAIT_SECONDS)
        build_id = v.check_build_id("build_id", request.build_id)
        if not call.fanout_poll_id:
            tasks = await self.engine.poll(
                account, worker_id, task_queue, count, wait, build_id=build_id
            )
        else:
            tasks = await self.fanouts.run(
                call.fanout_poll_id,
                self.engine.poll(
                    account, worker_id, task_queue, count, wait, fanout=True, build_id=build_id
                ),
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
        account = self.account(context)
        start = pages.position("page_token", request.page_token)
        journal, more = await self.engine.journal_page(account, decode(request.task_token), start)
        return wpb.GetTaskJournalResponse(
            journal=[step_to_pb(s) for s in journal],
            next_page_token="" if more is None else str(more),
        )

    async def StartStep(
        self, request: wpb.StartStepRequest, context: Context
    ) -> wpb.StartStepResponse:
        """Only as a command of RecordBatch: records that a DO step's attempt (or its
        rollback's) starts."""
        start = self.engine.start_rollback_attempt if request.rollback else self.engine.start_step
        await start(
            self.account(context),
            decode(request.task_token),
            name=v.check_step_name("name", request.name),
            seq=check_seq(request.seq),
            attempt=v.check_counter("attempt", max(request.attempt, 1)),
        )
        return wpb.StartStepResponse()

    async def _reported_start(
        self, request: wpb.StartStepRequest, context: Context
    ) -> wpb.StartStepResponse:
        """A start whose attempt's report travels in the same batch: its fields are checked as
        StartStep checks them, and the report records the start (shards.core.steps)."""
        self.account(context)
        decode(request.task_token)
        v.check_step_name("name", request.name)
        check_seq(request.seq)
        v.check_counter("attempt", max(request.attempt, 1))
        return wpb.StartStepResponse()

    async def CompleteStep(
        self, request: wpb.CompleteStepRequest, context: Context
    ) -> wpb.CompleteStepResponse:
        account = self.account(context)
        complete = self.engine.complete_rollback if request.rollback else self.engine.complete_step
        ended = await complete(
            account,
            decode(request.task_token),
            name=v.check_step_name("name", request.name),
            seq=check_seq(request.seq),
            attempt=v.check_counter("attempt", max(request.attempt, 1)),
            result=v.check_payload("result", request.result.data),
            started_at=started_at(request),
        )
        return wpb.CompleteStepResponse(task_ended=ended)

    async def FailStep(
        self, request: wpb.FailStepRequest, context: Context
    ) -> wpb.FailStepResponse:
        account = self.account(context)
        fail = self.engine.fail_rollback if request.rollback else self.engine.fail_step
        outcome = await fail(
            account,
            decode(request.task_token),
            name=v.check_step_name("name", request.name),
            seq=check_seq(request.seq),
            attempt=v.check_counter("attempt", max(request.attempt, 1)),
            error=failure_from_pb(request.error),
            policy=policy_from_pb(request.retry),
            non_retryable=request.non_retryable,
            started_at=started_at(request),
        )
        resp = wpb.FailStepResponse(task_ended=outcome.task_ended)
        if outcome.exhausted is not None:
            resp.exhausted.CopyFrom(failure_to_pb(outcome.exhausted))
        elif outcome.retry_at is not None:
            set_time(resp.retry_at, outcome.retry_at)
        return resp

    async def StartRollback(
        self, request: wpb.StartRollbackRequest, context: Context
    ) -> wpb.StartRollbackResponse:
        """Only as a command of RecordBatch: starts the instance's rollback, and answers the
        rollbacks to run in order."""
        account = self.account(context)
        steps = [
            (v.check_step_name(f"steps[{n}].name", ref.name), check_seq(ref.seq, f"steps[{n}].seq"))
            for n, ref in enumerate(request.steps)
        ]
        if len(set(steps)) != len(steps):
            twice = next(s for n, s in enumerate(steps) if s in steps[:n])
            raise InvalidArgument("steps", f"names step {twice[0]!r} #{twice[1]} twice")
        plan = await self.engine.start_rollback(
            account,
            decode(request.task_token),
            error=failure_from_pb(request.error),
            steps=steps,
        )
        resp = wpb.StartRollbackResponse()
        for name, seq, entry in plan:
            if entry is None:
                resp.rollbacks.add(name=name, seq=seq, kind=cpb.STEP_KIND_ROLLBACK)
            else:
                resp.rollbacks.append(step_to_pb(entry))
        return resp

    async def StartSleep(
        self, request: wpb.StartSleepRequest, context: Context
    ) -> wpb.StartSleepResponse:
        account = self.account(context)
        suspended = await self.engine.start_sleep(
            account,
            decode(request.task_token),
            name=v.check_step_name("name", request.name),
            seq=check_seq(request.seq),
            wake_at=v.check_timestamp("wake_at", request.wake_at),
        )
        return wpb.StartSleepResponse(suspended=suspended)

    async def WaitForEvent(
        self, request: wpb.WaitForEventRequest, context: Context
    ) -> wpb.WaitForEventResponse:
        account = self.account(context)
        if not request.HasField("timeout_at"):
            raise InvalidArgument("timeout_at", "is required")
        step = await self.engine.wait_for_event(
            account,
            decode(request.task_token),
            name=v.check_step_name("name", request.name),
            seq=check_seq(request.seq),
            event_type=v.check_event_type("event_type", request.event_type),
            timeout_at=v.check_timestamp("timeout_at", request.timeout_at),
        )
        if step is None:
            return wpb.WaitForEventResponse(suspended=True)
        if step.state is StepState.FAILED or step.result is None:
            error = cpb.Failure(type=step.error_type or "", message=step.error_message or "")
            return wpb.WaitForEventResponse(suspended=False, error=error)
        return wpb.WaitForEventResponse(suspended=False, event=event_from_result(step.result))

    async def CompleteWorkflow(
        self, request: wpb.CompleteWorkflowRequest, context: Context
    ) -> wpb.CompleteWorkflowResponse:
        account = self.account(context)
        output = v.check_payload("output", request.output.data)
        await self.engine.complete_workflow(account, decode(request.task_token), output)
        return wpb.CompleteWorkflowResponse()

    async def FailWorkflow(
        self, request: wpb.FailWorkflowRequest, context: Context
    ) -> wpb.FailWorkflowResponse:
        account = self.account(context)
        found = (
            non_determinism_from_pb(request.non_determinism)
            if request.HasField("non_determinism")
            else None
        )
        await self.engine.fail_workflow(
            account, decode(request.task_token), failure_from_pb(request.error), found
        )
        return wpb.FailWorkflowResponse()

    async def HeartbeatTasks(
        self, request: wpb.HeartbeatTasksRequest, context: Context
    ) -> wpb.HeartbeatTasksResponse:
        account = self.account(context)
        refs = {decode(t): t for t in request.task_tokens}
        lost = await self.engine.heartbeat(account, request.worker_id, list(refs))
        return wpb.HeartbeatTasksResponse(lost_task_tokens=[refs[r] for r in lost])

    async def ReleaseTasks(
        self, request: wpb.ReleaseTasksRequest, context: Context
    ) -> wpb.ReleaseTasksResponse:
        account = self.account(context)
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
        account = self.account(context)
        spec = CallSpec(
            task_queue=v.check_id("task_queue", request.task_queue),
            step_type=v.check_event_type("step_type", request.step_type),
            input=v.check_payload("input", request.input.data),
            policy=policy_from_pb(request.retry),
            timeout_us=call_timeout(request, "timeout", DEFAULT_TIMEOUT_US) or DEFAULT_TIMEOUT_US,
            heartbeat_timeout_us=call_timeout(request, "heartbeat_timeout", None),
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
            seq=check_seq(request.seq),
            spec=spec,
        )
        if step is None:
            return wpb.ScheduleCallResponse(suspended=True)
        return wpb.ScheduleCallResponse(suspended=False, step=step_to_pb(step))

    async def StartChild(
        self, request: wpb.StartChildRequest, context: Context
    ) -> wpb.StartChildResponse:
        account = self.account(context)
        if request.parent_close not in _CLOSE:
            raise InvalidArgument("parent_close", f"is {request.parent_close}, not a policy")
        spec = ChildSpec(
            workflow=v.check_id("workflow", request.workflow),
            instance_id=(
                v.check_id("instance_id", request.instance_id) if request.instance_id else ""
            ),
            params=v.check_payload("params", request.params.data or b"null"),
            task_queue=(
                v.check_id("task_queue", request.task_queue) if request.task_queue else None
            ),
            close=_CLOSE[request.parent_close],
            wait=request.wait,
            trace_parent=v.check_traceparent(request.trace_parent),
        )
        step, instance_id = await self.engine.start_child(
            account,
            decode(request.task_token),
            name=v.check_step_name("name", request.name),
            seq=check_seq(request.seq),
            spec=spec,
        )
        if step is None:
            return wpb.StartChildResponse(suspended=True, instance_id=instance_id)
        return wpb.StartChildResponse(
            suspended=False, step=step_to_pb(step), instance_id=instance_id
        )

    async def PollStepTasks(
        self, request: wpb.PollStepTasksRequest, context: Context
    ) -> wpb.PollStepTasksResponse:
        call = self.call_context(context)
        account = call.account_id
        worker_id = v.check_id("worker_id", request.worker_id)
        task_queue = v.check_id("task_queue", request.task_queue)
        count = max_tasks(request.max_tasks)
        wait = v.check_wait(request, "wait", v.MAX_WAIT_SECONDS, v.MAX_WAIT_SECONDS)
        poll = self.engine.poll_steps(account, worker_id, task_queue, count, wait)
        poll_id = call.fanout_poll_id
        claimed = await (self.fanouts.run(poll_id, poll) if poll_id else poll)
        # Up to 100 tasks of up to 2 MiB each (input and details): cut as workflow tasks are.
        msgs = [step_task_to_pb(c) for c in claimed]
        end = pages.cut([m.ByteSize() + 8 for m in msgs], 0, self.engine.config.answer_bytes)
        if end < len(claimed):
            await self.engine.release_steps(account, [c.ref for c in claimed[end:]])
        return wpb.PollStepTasksResponse(tasks=msgs[:end])

    async def CompleteStepTask(
        self, request: wpb.CompleteStepTaskRequest, context: Context
    ) -> wpb.CompleteStepTaskResponse:
        account = self.account(context)
        result = v.check_payload("result", request.result.data)
        await self.engine.complete_step_task(account, decode_step(request.task_token), result)
        return wpb.CompleteStepTaskResponse()

    async def FailStepTask(
        self, request: wpb.FailStepTaskRequest, context: Context
    ) -> wpb.FailStepTaskResponse:
        account = self.account(context)
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
        account = self.account(context)
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
        self.account(context)
        covered = reported_starts(request.commands)
        # Run together, the commands land in the same group-commit transactions.
        results = await asyncio.gather(
            *(self._command(c, context, i in covered) for i, c in enumerate(request.commands))
        )
        return wpb.RecordBatchResponse(results=results)

    async def _command(
        self, command: wpb.WorkerCommand, context: Context, reported: bool = False
    ) -> wpb.CommandResult:
        kind = command.WhichOneof("command")
        if kind is None:
            return command_error(InvalidArgument("command", "is empty"))
        # A start whose report is in the batch is checked as any start, then left to the report.
        handler = self._reported_start if reported else getattr(self, _COMMAND_HANDLERS[kind])
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
            return command_error(Internal(incident))
        result = wpb.CommandResult()
        getattr(result, kind).CopyFrom(response)
        return result


_RECORD_BATCH = "/stepway.v1.WorkerService/RecordBatch"


def reported_starts(commands: Sequence[wpb.WorkerCommand]) -> set[int]:
    """The indexes of the start_step commands whose attempt's complete_step or fail_step is in
    the same batch (shards.core.steps.starts_reported_with)."""
    starts: dict[int, AttemptRef] = {}
    reports: list[AttemptRef] = []
    for index, command in enumerate(commands):
        kind = command.WhichOneof("command")
        if kind == "start_step":
            starts[index] = _attempt_ref(command.start_step)
        elif kind in ("complete_step", "fail_step"):
            reports.append(_attempt_ref(getattr(command, kind)))
    if not starts or not reports:
        return set()
    return starts_reported_with(starts, reports)


def _attempt_ref(
    request: wpb.StartStepRequest | wpb.CompleteStepRequest | wpb.FailStepRequest,
) -> AttemptRef:
    return (request.task_token, request.name, request.seq, max(request.attempt, 1))


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
    "start_rollback": "StartRollback",
    "start_child": "StartChild",
}

_CLOSE = {
    cpb.PARENT_CLOSE_POLICY_UNSPECIFIED: None,
    cpb.PARENT_CLOSE_POLICY_TERMINATE: ParentClose.TERMINATE,
    cpb.PARENT_CLOSE_POLICY_ABANDON: ParentClose.ABANDON,
}


def event_from_result(result: bytes) -> wpb.Event:
    """The event a WAIT_FOR_EVENT step recorded as its result."""
    doc = json.loads(result)
    event = wpb.Event(
        type=doc["type"], payload=cpb.Payload(data=json.dumps(doc["payload"]).encode())
    )
    set_time(event.received_at, doc["received_at"])
    return event
