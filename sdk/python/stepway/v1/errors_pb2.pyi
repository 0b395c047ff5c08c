from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from typing import ClassVar as _ClassVar

DESCRIPTOR: _descriptor.FileDescriptor

class ErrorReason(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ERROR_REASON_UNSPECIFIED: _ClassVar[ErrorReason]
    INVALID_FIELD: _ClassVar[ErrorReason]
    INSTANCE_NOT_FOUND: _ClassVar[ErrorReason]
    WORKFLOW_NOT_REGISTERED: _ClassVar[ErrorReason]
    TASK_NOT_FOUND: _ClassVar[ErrorReason]
    ACCOUNT_NOT_FOUND: _ClassVar[ErrorReason]
    KEY_NOT_FOUND: _ClassVar[ErrorReason]
    ACCOUNT_EXISTS: _ClassVar[ErrorReason]
    TASK_LEASE_LOST: _ClassVar[ErrorReason]
    INSTANCE_STATE: _ClassVar[ErrorReason]
    QUOTA_EXCEEDED: _ClassVar[ErrorReason]
    NOT_OWNER: _ClassVar[ErrorReason]
    DATABASE_UNAVAILABLE: _ClassVar[ErrorReason]
    SHARD_UNAVAILABLE: _ClassVar[ErrorReason]
    UNAUTHENTICATED: _ClassVar[ErrorReason]
    PERMISSION_DENIED: _ClassVar[ErrorReason]
    INTERNAL: _ClassVar[ErrorReason]
    SCHEDULE_NOT_FOUND: _ClassVar[ErrorReason]
    SCHEDULE_EXISTS: _ClassVar[ErrorReason]
ERROR_REASON_UNSPECIFIED: ErrorReason
INVALID_FIELD: ErrorReason
INSTANCE_NOT_FOUND: ErrorReason
WORKFLOW_NOT_REGISTERED: ErrorReason
TASK_NOT_FOUND: ErrorReason
ACCOUNT_NOT_FOUND: ErrorReason
KEY_NOT_FOUND: ErrorReason
ACCOUNT_EXISTS: ErrorReason
TASK_LEASE_LOST: ErrorReason
INSTANCE_STATE: ErrorReason
QUOTA_EXCEEDED: ErrorReason
NOT_OWNER: ErrorReason
DATABASE_UNAVAILABLE: ErrorReason
SHARD_UNAVAILABLE: ErrorReason
UNAUTHENTICATED: ErrorReason
PERMISSION_DENIED: ErrorReason
INTERNAL: ErrorReason
SCHEDULE_NOT_FOUND: ErrorReason
SCHEDULE_EXISTS: ErrorReason
