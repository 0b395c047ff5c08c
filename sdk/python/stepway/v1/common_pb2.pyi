import datetime

from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class InstanceStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    INSTANCE_STATUS_UNSPECIFIED: _ClassVar[InstanceStatus]
    INSTANCE_STATUS_QUEUED: _ClassVar[InstanceStatus]
    INSTANCE_STATUS_RUNNING: _ClassVar[InstanceStatus]
    INSTANCE_STATUS_PAUSED: _ClassVar[InstanceStatus]
    INSTANCE_STATUS_WAITING: _ClassVar[InstanceStatus]
    INSTANCE_STATUS_WAITING_FOR_PAUSE: _ClassVar[InstanceStatus]
    INSTANCE_STATUS_ERRORED: _ClassVar[InstanceStatus]
    INSTANCE_STATUS_TERMINATED: _ClassVar[InstanceStatus]
    INSTANCE_STATUS_COMPLETE: _ClassVar[InstanceStatus]

class StepKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    STEP_KIND_UNSPECIFIED: _ClassVar[StepKind]
    STEP_KIND_DO: _ClassVar[StepKind]
    STEP_KIND_SLEEP: _ClassVar[StepKind]
    STEP_KIND_WAIT_FOR_EVENT: _ClassVar[StepKind]
    STEP_KIND_CALL: _ClassVar[StepKind]
    STEP_KIND_ROLLBACK: _ClassVar[StepKind]
    STEP_KIND_CHILD: _ClassVar[StepKind]

class StepState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    STEP_STATE_UNSPECIFIED: _ClassVar[StepState]
    STEP_STATE_PENDING: _ClassVar[StepState]
    STEP_STATE_SUCCEEDED: _ClassVar[StepState]
    STEP_STATE_FAILED: _ClassVar[StepState]
    STEP_STATE_RUNNING: _ClassVar[StepState]

class HistoryEventType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    HISTORY_EVENT_TYPE_UNSPECIFIED: _ClassVar[HistoryEventType]
    HISTORY_EVENT_TYPE_CREATED: _ClassVar[HistoryEventType]
    HISTORY_EVENT_TYPE_QUEUED: _ClassVar[HistoryEventType]
    HISTORY_EVENT_TYPE_STARTED: _ClassVar[HistoryEventType]
    HISTORY_EVENT_TYPE_RESUMED_ON_WORKER: _ClassVar[HistoryEventType]
    HISTORY_EVENT_TYPE_STEP_ATTEMPT_STARTED: _ClassVar[HistoryEventType]
    HISTORY_EVENT_TYPE_STEP_SUCCEEDED: _ClassVar[HistoryEventType]
    HISTORY_EVENT_TYPE_STEP_ATTEMPT_FAILED: _ClassVar[HistoryEventType]
    HISTORY_EVENT_TYPE_STEP_FAILED: _ClassVar[HistoryEventType]
    HISTORY_EVENT_TYPE_STEP_RETRY_SCHEDULED: _ClassVar[HistoryEventType]
    HISTORY_EVENT_TYPE_STEP_RETRY_DUE: _ClassVar[HistoryEventType]
    HISTORY_EVENT_TYPE_SLEEPING: _ClassVar[HistoryEventType]
    HISTORY_EVENT_TYPE_WOKE: _ClassVar[HistoryEventType]
    HISTORY_EVENT_TYPE_WAITING_FOR_EVENT: _ClassVar[HistoryEventType]
    HISTORY_EVENT_TYPE_EVENT_RECEIVED: _ClassVar[HistoryEventType]
    HISTORY_EVENT_TYPE_EVENT_TAKEN: _ClassVar[HistoryEventType]
    HISTORY_EVENT_TYPE_EVENT_WAIT_TIMED_OUT: _ClassVar[HistoryEventType]
    HISTORY_EVENT_TYPE_LEASE_EXPIRED: _ClassVar[HistoryEventType]
    HISTORY_EVENT_TYPE_TASK_RELEASED: _ClassVar[HistoryEventType]
    HISTORY_EVENT_TYPE_COMPLETED: _ClassVar[HistoryEventType]
    HISTORY_EVENT_TYPE_ERRORED: _ClassVar[HistoryEventType]
    HISTORY_EVENT_TYPE_PAUSE_REQUESTED: _ClassVar[HistoryEventType]
    HISTORY_EVENT_TYPE_PAUSED: _ClassVar[HistoryEventType]
    HISTORY_EVENT_TYPE_RESUMED: _ClassVar[HistoryEventType]
    HISTORY_EVENT_TYPE_TERMINATED: _ClassVar[HistoryEventType]
    HISTORY_EVENT_TYPE_RESTARTED: _ClassVar[HistoryEventType]
    HISTORY_EVENT_TYPE_CALL_SCHEDULED: _ClassVar[HistoryEventType]
    HISTORY_EVENT_TYPE_ROLLBACK_STARTED: _ClassVar[HistoryEventType]
    HISTORY_EVENT_TYPE_ROLLBACK_ATTEMPT_STARTED: _ClassVar[HistoryEventType]
    HISTORY_EVENT_TYPE_ROLLBACK_SUCCEEDED: _ClassVar[HistoryEventType]
    HISTORY_EVENT_TYPE_ROLLBACK_ATTEMPT_FAILED: _ClassVar[HistoryEventType]
    HISTORY_EVENT_TYPE_ROLLBACK_RETRY_SCHEDULED: _ClassVar[HistoryEventType]
    HISTORY_EVENT_TYPE_ROLLBACK_RETRY_DUE: _ClassVar[HistoryEventType]
    HISTORY_EVENT_TYPE_ROLLBACK_FAILED: _ClassVar[HistoryEventType]
    HISTORY_EVENT_TYPE_CHILD_STARTED: _ClassVar[HistoryEventType]
    HISTORY_EVENT_TYPE_CHILD_ENDED: _ClassVar[HistoryEventType]
    HISTORY_EVENT_TYPE_NON_DETERMINISM: _ClassVar[HistoryEventType]
    HISTORY_EVENT_TYPE_BUILD_MOVED: _ClassVar[HistoryEventType]

class ParentClosePolicy(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PARENT_CLOSE_POLICY_UNSPECIFIED: _ClassVar[ParentClosePolicy]
    PARENT_CLOSE_POLICY_TERMINATE: _ClassVar[ParentClosePolicy]
    PARENT_CLOSE_POLICY_ABANDON: _ClassVar[ParentClosePolicy]

class RollbackOutcome(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ROLLBACK_OUTCOME_UNSPECIFIED: _ClassVar[RollbackOutcome]
    ROLLBACK_OUTCOME_ROLLING_BACK: _ClassVar[RollbackOutcome]
    ROLLBACK_OUTCOME_ROLLED_BACK: _ClassVar[RollbackOutcome]
    ROLLBACK_OUTCOME_ROLLBACK_FAILED: _ClassVar[RollbackOutcome]
INSTANCE_STATUS_UNSPECIFIED: InstanceStatus
INSTANCE_STATUS_QUEUED: InstanceStatus
INSTANCE_STATUS_RUNNING: InstanceStatus
INSTANCE_STATUS_PAUSED: InstanceStatus
INSTANCE_STATUS_WAITING: InstanceStatus
INSTANCE_STATUS_WAITING_FOR_PAUSE: InstanceStatus
INSTANCE_STATUS_ERRORED: InstanceStatus
INSTANCE_STATUS_TERMINATED: InstanceStatus
INSTANCE_STATUS_COMPLETE: InstanceStatus
STEP_KIND_UNSPECIFIED: StepKind
STEP_KIND_DO: StepKind
STEP_KIND_SLEEP: StepKind
STEP_KIND_WAIT_FOR_EVENT: StepKind
STEP_KIND_CALL: StepKind
STEP_KIND_ROLLBACK: StepKind
STEP_KIND_CHILD: StepKind
STEP_STATE_UNSPECIFIED: StepState
STEP_STATE_PENDING: StepState
STEP_STATE_SUCCEEDED: StepState
STEP_STATE_FAILED: StepState
STEP_STATE_RUNNING: StepState
HISTORY_EVENT_TYPE_UNSPECIFIED: HistoryEventType
HISTORY_EVENT_TYPE_CREATED: HistoryEventType
HISTORY_EVENT_TYPE_QUEUED: HistoryEventType
HISTORY_EVENT_TYPE_STARTED: HistoryEventType
HISTORY_EVENT_TYPE_RESUMED_ON_WORKER: HistoryEventType
HISTORY_EVENT_TYPE_STEP_ATTEMPT_STARTED: HistoryEventType
HISTORY_EVENT_TYPE_STEP_SUCCEEDED: HistoryEventType
HISTORY_EVENT_TYPE_STEP_ATTEMPT_FAILED: HistoryEventType
HISTORY_EVENT_TYPE_STEP_FAILED: HistoryEventType
HISTORY_EVENT_TYPE_STEP_RETRY_SCHEDULED: HistoryEventType
HISTORY_EVENT_TYPE_STEP_RETRY_DUE: HistoryEventType
HISTORY_EVENT_TYPE_SLEEPING: HistoryEventType
HISTORY_EVENT_TYPE_WOKE: HistoryEventType
HISTORY_EVENT_TYPE_WAITING_FOR_EVENT: HistoryEventType
HISTORY_EVENT_TYPE_EVENT_RECEIVED: HistoryEventType
HISTORY_EVENT_TYPE_EVENT_TAKEN: HistoryEventType
HISTORY_EVENT_TYPE_EVENT_WAIT_TIMED_OUT: HistoryEventType
HISTORY_EVENT_TYPE_LEASE_EXPIRED: HistoryEventType
HISTORY_EVENT_TYPE_TASK_RELEASED: HistoryEventType
HISTORY_EVENT_TYPE_COMPLETED: HistoryEventType
HISTORY_EVENT_TYPE_ERRORED: HistoryEventType
HISTORY_EVENT_TYPE_PAUSE_REQUESTED: HistoryEventType
HISTORY_EVENT_TYPE_PAUSED: HistoryEventType
HISTORY_EVENT_TYPE_RESUMED: HistoryEventType
HISTORY_EVENT_TYPE_TERMINATED: HistoryEventType
HISTORY_EVENT_TYPE_RESTARTED: HistoryEventType
HISTORY_EVENT_TYPE_CALL_SCHEDULED: HistoryEventType
HISTORY_EVENT_TYPE_ROLLBACK_STARTED: HistoryEventType
HISTORY_EVENT_TYPE_ROLLBACK_ATTEMPT_STARTED: HistoryEventType
HISTORY_EVENT_TYPE_ROLLBACK_SUCCEEDED: HistoryEventType
HISTORY_EVENT_TYPE_ROLLBACK_ATTEMPT_FAILED: HistoryEventType
HISTORY_EVENT_TYPE_ROLLBACK_RETRY_SCHEDULED: HistoryEventType
HISTORY_EVENT_TYPE_ROLLBACK_RETRY_DUE: HistoryEventType
HISTORY_EVENT_TYPE_ROLLBACK_FAILED: HistoryEventType
HISTORY_EVENT_TYPE_CHILD_STARTED: HistoryEventType
HISTORY_EVENT_TYPE_CHILD_ENDED: HistoryEventType
HISTORY_EVENT_TYPE_NON_DETERMINISM: HistoryEventType
HISTORY_EVENT_TYPE_BUILD_MOVED: HistoryEventType
PARENT_CLOSE_POLICY_UNSPECIFIED: ParentClosePolicy
PARENT_CLOSE_POLICY_TERMINATE: ParentClosePolicy
PARENT_CLOSE_POLICY_ABANDON: ParentClosePolicy
ROLLBACK_OUTCOME_UNSPECIFIED: RollbackOutcome
ROLLBACK_OUTCOME_ROLLING_BACK: RollbackOutcome
ROLLBACK_OUTCOME_ROLLED_BACK: RollbackOutcome
ROLLBACK_OUTCOME_ROLLBACK_FAILED: RollbackOutcome

class Payload(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: bytes
    def __init__(self, data: _Optional[bytes] = ...) -> None: ...

class Failure(_message.Message):
    __slots__ = ("type", "message", "details")
    TYPE_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    DETAILS_FIELD_NUMBER: _ClassVar[int]
    type: str
    message: str
    details: str
    def __init__(self, type: _Optional[str] = ..., message: _Optional[str] = ..., details: _Optional[str] = ...) -> None: ...

class Instance(_message.Message):
    __slots__ = ("workflow", "instance_id", "status", "params", "output", "error", "created_at", "started_at", "ended_at", "task_queue", "current_step", "partition", "expires_at", "retention", "rollback", "rollback_step", "rollback_step_seq", "rollback_error", "parent", "children", "build_id", "build_assigned", "blocked")
    WORKFLOW_FIELD_NUMBER: _ClassVar[int]
    INSTANCE_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    PARAMS_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    STARTED_AT_FIELD_NUMBER: _ClassVar[int]
    ENDED_AT_FIELD_NUMBER: _ClassVar[int]
    TASK_QUEUE_FIELD_NUMBER: _ClassVar[int]
    CURRENT_STEP_FIELD_NUMBER: _ClassVar[int]
    PARTITION_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    RETENTION_FIELD_NUMBER: _ClassVar[int]
    ROLLBACK_FIELD_NUMBER: _ClassVar[int]
    ROLLBACK_STEP_FIELD_NUMBER: _ClassVar[int]
    ROLLBACK_STEP_SEQ_FIELD_NUMBER: _ClassVar[int]
    ROLLBACK_ERROR_FIELD_NUMBER: _ClassVar[int]
    PARENT_FIELD_NUMBER: _ClassVar[int]
    CHILDREN_FIELD_NUMBER: _ClassVar[int]
    BUILD_ID_FIELD_NUMBER: _ClassVar[int]
    BUILD_ASSIGNED_FIELD_NUMBER: _ClassVar[int]
    BLOCKED_FIELD_NUMBER: _ClassVar[int]
    workflow: str
    instance_id: str
    status: InstanceStatus
    params: Payload
    output: Payload
    error: Failure
    created_at: _timestamp_pb2.Timestamp
    started_at: _timestamp_pb2.Timestamp
    ended_at: _timestamp_pb2.Timestamp
    task_queue: str
    current_step: str
    partition: int
    expires_at: _timestamp_pb2.Timestamp
    retention: _duration_pb2.Duration
    rollback: RollbackOutcome
    rollback_step: str
    rollback_step_seq: int
    rollback_error: Failure
    parent: ParentLink
    children: _containers.RepeatedCompositeFieldContainer[ChildLink]
    build_id: str
    build_assigned: bool
    blocked: NonDeterminism
    def __init__(self, workflow: _Optional[str] = ..., instance_id: _Optional[str] = ..., status: _Optional[_Union[InstanceStatus, str]] = ..., params: _Optional[_Union[Payload, _Mapping]] = ..., output: _Optional[_Union[Payload, _Mapping]] = ..., error: _Optional[_Union[Failure, _Mapping]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., started_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., ended_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., task_queue: _Optional[str] = ..., current_step: _Optional[str] = ..., partition: _Optional[int] = ..., expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., retention: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., rollback: _Optional[_Union[RollbackOutcome, str]] = ..., rollback_step: _Optional[str] = ..., rollback_step_seq: _Optional[int] = ..., rollback_error: _Optional[_Union[Failure, _Mapping]] = ..., parent: _Optional[_Union[ParentLink, _Mapping]] = ..., children: _Optional[_Iterable[_Union[ChildLink, _Mapping]]] = ..., build_id: _Optional[str] = ..., build_assigned: _Optional[bool] = ..., blocked: _Optional[_Union[NonDeterminism, _Mapping]] = ...) -> None: ...

class Step(_message.Message):
    __slots__ = ("name", "seq", "kind", "state", "attempts", "started_at", "ended_at", "output", "error", "wake_at", "event_type", "attempt_started_at")
    NAME_FIELD_NUMBER: _ClassVar[int]
    SEQ_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    ATTEMPTS_FIELD_NUMBER: _ClassVar[int]
    STARTED_AT_FIELD_NUMBER: _ClassVar[int]
    ENDED_AT_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    WAKE_AT_FIELD_NUMBER: _ClassVar[int]
    EVENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    ATTEMPT_STARTED_AT_FIELD_NUMBER: _ClassVar[int]
    name: str
    seq: int
    kind: StepKind
    state: StepState
    attempts: int
    started_at: _timestamp_pb2.Timestamp
    ended_at: _timestamp_pb2.Timestamp
    output: Payload
    error: Failure
    wake_at: _timestamp_pb2.Timestamp
    event_type: str
    attempt_started_at: _timestamp_pb2.Timestamp
    def __init__(self, name: _Optional[str] = ..., seq: _Optional[int] = ..., kind: _Optional[_Union[StepKind, str]] = ..., state: _Optional[_Union[StepState, str]] = ..., attempts: _Optional[int] = ..., started_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., ended_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., output: _Optional[_Union[Payload, _Mapping]] = ..., error: _Optional[_Union[Failure, _Mapping]] = ..., wake_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., event_type: _Optional[str] = ..., attempt_started_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class HistoryEvent(_message.Message):
    __slots__ = ("seq", "time", "type", "step_name", "step_seq", "attempt", "error", "until", "event_type", "worker", "reason", "task_queue", "step_type", "child_workflow", "child_instance_id", "build_id", "non_determinism")
    SEQ_FIELD_NUMBER: _ClassVar[int]
    TIME_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    STEP_NAME_FIELD_NUMBER: _ClassVar[int]
    STEP_SEQ_FIELD_NUMBER: _ClassVar[int]
    ATTEMPT_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    UNTIL_FIELD_NUMBER: _ClassVar[int]
    EVENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    WORKER_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    TASK_QUEUE_FIELD_NUMBER: _ClassVar[int]
    STEP_TYPE_FIELD_NUMBER: _ClassVar[int]
    CHILD_WORKFLOW_FIELD_NUMBER: _ClassVar[int]
    CHILD_INSTANCE_ID_FIELD_NUMBER: _ClassVar[int]
    BUILD_ID_FIELD_NUMBER: _ClassVar[int]
    NON_DETERMINISM_FIELD_NUMBER: _ClassVar[int]
    seq: int
    time: _timestamp_pb2.Timestamp
    type: HistoryEventType
    step_name: str
    step_seq: int
    attempt: int
    error: Failure
    until: _timestamp_pb2.Timestamp
    event_type: str
    worker: str
    reason: str
    task_queue: str
    step_type: str
    child_workflow: str
    child_instance_id: str
    build_id: str
    non_determinism: NonDeterminism
    def __init__(self, seq: _Optional[int] = ..., time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., type: _Optional[_Union[HistoryEventType, str]] = ..., step_name: _Optional[str] = ..., step_seq: _Optional[int] = ..., attempt: _Optional[int] = ..., error: _Optional[_Union[Failure, _Mapping]] = ..., until: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., event_type: _Optional[str] = ..., worker: _Optional[str] = ..., reason: _Optional[str] = ..., task_queue: _Optional[str] = ..., step_type: _Optional[str] = ..., child_workflow: _Optional[str] = ..., child_instance_id: _Optional[str] = ..., build_id: _Optional[str] = ..., non_determinism: _Optional[_Union[NonDeterminism, _Mapping]] = ...) -> None: ...

class ParentLink(_message.Message):
    __slots__ = ("workflow", "instance_id", "step_name", "step_seq", "depth", "parent_close")
    WORKFLOW_FIELD_NUMBER: _ClassVar[int]
    INSTANCE_ID_FIELD_NUMBER: _ClassVar[int]
    STEP_NAME_FIELD_NUMBER: _ClassVar[int]
    STEP_SEQ_FIELD_NUMBER: _ClassVar[int]
    DEPTH_FIELD_NUMBER: _ClassVar[int]
    PARENT_CLOSE_FIELD_NUMBER: _ClassVar[int]
    workflow: str
    instance_id: str
    step_name: str
    step_seq: int
    depth: int
    parent_close: ParentClosePolicy
    def __init__(self, workflow: _Optional[str] = ..., instance_id: _Optional[str] = ..., step_name: _Optional[str] = ..., step_seq: _Optional[int] = ..., depth: _Optional[int] = ..., parent_close: _Optional[_Union[ParentClosePolicy, str]] = ...) -> None: ...

class ChildLink(_message.Message):
    __slots__ = ("step_name", "step_seq", "workflow", "instance_id", "parent_close", "wait", "status")
    STEP_NAME_FIELD_NUMBER: _ClassVar[int]
    STEP_SEQ_FIELD_NUMBER: _ClassVar[int]
    WORKFLOW_FIELD_NUMBER: _ClassVar[int]
    INSTANCE_ID_FIELD_NUMBER: _ClassVar[int]
    PARENT_CLOSE_FIELD_NUMBER: _ClassVar[int]
    WAIT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    step_name: str
    step_seq: int
    workflow: str
    instance_id: str
    parent_close: ParentClosePolicy
    wait: bool
    status: InstanceStatus
    def __init__(self, step_name: _Optional[str] = ..., step_seq: _Optional[int] = ..., workflow: _Optional[str] = ..., instance_id: _Optional[str] = ..., parent_close: _Optional[_Union[ParentClosePolicy, str]] = ..., wait: _Optional[bool] = ..., status: _Optional[_Union[InstanceStatus, str]] = ...) -> None: ...

class NonDeterminism(_message.Message):
    __slots__ = ("step_name", "step_seq", "recorded_kind", "requested_kind", "message", "build_id")
    STEP_NAME_FIELD_NUMBER: _ClassVar[int]
    STEP_SEQ_FIELD_NUMBER: _ClassVar[int]
    RECORDED_KIND_FIELD_NUMBER: _ClassVar[int]
    REQUESTED_KIND_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    BUILD_ID_FIELD_NUMBER: _ClassVar[int]
    step_name: str
    step_seq: int
    recorded_kind: StepKind
    requested_kind: StepKind
    message: str
    build_id: str
    def __init__(self, step_name: _Optional[str] = ..., step_seq: _Optional[int] = ..., recorded_kind: _Optional[_Union[StepKind, str]] = ..., requested_kind: _Optional[_Union[StepKind, str]] = ..., message: _Optional[str] = ..., build_id: _Optional[str] = ...) -> None: ...
