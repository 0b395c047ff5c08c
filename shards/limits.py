"""The most every request field may hold: one table for the four public services, checked at
the edge before any work.

Every repeated field of a message a client or worker sends has a maximum count, and every
string or bytes field a maximum size (characters for a string, bytes for bytes), nested
messages included (WorkerCommand, Failure, Payload, ...). `LIMITS` holds them by the field's
protobuf full name; docs/limits.md lists the same rows (a test keeps the two in step, another
fails when a request field has no row).

`check_request` walks a request by its descriptors and raises InvalidArgument naming a
field past its limit with its path (`instances[3].params.data`) and the limit. Both servers'
interceptor (shards.rpc.ErrorInterceptor) calls it before a handler runs, so no handler can
forget it. The items of a batch (RecordBatch's commands, CreateInstances' instances) succeed or
fail on their own: the interceptor checks how many there are, and the call checks each item
with `check_request` as it checks the item's other rules, answering that item's error.

Semantic rules (patterns, JSON, the account's own max_payload_bytes) stay in shards.validation;
this module bounds only how much a request may carry.
"""

from __future__ import annotations

from dataclasses import dataclass

from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import Message

from shards.core.rollbacks import MAX_ROLLBACK_STEPS
from shards.core.schedules import MAX_EXPRESSION as MAX_CRON_EXPRESSION
from shards.errors import InvalidArgument

KIB = 1024
MIB = 1024 * KIB

# Names: workflow, instance id, task queue, worker id, account: ^[a-zA-Z0-9_][a-zA-Z0-9_-]{0,99}$;
# event and step types: ^[a-zA-Z0-9_][a-zA-Z0-9_.-]{0,99}$.
MAX_ID_CHARS = 100
# A step's name (step.do, sleep, wait_for_event, call), and a restart's from_step.
STEP_NAME_MAX = 200
# Params, a step's result or input, an event's payload, heartbeat details, a workflow's output.
# An account's max_payload_bytes quota may lower it (shards.quotas).
MAX_PAYLOAD_BYTES = 1 * MIB
# A terminate reason, kept in the history.
MAX_REASON_CHARS = 1000
# Writes per RecordBatch, and instances per CreateInstances.
MAX_BATCH_COMMANDS = 1000
MAX_BATCH_INSTANCES = 1000
# Tokens per HeartbeatTasks or ReleaseTasks; a worker holding more sends several calls.
MAX_TASK_TOKENS = 1000
# Workflow names per RegisterWorker; a worker with more registers them in several calls.
MAX_WORKFLOWS_PER_REGISTRATION = 1000
# A workflow task token (partition, instance uid, lease): about 50 bytes as issued.
MAX_TASK_TOKEN_BYTES = 512
# A step task token also carries the CALL step's name: up to 200 characters, 800 bytes of UTF-8.
MAX_STEP_TASK_TOKEN_BYTES = 1024
# A Failure's type name, and its message and details (such as a stack trace).
MAX_FAILURE_TYPE_CHARS = 200
MAX_FAILURE_TEXT_CHARS = 32 * KIB
# An API key's label; a key id is exactly this many lowercase hex characters.
MAX_KEY_NAME_CHARS = 100
KEY_ID_LENGTH = 12
# ListInstances' page token, as issued: base64 of "<created_at>:<uid>", about 70 characters.
MAX_PAGE_TOKEN_CHARS = 200
# A journal or steps page token (shards.pages): a position of at most 9 digits.
MAX_POSITION_TOKEN_CHARS = 9
# A W3C traceparent is 55 characters.
MAX_TRACEPARENT_CHARS = 55
# ListInstances' status filter: each of the 8 statuses once.
MAX_STATUS_FILTERS = 8
# RegisterWorker's free text for operators.
MAX_IDENTITY_CHARS = 200
MAX_SDK_CHARS = 100
# A schedule id: 80 characters, so that the ids of its instances (`<schedule_id>-<time>`) fit
# in 100. A cron expression (shards.core.schedules) and an IANA time zone's name.
MAX_SCHEDULE_ID_CHARS = 80
MAX_CRON_CHARS = MAX_CRON_EXPRESSION
MAX_TIME_ZONE_CHARS = 100
# Messages about child workflows in one call between shard servers, and one message's body:
# a payload (params or output) and a header (the parent's link, an error message).
MAX_CHILD_MESSAGES = 100
MAX_CHILD_MESSAGE_BYTES = MAX_PAYLOAD_BYTES + 256 * 1024


@dataclass(frozen=True)
class FieldLimit:
    """The most one request field may hold.

    `items`: how many items a repeated field may have (`noun` names them in errors).
    `size`: characters of a string, bytes of a bytes field (of each item, when repeated).
    `batch`: the items are writes or creations that succeed or fail on their own; the call
    checks each one (check_request), the interceptor only their count.
    """

    items: int | None = None
    size: int | None = None
    noun: str = "items"
    batch: bool = False


_ID = FieldLimit(size=MAX_ID_CHARS)
_STEP_NAME = FieldLimit(size=STEP_NAME_MAX)
_TOKEN = FieldLimit(size=MAX_TASK_TOKEN_BYTES)
_STEP_TOKEN = FieldLimit(size=MAX_STEP_TASK_TOKEN_BYTES)

_SCHEDULE_ID = FieldLimit(size=MAX_SCHEDULE_ID_CHARS)

# Every string, bytes and repeated field reachable from a request of WorkflowService,
# WorkerService, ScheduleService, AdminService or the internal service, by protobuf full name.
LIMITS: dict[str, FieldLimit] = {
    # ---- shared messages
    "stepway.v1.Payload.data": FieldLimit(size=MAX_PAYLOAD_BYTES),
    "stepway.v1.Failure.type": FieldLimit(size=MAX_FAILURE_TYPE_CHARS),
    "stepway.v1.Failure.message": FieldLimit(size=MAX_FAILURE_TEXT_CHARS),
    "stepway.v1.Failure.details": FieldLimit(size=MAX_FAILURE_TEXT_CHARS),
    # ---- WorkflowService
    "stepway.v1.CreateInstanceRequest.workflow": _ID,
    "stepway.v1.CreateInstanceRequest.instance_id": _ID,
    "stepway.v1.CreateInstanceRequest.task_queue": _ID,
    "stepway.v1.CreateInstancesRequest.instances": FieldLimit(
        items=MAX_BATCH_INSTANCES, noun="instances", batch=True
    ),
    "stepway.v1.CreateInstancesRequest.workflow": _ID,
    "stepway.v1.CreateInstancesRequest.task_queue": _ID,
    "stepway.v1.GetInstanceRequest.workflow": _ID,
    "stepway.v1.GetInstanceRequest.instance_id": _ID,
    "stepway.v1.GetInstanceRequest.steps_page_token": FieldLimit(size=MAX_POSITION_TOKEN_CHARS),
    "stepway.v1.WaitInstanceRequest.workflow": _ID,
    "stepway.v1.WaitInstanceRequest.instance_id": _ID,
    "stepway.v1.SendEventRequest.workflow": _ID,
    "stepway.v1.SendEventRequest.instance_id": _ID,
    "stepway.v1.SendEventRequest.type": _ID,
    "stepway.v1.ListInstancesRequest.workflow": _ID,
    "stepway.v1.ListInstancesRequest.statuses": FieldLimit(
        items=MAX_STATUS_FILTERS, noun="statuses"
    ),
    "stepway.v1.ListInstancesRequest.page_token": FieldLimit(size=MAX_PAGE_TOKEN_CHARS),
    "stepway.v1.PauseInstanceRequest.workflow": _ID,
    "stepway.v1.PauseInstanceRequest.instance_id": _ID,
    "stepway.v1.ResumeInstanceRequest.workflow": _ID,
    "stepway.v1.ResumeInstanceRequest.instance_id": _ID,
    "stepway.v1.TerminateInstanceRequest.workflow": _ID,
    "stepway.v1.TerminateInstanceRequest.instance_id": _ID,
    "stepway.v1.TerminateInstanceRequest.reason": FieldLimit(size=MAX_REASON_CHARS),
    "stepway.v1.RestartInstanceRequest.workflow": _ID,
    "stepway.v1.RestartInstanceRequest.instance_id": _ID,
    "stepway.v1.RestartInstanceRequest.from_step": _STEP_NAME,
    "stepway.v1.DeleteInstanceRequest.workflow": _ID,
    "stepway.v1.DeleteInstanceRequest.instance_id": _ID,
    "stepway.v1.DeleteInstancesRequest.instances": FieldLimit(
        items=MAX_BATCH_INSTANCES, noun="instances", batch=True
    ),
    "stepway.v1.DeleteFilter.workflow": _ID,
    "stepway.v1.DeleteFilter.statuses": FieldLimit(items=MAX_STATUS_FILTERS, noun="statuses"),
    "stepway.v1.GetHistoryRequest.workflow": _ID,
    "stepway.v1.GetHistoryRequest.instance_id": _ID,
    "stepway.v1.WatchHistoryRequest.workflow": _ID,
    "stepway.v1.WatchHistoryRequest.instance_id": _ID,
    # ---- WorkerService
    "stepway.v1.RegisterWorkerRequest.worker_id": _ID,
    "stepway.v1.RegisterWorkerRequest.task_queue": _ID,
    "stepway.v1.RegisterWorkerRequest.workflows": FieldLimit(
        items=MAX_WORKFLOWS_PER_REGISTRATION, size=MAX_ID_CHARS, noun="names"
    ),
    "stepway.v1.RegisterWorkerRequest.identity": FieldLimit(size=MAX_IDENTITY_CHARS),
    "stepway.v1.RegisterWorkerRequest.sdk": FieldLimit(size=MAX_SDK_CHARS),
    "stepway.v1.RegisterWorkerRequest.workflow_options": FieldLimit(
        items=MAX_WORKFLOWS_PER_REGISTRATION, noun="options"
    ),
    "stepway.v1.WorkflowOptions.workflow": _ID,
    "stepway.v1.PollWorkflowTasksRequest.worker_id": _ID,
    "stepway.v1.PollWorkflowTasksRequest.task_queue": _ID,
    "stepway.v1.PollWorkflowTasksRequest.build_id": _ID,
    "stepway.v1.RegisterWorkerRequest.build_id": _ID,
    "stepway.v1.NonDeterminism.step_name": _STEP_NAME,
    "stepway.v1.NonDeterminism.message": FieldLimit(size=MAX_FAILURE_TEXT_CHARS),
    "stepway.v1.NonDeterminism.build_id": _ID,
    "stepway.v1.ListWorkflowBuildsRequest.workflow": _ID,
    "stepway.v1.MoveWorkflowBuildRequest.workflow": _ID,
    "stepway.v1.MoveWorkflowBuildRequest.from_build_id": _ID,
    "stepway.v1.MoveWorkflowBuildRequest.to_build_id": _ID,
    "stepway.v1.CompleteStepRequest.task_token": _TOKEN,
    "stepway.v1.GetTaskJournalRequest.task_token": _TOKEN,
    "stepway.v1.GetTaskJournalRequest.page_token": FieldLimit(size=MAX_POSITION_TOKEN_CHARS),
    "stepway.v1.CompleteStepRequest.name": _STEP_NAME,
    "stepway.v1.FailStepRequest.task_token": _TOKEN,
    "stepway.v1.StartStepRequest.task_token": _TOKEN,
    "stepway.v1.StartStepRequest.name": _STEP_NAME,
    "stepway.v1.FailStepRequest.name": _STEP_NAME,
    "stepway.v1.StartSleepRequest.task_token": _TOKEN,
    "stepway.v1.StartSleepRequest.name": _STEP_NAME,
    "stepway.v1.WaitForEventRequest.task_token": _TOKEN,
    "stepway.v1.WaitForEventRequest.name": _STEP_NAME,
    "stepway.v1.WaitForEventRequest.event_type": _ID,
    "stepway.v1.CompleteWorkflowRequest.task_token": _TOKEN,
    "stepway.v1.FailWorkflowRequest.task_token": _TOKEN,
    "stepway.v1.HeartbeatTasksRequest.worker_id": _ID,
    "stepway.v1.HeartbeatTasksRequest.task_tokens": FieldLimit(
        items=MAX_TASK_TOKENS, size=MAX_TASK_TOKEN_BYTES, noun="tokens"
    ),
    "stepway.v1.ReleaseTasksRequest.worker_id": _ID,
    "stepway.v1.ReleaseTasksRequest.task_tokens": FieldLimit(
        items=MAX_TASK_TOKENS, size=MAX_TASK_TOKEN_BYTES, noun="tokens"
    ),
    "stepway.v1.RecordBatchRequest.commands": FieldLimit(
        items=MAX_BATCH_COMMANDS, noun="commands", batch=True
    ),
    "stepway.v1.StartRollbackRequest.task_token": _TOKEN,
    "stepway.v1.StartRollbackRequest.steps": FieldLimit(items=MAX_ROLLBACK_STEPS, noun="steps"),
    "stepway.v1.StepRef.name": _STEP_NAME,
    "stepway.v1.ScheduleCallRequest.task_token": _TOKEN,
    "stepway.v1.ScheduleCallRequest.name": _STEP_NAME,
    "stepway.v1.ScheduleCallRequest.task_queue": _ID,
    "stepway.v1.ScheduleCallRequest.step_type": _ID,
    "stepway.v1.ScheduleCallRequest.trace_parent": FieldLimit(size=MAX_TRACEPARENT_CHARS),
    "stepway.v1.PollStepTasksRequest.worker_id": _ID,
    "stepway.v1.PollStepTasksRequest.task_queue": _ID,
    "stepway.v1.CompleteStepTaskRequest.task_token": _STEP_TOKEN,
    "stepway.v1.FailStepTaskRequest.task_token": _STEP_TOKEN,
    "stepway.v1.HeartbeatStepTaskRequest.task_token": _STEP_TOKEN,
    "stepway.v1.StartChildRequest.task_token": _TOKEN,
    "stepway.v1.StartChildRequest.name": _STEP_NAME,
    "stepway.v1.StartChildRequest.workflow": _ID,
    "stepway.v1.StartChildRequest.instance_id": _ID,
    "stepway.v1.StartChildRequest.task_queue": _ID,
    "stepway.v1.StartChildRequest.trace_parent": FieldLimit(size=MAX_TRACEPARENT_CHARS),
    # ---- ScheduleService
    "stepway.v1.CronSpec.expression": FieldLimit(size=MAX_CRON_CHARS),
    "stepway.v1.CronSpec.time_zone": FieldLimit(size=MAX_TIME_ZONE_CHARS),
    "stepway.v1.ScheduleAction.workflow": _ID,
    "stepway.v1.ScheduleAction.task_queue": _ID,
    "stepway.v1.CreateScheduleRequest.schedule_id": _SCHEDULE_ID,
    "stepway.v1.GetScheduleRequest.schedule_id": _SCHEDULE_ID,
    "stepway.v1.ListSchedulesRequest.page_token": FieldLimit(size=MAX_PAGE_TOKEN_CHARS),
    "stepway.v1.UpdateScheduleRequest.schedule_id": _SCHEDULE_ID,
    "stepway.v1.PauseScheduleRequest.schedule_id": _SCHEDULE_ID,
    "stepway.v1.PauseScheduleRequest.note": FieldLimit(size=MAX_REASON_CHARS),
    "stepway.v1.ResumeScheduleRequest.schedule_id": _SCHEDULE_ID,
    "stepway.v1.ResumeScheduleRequest.note": FieldLimit(size=MAX_REASON_CHARS),
    "stepway.v1.DeleteScheduleRequest.schedule_id": _SCHEDULE_ID,
    "stepway.v1.TriggerScheduleRequest.schedule_id": _SCHEDULE_ID,
    "stepway.v1.BackfillScheduleRequest.schedule_id": _SCHEDULE_ID,
    # ---- AdminService
    "stepway.v1.CreateAccountRequest.name": _ID,
    "stepway.v1.GetQuotasRequest.account": _ID,
    "stepway.v1.SetQuotasRequest.account": _ID,
    "stepway.v1.CreateKeyRequest.account": _ID,
    "stepway.v1.CreateKeyRequest.name": FieldLimit(size=MAX_KEY_NAME_CHARS),
    "stepway.v1.ListKeysRequest.account": _ID,
    "stepway.v1.RevokeKeyRequest.account": _ID,
    "stepway.v1.RevokeKeyRequest.key_id": FieldLimit(size=KEY_ID_LENGTH),
    "stepway.v1.GetUsageRequest.account": _ID,
    # ---- InternalService (gateway to shard server only)
    "stepway.internal.v1.EndPollRequest.poll_id": _ID,
    "stepway.internal.v1.WorkerGoneRequest.worker_id": _ID,
    # Shard server to shard server (shards/engine/children.py).
    "stepway.internal.v1.DeliverChildMessagesRequest.messages": FieldLimit(
        items=MAX_CHILD_MESSAGES, noun="messages"
    ),
    "stepway.internal.v1.ChildMessage.id": _ID,
    "stepway.internal.v1.ChildMessage.kind": _ID,
    "stepway.internal.v1.ChildMessage.workflow": _ID,
    "stepway.internal.v1.ChildMessage.instance_id": _ID,
    "stepway.internal.v1.ChildMessage.body": FieldLimit(size=MAX_CHILD_MESSAGE_BYTES),
}

_NO_LIMIT = FieldLimit()
_SIZED = (FieldDescriptor.TYPE_STRING, FieldDescriptor.TYPE_BYTES)


def check_request(request: Message, prefix: str = "") -> None:
    """Raises InvalidArgument for a field of request past its LIMITS row, named by its path
    from the request (after prefix). Walks set fields only, with a stack rather than
    recursion; a repeated field's count is checked before any of its items."""
    stack: list[tuple[str, Message]] = [(prefix, request)]
    while stack:
        path, message = stack.pop()
        for field, value in message.ListFields():
            limit = LIMITS.get(field.full_name, _NO_LIMIT)
            name = path + field.name
            if field.is_repeated:
                _check_count(name, len(value), limit)
                if limit.batch:
                    continue
                if field.type == FieldDescriptor.TYPE_MESSAGE:
                    # No request has a map field (tests/shards/test_limits.py checks it): a map's
                    # entries would need their own walk.
                    stack.extend((f"{name}[{n}].", item) for n, item in enumerate(value))
                elif field.type in _SIZED and limit.size is not None:
                    for n, item in enumerate(value):
                        _check_size(f"{name}[{n}]", item, limit.size)
            elif field.type == FieldDescriptor.TYPE_MESSAGE:
                stack.append((name + ".", value))
            elif field.type in _SIZED and limit.size is not None:
                _check_size(name, value, limit.size)


def _check_count(name: str, count: int, limit: FieldLimit) -> None:
    if limit.items is not None and count > limit.items:
        raise InvalidArgument(name, f"is {count} {limit.noun}; the limit is {limit.items}")


def _check_size(name: str, value: str | bytes, size: int) -> None:
    if len(value) <= size:
        return
    if isinstance(value, bytes):
        raise InvalidArgument(name, f"is {len(value)} bytes; the limit is {size} bytes")
    raise InvalidArgument(name, f"is {len(value)} characters long; the limit is {size}")


def markdown_rows() -> list[str]:
    """LIMITS as the rows of docs/limits.md's request-field table, by field name
    (`python -m shards.limits` prints them)."""
    from google.protobuf import descriptor_pool

    import stepway.internal.v1.internal_service_pb2
    import stepway.v1.admin_service_pb2
    import stepway.v1.schedule_service_pb2
    import stepway.v1.workflow_service_pb2  # noqa: F401  (registers the messages)

    pool = descriptor_pool.Default()
    rows = []
    for name, limit in sorted(LIMITS.items()):
        field = pool.FindFieldByName(name)
        items = "" if limit.items is None else f"{limit.items:,} {limit.noun}"
        if limit.batch:
            items += ", each checked on its own"
        unit = "bytes" if field.type == FieldDescriptor.TYPE_BYTES else "characters"
        size = "" if limit.size is None else f"{limit.size:,} {unit}"
        if size and limit.items is not None:
            size += " each"
        rows.append(f"| `{name}` | {items} | {size} |")
    return rows


if __name__ == "__main__":
    print("| field | most items | most size |")
    print("| --- | --- | --- |")
    print("\n".join(markdown_rows()))
