"""JSON as Stepway takes it: RFC 8259 text, strictly, with a bounded nesting depth.

The servers refuse a payload that breaks these rules (INVALID_ARGUMENT naming the field) and
the SDK checks what it sends and reads by the same rules, so a value that cannot be stored
fails where it is made, with a message that names the problem:

- UTF-8 text with no byte order mark (RFC 8259 §8.1);
- no NaN, Infinity or -Infinity, and no number too large for a double (1e400);
- no object with the same key twice (§4 leaves them undefined: readers disagree);
- no lone surrogate, escaped (``"\\ud800"``) or raw (§8.2: such strings are not Unicode);
- arrays and objects nested at most MAX_DEPTH deep, counted by a linear scan before parsing,
  so a payload of 100,000 brackets costs linear time and never a RecursionError.

The servers import this module by design (shards.validation), so that both ends share one set
of rules: the server distribution depends on the SDK, never the reverse.
"""

from __future__ import annotations

import json
import math
import operator
import re
from itertools import accumulate, count
from typing import Any

MAX_DEPTH = 64

_BOM = "\ufeff"
# What the depth scan keeps: quotes and brackets, every bracket as [ or ].
_ESCAPE = re.compile(rb"\\.", re.S)
_AS_SQUARE = bytes.maketrans(b"{}", b"[]")
_NOT_STRUCTURE = bytes(b for b in range(256) if b not in b'"[]{}')
# An escape that may start a surrogate (\uD800 to \uDFFF), seen before parsing.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def loads(data: bytes | str) -> Any:
    """The value of a JSON text that keeps every rule; ValueError naming the broken one."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        if raw[exc.start] == 0xED and raw[exc.start + 1 : exc.start + 2] >= b"\xa0":
            raise ValueError(_LONE_SURROGATE) from None
        raise ValueError(f"is not UTF-8 (byte {exc.start} is invalid)") from None
    if text.startswith(_BOM):
        raise ValueError("starts with a byte order mark (U+FEFF), which JSON text must not")
    check_depth(raw)
    try:
        value = json.loads(
            text,
            parse_constant=_no_constant,
            parse_float=_finite_float,
            object_pairs_hook=_unique_keys,
        )
    except _Refused as exc:
        raise ValueError(str(exc)) from None
    except ValueError as exc:
        raise ValueError(f"is not JSON ({exc})") from None
    if _SURROGATE_ESCAPE.search(text):
        try:
            json.dumps(value, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError(_LONE_SURROGATE) from None
    return value


def dumps(value: Any) -> bytes:
    """value as compact UTF-8 JSON that keeps every rule; ValueError (or TypeError, for a type
    JSON cannot hold) naming the problem."""
    try:
        text = json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    except RecursionError:
        raise ValueError(f"nests arrays and objects deeper than {MAX_DEPTH} levels") from None
    except ValueError as exc:
        if "Out of range float" in str(exc):
            raise ValueError("holds NaN or Infinity, which JSON cannot hold") from None
        raise
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(_LONE_SURROGATE) from None
    loads(data)  # keys that JSON makes equal (1 and "1"), depth, huge floats
    return data


def check_depth(data: bytes) -> None:
    """Refuses arrays and objects nested deeper than MAX_DEPTH, without recursion and in time
    linear in the size of data: C-level passes over bytes, then one over the closing brackets,
    which stops at the first one too deep."""
    if data.count(b"[") + data.count(b"{") <= MAX_DEPTH:
        return
    if b"\\" in data:
        data = _ESCAPE.sub(b"", data)  # an escape pair never starts or ends a string
    # Quotes and brackets; between quotes 2k and 2k + 1 lies a string, whose brackets count not.
    brackets = b"".join(data.translate(_AS_SQUARE, _NOT_STRUCTURE).split(b'"')[::2])
    # Before the k-th "]" (from 0) the depth is the "[" before it, less the k "]" before it.
    opens_before = accumulate(map(len, brackets.split(b"]")))
    if any(map(MAX_DEPTH.__lt__, map(operator.sub, opens_before, count()))):
        raise ValueError(f"nests arrays and objects deeper than {MAX_DEPTH} levels")


_LONE_SURROGATE = (
    "holds a lone surrogate (a code point from U+D800 to U+DFFF outside a pair), "
    "which is not Unicode text"
)


class _Refused(Exception):
    """A rule broken inside json.loads; turned into a ValueError by loads."""


def _no_constant(name: str) -> Any:
    raise _Refused(f"holds {name}, which JSON cannot hold")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _Refused(f"holds the number {text[:40]}, too large for a double")
    return value


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _Refused(f"has the key {key[:80]!r} twice in one object")
            seen.add(key)
    return obj
