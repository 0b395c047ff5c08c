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


# Sequence numbers, attempts and retry limits are kept in 32-bit signed columns.
MAX_INT32 = 2**31 - 1


def check_int32(field: str, value: int) -> int:
    """A sequence number, attempt or count the store keeps in a 32-bit column: at most
    2,147,483,647 (the protocol's uint32 fields go higher)."""
    if value > MAX_INT32:
        raise InvalidArgument(field, f"is {value}; the limit is {MAX_INT32:,}")
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


# A finished instance is kept between these, in seconds.
MIN_RETENTION_SECONDS = 1
MAX_RETENTION_SECONDS = 3650 * 86_400
MAX_REASON_CHARS = 1000


def check_retention(request: Any, label: str = "retention") -> int | None:
    """The request's retention Duration in microseconds, or None when unset; errors name the
    field as label."""
    if not request.HasField("retention"):
        return None
    us = int(request.retention.ToMicroseconds())
    if not MIN_RETENTION_SECONDS * 1_000_000 <= us <= MAX_RETENTION_SECONDS * 1_000_000:
        raise InvalidArgument(
            label,
            f"is {us / 1_000_000:g} s; it must be between {MIN_RETENTION_SECONDS} s and "
            f"{MAX_RETENTION_SECONDS // 86_400} days",
        )
    return us


def check_page_size(field: str, value: int, default: int, limit: int) -> int:
    """A page size: 0 means the default; more than the limit is refused."""
    if value == 0:
        return default
    if value > limit:
        raise InvalidArgument(field, f"is {value}; the limit is {limit}")
    return value


def check_reason(field: str, value: str) -> str:
    """Free text kept in the history: at most 1,000 characters."""
    if len(value) > MAX_REASON_CHARS:
        raise InvalidArgument(
            field, f"is {len(value)} characters long; the limit is {MAX_REASON_CHARS}"
        )
    return value


TRACEPARENT_PATTERN = re.compile(r"^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$")


def check_traceparent(value: str, field: str = "trace_parent") -> str | None:
    """A W3C traceparent (version-traceid-spanid-flags, 55 characters), or None when empty."""
    if not value:
        return None
    if not TRACEPARENT_PATTERN.match(value):
        raise InvalidArgument(
            field, f"{value[:80]!r} is not a W3C traceparent (00-<32 hex>-<16 hex>-<2 hex>)"
        )
    return value
