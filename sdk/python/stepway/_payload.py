"""JSON payloads and timestamps at the SDK's edge."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from google.protobuf.timestamp_pb2 import Timestamp

from stepway import strict_json


def dumps(value: Any) -> bytes:
    """A value as the JSON bytes Stepway stores; ValueError or TypeError naming what JSON
    cannot hold (NaN, a lone surrogate, nesting past 64 levels, an object), as the server
    would refuse it."""
    return strict_json.dumps(value)


def loads(data: bytes) -> Any:
    """A stored JSON payload back as a value, read by the same rules; empty means None."""
    return strict_json.loads(data) if data else None


def to_datetime(ts: Timestamp) -> datetime | None:
    """An aware UTC datetime, or None for an unset timestamp."""
    if not ts.seconds and not ts.nanos:
        return None
    return datetime.fromtimestamp(ts.ToMicroseconds() / 1_000_000, tz=UTC)
