"""Task tokens: what a worker sends back to prove it holds an instance's lease."""

from __future__ import annotations

from dataclasses import dataclass

from google.protobuf.message import DecodeError

from shards.errors import InvalidArgument
from stepway.v1 import worker_service_pb2 as wpb


@dataclass(frozen=True)
class TaskRef:
    partition: int
    uid: str
    lease: int

    @property
    def key(self) -> tuple[int, str]:
        return (self.partition, self.uid)


def encode(ref: TaskRef) -> bytes:
    """The opaque token a worker receives with a task."""
    return wpb.TaskToken(partition=ref.partition, uid=ref.uid, lease=ref.lease).SerializeToString()


def decode(token: bytes) -> TaskRef:
    """The lease a token names; INVALID_ARGUMENT when it is not a task token."""
    try:
        msg = wpb.TaskToken.FromString(token)
    except DecodeError:
        raise InvalidArgument("task_token", "is not a task token issued by Stepway") from None
    if not msg.uid or not msg.lease:
        raise InvalidArgument("task_token", "is not a task token issued by Stepway")
    return TaskRef(partition=msg.partition, uid=msg.uid, lease=msg.lease)
