"""Reading the fields of public requests: the checks the shard's services and the gateway share.

Each function checks what shards.validation's rules say of a field (or of a batch) and returns
the value the engine takes; a failure is an InvalidArgument naming the field. The gateway uses
the ones it needs to route a call (a batch item's key, checked with its index in the whole batch);
the shard server's services check everything else.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Any

from shards import limits
from shards import validation as v
from shards.clock import now_us
from shards.convert import STATUS_FROM_PB
from shards.core.calls import MAX_TIMEOUT_US
from shards.core.model import FINAL, Status
from shards.core.retention import Retentions
from shards.engine import NewInstance
from shards.errors import InvalidArgument
from stepway.v1 import workflow_service_pb2 as fpb

# The most tasks one poll answers with, whatever max_tasks asks.
MAX_TASKS_PER_POLL = 100


def max_tasks(asked: int) -> int:
    """How many tasks a poll may answer with: what it asks, between 1 and MAX_TASKS_PER_POLL."""
    return min(max(asked, 1), MAX_TASKS_PER_POLL)


def check_batch_size(count: int) -> None:
    """A batch of creations holds 1 to 1,000 instances."""
    if count == 0:
        raise InvalidArgument("instances", "must hold at least one instance")
    if count > limits.MAX_BATCH_INSTANCES:
        raise InvalidArgument(
            "instances",
            f"holds {count} instances; the limit is {limits.MAX_BATCH_INSTANCES} per call",
        )


def check_item_key(item: fpb.CreateInstanceRequest, workflow: str, prefix: str) -> tuple[str, str]:
    """The (workflow, instance_id) of a batch item: its sizes and names checked, what the
    gateway needs to route it; field names in errors carry the item's index."""
    limits.check_request(item, prefix)
    return (
        v.check_id(prefix + "workflow", item.workflow or workflow),
        v.check_id(prefix + "instance_id", item.instance_id),
    )


def check_new_instance(
    item: fpb.CreateInstanceRequest, workflow: str, prefix: str, task_queue: str = ""
) -> NewInstance:
    """One item of a batch, checked whole (check_item_key's checks first, so an item breaking
    several rules is refused for the same one wherever it is checked); field names in errors
    carry the item's index."""
    name, instance_id = check_item_key(item, workflow, prefix)
    return NewInstance(
        workflow=name,
        instance_id=instance_id,
        params=v.check_payload(prefix + "params", item.params.data),
        retention_us=v.check_retention(item, prefix + "retention"),
        task_queue=task_queue_or_none(item.task_queue or task_queue, prefix + "task_queue"),
        by_outcome=retentions_by_outcome(item, prefix),
    )


def retentions_by_outcome(request: Any, prefix: str = "") -> Retentions:
    """A create's (or a workflow's options') success_retention and error_retention, checked."""
    return Retentions(
        success_us=v.check_retention(request, prefix + "success_retention", "success_retention"),
        error_us=v.check_retention(request, prefix + "error_retention", "error_retention"),
    )


def workflow_options(request: Any, names: list[str]) -> dict[str, Retentions]:
    """A registration's options by workflow, checked: each names one of its workflows, once."""
    options: dict[str, Retentions] = {}
    for n, item in enumerate(request.workflow_options):
        prefix = f"workflow_options[{n}]."
        name = v.check_id(prefix + "workflow", item.workflow)
        if name not in names:
            raise InvalidArgument(prefix + "workflow", f"{name!r} is not one of workflows")
        if name in options:
            raise InvalidArgument(prefix + "workflow", f"{name!r} has options twice")
        options[name] = retentions_by_outcome(item, prefix)
    return options


@dataclass(frozen=True)
class DeleteFilter:
    """DeleteInstances by filter, checked: which finished instances, and how many at most."""

    workflow: str | None
    statuses: frozenset[Status]
    created_before: int | None
    limit: int


def deletes_by_ids(request: fpb.DeleteInstancesRequest) -> bool:
    """Whether a DeleteInstances names instances (True) or a filter (False); exactly one."""
    by_ids, by_filter = len(request.instances) > 0, request.HasField("filter")
    if by_ids == by_filter:
        raise InvalidArgument("instances", "give either instances or filter, not both or neither")
    if by_ids:
        check_batch_size(len(request.instances))
    return by_ids


def check_delete_item(item: fpb.DeleteInstanceRequest, n: int) -> tuple[str, str]:
    """The (workflow, instance_id) of DeleteInstances' item n; errors name it by index."""
    prefix = f"instances[{n}]."
    limits.check_request(item, prefix)
    return (
        v.check_id(prefix + "workflow", item.workflow),
        v.check_id(prefix + "instance_id", item.instance_id),
    )


def check_delete_filter(request: fpb.DeleteInstancesRequest) -> DeleteFilter:
    """DeleteInstances' filter and limit, checked: only final statuses, a limit to 1,000."""
    f = request.filter
    statuses: set[Status] = set()
    for n, pb in enumerate(f.statuses):
        status = STATUS_FROM_PB.get(pb)
        if status not in FINAL:
            raise InvalidArgument(
                f"filter.statuses[{n}]",
                f"{pb} is not a final status: only complete, errored and terminated instances "
                "can be deleted",
            )
        statuses.add(status)
    if request.limit > limits.MAX_BATCH_INSTANCES:
        raise InvalidArgument(
            "limit", f"is {request.limit}; the limit is {limits.MAX_BATCH_INSTANCES} per call"
        )
    return DeleteFilter(
        workflow=v.check_id("filter.workflow", f.workflow) if f.workflow else None,
        statuses=frozenset(statuses or FINAL),
        created_before=time_or_none(f, "created_before"),
        limit=request.limit or limits.MAX_BATCH_INSTANCES,
    )


def task_queue_or_none(name: str, field: str = "task_queue") -> str | None:
    """A create's task queue, checked; None when it names none."""
    return v.check_id(field, name) if name else None


def instance_key(request: Any) -> tuple[str, str]:
    """The (workflow, instance_id) a request names, checked."""
    return (
        v.check_id("workflow", request.workflow),
        v.check_id("instance_id", request.instance_id),
    )


def time_or_none(request: Any, field: str) -> int | None:
    """A Timestamp field in microseconds, checked; None when unset."""
    return v.check_timestamp(field, getattr(request, field)) if request.HasField(field) else None


def encode_page_token(created_at: int, uid: str) -> str:
    """An opaque cursor: the (created_at, uid) of the last instance of a page."""
    return base64.urlsafe_b64encode(f"{created_at}:{uid}".encode()).decode().rstrip("=")


def decode_page_token(token: str) -> tuple[int, str]:
    """The (created_at, uid) an encode_page_token cursor names; INVALID_ARGUMENT otherwise."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        at, uid = raw.split(":", 1)
        if not uid.isalnum() or not v.MIN_TIME_US <= int(at) <= v.MAX_TIME_US:
            raise ValueError(uid)
        return int(at), uid
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise InvalidArgument(
            "page_token", "is not a token this server gave out (pass next_page_token as is)"
        ) from None


def check_seq(seq: int, field: str = "seq") -> int:
    """A step's occurrence number: 1 or more."""
    if seq < 1:
        raise InvalidArgument(field, "must be 1 or more (the occurrence of the step name)")
    return v.check_counter(field, seq)


def call_timeout(request: Any, field: str, default: int | None) -> int | None:
    """A call's timeout in microseconds: more than 0, at most 7 days; default when unset."""
    if not request.HasField(field):
        return default
    value = v.duration_us(field, getattr(request, field))
    if value <= 0:
        raise InvalidArgument(field, "must be more than 0 (leave it unset for the default)")
    if value > MAX_TIMEOUT_US:
        raise InvalidArgument(
            field, f"is {value / 1e6:g} s; the limit is {MAX_TIMEOUT_US / 1e6:g} s (7 days)"
        )
    return value


def started_at(request: Any) -> int:
    """When a step attempt started: its started_at, or now when unset."""
    if not request.HasField("started_at"):
        return now_us()
    return v.check_timestamp("started_at", request.started_at)
