"""Rules for what clients and workers send; each failure names the field and the rule."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from google.protobuf.duration_pb2 import Duration
from google.protobuf.timestamp_pb2 import Timestamp

from shards.clock import TIMESTAMP_MAX_US
from shards.errors import InvalidArgument
from shards.limits import MAX_ID_CHARS as MAX_ID_CHARS
from shards.limits import MAX_PAYLOAD_BYTES as MAX_PAYLOAD_BYTES
from shards.limits import MAX_REASON_CHARS as MAX_REASON_CHARS
from shards.limits import STEP_NAME_MAX as STEP_NAME_MAX
from stepway import strict_json

# Every pattern is matched whole (fullmatch): `$` alone also matches before a final newline.
ID_PATTERN = re.compile(r"^[a-zA-Z0-9_][a-zA-Z0-9_-]{0,99}$")
EVENT_TYPE_PATTERN = re.compile(r"^[a-zA-Z0-9_][a-zA-Z0-9_.-]{0,99}$")
# Long polls (a worker's poll, a client's wait for a result) last at most this long.
MAX_WAIT_SECONDS = 60.0


def check_id(field: str, value: str) -> str:
    """An instance id, workflow name or task queue: ^[a-zA-Z0-9_][a-zA-Z0-9_-]{0,99}$."""
    return check_name(field, value, MAX_ID_CHARS, ID_PATTERN)


def check_name(field: str, value: str, limit: int, pattern: re.Pattern[str]) -> str:
    """A name of at most `limit` characters matching `pattern` whole; each refusal says which
    rule it broke (empty, too long, or the pattern)."""
    if not value:
        raise InvalidArgument(field, "must not be empty")
    if len(value) > limit:
        raise InvalidArgument(field, f"is {len(value)} characters long; the limit is {limit}")
    if not pattern.fullmatch(value):
        raise InvalidArgument(field, f"{value!r} must match {pattern.pattern}")
    return value


def check_event_type(field: str, value: str) -> str:
    """An event type: ^[a-zA-Z0-9_][a-zA-Z0-9_.-]{0,99}$."""
    if not value:
        raise InvalidArgument(field, "must not be empty")
    if not EVENT_TYPE_PATTERN.fullmatch(value):
        raise InvalidArgument(field, f"{value[:120]!r} must match {EVENT_TYPE_PATTERN.pattern}")
    return value


def check_step_name(field: str, value: str) -> str:
    """A step name: 1 to 200 characters, none of them NUL (U+0000, which PostgreSQL and
    CockroachDB cannot store in text)."""
    if not value:
        raise InvalidArgument(field, "must not be empty")
    if "\x00" in value:
        raise InvalidArgument(field, "must not contain the NUL character (U+0000)")
    if len(value) > STEP_NAME_MAX:
        raise InvalidArgument(
            field, f"is {len(value)} characters long; the limit is {STEP_NAME_MAX}"
        )
    return value


# Times the engine takes, in microseconds since the Unix epoch: from 1970-01-01T00:00:00Z to
# 9999-12-31T23:59:59.999999Z. Nothing Stepway schedules lies before 1970, and a Timestamp
# (and so every answer) ends with year 9999.
MIN_TIME_US = 0
MAX_TIME_US = TIMESTAMP_MAX_US
# The longest Duration any field takes, where the field names no tighter bound: 3,650 days.
MAX_DURATION_US = 3650 * 86_400 * 1_000_000
_NANOS = 1_000_000_000


def check_timestamp(field: str, ts: Timestamp, lo: int = MIN_TIME_US, hi: int = MAX_TIME_US) -> int:
    """Microseconds of a normalized Timestamp between lo and hi (by default from 1970 to the
    end of 9999); sub-microsecond nanos are dropped."""
    if not 0 <= ts.nanos < _NANOS:
        raise InvalidArgument(field, f"has nanos {ts.nanos}; nanos must be from 0 to 999999999")
    us = ts.seconds * 1_000_000 + ts.nanos // 1000
    if not lo <= us <= hi:
        raise InvalidArgument(
            field,
            f"has seconds {ts.seconds}; it must be from {_iso(lo)} to {_iso(hi)}",
        )
    return us


def duration_us(field: str, d: Duration) -> int:
    """Microseconds of a normalized Duration: nanos within ±999,999,999 and of the sign of
    seconds; sub-microsecond nanos are dropped. The range is the caller's to check."""
    if not -_NANOS < d.nanos < _NANOS:
        raise InvalidArgument(
            field, f"has nanos {d.nanos}; nanos must be from -999999999 to 999999999"
        )
    if (d.seconds < 0 < d.nanos) or (d.nanos < 0 < d.seconds):
        raise InvalidArgument(
            field, f"has seconds {d.seconds} and nanos {d.nanos}; their signs must agree"
        )
    return d.seconds * 1_000_000 + int(d.nanos / 1000)


def check_duration(field: str, d: Duration, hi: int, lo: int = 0) -> int:
    """Microseconds of a normalized Duration from lo to hi microseconds."""
    us = duration_us(field, d)
    given = f"{d.seconds + d.nanos / _NANOS:g} s"
    if lo >= 0 and (d.seconds < 0 or d.nanos < 0):  # -1 ns is negative, though 0 µs
        raise InvalidArgument(field, f"is {given}; it must not be negative")
    if not lo <= us <= hi:
        raise InvalidArgument(field, f"is {given}; it must be from {_secs(lo)} to {_secs(hi)}")
    return us


def _secs(us: int) -> str:
    return f"{us / 1_000_000:g} s"


def _iso(us: int) -> str:
    return datetime.fromtimestamp(us // 1_000_000, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# Step occurrences (seq), attempt numbers, retry limits and history positions are stored as
# 32-bit integers: each is at most a billion, far past what any instance reaches.
MAX_COUNTER = 1_000_000_000


def check_counter(field: str, value: int, lo: int = 0) -> int:
    """A count or position from lo to MAX_COUNTER."""
    if not lo <= value <= MAX_COUNTER:
        raise InvalidArgument(field, f"is {value}; it must be from {lo} to {MAX_COUNTER}")
    return value


def check_wait(request: Any, field: str, default: float, limit: float) -> float:
    """Seconds of a Duration field of request: default when unset, at most limit (a longer
    one, up to MAX_DURATION_US, is shortened to it)."""
    if not request.HasField(field):
        return default
    us = check_duration(field, getattr(request, field), MAX_DURATION_US)
    return min(us / 1_000_000, limit)


def check_payload(field: str, data: bytes, limit: int = MAX_PAYLOAD_BYTES) -> bytes:
    """A JSON payload of at most `limit` bytes that keeps stepway.strict_json's rules (RFC 8259
    UTF-8 text, no NaN or Infinity, no duplicate key, no lone surrogate, at most 64 levels
    deep); empty means null."""
    if len(data) > limit:
        raise InvalidArgument(
            field, f"is {len(data)} bytes; the limit is {limit} bytes ({limit / 1048576:g} MiB)"
        )
    if not data:
        return b"null"
    try:
        strict_json.loads(data)
    except ValueError as exc:
        raise InvalidArgument(field, str(exc)) from None
    return data


# A finished instance is kept between these, in seconds.
MIN_RETENTION_SECONDS = 1
MAX_RETENTION_SECONDS = 3650 * 86_400


def check_retention(request: Any, label: str = "retention", field: str = "retention") -> int | None:
    """The request's retention Duration (the field named field) in microseconds, or None when
    unset; errors name the field as label."""
    if not request.HasField(field):
        return None
    us = duration_us(label, getattr(request, field))
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


def check_note(field: str, value: str) -> str:
    """Free text kept in a column of its own (a schedule's pause or resume note): at most
    1,000 characters, none of them NUL (U+0000, which PostgreSQL and CockroachDB cannot store
    in text)."""
    check_reason(field, value)
    if "\x00" in value:
        raise InvalidArgument(field, "must not contain the NUL character (U+0000)")
    return value


TRACEPARENT_PATTERN = re.compile(r"^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$")


def check_traceparent(value: str, field: str = "trace_parent") -> str | None:
    """A W3C traceparent (version-traceid-spanid-flags, 55 characters), or None when empty."""
    if not value:
        return None
    if not TRACEPARENT_PATTERN.fullmatch(value):
        raise InvalidArgument(
            field, f"{value[:80]!r} is not a W3C traceparent (00-<32 hex>-<16 hex>-<2 hex>)"
        )
    return value


def check_build_id(field: str, value: str) -> str:
    """A worker's build id: empty (unversioned) or ^[a-zA-Z0-9_][a-zA-Z0-9_.-]{0,99}$."""
    if not value:
        return value
    return check_name(field, value, MAX_ID_CHARS, EVENT_TYPE_PATTERN)
