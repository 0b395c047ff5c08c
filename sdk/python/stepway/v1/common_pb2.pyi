import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
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
INSTANCE_STATUS_UNSPECIFIED: InstanceStatus
INSTANCE_STATUS_QUEUED: InstanceStatus
INSTANCE_STATUS_RUNNING: InstanceStatus
INSTANCE_STATUS_PAUSED: InstanceStatus
INSTANCE_STATUS_WAITING: InstanceStatus
INSTANCE_STATUS_WAITING_FOR_PAUSE: InstanceStatus
INSTANCE_STATUS_ERRORED: InstanceStatus
INSTANCE_STATUS_TERMINATED: InstanceStatus
INSTANCE_STATUS_COMPLETE: InstanceStatus

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
    __slots__ = ("workflow", "instance_id", "status", "params", "output", "error", "created_at", "started_at", "ended_at", "task_queue", "current_step", "partition")
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
    def __init__(self, workflow: _Optional[str] = ..., instance_id: _Optional[str] = ..., status: _Optional[_Union[InstanceStatus, str]] = ..., params: _Optional[_Union[Payload, _Mapping]] = ..., output: _Optional[_Union[Payload, _Mapping]] = ..., error: _Optional[_Union[Failure, _Mapping]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., started_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., ended_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., task_queue: _Optional[str] = ..., current_step: _Optional[str] = ..., partition: _Optional[int] = ...) -> None: ...
