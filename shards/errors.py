"""One hierarchy of domain errors, raised where they happen and mapped to gRPC once (shards.rpc)."""

from __future__ import annotations

from collections.abc import Mapping

import grpc


class StepwayError(Exception):
    """Base of every error a Stepway server answers with; `code` is its gRPC status."""

    code: grpc.StatusCode = grpc.StatusCode.INTERNAL

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidArgument(StepwayError):
    """A request field breaks a rule; the message names the field and the rule."""

    code = grpc.StatusCode.INVALID_ARGUMENT

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


class NotFound(StepwayError):
    code = grpc.StatusCode.NOT_FOUND


class InstanceNotFound(NotFound):
    def __init__(self, workflow: str, instance_id: str) -> None:
        super().__init__(f"instance {instance_id!r} of workflow {workflow!r} not found")


class WorkflowNotFound(NotFound):
    def __init__(self, workflow: str) -> None:
        super().__init__(
            f"workflow {workflow!r} is not registered in this account: "
            "start a worker that defines it first, or name the task queue its workers will "
            "poll (task_queue) to create it now"
        )


class AlreadyExists(StepwayError):
    code = grpc.StatusCode.ALREADY_EXISTS


class FailedPrecondition(StepwayError):
    code = grpc.StatusCode.FAILED_PRECONDITION


class LeaseLost(FailedPrecondition):
    """A worker wrote with a task token whose lease has ended; the worker must drop the task."""

    def __init__(self, detail: str) -> None:
        super().__init__(f"task lease lost: {detail}")


class Unauthenticated(StepwayError):
    code = grpc.StatusCode.UNAUTHENTICATED


class PermissionDenied(StepwayError):
    code = grpc.StatusCode.PERMISSION_DENIED


class Unavailable(StepwayError):
    code = grpc.StatusCode.UNAVAILABLE


class DatabaseUnavailable(Unavailable):
    """The database could not serve the call (stopped, restarting, unreachable); the same call
    may be made again after `retry_after` seconds. Details stay in the server's log."""

    def __init__(self, retry_after: float = 1.0) -> None:
        super().__init__("the database is unavailable; retry shortly")
        self.retry_after = retry_after


class NotOwner(StepwayError):
    """The shard server does not own a partition the call writes (it moved, or this server's
    leases lapsed). A gateway refreshes its routes and retries; clients see UNAVAILABLE."""

    code = grpc.StatusCode.UNAVAILABLE

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
            f"this shard server does not own {which} now{whose}; retry through a gateway"
        )
        self.partitions = frozenset(partitions)


class QuotaExceeded(StepwayError):
    """A quota was hit; the client may retry after `retry_after` seconds. The message names
    the quota and its value."""

    code = grpc.StatusCode.RESOURCE_EXHAUSTED

    def __init__(
        self, limit: str, value: float, retry_after: float, detail: str | None = None
    ) -> None:
        what = f"{detail}: " if detail else ""
        super().__init__(
            f"{what}quota {limit} ({value:,g}) exceeded; retry after {retry_after:.3f}s"
        )
        self.limit = limit
        self.value = value
        self.retry_after = retry_after
