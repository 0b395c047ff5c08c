"""Rules for what clients and workers send; each failure names the field and the rule."""

from __future__ import annotations

import json
import re
from typing import Any

from shards.errors import InvalidArgument

ID_PATTERN = re.compile(r"^[a-zA-Z0-9_][a-zA-Z0-9_-]{0,99}$")
EVENT_TYPE_PATTERN = re.compile(r"^[a-zA-Z0-9_][a-zA-Z0-9_.-]{0,99}$")
STEP_NAME_MAX = 200
MAX_PAYLOAD_BYTES = 1024 * 1024
# Long polls (a worker's poll, a client's wait for a result) last at most this long.
MAX_WAIT_SECONDS = 60.0


def check_id(field: str, value: str) -> str:
    """An instance id, workflow name or task queue: ^[a-zA-Z0-9_][a-zA-Z0-9_-]{0,99}$."""
    if not value:
        raise InvalidArgument(field, "must not be empty")
    if len(value) > 100:
        raise InvalidArgument(field, f"is {len(value)} characters long; the limit is 100")
    if not ID_PATTERN.match(value):
        raise InvalidArgument(field, f"{value!r} must match {ID_PATTERN.pattern}")
    return value


def check_event_type(field: str, value: str) -> str:
    """An event type: ^[a-zA-Z0-9_][a-zA-Z0-9_.-]{0,99}$."""
    if not value:
        raise InvalidArgument(field, "must not be empty")
    if not EVENT_TYPE_PATTERN.match(value):
        raise InvalidArgument(field, f"{value[:120]!r} must match {EVENT_TYPE_PATTERN.pattern}")
    return value


def check_step_name(field: str, value: str) -> str:
    """A step name: 1 to 200 characters."""
    if not value:
        raise InvalidArgument(field, "must not be empty")
    if len(value) > STEP_NAME_MAX:
        raise InvalidArgument(
            field, f"is {len(value)} characters long; the limit is {STEP_NAME_MAX}"
        )
    return value


def check_wait(request: Any, field: str, default: float, limit: float) -> float:
    """Seconds of a Duration field of request: default when unset, at most limit."""
    if not request.HasField(field):
        return default
    seconds = float(getattr(request, field).ToMicroseconds()) / 1_000_000
    if seconds < 0:
        raise InvalidArgument(field, "must not be negative")
    return min(seconds, limit)


def check_payload(field: str, data: bytes, limit: int = MAX_PAYLOAD_BYTES) -> bytes:
    """A JSON payload of at most `limit` bytes; empty means null."""
    if len(data) > limit:
        raise InvalidArgument(
            field, f"is {len(data)} bytes; the limit is {limit} bytes ({limit / 1048576:g} MiB)"
        )
    if not data:
        return b"null"
    try:
        json.loads(data)
    except ValueError as exc:
        raise InvalidArgument(field, f"is not valid UTF-8 JSON ({exc})") from None
    return data
