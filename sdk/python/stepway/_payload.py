"""JSON payloads and timestamps at the SDK's edge."""

from __future__ import annotations

import json
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


def loads_for_display(data: bytes) -> Any:
    """A payload a client reads (params, an output, a step's result): by the same rules, or,
    for one stored before the server kept them (NaN, a key twice), as Python's json reads it,
    so that an old instance still reads. ValueError only when neither can read it."""
    try:
        return loads(data)
    except ValueError:
        try:
            return json.loads(data)
        except (ValueError, RecursionError) as exc:
            raise ValueError(f"a stored payload cannot be read: {exc}") from None


def to_datetime(ts: Timestamp) -> datetime | None:
    """An aware UTC datetime, or None for an unset timestamp."""
    if not ts.seconds and not ts.nanos:
        return None
    # Exact, where seconds as a float would round 9999-12-31T23:59:59.999999 into year 10000.
    return ts.ToDatetime(tzinfo=UTC)
