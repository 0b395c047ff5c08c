"""Time as the engine counts it: integer microseconds since the Unix epoch, UTC."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from google.protobuf.timestamp_pb2 import Timestamp


def now_us() -> int:
    """The current time in microseconds."""
    return time.time_ns() // 1000


def to_timestamp(us: int | None) -> Timestamp | None:
    """A protobuf Timestamp for a time in microseconds; None stays None."""
    if us is None:
        return None
    ts = Timestamp()
    ts.FromMicroseconds(us)
    return ts


def from_timestamp(ts: Timestamp) -> int:
    """Microseconds of a protobuf Timestamp."""
    return int(ts.ToMicroseconds())


def to_datetime(us: int) -> datetime:
    """An aware UTC datetime for a time in microseconds."""
    return datetime.fromtimestamp(us / 1_000_000, tz=UTC)
