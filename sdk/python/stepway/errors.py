"""The exceptions the SDK raises: one per gRPC status, a subclass of it per error reason, plus
workflow outcomes.

A server's error answer carries a google.rpc.ErrorInfo whose reason names a
stepway.v1.ErrorReason (protos/stepway/v1/errors.proto): the SDK raises the class of that
reason (e.g. TaskLeaseLostError, a FailedPreconditionError), else the class of the status code.
Every error has `reason` (the ErrorInfo reason, or None) and `metadata` (the ErrorInfo's).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

import grpc
from google.rpc import error_details_pb2, status_pb2

STATUS_DETAILS_KEY = "grpc-status-details-bin"


class StepwayError(Exception):
    """Base of every error the SDK raises for a server's answer. `retry_after` (seconds) is
    set where the server said when the same call may be made again."""

    code: grpc.StatusCode | None = None

    def __init__(
        self,
        message: str,
        *,
        reason: str | None = None,
        metadata: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.reason = reason
        self.metadata = dict(metadata or {})
        self.retry_after: float | None = None


class InvalidArgumentError(StepwayError):
    """A request field broke a rule; `field` names it."""

    code = grpc.StatusCode.INVALID_ARGUMENT
    field: str = ""


class InvalidFieldError(InvalidArgumentError):
    """INVALID_FIELD: the field `field` breaks a rule; fix the request."""


class NotFoundError(StepwayError):
    code = grpc.StatusCode.NOT_FOUND


class InstanceNotFoundError(NotFoundError):
    """INSTANCE_NOT_FOUND: no instance of metadata["workflow"] has metadata["instance_id"]."""


class WorkflowNotRegisteredError(NotFoundError):
    """WORKFLOW_NOT_REGISTERED: no worker registered metadata["workflow"] in the account."""


class TaskNotFoundError(NotFoundError):
    """TASK_NOT_FOUND: the task token is not a task of this account."""


class AccountNotFoundError(NotFoundError):
    """ACCOUNT_NOT_FOUND: no account is called metadata["account"]."""


class KeyNotFoundError(NotFoundError):
    """KEY_NOT_FOUND: the account has no API key with id metadata["key_id"]."""


class ScheduleNotFoundError(NotFoundError):
    """SCHEDULE_NOT_FOUND: the account has no schedule with id metadata["schedule_id"]."""


class AlreadyExistsError(StepwayError):
    code = grpc.StatusCode.ALREADY_EXISTS


class AccountExistsError(AlreadyExistsError):
    """ACCOUNT_EXISTS: an account called metadata["account"] exists already."""


class ScheduleExistsError(AlreadyExistsError):
    """SCHEDULE_EXISTS: the account has a schedule with id metadata["schedule_id"] already."""


class FailedPreconditionError(StepwayError):
    code = grpc.StatusCode.FAILED_PRECONDITION


class TaskLeaseLostError(FailedPreconditionError):
    """TASK_LEASE_LOST: the task's lease has ended; drop the task, do not retry the write."""


class InstanceStateError(FailedPreconditionError):
    """INSTANCE_STATE: the instance's status or recorded steps do not allow the call."""


class UnauthenticatedError(StepwayError):
    code = grpc.StatusCode.UNAUTHENTICATED


class PermissionDeniedError(StepwayError):
    code = grpc.StatusCode.PERMISSION_DENIED


class ResourceExhaustedError(StepwayError):
    """A quota was hit; retry after `retry_after` seconds."""

    code = grpc.StatusCode.RESOURCE_EXHAUSTED


class QuotaExceededError(ResourceExhaustedError):
    """QUOTA_EXCEEDED: the quota `quota` was hit; retry after `retry_after` seconds."""

    @property
    def quota(self) -> str | None:
        return self.metadata.get("quota")


class UnavailableError(StepwayError):
    code = grpc.StatusCode.UNAVAILABLE


class NotOwnerError(UnavailableError):
    """NOT_OWNER: a shard server called directly no longer owns the partition; call a gateway."""


class DatabaseUnavailableError(UnavailableError):
    """DATABASE_UNAVAILABLE: nothing was written; retry after `retry_after` seconds."""


class ShardUnavailableError(UnavailableError):
    """SHARD_UNAVAILABLE: no shard server serves the partition now; retry after `retry_after`."""


class InternalError(StepwayError):
    """INTERNAL: a fault in the server; the message names the incident in the server's log."""

    code = grpc.StatusCode.INTERNAL


class WorkflowFailedError(StepwayError):
    """The instance ended errored; `error_type` and `error_message` are what the workflow raised."""

    def __init__(self, instance_id: str, error_type: str, error_message: str) -> None:
        super().__init__(f"instance {instance_id} errored: {error_type}: {error_message}")
        self.instance_id = instance_id
        self.error_type = error_type
        self.error_message = error_message


class ChildWorkflowFailed(Exception):
    """A child workflow that `step.run_workflow` waited for did not complete: it errored, was
    terminated, or could not start (`status` "refused": its workflow is not registered, or
    another instance has its id). Raised in the parent's workflow on the first run and on
    every replay alike; left uncaught, the parent errors with type ChildWorkflowFailed."""

    def __init__(
        self,
        step: str,
        workflow: str,
        instance_id: str,
        status: str,
        error_type: str,
        error_message: str,
    ) -> None:
        super().__init__(
            f"child workflow {workflow} {instance_id} (step {step!r}) {status}: "
            f"{error_type}: {error_message}"
        )
        self.step = step
        self.workflow = workflow
        self.instance_id = instance_id
        self.status = status
        self.error_type = error_type
        self.error_message = error_message


class WorkflowTerminatedError(StepwayError):
    """The instance was terminated before it finished."""


_BY_CODE: dict[grpc.StatusCode, type[StepwayError]] = {
    cls.code: cls
    for cls in (
        InvalidArgumentError,
        NotFoundError,
        AlreadyExistsError,
        FailedPreconditionError,
        UnauthenticatedError,
        PermissionDeniedError,
        ResourceExhaustedError,
        UnavailableError,
        InternalError,
    )
    if cls.code is not None
}

# The class of each stepway.v1.ErrorReason; a reason not here (a newer server's) is raised as
# the class of its status code, with `reason` set.
BY_REASON: dict[str, type[StepwayError]] = {
    "INVALID_FIELD": InvalidFieldError,
    "INSTANCE_NOT_FOUND": InstanceNotFoundError,
    "WORKFLOW_NOT_REGISTERED": WorkflowNotRegisteredError,
    "TASK_NOT_FOUND": TaskNotFoundError,
    "ACCOUNT_NOT_FOUND": AccountNotFoundError,
    "KEY_NOT_FOUND": KeyNotFoundError,
    "ACCOUNT_EXISTS": AccountExistsError,
    "TASK_LEASE_LOST": TaskLeaseLostError,
    "INSTANCE_STATE": InstanceStateError,
    "QUOTA_EXCEEDED": QuotaExceededError,
    "NOT_OWNER": NotOwnerError,
    "DATABASE_UNAVAILABLE": DatabaseUnavailableError,
    "SHARD_UNAVAILABLE": ShardUnavailableError,
    "UNAUTHENTICATED": UnauthenticatedError,
    "PERMISSION_DENIED": PermissionDeniedError,
    "INTERNAL": InternalError,
    "SCHEDULE_NOT_FOUND": ScheduleNotFoundError,
    "SCHEDULE_EXISTS": ScheduleExistsError,
}


def from_rpc_error(err: grpc.aio.AioRpcError) -> StepwayError:
    """The typed exception for a failed call, with the rich details the server attached."""
    return _typed(err.code(), err.details() or err.code().name, _details(err))


def from_status(status: status_pb2.Status) -> StepwayError:
    """The typed exception for a google.rpc.Status: a batch item's error, or a batched
    command's."""
    code = _CODES.get(status.code, grpc.StatusCode.UNKNOWN)
    return _typed(code, status.message or code.name, list(status.details))


def _typed(code: grpc.StatusCode, message: str, details: list[Any]) -> StepwayError:
    info = error_details_pb2.ErrorInfo()
    for detail in details:
        if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
            detail.Unpack(info)
            break
    reason = info.reason or None
    cls = BY_REASON.get(info.reason)
    if cls is None or cls.code is not code:
        cls = _BY_CODE.get(code, StepwayError)
    exc = cls(message, reason=reason, metadata=info.metadata)
    exc.code = code
    for detail in details:
        if detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
            bad = error_details_pb2.BadRequest()
            detail.Unpack(bad)
            if bad.field_violations and isinstance(exc, InvalidArgumentError):
                exc.field = bad.field_violations[0].field
        elif detail.Is(error_details_pb2.RetryInfo.DESCRIPTOR):
            retry = error_details_pb2.RetryInfo()
            detail.Unpack(retry)
            exc.retry_after = retry.retry_delay.ToMicroseconds() / 1_000_000
    return exc


_CODES = {code.value[0]: code for code in grpc.StatusCode}


def _details(err: grpc.aio.AioRpcError) -> list[Any]:
    for item in err.trailing_metadata() or ():
        key, value = cast(tuple[str, Any], item)
        if key == STATUS_DETAILS_KEY and isinstance(value, bytes):
            return list(status_pb2.Status.FromString(value).details)
    return []
