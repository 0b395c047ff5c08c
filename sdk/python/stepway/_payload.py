"""JSON payloads and timestamps at the SDK's edge."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from google.protobuf.timestamp_pb2 import Timestamp


def dumps(value: Any) -> bytes:
    """A value as the JSON bytes Stepway stores."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


def loads(data: bytes) -> Any:
    """A stored JSON payload back as a value; empty means None."""
    return json.loads(data) if data else None


def to_datetime(ts: Timestamp) -> datetime | None:
    """An aware UTC datetime, or None for an unset timestamp."""
    if not ts.seconds and not ts.nanos:
        return None
    return datetime.fromtimestamp(ts.ToMicroseconds() / 1_000_000, tz=UTC)
