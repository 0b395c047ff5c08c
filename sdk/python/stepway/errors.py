"""The exceptions the SDK raises: one per gRPC status, plus workflow outcomes."""

from __future__ import annotations

from typing import Any, cast

import grpc
from google.rpc import error_details_pb2, status_pb2

STATUS_DETAILS_KEY = "grpc-status-details-bin"


class StepwayError(Exception):
    """Base of every error the SDK raises for a server's answer."""

    code: grpc.StatusCode | None = None

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidArgumentError(StepwayError):
    """A request field broke a rule; `field` names it."""

    code = grpc.StatusCode.INVALID_ARGUMENT
    field: str = ""


class NotFoundError(StepwayError):
    code = grpc.StatusCode.NOT_FOUND


class AlreadyExistsError(StepwayError):
    code = grpc.StatusCode.ALREADY_EXISTS


class FailedPreconditionError(StepwayError):
    code = grpc.StatusCode.FAILED_PRECONDITION


class UnauthenticatedError(StepwayError):
    code = grpc.StatusCode.UNAUTHENTICATED


class PermissionDeniedError(StepwayError):
    code = grpc.StatusCode.PERMISSION_DENIED


class ResourceExhaustedError(StepwayError):
    """A quota was hit; retry after `retry_after` seconds."""

    code = grpc.StatusCode.RESOURCE_EXHAUSTED
    retry_after: float | None = None


class UnavailableError(StepwayError):
    code = grpc.StatusCode.UNAVAILABLE


class WorkflowFailedError(StepwayError):
    """The instance ended errored; `error_type` and `error_message` are what the workflow raised."""

    def __init__(self, instance_id: str, error_type: str, error_message: str) -> None:
        super().__init__(f"instance {instance_id} errored: {error_type}: {error_message}")
        self.instance_id = instance_id
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
    )
    if cls.code is not None
}


def from_rpc_error(err: grpc.aio.AioRpcError) -> StepwayError:
    """The typed exception for a failed call, with the rich details the server attached."""
    return _typed(err.code(), err.details() or err.code().name, _details(err))


def from_status(status: status_pb2.Status) -> StepwayError:
    """The typed exception for a google.rpc.Status, such as one item's error in a batch."""
    code = _CODES.get(status.code, grpc.StatusCode.UNKNOWN)
    return _typed(code, status.message or code.name, list(status.details))


def _typed(code: grpc.StatusCode, message: str, details: list[Any]) -> StepwayError:
    cls = _BY_CODE.get(code, StepwayError)
    exc = cls(message)
    exc.code = code
    for detail in details:
        if detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
            bad = error_details_pb2.BadRequest()
            detail.Unpack(bad)
            if bad.field_violations and isinstance(exc, InvalidArgumentError):
                exc.field = bad.field_violations[0].field
        elif detail.Is(error_details_pb2.RetryInfo.DESCRIPTOR):
            info = error_details_pb2.RetryInfo()
            detail.Unpack(info)
            if isinstance(exc, ResourceExhaustedError):
                exc.retry_after = info.retry_delay.ToMicroseconds() / 1_000_000
    return exc


_CODES = {code.value[0]: code for code in grpc.StatusCode}


def from_command_error(error: Any) -> StepwayError:
    """The typed exception for a failed command of a batch (a CommandError message)."""
    code = _CODES.get(error.code, grpc.StatusCode.UNKNOWN)
    exc = _BY_CODE.get(code, StepwayError)(error.message)
    exc.code = code
    if isinstance(exc, InvalidArgumentError):
        exc.field = error.field
    return exc


def _details(err: grpc.aio.AioRpcError) -> list[Any]:
    for item in err.trailing_metadata() or ():
        key, value = cast(tuple[str, Any], item)
        if key == STATUS_DETAILS_KEY and isinstance(value, bytes):
            return list(status_pb2.Status.FromString(value).details)
    return []
