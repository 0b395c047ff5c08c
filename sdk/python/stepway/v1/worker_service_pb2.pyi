import datetime

from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.rpc import status_pb2 as _status_pb2
from stepway.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Backoff(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    BACKOFF_UNSPECIFIED: _ClassVar[Backoff]
    BACKOFF_CONSTANT: _ClassVar[Backoff]
    BACKOFF_LINEAR: _ClassVar[Backoff]
    BACKOFF_EXPONENTIAL: _ClassVar[Backoff]
BACKOFF_UNSPECIFIED: Backoff
BACKOFF_CONSTANT: Backoff
BACKOFF_LINEAR: Backoff
BACKOFF_EXPONENTIAL: Backoff

class RetryPolicy(_message.Message):
    __slots__ = ("limit", "delay", "backoff", "max_delay")
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    DELAY_FIELD_NUMBER: _ClassVar[int]
    BACKOFF_FIELD_NUMBER: _ClassVar[int]
    MAX_DELAY_FIELD_NUMBER: _ClassVar[int]
    limit: int
    delay: _duration_pb2.Duration
    backoff: Backoff
    max_delay: _duration_pb2.Duration
    def __init__(self, limit: _Optional[int] = ..., delay: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., backoff: _Optional[_Union[Backoff, str]] = ..., max_delay: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ...) -> None: ...

class JournalEntry(_message.Message):
    __slots__ = ("name", "seq", "kind", "state", "result", "error", "attempts", "wake_at", "child_instance_id")
    NAME_FIELD_NUMBER: _ClassVar[int]
    SEQ_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    ATTEMPTS_FIELD_NUMBER: _ClassVar[int]
    WAKE_AT_FIELD_NUMBER: _ClassVar[int]
    CHILD_INSTANCE_ID_FIELD_NUMBER: _ClassVar[int]
    name: str
    seq: int
    kind: _common_pb2.StepKind
    state: _common_pb2.StepState
    result: _common_pb2.Payload
    error: _common_pb2.Failure
    attempts: int
    wake_at: _timestamp_pb2.Timestamp
    child_instance_id: str
    def __init__(self, name: _Optional[str] = ..., seq: _Optional[int] = ..., kind: _Optional[_Union[_common_pb2.StepKind, str]] = ..., state: _Optional[_Union[_common_pb2.StepState, str]] = ..., result: _Optional[_Union[_common_pb2.Payload, _Mapping]] = ..., error: _Optional[_Union[_common_pb2.Failure, _Mapping]] = ..., attempts: _Optional[int] = ..., wake_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., child_instance_id: _Optional[str] = ...) -> None: ...

class WorkflowTask(_message.Message):
    __slots__ = ("task_token", "workflow", "instance_id", "params", "created_at", "journal", "lease_timeout", "trace_parent", "account_id", "next_journal_page_token")
    TASK_TOKEN_FIELD_NUMBER: _ClassVar[int]
    WORKFLOW_FIELD_NUMBER: _ClassVar[int]
    INSTANCE_ID_FIELD_NUMBER: _ClassVar[int]
    PARAMS_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    JOURNAL_FIELD_NUMBER: _ClassVar[int]
    LEASE_TIMEOUT_FIELD_NUMBER: _ClassVar[int]
    TRACE_PARENT_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    NEXT_JOURNAL_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    task_token: bytes
    workflow: str
    instance_id: str
    params: _common_pb2.Payload
    created_at: _timestamp_pb2.Timestamp
    journal: _containers.RepeatedCompositeFieldContainer[JournalEntry]
    lease_timeout: _duration_pb2.Duration
    trace_parent: str
    account_id: str
    next_journal_page_token: str
    def __init__(self, task_token: _Optional[bytes] = ..., workflow: _Optional[str] = ..., instance_id: _Optional[str] = ..., params: _Optional[_Union[_common_pb2.Payload, _Mapping]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., journal: _Optional[_Iterable[_Union[JournalEntry, _Mapping]]] = ..., lease_timeout: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., trace_parent: _Optional[str] = ..., account_id: _Optional[str] = ..., next_journal_page_token: _Optional[str] = ...) -> None: ...

class GetTaskJournalRequest(_message.Message):
    __slots__ = ("task_token", "page_token")
    TASK_TOKEN_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    task_token: bytes
    page_token: str
    def __init__(self, task_token: _Optional[bytes] = ..., page_token: _Optional[str] = ...) -> None: ...

class GetTaskJournalResponse(_message.Message):
    __slots__ = ("journal", "next_page_token")
    JOURNAL_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    journal: _containers.RepeatedCompositeFieldContainer[JournalEntry]
    next_page_token: str
    def __init__(self, journal: _Optional[_Iterable[_Union[JournalEntry, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class TaskToken(_message.Message):
    __slots__ = ("partition", "uid", "lease", "step_name", "step_seq")
    PARTITION_FIELD_NUMBER: _ClassVar[int]
    UID_FIELD_NUMBER: _ClassVar[int]
    LEASE_FIELD_NUMBER: _ClassVar[int]
    STEP_NAME_FIELD_NUMBER: _ClassVar[int]
    STEP_SEQ_FIELD_NUMBER: _ClassVar[int]
    partition: int
    uid: str
    lease: int
    step_name: str
    step_seq: int
    def __init__(self, partition: _Optional[int] = ..., uid: _Optional[str] = ..., lease: _Optional[int] = ..., step_name: _Optional[str] = ..., step_seq: _Optional[int] = ...) -> None: ...

class RegisterWorkerRequest(_message.Message):
    __slots__ = ("worker_id", "task_queue", "workflows", "identity", "sdk", "workflow_options", "build_id")
    WORKER_ID_FIELD_NUMBER: _ClassVar[int]
    TASK_QUEUE_FIELD_NUMBER: _ClassVar[int]
    WORKFLOWS_FIELD_NUMBER: _ClassVar[int]
    IDENTITY_FIELD_NUMBER: _ClassVar[int]
    SDK_FIELD_NUMBER: _ClassVar[int]
    WORKFLOW_OPTIONS_FIELD_NUMBER: _ClassVar[int]
    BUILD_ID_FIELD_NUMBER: _ClassVar[int]
    worker_id: str
    task_queue: str
    workflows: _containers.RepeatedScalarFieldContainer[str]
    identity: str
    sdk: str
    workflow_options: _containers.RepeatedCompositeFieldContainer[WorkflowOptions]
    build_id: str
    def __init__(self, worker_id: _Optional[str] = ..., task_queue: _Optional[str] = ..., workflows: _Optional[_Iterable[str]] = ..., identity: _Optional[str] = ..., sdk: _Optional[str] = ..., workflow_options: _Optional[_Iterable[_Union[WorkflowOptions, _Mapping]]] = ..., build_id: _Optional[str] = ...) -> None: ...

class WorkflowOptions(_message.Message):
    __slots__ = ("workflow", "success_retention", "error_retention")
    WORKFLOW_FIELD_NUMBER: _ClassVar[int]
    SUCCESS_RETENTION_FIELD_NUMBER: _ClassVar[int]
    ERROR_RETENTION_FIELD_NUMBER: _ClassVar[int]
    workflow: str
    success_retention: _duration_pb2.Duration
    error_retention: _duration_pb2.Duration
    def __init__(self, workflow: _Optional[str] = ..., success_retention: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., error_retention: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ...) -> None: ...

class RegisterWorkerResponse(_message.Message):
    __slots__ = ("lease_timeout",)
    LEASE_TIMEOUT_FIELD_NUMBER: _ClassVar[int]
    lease_timeout: _duration_pb2.Duration
    def __init__(self, lease_timeout: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ...) -> None: ...

class PollWorkflowTasksRequest(_message.Message):
    __slots__ = ("worker_id", "task_queue", "max_tasks", "wait", "build_id")
    WORKER_ID_FIELD_NUMBER: _ClassVar[int]
    TASK_QUEUE_FIELD_NUMBER: _ClassVar[int]
    MAX_TASKS_FIELD_NUMBER: _ClassVar[int]
    WAIT_FIELD_NUMBER: _ClassVar[int]
    BUILD_ID_FIELD_NUMBER: _ClassVar[int]
    worker_id: str
    task_queue: str
    max_tasks: int
    wait: _duration_pb2.Duration
    build_id: str
    def __init__(self, worker_id: _Optional[str] = ..., task_queue: _Optional[str] = ..., max_tasks: _Optional[int] = ..., wait: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., build_id: _Optional[str] = ...) -> None: ...

class PollWorkflowTasksResponse(_message.Message):
    __slots__ = ("tasks",)
    TASKS_FIELD_NUMBER: _ClassVar[int]
    tasks: _containers.RepeatedCompositeFieldContainer[WorkflowTask]
    def __init__(self, tasks: _Optional[_Iterable[_Union[WorkflowTask, _Mapping]]] = ...) -> None: ...

class CompleteStepRequest(_message.Message):
    __slots__ = ("task_token", "name", "seq", "attempt", "result", "started_at", "rollback")
    TASK_TOKEN_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    SEQ_FIELD_NUMBER: _ClassVar[int]
    ATTEMPT_FIELD_NUMBER: _ClassVar[int]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    STARTED_AT_FIELD_NUMBER: _ClassVar[int]
    ROLLBACK_FIELD_NUMBER: _ClassVar[int]
    task_token: bytes
    name: str
    seq: int
    attempt: int
    result: _common_pb2.Payload
    started_at: _timestamp_pb2.Timestamp
    rollback: bool
    def __init__(self, task_token: _Optional[bytes] = ..., name: _Optional[str] = ..., seq: _Optional[int] = ..., attempt: _Optional[int] = ..., result: _Optional[_Union[_common_pb2.Payload, _Mapping]] = ..., started_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., rollback: _Optional[bool] = ...) -> None: ...

class CompleteStepResponse(_message.Message):
    __slots__ = ("task_ended",)
    TASK_ENDED_FIELD_NUMBER: _ClassVar[int]
    task_ended: bool
    def __init__(self, task_ended: _Optional[bool] = ...) -> None: ...

class FailStepRequest(_message.Message):
    __slots__ = ("task_token", "name", "seq", "attempt", "error", "retry", "non_retryable", "started_at", "rollback")
    TASK_TOKEN_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    SEQ_FIELD_NUMBER: _ClassVar[int]
    ATTEMPT_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    RETRY_FIELD_NUMBER: _ClassVar[int]
    NON_RETRYABLE_FIELD_NUMBER: _ClassVar[int]
    STARTED_AT_FIELD_NUMBER: _ClassVar[int]
    ROLLBACK_FIELD_NUMBER: _ClassVar[int]
    task_token: bytes
    name: str
    seq: int
    attempt: int
    error: _common_pb2.Failure
    retry: RetryPolicy
    non_retryable: bool
    started_at: _timestamp_pb2.Timestamp
    rollback: bool
    def __init__(self, task_token: _Optional[bytes] = ..., name: _Optional[str] = ..., seq: _Optional[int] = ..., attempt: _Optional[int] = ..., error: _Optional[_Union[_common_pb2.Failure, _Mapping]] = ..., retry: _Optional[_Union[RetryPolicy, _Mapping]] = ..., non_retryable: _Optional[bool] = ..., started_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., rollback: _Optional[bool] = ...) -> None: ...

class StartStepRequest(_message.Message):
    __slots__ = ("task_token", "name", "seq", "attempt", "rollback")
    TASK_TOKEN_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    SEQ_FIELD_NUMBER: _ClassVar[int]
    ATTEMPT_FIELD_NUMBER: _ClassVar[int]
    ROLLBACK_FIELD_NUMBER: _ClassVar[int]
    task_token: bytes
    name: str
    seq: int
    attempt: int
    rollback: bool
    def __init__(self, task_token: _Optional[bytes] = ..., name: _Optional[str] = ..., seq: _Optional[int] = ..., attempt: _Optional[int] = ..., rollback: _Optional[bool] = ...) -> None: ...

class StartStepResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class FailStepResponse(_message.Message):
    __slots__ = ("retry_at", "exhausted", "task_ended")
    RETRY_AT_FIELD_NUMBER: _ClassVar[int]
    EXHAUSTED_FIELD_NUMBER: _ClassVar[int]
    TASK_ENDED_FIELD_NUMBER: _ClassVar[int]
    retry_at: _timestamp_pb2.Timestamp
    exhausted: _common_pb2.Failure
    task_ended: bool
    def __init__(self, retry_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., exhausted: _Optional[_Union[_common_pb2.Failure, _Mapping]] = ..., task_ended: _Optional[bool] = ...) -> None: ...

class StartSleepRequest(_message.Message):
    __slots__ = ("task_token", "name", "seq", "wake_at")
    TASK_TOKEN_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    SEQ_FIELD_NUMBER: _ClassVar[int]
    WAKE_AT_FIELD_NUMBER: _ClassVar[int]
    task_token: bytes
    name: str
    seq: int
    wake_at: _timestamp_pb2.Timestamp
    def __init__(self, task_token: _Optional[bytes] = ..., name: _Optional[str] = ..., seq: _Optional[int] = ..., wake_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class StartSleepResponse(_message.Message):
    __slots__ = ("suspended",)
    SUSPENDED_FIELD_NUMBER: _ClassVar[int]
    suspended: bool
    def __init__(self, suspended: _Optional[bool] = ...) -> None: ...

class Event(_message.Message):
    __slots__ = ("type", "payload", "received_at")
    TYPE_FIELD_NUMBER: _ClassVar[int]
    PAYLOAD_FIELD_NUMBER: _ClassVar[int]
    RECEIVED_AT_FIELD_NUMBER: _ClassVar[int]
    type: str
    payload: _common_pb2.Payload
    received_at: _timestamp_pb2.Timestamp
    def __init__(self, type: _Optional[str] = ..., payload: _Optional[_Union[_common_pb2.Payload, _Mapping]] = ..., received_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class WaitForEventRequest(_message.Message):
    __slots__ = ("task_token", "name", "seq", "event_type", "timeout_at")
    TASK_TOKEN_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    SEQ_FIELD_NUMBER: _ClassVar[int]
    EVENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    TIMEOUT_AT_FIELD_NUMBER: _ClassVar[int]
    task_token: bytes
    name: str
    seq: int
    event_type: str
    timeout_at: _timestamp_pb2.Timestamp
    def __init__(self, task_token: _Optional[bytes] = ..., name: _Optional[str] = ..., seq: _Optional[int] = ..., event_type: _Optional[str] = ..., timeout_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class WaitForEventResponse(_message.Message):
    __slots__ = ("suspended", "event", "error")
    SUSPENDED_FIELD_NUMBER: _ClassVar[int]
    EVENT_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    suspended: bool
    event: Event
    error: _common_pb2.Failure
    def __init__(self, suspended: _Optional[bool] = ..., event: _Optional[_Union[Event, _Mapping]] = ..., error: _Optional[_Union[_common_pb2.Failure, _Mapping]] = ...) -> None: ...

class CompleteWorkflowRequest(_message.Message):
    __slots__ = ("task_token", "output")
    TASK_TOKEN_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_FIELD_NUMBER: _ClassVar[int]
    task_token: bytes
    output: _common_pb2.Payload
    def __init__(self, task_token: _Optional[bytes] = ..., output: _Optional[_Union[_common_pb2.Payload, _Mapping]] = ...) -> None: ...

class CompleteWorkflowResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class FailWorkflowRequest(_message.Message):
    __slots__ = ("task_token", "error", "non_determinism")
    TASK_TOKEN_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    NON_DETERMINISM_FIELD_NUMBER: _ClassVar[int]
    task_token: bytes
    error: _common_pb2.Failure
    non_determinism: _common_pb2.NonDeterminism
    def __init__(self, task_token: _Optional[bytes] = ..., error: _Optional[_Union[_common_pb2.Failure, _Mapping]] = ..., non_determinism: _Optional[_Union[_common_pb2.NonDeterminism, _Mapping]] = ...) -> None: ...

class FailWorkflowResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class HeartbeatTasksRequest(_message.Message):
    __slots__ = ("worker_id", "task_tokens")
    WORKER_ID_FIELD_NUMBER: _ClassVar[int]
    TASK_TOKENS_FIELD_NUMBER: _ClassVar[int]
    worker_id: str
    task_tokens: _containers.RepeatedScalarFieldContainer[bytes]
    def __init__(self, worker_id: _Optional[str] = ..., task_tokens: _Optional[_Iterable[bytes]] = ...) -> None: ...

class HeartbeatTasksResponse(_message.Message):
    __slots__ = ("lost_task_tokens",)
    LOST_TASK_TOKENS_FIELD_NUMBER: _ClassVar[int]
    lost_task_tokens: _containers.RepeatedScalarFieldContainer[bytes]
    def __init__(self, lost_task_tokens: _Optional[_Iterable[bytes]] = ...) -> None: ...

class ReleaseTasksRequest(_message.Message):
    __slots__ = ("worker_id", "task_tokens")
    WORKER_ID_FIELD_NUMBER: _ClassVar[int]
    TASK_TOKENS_FIELD_NUMBER: _ClassVar[int]
    worker_id: str
    task_tokens: _containers.RepeatedScalarFieldContainer[bytes]
    def __init__(self, worker_id: _Optional[str] = ..., task_tokens: _Optional[_Iterable[bytes]] = ...) -> None: ...

class ReleaseTasksResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class WorkerCommand(_message.Message):
    __slots__ = ("complete_step", "fail_step", "start_sleep", "wait_for_event", "complete_workflow", "fail_workflow", "schedule_call", "start_step", "start_rollback", "start_child")
    COMPLETE_STEP_FIELD_NUMBER: _ClassVar[int]
    FAIL_STEP_FIELD_NUMBER: _ClassVar[int]
    START_SLEEP_FIELD_NUMBER: _ClassVar[int]
    WAIT_FOR_EVENT_FIELD_NUMBER: _ClassVar[int]
    COMPLETE_WORKFLOW_FIELD_NUMBER: _ClassVar[int]
    FAIL_WORKFLOW_FIELD_NUMBER: _ClassVar[int]
    SCHEDULE_CALL_FIELD_NUMBER: _ClassVar[int]
    START_STEP_FIELD_NUMBER: _ClassVar[int]
    START_ROLLBACK_FIELD_NUMBER: _ClassVar[int]
    START_CHILD_FIELD_NUMBER: _ClassVar[int]
    complete_step: CompleteStepRequest
    fail_step: FailStepRequest
    start_sleep: StartSleepRequest
    wait_for_event: WaitForEventRequest
    complete_workflow: CompleteWorkflowRequest
    fail_workflow: FailWorkflowRequest
    schedule_call: ScheduleCallRequest
    start_step: StartStepRequest
    start_rollback: StartRollbackRequest
    start_child: StartChildRequest
    def __init__(self, complete_step: _Optional[_Union[CompleteStepRequest, _Mapping]] = ..., fail_step: _Optional[_Union[FailStepRequest, _Mapping]] = ..., start_sleep: _Optional[_Union[StartSleepRequest, _Mapping]] = ..., wait_for_event: _Optional[_Union[WaitForEventRequest, _Mapping]] = ..., complete_workflow: _Optional[_Union[CompleteWorkflowRequest, _Mapping]] = ..., fail_workflow: _Optional[_Union[FailWorkflowRequest, _Mapping]] = ..., schedule_call: _Optional[_Union[ScheduleCallRequest, _Mapping]] = ..., start_step: _Optional[_Union[StartStepRequest, _Mapping]] = ..., start_rollback: _Optional[_Union[StartRollbackRequest, _Mapping]] = ..., start_child: _Optional[_Union[StartChildRequest, _Mapping]] = ...) -> None: ...

class CommandResult(_message.Message):
    __slots__ = ("complete_step", "fail_step", "start_sleep", "wait_for_event", "complete_workflow", "fail_workflow", "schedule_call", "start_step", "start_rollback", "start_child", "error")
    COMPLETE_STEP_FIELD_NUMBER: _ClassVar[int]
    FAIL_STEP_FIELD_NUMBER: _ClassVar[int]
    START_SLEEP_FIELD_NUMBER: _ClassVar[int]
    WAIT_FOR_EVENT_FIELD_NUMBER: _ClassVar[int]
    COMPLETE_WORKFLOW_FIELD_NUMBER: _ClassVar[int]
    FAIL_WORKFLOW_FIELD_NUMBER: _ClassVar[int]
    SCHEDULE_CALL_FIELD_NUMBER: _ClassVar[int]
    START_STEP_FIELD_NUMBER: _ClassVar[int]
    START_ROLLBACK_FIELD_NUMBER: _ClassVar[int]
    START_CHILD_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    complete_step: CompleteStepResponse
    fail_step: FailStepResponse
    start_sleep: StartSleepResponse
    wait_for_event: WaitForEventResponse
    complete_workflow: CompleteWorkflowResponse
    fail_workflow: FailWorkflowResponse
    schedule_call: ScheduleCallResponse
    start_step: StartStepResponse
    start_rollback: StartRollbackResponse
    start_child: StartChildResponse
    error: _status_pb2.Status
    def __init__(self, complete_step: _Optional[_Union[CompleteStepResponse, _Mapping]] = ..., fail_step: _Optional[_Union[FailStepResponse, _Mapping]] = ..., start_sleep: _Optional[_Union[StartSleepResponse, _Mapping]] = ..., wait_for_event: _Optional[_Union[WaitForEventResponse, _Mapping]] = ..., complete_workflow: _Optional[_Union[CompleteWorkflowResponse, _Mapping]] = ..., fail_workflow: _Optional[_Union[FailWorkflowResponse, _Mapping]] = ..., schedule_call: _Optional[_Union[ScheduleCallResponse, _Mapping]] = ..., start_step: _Optional[_Union[StartStepResponse, _Mapping]] = ..., start_rollback: _Optional[_Union[StartRollbackResponse, _Mapping]] = ..., start_child: _Optional[_Union[StartChildResponse, _Mapping]] = ..., error: _Optional[_Union[_status_pb2.Status, _Mapping]] = ...) -> None: ...

class RecordBatchRequest(_message.Message):
    __slots__ = ("commands",)
    COMMANDS_FIELD_NUMBER: _ClassVar[int]
    commands: _containers.RepeatedCompositeFieldContainer[WorkerCommand]
    def __init__(self, commands: _Optional[_Iterable[_Union[WorkerCommand, _Mapping]]] = ...) -> None: ...

class RecordBatchResponse(_message.Message):
    __slots__ = ("results",)
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    results: _containers.RepeatedCompositeFieldContainer[CommandResult]
    def __init__(self, results: _Optional[_Iterable[_Union[CommandResult, _Mapping]]] = ...) -> None: ...

class ScheduleCallRequest(_message.Message):
    __slots__ = ("task_token", "name", "seq", "task_queue", "step_type", "input", "retry", "timeout", "heartbeat_timeout", "trace_parent")
    TASK_TOKEN_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    SEQ_FIELD_NUMBER: _ClassVar[int]
    TASK_QUEUE_FIELD_NUMBER: _ClassVar[int]
    STEP_TYPE_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    RETRY_FIELD_NUMBER: _ClassVar[int]
    TIMEOUT_FIELD_NUMBER: _ClassVar[int]
    HEARTBEAT_TIMEOUT_FIELD_NUMBER: _ClassVar[int]
    TRACE_PARENT_FIELD_NUMBER: _ClassVar[int]
    task_token: bytes
    name: str
    seq: int
    task_queue: str
    step_type: str
    input: _common_pb2.Payload
    retry: RetryPolicy
    timeout: _duration_pb2.Duration
    heartbeat_timeout: _duration_pb2.Duration
    trace_parent: str
    def __init__(self, task_token: _Optional[bytes] = ..., name: _Optional[str] = ..., seq: _Optional[int] = ..., task_queue: _Optional[str] = ..., step_type: _Optional[str] = ..., input: _Optional[_Union[_common_pb2.Payload, _Mapping]] = ..., retry: _Optional[_Union[RetryPolicy, _Mapping]] = ..., timeout: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., heartbeat_timeout: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., trace_parent: _Optional[str] = ...) -> None: ...

class ScheduleCallResponse(_message.Message):
    __slots__ = ("suspended", "step")
    SUSPENDED_FIELD_NUMBER: _ClassVar[int]
    STEP_FIELD_NUMBER: _ClassVar[int]
    suspended: bool
    step: JournalEntry
    def __init__(self, suspended: _Optional[bool] = ..., step: _Optional[_Union[JournalEntry, _Mapping]] = ...) -> None: ...

class StepTask(_message.Message):
    __slots__ = ("task_token", "step_type", "input", "attempt", "workflow", "instance_id", "step_name", "step_seq", "deadline", "heartbeat_timeout", "heartbeat_details", "scheduled_at", "trace_parent", "account_id")
    TASK_TOKEN_FIELD_NUMBER: _ClassVar[int]
    STEP_TYPE_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    ATTEMPT_FIELD_NUMBER: _ClassVar[int]
    WORKFLOW_FIELD_NUMBER: _ClassVar[int]
    INSTANCE_ID_FIELD_NUMBER: _ClassVar[int]
    STEP_NAME_FIELD_NUMBER: _ClassVar[int]
    STEP_SEQ_FIELD_NUMBER: _ClassVar[int]
    DEADLINE_FIELD_NUMBER: _ClassVar[int]
    HEARTBEAT_TIMEOUT_FIELD_NUMBER: _ClassVar[int]
    HEARTBEAT_DETAILS_FIELD_NUMBER: _ClassVar[int]
    SCHEDULED_AT_FIELD_NUMBER: _ClassVar[int]
    TRACE_PARENT_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    task_token: bytes
    step_type: str
    input: _common_pb2.Payload
    attempt: int
    workflow: str
    instance_id: str
    step_name: str
    step_seq: int
    deadline: _timestamp_pb2.Timestamp
    heartbeat_timeout: _duration_pb2.Duration
    heartbeat_details: _common_pb2.Payload
    scheduled_at: _timestamp_pb2.Timestamp
    trace_parent: str
    account_id: str
    def __init__(self, task_token: _Optional[bytes] = ..., step_type: _Optional[str] = ..., input: _Optional[_Union[_common_pb2.Payload, _Mapping]] = ..., attempt: _Optional[int] = ..., workflow: _Optional[str] = ..., instance_id: _Optional[str] = ..., step_name: _Optional[str] = ..., step_seq: _Optional[int] = ..., deadline: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., heartbeat_timeout: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., heartbeat_details: _Optional[_Union[_common_pb2.Payload, _Mapping]] = ..., scheduled_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., trace_parent: _Optional[str] = ..., account_id: _Optional[str] = ...) -> None: ...

class PollStepTasksRequest(_message.Message):
    __slots__ = ("worker_id", "task_queue", "max_tasks", "wait")
    WORKER_ID_FIELD_NUMBER: _ClassVar[int]
    TASK_QUEUE_FIELD_NUMBER: _ClassVar[int]
    MAX_TASKS_FIELD_NUMBER: _ClassVar[int]
    WAIT_FIELD_NUMBER: _ClassVar[int]
    worker_id: str
    task_queue: str
    max_tasks: int
    wait: _duration_pb2.Duration
    def __init__(self, worker_id: _Optional[str] = ..., task_queue: _Optional[str] = ..., max_tasks: _Optional[int] = ..., wait: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ...) -> None: ...

class PollStepTasksResponse(_message.Message):
    __slots__ = ("tasks",)
    TASKS_FIELD_NUMBER: _ClassVar[int]
    tasks: _containers.RepeatedCompositeFieldContainer[StepTask]
    def __init__(self, tasks: _Optional[_Iterable[_Union[StepTask, _Mapping]]] = ...) -> None: ...

class CompleteStepTaskRequest(_message.Message):
    __slots__ = ("task_token", "result")
    TASK_TOKEN_FIELD_NUMBER: _ClassVar[int]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    task_token: bytes
    result: _common_pb2.Payload
    def __init__(self, task_token: _Optional[bytes] = ..., result: _Optional[_Union[_common_pb2.Payload, _Mapping]] = ...) -> None: ...

class CompleteStepTaskResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class FailStepTaskRequest(_message.Message):
    __slots__ = ("task_token", "error", "non_retryable")
    TASK_TOKEN_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    NON_RETRYABLE_FIELD_NUMBER: _ClassVar[int]
    task_token: bytes
    error: _common_pb2.Failure
    non_retryable: bool
    def __init__(self, task_token: _Optional[bytes] = ..., error: _Optional[_Union[_common_pb2.Failure, _Mapping]] = ..., non_retryable: _Optional[bool] = ...) -> None: ...

class FailStepTaskResponse(_message.Message):
    __slots__ = ("retry_at", "exhausted")
    RETRY_AT_FIELD_NUMBER: _ClassVar[int]
    EXHAUSTED_FIELD_NUMBER: _ClassVar[int]
    retry_at: _timestamp_pb2.Timestamp
    exhausted: _common_pb2.Failure
    def __init__(self, retry_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., exhausted: _Optional[_Union[_common_pb2.Failure, _Mapping]] = ...) -> None: ...

class HeartbeatStepTaskRequest(_message.Message):
    __slots__ = ("task_token", "details")
    TASK_TOKEN_FIELD_NUMBER: _ClassVar[int]
    DETAILS_FIELD_NUMBER: _ClassVar[int]
    task_token: bytes
    details: _common_pb2.Payload
    def __init__(self, task_token: _Optional[bytes] = ..., details: _Optional[_Union[_common_pb2.Payload, _Mapping]] = ...) -> None: ...

class HeartbeatStepTaskResponse(_message.Message):
    __slots__ = ("heartbeat_deadline",)
    HEARTBEAT_DEADLINE_FIELD_NUMBER: _ClassVar[int]
    heartbeat_deadline: _timestamp_pb2.Timestamp
    def __init__(self, heartbeat_deadline: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class StepRef(_message.Message):
    __slots__ = ("name", "seq")
    NAME_FIELD_NUMBER: _ClassVar[int]
    SEQ_FIELD_NUMBER: _ClassVar[int]
    name: str
    seq: int
    def __init__(self, name: _Optional[str] = ..., seq: _Optional[int] = ...) -> None: ...

class StartRollbackRequest(_message.Message):
    __slots__ = ("task_token", "error", "steps")
    TASK_TOKEN_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    STEPS_FIELD_NUMBER: _ClassVar[int]
    task_token: bytes
    error: _common_pb2.Failure
    steps: _containers.RepeatedCompositeFieldContainer[StepRef]
    def __init__(self, task_token: _Optional[bytes] = ..., error: _Optional[_Union[_common_pb2.Failure, _Mapping]] = ..., steps: _Optional[_Iterable[_Union[StepRef, _Mapping]]] = ...) -> None: ...

class StartRollbackResponse(_message.Message):
    __slots__ = ("rollbacks",)
    ROLLBACKS_FIELD_NUMBER: _ClassVar[int]
    rollbacks: _containers.RepeatedCompositeFieldContainer[JournalEntry]
    def __init__(self, rollbacks: _Optional[_Iterable[_Union[JournalEntry, _Mapping]]] = ...) -> None: ...

class StartChildRequest(_message.Message):
    __slots__ = ("task_token", "name", "seq", "workflow", "instance_id", "params", "task_queue", "parent_close", "wait", "trace_parent")
    TASK_TOKEN_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    SEQ_FIELD_NUMBER: _ClassVar[int]
    WORKFLOW_FIELD_NUMBER: _ClassVar[int]
    INSTANCE_ID_FIELD_NUMBER: _ClassVar[int]
    PARAMS_FIELD_NUMBER: _ClassVar[int]
    TASK_QUEUE_FIELD_NUMBER: _ClassVar[int]
    PARENT_CLOSE_FIELD_NUMBER: _ClassVar[int]
    WAIT_FIELD_NUMBER: _ClassVar[int]
    TRACE_PARENT_FIELD_NUMBER: _ClassVar[int]
    task_token: bytes
    name: str
    seq: int
    workflow: str
    instance_id: str
    params: _common_pb2.Payload
    task_queue: str
    parent_close: _common_pb2.ParentClosePolicy
    wait: bool
    trace_parent: str
    def __init__(self, task_token: _Optional[bytes] = ..., name: _Optional[str] = ..., seq: _Optional[int] = ..., workflow: _Optional[str] = ..., instance_id: _Optional[str] = ..., params: _Optional[_Union[_common_pb2.Payload, _Mapping]] = ..., task_queue: _Optional[str] = ..., parent_close: _Optional[_Union[_common_pb2.ParentClosePolicy, str]] = ..., wait: _Optional[bool] = ..., trace_parent: _Optional[str] = ...) -> None: ...

class StartChildResponse(_message.Message):
    __slots__ = ("suspended", "step", "instance_id")
    SUSPENDED_FIELD_NUMBER: _ClassVar[int]
    STEP_FIELD_NUMBER: _ClassVar[int]
    INSTANCE_ID_FIELD_NUMBER: _ClassVar[int]
    suspended: bool
    step: JournalEntry
    instance_id: str
    def __init__(self, suspended: _Optional[bool] = ..., step: _Optional[_Union[JournalEntry, _Mapping]] = ..., instance_id: _Optional[str] = ...) -> None: ...
