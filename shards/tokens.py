"""Task tokens: what a worker sends back to prove it holds a lease.

A workflow task token names an instance's lease; a step task token also names the CALL step
(name, seq) whose attempt the lease is for. Both carry the partition, which gateways route on.
"""

from __future__ import annotations

from dataclasses import dataclass

from google.protobuf.message import DecodeError

from shards.errors import InvalidArgument
from shards.validation import MAX_COUNTER
from stepway.v1 import worker_service_pb2 as wpb


@dataclass(frozen=True)
class TaskRef:
    """A workflow task's lease."""

    partition: int
    uid: str
    lease: int

    @property
    def key(self) -> tuple[int, str]:
        return (self.partition, self.uid)


@dataclass(frozen=True)
class StepTaskRef:
    """A step task's lease: one attempt of a CALL step."""

    partition: int
    uid: str
    name: str
    seq: int
    lease: int

    @property
    def key(self) -> tuple[int, str, str, int]:
        return (self.partition, self.uid, self.name, self.seq)

    @property
    def instance_key(self) -> tuple[int, str]:
        return (self.partition, self.uid)


def encode(ref: TaskRef | StepTaskRef) -> bytes:
    """The opaque token a worker receives with a task."""
    msg = wpb.TaskToken(partition=ref.partition, uid=ref.uid, lease=ref.lease)
    if isinstance(ref, StepTaskRef):
        msg.step_name, msg.step_seq = ref.name, ref.seq
    return msg.SerializeToString()


def decode_any(token: bytes) -> TaskRef | StepTaskRef:
    """The lease a token names; INVALID_ARGUMENT when it is not a task token."""
    try:
        msg = wpb.TaskToken.FromString(token)
    except DecodeError:
        raise InvalidArgument("task_token", "is not a task token issued by Stepway") from None
    if not msg.uid or not msg.lease or msg.step_seq > MAX_COUNTER:
        raise InvalidArgument("task_token", "is not a task token issued by Stepway")
    if msg.step_name:
        return StepTaskRef(msg.partition, msg.uid, msg.step_name, msg.step_seq, msg.lease)
    return TaskRef(partition=msg.partition, uid=msg.uid, lease=msg.lease)


def partition_of_token(token: bytes, partitions: int) -> int:
    """The partition a token names, for routing; INVALID_ARGUMENT when it is not a task token
    or names a partition outside the cluster's `partitions` (no shard server could own it)."""
    partition = decode_any(token).partition
    if partition >= partitions:
        raise InvalidArgument(
            "task_token",
            f"names partition {partition}, outside this cluster's {partitions} partitions: "
            "it is not a task token issued by this cluster",
        )
    return partition


def decode(token: bytes) -> TaskRef:
    """A workflow task's lease; INVALID_ARGUMENT for anything else."""
    ref = decode_any(token)
    if isinstance(ref, StepTaskRef):
        raise InvalidArgument(
            "task_token",
            "is a step task's token (from PollStepTasks); this call takes a workflow task's "
            "token (from PollWorkflowTasks)",
        )
    return ref


def decode_step(token: bytes) -> StepTaskRef:
    """A step task's lease; INVALID_ARGUMENT for anything else."""
    ref = decode_any(token)
    if not isinstance(ref, StepTaskRef):
        raise InvalidArgument(
            "task_token",
            "is a workflow task's token (from PollWorkflowTasks); this call takes a step "
            "task's token (from PollStepTasks)",
        )
    return ref
