"""Answers cut to a byte budget: a workflow task's journal, an instance's steps, a poll's tasks.

Nothing Stepway sends may pass the transport's message limit (shards.rpc.MAX_MESSAGE_BYTES),
however large an instance has grown below its state quota. Journals and step listings go out in
pages: each page holds entries while their bytes fit in a budget, and at least one entry, so a
listing always moves forward. The next page is named by an opaque token: the position of its
first entry, in an order that a task's lease (or a finished instance) keeps stable.
"""

from __future__ import annotations

from collections.abc import Sequence

from shards.errors import InvalidArgument
from shards.limits import MAX_POSITION_TOKEN_CHARS

# What one page of a journal (or of GetInstance's steps) holds, at most, unless its first entry
# alone is larger: well under the transport limit, beside a task's params (at most 1 MiB).
JOURNAL_PAGE_BYTES = 4 * 1024 * 1024
# What one answer holding many items (a poll's tasks, a page of history) holds, at most,
# unless its first item alone is larger: half the transport limit.
ANSWER_BYTES = 32 * 1024 * 1024


def cut(sizes: Sequence[int], start: int, budget: int) -> int:
    """Where the page that begins at `start` ends: entries while their bytes fit in the
    budget, and at least one."""
    end, used = start, 0
    while end < len(sizes) and (end == start or used + sizes[end] <= budget):
        used += sizes[end]
        end += 1
    return end


def next_token(end: int, total: int) -> str:
    """The token of the page after one that ended at `end` of `total` entries; "" at the end."""
    return str(end) if end < total else ""


def position(field: str, token: str) -> int:
    """The position a page token names; "" is the first page."""
    if not token:
        return 0
    if not token.isascii() or not token.isdigit() or len(token) > MAX_POSITION_TOKEN_CHARS:
        raise InvalidArgument(field, "is not a page token Stepway issued")
    return int(token)
