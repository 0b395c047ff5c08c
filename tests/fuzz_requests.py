"""Requests for the fuzz suite (tests/protocol/test_fuzz.py), generated from the protobuf
descriptors of the public services: hypothesis strategies for hostile values (out of range,
oversized, deeply nested or not-quite JSON, unknown enum values, extreme Timestamps and Durations,
altered and forged task tokens) and for sane ones, and a strategy per request message that
mixes them."""

from __future__ import annotations

import base64
import json
import time
from dataclasses import dataclass, field
from typing import Any

from google.protobuf import descriptor as d
from google.protobuf import duration_pb2, timestamp_pb2
from google.protobuf.message import Message
from google.protobuf.message_factory import GetMessageClass
from hypothesis import strategies as st

from stepway.v1 import worker_service_pb2 as wpb

# ---------------------------------------------------------------- values


INT_RANGES = {
    d.FieldDescriptor.TYPE_INT32: (-(2**31), 2**31 - 1),
    d.FieldDescriptor.TYPE_SINT32: (-(2**31), 2**31 - 1),
    d.FieldDescriptor.TYPE_SFIXED32: (-(2**31), 2**31 - 1),
    d.FieldDescriptor.TYPE_UINT32: (0, 2**32 - 1),
    d.FieldDescriptor.TYPE_FIXED32: (0, 2**32 - 1),
    d.FieldDescriptor.TYPE_INT64: (-(2**63), 2**63 - 1),
    d.FieldDescriptor.TYPE_SINT64: (-(2**63), 2**63 - 1),
    d.FieldDescriptor.TYPE_SFIXED64: (-(2**63), 2**63 - 1),
    d.FieldDescriptor.TYPE_UINT64: (0, 2**64 - 1),
    d.FieldDescriptor.TYPE_FIXED64: (0, 2**64 - 1),
}


def integers(lo: int, hi: int) -> st.SearchStrategy[int]:
    """Small numbers, the type's bounds and values around them."""
    edges = [
        v
        for v in (
            0,
            1,
            2,
            -1,
            99,
            1000,
            2**31 - 1,
            2**31,
            2**32 - 1,
            2**53,
            2**62,
            lo,
            hi,
            -(2**31),
        )
        if lo <= v <= hi
    ]
    return st.one_of(st.sampled_from(edges), st.integers(max(lo, -1000), min(hi, 100_000)))


SECONDS_EDGES = [
    0,
    1,
    -1,
    2**62,
    -(10**12),
    10**12,
    253_402_300_799,  # 9999-12-31T23:59:59Z, the last valid Timestamp second
    253_402_300_800,
    -62_135_596_800,  # 0001-01-01T00:00:00Z, the first
    -62_135_596_801,
    315_576_000_000,  # the largest valid Duration
    315_576_000_001,
    2**63 - 1,
    -(2**63),
]
NANOS_EDGES = [0, 1, -1, 999_999_999, 1_000_000_000, 2_000_000_000, -(2**31), 2**31 - 1]


def timestamps() -> st.SearchStrategy[timestamp_pb2.Timestamp]:
    now = int(time.time())
    seconds = st.one_of(st.sampled_from(SECONDS_EDGES), st.integers(now - 10**6, now + 10**6))
    nanos = st.one_of(st.sampled_from(NANOS_EDGES), st.integers(0, 999_999_999))
    return st.builds(timestamp_pb2.Timestamp, seconds=seconds, nanos=nanos)


def sane_timestamps() -> st.SearchStrategy[timestamp_pb2.Timestamp]:
    now = int(time.time())
    return st.builds(
        timestamp_pb2.Timestamp,
        seconds=st.integers(now - 3600, now + 3600),
        nanos=st.integers(0, 999_999_999),
    )


def sane_durations() -> st.SearchStrategy[duration_pb2.Duration]:
    return st.builds(duration_pb2.Duration, seconds=st.integers(0, 5), nanos=st.just(0))


def durations() -> st.SearchStrategy[duration_pb2.Duration]:
    seconds = st.one_of(st.sampled_from(SECONDS_EDGES), st.integers(-100, 100))
    nanos = st.one_of(st.sampled_from(NANOS_EDGES), st.integers(-999_999_999, 999_999_999))
    return st.builds(duration_pb2.Duration, seconds=seconds, nanos=nanos)


def _json_values() -> st.SearchStrategy[Any]:
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(2**70), 2**70),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(max_size=20),
    )
    return st.recursive(
        scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
        ),
        max_leaves=12,
    )


def _nested(depth: int, kind: str) -> bytes:
    if kind == "array":
        return b"[" * depth + b"]" * depth
    return b'{"a":' * depth + b"1" + b"}" * depth


ODD_JSON = [
    b"",
    b"NaN",
    b'{"x": NaN}',
    b"[Infinity, -Infinity]",
    b'"\\ud800"',
    b'{"\\udfff": 1}',
    b"\xef\xbb\xbf{}",
    b'{"a": 1, "a": 2}',
    b"\xff\xfe",
    b"{",
    b"1e999",
    b"-0",
    b"123456789012345678901234567890",
    b'"\x00"',
    b"null",
]


def payload_bytes() -> st.SearchStrategy[bytes]:
    """JSON and not-quite JSON, deeply nested and oversized."""
    return st.one_of(
        _json_values().map(lambda v: json.dumps(v).encode()),
        st.sampled_from(ODD_JSON),
        st.tuples(
            st.sampled_from([64, 200, 1_000, 5_000, 100_000]), st.sampled_from(["array", "object"])
        ).map(lambda t: _nested(*t)),
        st.sampled_from([1024 * 1024 - 2, 1024 * 1024 + 1, 3 * 1024 * 1024]).map(
            lambda n: b'"' + b"a" * n + b'"'
        ),
        st.binary(max_size=64),
    )


SANE_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789-_ "
ODD_TEXT = [
    "",
    " ",
    "dup\n",
    "\n",
    "a\x00b",
    "a\tb",
    "../etc",
    "é",
    "🙂",
    "%s%n",
    "' OR 1=1 --",
    "\u202e",
]


def texts() -> st.SearchStrategy[str]:
    """Short text, odd text, and text past every name and label limit (up to 300,000)."""
    return st.one_of(
        st.text(max_size=24),
        st.sampled_from(ODD_TEXT),
        st.sampled_from([101, 256, 1_000, 70_000, 300_000]).map(lambda n: "y" * n),
    )


# ---------------------------------------------------------------- what the fuzzer knows


@dataclass
class Known:
    """Real names and tokens of the fuzzed account, so that generated calls reach past the
    first checks; a generated string is one of these about half the time."""

    workflows: list[str] = field(default_factory=lambda: ["wf", "wf2", "unregistered"])
    instances: list[str] = field(default_factory=lambda: [f"i{n}" for n in range(6)])
    queues: list[str] = field(default_factory=lambda: ["q", "steps", "default"])
    accounts: list[str] = field(default_factory=lambda: ["fuzz", "default", "nobody"])
    steps: list[str] = field(default_factory=lambda: ["a", "call", "nap", "ev"])
    workers: list[str] = field(default_factory=lambda: ["fuzz-w"])
    schedules: list[str] = field(default_factory=lambda: ["s0", "s1", "nightly"])
    key_ids: list[str] = field(default_factory=list)
    tokens: list[bytes] = field(default_factory=list)

    def names(self, field_name: str) -> list[str]:
        by_field = {
            "workflow": self.workflows,
            "workflows": self.workflows,
            "instance_id": self.instances,
            "schedule_id": self.schedules,
            "time_zone": ["UTC", "Europe/Paris", "America/New_York", "Nowhere/X"],
            "expression": ["* * * * *", "*/5 * * * * *", "@daily", "0 0 30 2 *", "H * * * *"],
            "task_queue": self.queues,
            "account": self.accounts,
            "name": self.steps + self.accounts,
            "from_step": self.steps,
            "step_name": self.steps,
            "type": ["go"],
            "event_type": ["go"],
            "step_type": ["t"],
            "worker_id": self.workers,
            "key_id": self.key_ids or ["0123456789ab"],
            "uid": [wpb.TaskToken.FromString(t).uid for t in self.tokens] or ["u"],
        }
        return by_field.get(field_name, [])


def task_tokens(known: Known) -> st.SearchStrategy[bytes]:
    """Real tokens, real tokens with one field changed, forged and garbage tokens."""
    real = known.tokens or [wpb.TaskToken(partition=1, uid="u", lease=1).SerializeToString()]

    def altered(token: bytes, name: str, value: Any) -> bytes:
        msg = wpb.TaskToken.FromString(token)
        setattr(msg, name, value)
        return msg.SerializeToString()

    changes = st.one_of(
        st.tuples(st.just("partition"), integers(0, 2**32 - 1)),
        st.tuples(st.just("lease"), integers(0, 2**64 - 1)),
        st.tuples(st.just("uid"), texts()),
        st.tuples(st.just("step_name"), st.sampled_from(["call", "", "x"])),
        st.tuples(st.just("step_seq"), integers(0, 2**32 - 1)),
    )
    return st.one_of(
        st.sampled_from(real),
        st.tuples(st.sampled_from(real), changes).map(lambda t: altered(t[0], *t[1])),
        st.sampled_from(real).map(lambda t: t[: len(t) // 2]),
        st.sampled_from(real).map(lambda t: base64.b64encode(t)),
        st.binary(max_size=80),
    )


# ---------------------------------------------------------------- strategies from descriptors

# A request stays under this many bytes (well within the 64 MiB transport limit), so that
# examples stay quick and the fuzzer's memory small.
MAX_REQUEST_BYTES = 8 * 1024 * 1024


def copies(value: Any, n: int) -> list[Any]:
    """n copies of a value, fewer when they would pass MAX_REQUEST_BYTES together."""
    if isinstance(value, Message):
        size = value.ByteSize()
    elif isinstance(value, str | bytes):
        size = len(value)
    else:
        size = 8
    return [value] * min(n, max(1, MAX_REQUEST_BYTES // max(1, size)))


class Strategies:
    """A strategy per request message, built from its descriptor.

    A generated message is mostly sane (real names and tokens, small numbers, times near now,
    valid JSON), with up to two fields hostile (anything the value strategies above make),
    at any depth: so that calls get past the first checks, and each check meets bad input."""

    MAX_DEPTH = 3

    def __init__(self, known: Known) -> None:
        self.known = known
        self._tokens = task_tokens(known)

    def request(self, desc: d.Descriptor) -> st.SearchStrategy[Message]:
        return self.message(desc, 0, hostile=True)

    def message(self, desc: d.Descriptor, depth: int, *, hostile: bool) -> st.SearchStrategy[Any]:
        if desc.full_name == "google.protobuf.Timestamp":
            return timestamps() if hostile else sane_timestamps()
        if desc.full_name == "google.protobuf.Duration":
            return durations() if hostile else sane_durations()
        cls = GetMessageClass(desc)
        if depth > self.MAX_DEPTH or not desc.fields:
            return st.just(cls())
        sane = {fd.name: self.field(fd, depth, hostile=False) for fd in desc.fields}
        bad = {fd.name: self.field(fd, depth, hostile=True) for fd in desc.fields}
        names = sorted(sane)

        @st.composite
        def build(draw: st.DrawFn) -> Message:
            chosen = draw(st.sets(st.sampled_from(names), max_size=2)) if hostile else set()
            msg = cls()
            for name in names:
                if name in chosen:
                    value = draw(bad[name])
                elif draw(st.integers(0, 9)) < 8:  # a sane field is mostly there
                    value = draw(sane[name])
                else:
                    continue
                fd = desc.fields_by_name[name]
                if fd.is_repeated:
                    getattr(msg, name).extend(value)
                elif fd.message_type is not None:
                    getattr(msg, name).CopyFrom(value)
                else:
                    setattr(msg, name, value)
            return msg

        return build()

    def field(self, fd: d.FieldDescriptor, depth: int, *, hostile: bool) -> st.SearchStrategy[Any]:
        one = self.scalar(fd, depth, hostile=hostile)
        if not fd.is_repeated:
            return one
        if not hostile:
            return st.lists(one, max_size=3)
        many = st.tuples(one, st.sampled_from([100, 1_001, 5_000])).map(lambda t: copies(*t))
        return st.one_of(st.lists(one, max_size=4), many)

    def scalar(self, fd: d.FieldDescriptor, depth: int, *, hostile: bool) -> st.SearchStrategy[Any]:
        t = fd.type
        if fd.message_type is not None:
            return self.message(fd.message_type, depth + 1, hostile=hostile)
        if fd.enum_type is not None:
            known = [v.number for v in fd.enum_type.values]
            return st.sampled_from([*known, 99, -1, 2**31 - 1, -(2**31)] if hostile else known)
        if t in INT_RANGES:
            return integers(*INT_RANGES[t]) if hostile else st.integers(0, 3)
        if t == d.FieldDescriptor.TYPE_BOOL:
            return st.booleans()
        if t in (d.FieldDescriptor.TYPE_DOUBLE, d.FieldDescriptor.TYPE_FLOAT):
            return st.floats() if hostile else st.floats(0, 10)
        if t == d.FieldDescriptor.TYPE_BYTES:
            if "token" in fd.name:
                return self._tokens if hostile else st.sampled_from(self.known.tokens or [b""])
            if hostile:
                return payload_bytes()
            return _json_values().map(lambda v: json.dumps(v).encode())
        assert t == d.FieldDescriptor.TYPE_STRING, fd.full_name
        names = self.known.names(fd.name)
        if fd.name == "trace_parent":
            names = ["00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"]
        if hostile:
            return st.one_of(st.sampled_from(names), texts()) if names else texts()
        return st.sampled_from(names) if names else st.text(SANE_ALPHABET, max_size=12)
