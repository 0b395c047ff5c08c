"""One hierarchy of domain errors, raised where they happen and mapped to gRPC once (shards.rpc).

Each error carries its gRPC status code and its reason: a value of stepway.v1.ErrorReason
(protos/stepway/v1/errors.proto), whose name goes out as the google.rpc.ErrorInfo reason, with
`metadata` as the ErrorInfo's metadata. A raise site picks the class that names its reason.
"""

from __future__ import annotations

from collections.abc import Mapping

import grpc

from stepway.v1 import errors_pb2 as epb
from stepway.v1.errors_pb2 import ErrorReason


class StepwayError(Exception):
    """Base of every error a Stepway server answers with; `code` is its gRPC status, `reason`
    its ErrorReason, `retry_after` (seconds) set where the same call may be made again."""

    code: grpc.StatusCode = grpc.StatusCode.INTERNAL
    reason: ErrorReason = epb.INTERNAL
    retry_after: float | None = None

    def __init__(self, message: str, metadata: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.metadata = dict(metadata or {})


class InvalidArgument(StepwayError):
    """A request field breaks a rule; the message names the field and the rule."""

    code = grpc.StatusCode.INVALID_ARGUMENT
    reason = epb.INVALID_FIELD

    def __init__(self, field: str, rule: str) -> None:
        super().__init__(f"{field}: {rule}", {"field": field})
        self.field = field
        self.rule = rule


class NotFound(StepwayError):
    """Something a call names does not exist; each subclass names what."""

    code = grpc.StatusCode.NOT_FOUND


class InstanceNotFound(NotFound):
    reason = epb.INSTANCE_NOT_FOUND

    def __init__(self, workflow: str, instance_id: str) -> None:
        super().__init__(
            f"instance {instance_id!r} of workflow {workflow!r} not found",
            {"workflow": workflow, "instance_id": instance_id},
        )


class WorkflowNotFound(NotFound):
    reason = epb.WORKFLOW_NOT_REGISTERED

    def __init__(self, workflow: str) -> None:
        super().__init__(
            f"workflow {workflow!r} is not registered in this account: "
            "start a worker that defines it first, or name the task queue its workers will "
            "poll (task_queue) to create it now",
            {"workflow": workflow},
        )


class TaskNotFound(NotFound):
    """A task token of another account's task: to this caller, there is no such task."""

    reason = epb.TASK_NOT_FOUND

    def __init__(self) -> None:
        super().__init__("task not found: the token is not a task of this account")


class AccountNotFound(NotFound):
    reason = epb.ACCOUNT_NOT_FOUND

    def __init__(self, account: str) -> None:
        super().__init__(f"account {account!r} not found", {"account": account})


class KeyNotFound(NotFound):
    reason = epb.KEY_NOT_FOUND

    def __init__(self, account: str, key_id: str) -> None:
        super().__init__(
            f"account {account!r} has no API key with id {key_id!r}",
            {"account": account, "key_id": key_id},
        )


class ScheduleNotFound(NotFound):
    reason = epb.SCHEDULE_NOT_FOUND

    def __init__(self, schedule_id: str) -> None:
        super().__init__(f"schedule {schedule_id!r} not found", {"schedule_id": schedule_id})


class ScheduleExists(StepwayError):
    code = grpc.StatusCode.ALREADY_EXISTS
    reason = epb.SCHEDULE_EXISTS

    def __init__(self, schedule_id: str) -> None:
        super().__init__(f"schedule {schedule_id!r} already exists", {"schedule_id": schedule_id})


class AccountExists(StepwayError):
    code = grpc.StatusCode.ALREADY_EXISTS
    reason = epb.ACCOUNT_EXISTS

    def __init__(self, account: str) -> None:
        super().__init__(f"account {account!r} already exists", {"account": account})


class FailedPrecondition(StepwayError):
    """The instance's status or recorded steps do not allow the call."""

    code = grpc.StatusCode.FAILED_PRECONDITION
    reason = epb.INSTANCE_STATE


class LeaseLost(FailedPrecondition):
    """A worker wrote with a task token whose lease has ended; the worker must drop the task."""

    reason = epb.TASK_LEASE_LOST

    def __init__(self, detail: str) -> None:
        super().__init__(f"task lease lost: {detail}")


class Unauthenticated(StepwayError):
    code = grpc.StatusCode.UNAUTHENTICATED
    reason = epb.UNAUTHENTICATED


class PermissionDenied(StepwayError):
    code = grpc.StatusCode.PERMISSION_DENIED
    reason = epb.PERMISSION_DENIED


class ShardUnavailable(StepwayError):
    """No shard server answers for a partition now, or the one called is down; the same call
    may be made again after `retry_after` seconds."""

    code = grpc.StatusCode.UNAVAILABLE
    reason = epb.SHARD_UNAVAILABLE
    retry_after = 1.0


class DatabaseUnavailable(StepwayError):
    """The database could not serve the call (stopped, restarting, unreachable); the same call
    may be made again after `retry_after` seconds. Details stay in the server's log."""

    code = grpc.StatusCode.UNAVAILABLE
    reason = epb.DATABASE_UNAVAILABLE

    def __init__(self, retry_after: float = 1.0) -> None:
        super().__init__("the database is unavailable; retry shortly")
        self.retry_after = retry_after


class NotOwner(StepwayError):
    """The shard server does not own a partition the call writes (it moved, or this server's
    leases lapsed). A gateway refreshes its routes and retries; clients see UNAVAILABLE."""

    code = grpc.StatusCode.UNAVAILABLE
    reason = epb.NOT_OWNER
    retry_after = 0.0

    def __init__(
        self,
        partitions: set[int] | frozenset[int],
        owners: Mapping[int, str | None] | None = None,
    ) -> None:
        shown = ", ".join(str(p) for p in sorted(partitions)[:8])
        more = "" if len(partitions) <= 8 else f" and {len(partitions) - 8} more"
        # The new owners, where the lease table named one.
        self.owners = {p: o for p, o in (owners or {}).items() if o is not None}
        named = sorted(set(self.owners.values()))
        whose = f" (owned by {', '.join(named)})" if named else ""
        which = f"partition {shown}{more}" if partitions else "these partitions"
        super().__init__(
            f"this shard server does not own {which} now{whose}; retry through a gateway",
            {
                "partitions": ",".join(str(p) for p in sorted(partitions)),
                # partition=member for the partitions whose new owner is known.
                "owners": ",".join(f"{p}={o}" for p, o in sorted(self.owners.items())),
            },
        )
        self.partitions = frozenset(partitions)


class QuotaExceeded(StepwayError):
    """A quota was hit; the client may retry after `retry_after` seconds. The message names
    the quota and its value."""

    code = grpc.StatusCode.RESOURCE_EXHAUSTED
    reason = epb.QUOTA_EXCEEDED

    def __init__(
        self, limit: str, value: float, retry_after: float, detail: str | None = None
    ) -> None:
        what = f"{detail}: " if detail else ""
        super().__init__(
            f"{what}quota {limit} ({value:,g}) exceeded; retry after {retry_after:.3f}s",
            {"quota": limit, "limit": f"{value:g}"},
        )
        self.limit = limit
        self.value = value
        self.retry_after = retry_after


class Internal(StepwayError):
    """A fault in the server: the answer names an incident id; the details stay in its log."""

    def __init__(self, incident: str) -> None:
        super().__init__(f"internal error {incident}; see the server log", {"incident": incident})
