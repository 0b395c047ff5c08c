import datetime

from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.rpc import status_pb2 as _status_pb2
from stepway.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class CreateInstanceRequest(_message.Message):
    __slots__ = ("workflow", "instance_id", "params", "retention", "task_queue", "success_retention", "error_retention")
    WORKFLOW_FIELD_NUMBER: _ClassVar[int]
    INSTANCE_ID_FIELD_NUMBER: _ClassVar[int]
    PARAMS_FIELD_NUMBER: _ClassVar[int]
    RETENTION_FIELD_NUMBER: _ClassVar[int]
    TASK_QUEUE_FIELD_NUMBER: _ClassVar[int]
    SUCCESS_RETENTION_FIELD_NUMBER: _ClassVar[int]
    ERROR_RETENTION_FIELD_NUMBER: _ClassVar[int]
    workflow: str
    instance_id: str
    params: _common_pb2.Payload
    retention: _duration_pb2.Duration
    task_queue: str
    success_retention: _duration_pb2.Duration
    error_retention: _duration_pb2.Duration
    def __init__(self, workflow: _Optional[str] = ..., instance_id: _Optional[str] = ..., params: _Optional[_Union[_common_pb2.Payload, _Mapping]] = ..., retention: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., task_queue: _Optional[str] = ..., success_retention: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., error_retention: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ...) -> None: ...

class CreateInstanceResponse(_message.Message):
    __slots__ = ("instance_id", "created", "status", "created_at")
    INSTANCE_ID_FIELD_NUMBER: _ClassVar[int]
    CREATED_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    instance_id: str
    created: bool
    status: _common_pb2.InstanceStatus
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, instance_id: _Optional[str] = ..., created: _Optional[bool] = ..., status: _Optional[_Union[_common_pb2.InstanceStatus, str]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CreateInstancesRequest(_message.Message):
    __slots__ = ("instances", "workflow", "task_queue")
    INSTANCES_FIELD_NUMBER: _ClassVar[int]
    WORKFLOW_FIELD_NUMBER: _ClassVar[int]
    TASK_QUEUE_FIELD_NUMBER: _ClassVar[int]
    instances: _containers.RepeatedCompositeFieldContainer[CreateInstanceRequest]
    workflow: str
    task_queue: str
    def __init__(self, instances: _Optional[_Iterable[_Union[CreateInstanceRequest, _Mapping]]] = ..., workflow: _Optional[str] = ..., task_queue: _Optional[str] = ...) -> None: ...

class CreateInstanceResult(_message.Message):
    __slots__ = ("instance", "error")
    INSTANCE_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    instance: CreateInstanceResponse
    error: _status_pb2.Status
    def __init__(self, instance: _Optional[_Union[CreateInstanceResponse, _Mapping]] = ..., error: _Optional[_Union[_status_pb2.Status, _Mapping]] = ...) -> None: ...

class CreateInstancesResponse(_message.Message):
    __slots__ = ("results",)
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    results: _containers.RepeatedCompositeFieldContainer[CreateInstanceResult]
    def __init__(self, results: _Optional[_Iterable[_Union[CreateInstanceResult, _Mapping]]] = ...) -> None: ...

class GetInstanceRequest(_message.Message):
    __slots__ = ("workflow", "instance_id", "include_steps", "steps_page_token")
    WORKFLOW_FIELD_NUMBER: _ClassVar[int]
    INSTANCE_ID_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_STEPS_FIELD_NUMBER: _ClassVar[int]
    STEPS_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    workflow: str
    instance_id: str
    include_steps: bool
    steps_page_token: str
    def __init__(self, workflow: _Optional[str] = ..., instance_id: _Optional[str] = ..., include_steps: _Optional[bool] = ..., steps_page_token: _Optional[str] = ...) -> None: ...

class GetInstanceResponse(_message.Message):
    __slots__ = ("instance", "steps", "next_steps_page_token")
    INSTANCE_FIELD_NUMBER: _ClassVar[int]
    STEPS_FIELD_NUMBER: _ClassVar[int]
    NEXT_STEPS_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    instance: _common_pb2.Instance
    steps: _containers.RepeatedCompositeFieldContainer[_common_pb2.Step]
    next_steps_page_token: str
    def __init__(self, instance: _Optional[_Union[_common_pb2.Instance, _Mapping]] = ..., steps: _Optional[_Iterable[_Union[_common_pb2.Step, _Mapping]]] = ..., next_steps_page_token: _Optional[str] = ...) -> None: ...

class WaitInstanceRequest(_message.Message):
    __slots__ = ("workflow", "instance_id", "timeout")
    WORKFLOW_FIELD_NUMBER: _ClassVar[int]
    INSTANCE_ID_FIELD_NUMBER: _ClassVar[int]
    TIMEOUT_FIELD_NUMBER: _ClassVar[int]
    workflow: str
    instance_id: str
    timeout: _duration_pb2.Duration
    def __init__(self, workflow: _Optional[str] = ..., instance_id: _Optional[str] = ..., timeout: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ...) -> None: ...

class WaitInstanceResponse(_message.Message):
    __slots__ = ("instance", "finished")
    INSTANCE_FIELD_NUMBER: _ClassVar[int]
    FINISHED_FIELD_NUMBER: _ClassVar[int]
    instance: _common_pb2.Instance
    finished: bool
    def __init__(self, instance: _Optional[_Union[_common_pb2.Instance, _Mapping]] = ..., finished: _Optional[bool] = ...) -> None: ...

class SendEventRequest(_message.Message):
    __slots__ = ("workflow", "instance_id", "type", "payload")
    WORKFLOW_FIELD_NUMBER: _ClassVar[int]
    INSTANCE_ID_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    PAYLOAD_FIELD_NUMBER: _ClassVar[int]
    workflow: str
    instance_id: str
    type: str
    payload: _common_pb2.Payload
    def __init__(self, workflow: _Optional[str] = ..., instance_id: _Optional[str] = ..., type: _Optional[str] = ..., payload: _Optional[_Union[_common_pb2.Payload, _Mapping]] = ...) -> None: ...

class SendEventResponse(_message.Message):
    __slots__ = ("delivered",)
    DELIVERED_FIELD_NUMBER: _ClassVar[int]
    delivered: bool
    def __init__(self, delivered: _Optional[bool] = ...) -> None: ...

class ListInstancesRequest(_message.Message):
    __slots__ = ("workflow", "statuses", "created_after", "created_before", "page_size", "page_token")
    WORKFLOW_FIELD_NUMBER: _ClassVar[int]
    STATUSES_FIELD_NUMBER: _ClassVar[int]
    CREATED_AFTER_FIELD_NUMBER: _ClassVar[int]
    CREATED_BEFORE_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    workflow: str
    statuses: _containers.RepeatedScalarFieldContainer[_common_pb2.InstanceStatus]
    created_after: _timestamp_pb2.Timestamp
    created_before: _timestamp_pb2.Timestamp
    page_size: int
    page_token: str
    def __init__(self, workflow: _Optional[str] = ..., statuses: _Optional[_Iterable[_Union[_common_pb2.InstanceStatus, str]]] = ..., created_after: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., created_before: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListInstancesResponse(_message.Message):
    __slots__ = ("instances", "next_page_token")
    INSTANCES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    instances: _containers.RepeatedCompositeFieldContainer[_common_pb2.Instance]
    next_page_token: str
    def __init__(self, instances: _Optional[_Iterable[_Union[_common_pb2.Instance, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class PauseInstanceRequest(_message.Message):
    __slots__ = ("workflow", "instance_id")
    WORKFLOW_FIELD_NUMBER: _ClassVar[int]
    INSTANCE_ID_FIELD_NUMBER: _ClassVar[int]
    workflow: str
    instance_id: str
    def __init__(self, workflow: _Optional[str] = ..., instance_id: _Optional[str] = ...) -> None: ...

class PauseInstanceResponse(_message.Message):
    __slots__ = ("instance",)
    INSTANCE_FIELD_NUMBER: _ClassVar[int]
    instance: _common_pb2.Instance
    def __init__(self, instance: _Optional[_Union[_common_pb2.Instance, _Mapping]] = ...) -> None: ...

class ResumeInstanceRequest(_message.Message):
    __slots__ = ("workflow", "instance_id")
    WORKFLOW_FIELD_NUMBER: _ClassVar[int]
    INSTANCE_ID_FIELD_NUMBER: _ClassVar[int]
    workflow: str
    instance_id: str
    def __init__(self, workflow: _Optional[str] = ..., instance_id: _Optional[str] = ...) -> None: ...

class ResumeInstanceResponse(_message.Message):
    __slots__ = ("instance",)
    INSTANCE_FIELD_NUMBER: _ClassVar[int]
    instance: _common_pb2.Instance
    def __init__(self, instance: _Optional[_Union[_common_pb2.Instance, _Mapping]] = ...) -> None: ...

class TerminateInstanceRequest(_message.Message):
    __slots__ = ("workflow", "instance_id", "reason")
    WORKFLOW_FIELD_NUMBER: _ClassVar[int]
    INSTANCE_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    workflow: str
    instance_id: str
    reason: str
    def __init__(self, workflow: _Optional[str] = ..., instance_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class TerminateInstanceResponse(_message.Message):
    __slots__ = ("instance",)
    INSTANCE_FIELD_NUMBER: _ClassVar[int]
    instance: _common_pb2.Instance
    def __init__(self, instance: _Optional[_Union[_common_pb2.Instance, _Mapping]] = ...) -> None: ...

class RestartInstanceRequest(_message.Message):
    __slots__ = ("workflow", "instance_id", "from_step")
    WORKFLOW_FIELD_NUMBER: _ClassVar[int]
    INSTANCE_ID_FIELD_NUMBER: _ClassVar[int]
    FROM_STEP_FIELD_NUMBER: _ClassVar[int]
    workflow: str
    instance_id: str
    from_step: str
    def __init__(self, workflow: _Optional[str] = ..., instance_id: _Optional[str] = ..., from_step: _Optional[str] = ...) -> None: ...

class RestartInstanceResponse(_message.Message):
    __slots__ = ("instance", "steps_dropped")
    INSTANCE_FIELD_NUMBER: _ClassVar[int]
    STEPS_DROPPED_FIELD_NUMBER: _ClassVar[int]
    instance: _common_pb2.Instance
    steps_dropped: int
    def __init__(self, instance: _Optional[_Union[_common_pb2.Instance, _Mapping]] = ..., steps_dropped: _Optional[int] = ...) -> None: ...

class DeleteInstanceRequest(_message.Message):
    __slots__ = ("workflow", "instance_id")
    WORKFLOW_FIELD_NUMBER: _ClassVar[int]
    INSTANCE_ID_FIELD_NUMBER: _ClassVar[int]
    workflow: str
    instance_id: str
    def __init__(self, workflow: _Optional[str] = ..., instance_id: _Optional[str] = ...) -> None: ...

class DeleteInstanceResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class DeleteInstancesRequest(_message.Message):
    __slots__ = ("instances", "filter", "limit")
    INSTANCES_FIELD_NUMBER: _ClassVar[int]
    FILTER_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    instances: _containers.RepeatedCompositeFieldContainer[DeleteInstanceRequest]
    filter: DeleteFilter
    limit: int
    def __init__(self, instances: _Optional[_Iterable[_Union[DeleteInstanceRequest, _Mapping]]] = ..., filter: _Optional[_Union[DeleteFilter, _Mapping]] = ..., limit: _Optional[int] = ...) -> None: ...

class DeleteFilter(_message.Message):
    __slots__ = ("workflow", "statuses", "created_before")
    WORKFLOW_FIELD_NUMBER: _ClassVar[int]
    STATUSES_FIELD_NUMBER: _ClassVar[int]
    CREATED_BEFORE_FIELD_NUMBER: _ClassVar[int]
    workflow: str
    statuses: _containers.RepeatedScalarFieldContainer[_common_pb2.InstanceStatus]
    created_before: _timestamp_pb2.Timestamp
    def __init__(self, workflow: _Optional[str] = ..., statuses: _Optional[_Iterable[_Union[_common_pb2.InstanceStatus, str]]] = ..., created_before: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class DeleteInstanceResult(_message.Message):
    __slots__ = ("deleted", "error")
    DELETED_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    deleted: bool
    error: _status_pb2.Status
    def __init__(self, deleted: _Optional[bool] = ..., error: _Optional[_Union[_status_pb2.Status, _Mapping]] = ...) -> None: ...

class DeleteInstancesResponse(_message.Message):
    __slots__ = ("results", "deleted", "more")
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    DELETED_FIELD_NUMBER: _ClassVar[int]
    MORE_FIELD_NUMBER: _ClassVar[int]
    results: _containers.RepeatedCompositeFieldContainer[DeleteInstanceResult]
    deleted: int
    more: bool
    def __init__(self, results: _Optional[_Iterable[_Union[DeleteInstanceResult, _Mapping]]] = ..., deleted: _Optional[int] = ..., more: _Optional[bool] = ...) -> None: ...

class GetHistoryRequest(_message.Message):
    __slots__ = ("workflow", "instance_id", "after_seq", "page_size")
    WORKFLOW_FIELD_NUMBER: _ClassVar[int]
    INSTANCE_ID_FIELD_NUMBER: _ClassVar[int]
    AFTER_SEQ_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    workflow: str
    instance_id: str
    after_seq: int
    page_size: int
    def __init__(self, workflow: _Optional[str] = ..., instance_id: _Optional[str] = ..., after_seq: _Optional[int] = ..., page_size: _Optional[int] = ...) -> None: ...

class GetHistoryResponse(_message.Message):
    __slots__ = ("events", "more", "status")
    EVENTS_FIELD_NUMBER: _ClassVar[int]
    MORE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    events: _containers.RepeatedCompositeFieldContainer[_common_pb2.HistoryEvent]
    more: bool
    status: _common_pb2.InstanceStatus
    def __init__(self, events: _Optional[_Iterable[_Union[_common_pb2.HistoryEvent, _Mapping]]] = ..., more: _Optional[bool] = ..., status: _Optional[_Union[_common_pb2.InstanceStatus, str]] = ...) -> None: ...

class WatchHistoryRequest(_message.Message):
    __slots__ = ("workflow", "instance_id", "after_seq")
    WORKFLOW_FIELD_NUMBER: _ClassVar[int]
    INSTANCE_ID_FIELD_NUMBER: _ClassVar[int]
    AFTER_SEQ_FIELD_NUMBER: _ClassVar[int]
    workflow: str
    instance_id: str
    after_seq: int
    def __init__(self, workflow: _Optional[str] = ..., instance_id: _Optional[str] = ..., after_seq: _Optional[int] = ...) -> None: ...

class WatchHistoryResponse(_message.Message):
    __slots__ = ("event",)
    EVENT_FIELD_NUMBER: _ClassVar[int]
    event: _common_pb2.HistoryEvent
    def __init__(self, event: _Optional[_Union[_common_pb2.HistoryEvent, _Mapping]] = ...) -> None: ...

class ListWorkflowsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class WorkflowSummary(_message.Message):
    __slots__ = ("name", "task_queue", "registered_at", "instances")
    NAME_FIELD_NUMBER: _ClassVar[int]
    TASK_QUEUE_FIELD_NUMBER: _ClassVar[int]
    REGISTERED_AT_FIELD_NUMBER: _ClassVar[int]
    INSTANCES_FIELD_NUMBER: _ClassVar[int]
    name: str
    task_queue: str
    registered_at: _timestamp_pb2.Timestamp
    instances: _containers.RepeatedCompositeFieldContainer[StatusCount]
    def __init__(self, name: _Optional[str] = ..., task_queue: _Optional[str] = ..., registered_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., instances: _Optional[_Iterable[_Union[StatusCount, _Mapping]]] = ...) -> None: ...

class StatusCount(_message.Message):
    __slots__ = ("status", "count")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    status: _common_pb2.InstanceStatus
    count: int
    def __init__(self, status: _Optional[_Union[_common_pb2.InstanceStatus, str]] = ..., count: _Optional[int] = ...) -> None: ...

class ListWorkflowsResponse(_message.Message):
    __slots__ = ("workflows",)
    WORKFLOWS_FIELD_NUMBER: _ClassVar[int]
    workflows: _containers.RepeatedCompositeFieldContainer[WorkflowSummary]
    def __init__(self, workflows: _Optional[_Iterable[_Union[WorkflowSummary, _Mapping]]] = ...) -> None: ...

class ListWorkflowBuildsRequest(_message.Message):
    __slots__ = ("workflow",)
    WORKFLOW_FIELD_NUMBER: _ClassVar[int]
    workflow: str
    def __init__(self, workflow: _Optional[str] = ...) -> None: ...

class WorkflowBuild(_message.Message):
    __slots__ = ("build_id", "unassigned", "newest", "first_registered_at", "last_registered_at", "instances", "blocked", "polling")
    BUILD_ID_FIELD_NUMBER: _ClassVar[int]
    UNASSIGNED_FIELD_NUMBER: _ClassVar[int]
    NEWEST_FIELD_NUMBER: _ClassVar[int]
    FIRST_REGISTERED_AT_FIELD_NUMBER: _ClassVar[int]
    LAST_REGISTERED_AT_FIELD_NUMBER: _ClassVar[int]
    INSTANCES_FIELD_NUMBER: _ClassVar[int]
    BLOCKED_FIELD_NUMBER: _ClassVar[int]
    POLLING_FIELD_NUMBER: _ClassVar[int]
    build_id: str
    unassigned: bool
    newest: bool
    first_registered_at: _timestamp_pb2.Timestamp
    last_registered_at: _timestamp_pb2.Timestamp
    instances: _containers.RepeatedCompositeFieldContainer[StatusCount]
    blocked: int
    polling: bool
    def __init__(self, build_id: _Optional[str] = ..., unassigned: _Optional[bool] = ..., newest: _Optional[bool] = ..., first_registered_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., last_registered_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., instances: _Optional[_Iterable[_Union[StatusCount, _Mapping]]] = ..., blocked: _Optional[int] = ..., polling: _Optional[bool] = ...) -> None: ...

class ListWorkflowBuildsResponse(_message.Message):
    __slots__ = ("builds",)
    BUILDS_FIELD_NUMBER: _ClassVar[int]
    builds: _containers.RepeatedCompositeFieldContainer[WorkflowBuild]
    def __init__(self, builds: _Optional[_Iterable[_Union[WorkflowBuild, _Mapping]]] = ...) -> None: ...

class MoveWorkflowBuildRequest(_message.Message):
    __slots__ = ("workflow", "from_build_id", "to_build_id")
    WORKFLOW_FIELD_NUMBER: _ClassVar[int]
    FROM_BUILD_ID_FIELD_NUMBER: _ClassVar[int]
    TO_BUILD_ID_FIELD_NUMBER: _ClassVar[int]
    workflow: str
    from_build_id: str
    to_build_id: str
    def __init__(self, workflow: _Optional[str] = ..., from_build_id: _Optional[str] = ..., to_build_id: _Optional[str] = ...) -> None: ...

class MoveWorkflowBuildResponse(_message.Message):
    __slots__ = ("moved",)
    MOVED_FIELD_NUMBER: _ClassVar[int]
    moved: int
    def __init__(self, moved: _Optional[int] = ...) -> None: ...
