"""Polls a gateway sends to several shard servers at once, which it may end by id.

A gateway long-polls every shard server for a worker and answers with the tasks of the first
that finds some; it then ends the other polls by their CallContext.fanout_poll_id (the internal
service's EndPoll) rather than cancelling them. An ended poll answers normally with no tasks
(what it had claimed was given back), so no task is lost in an answer that crossed a
cancellation. Ends are remembered for a while, in case an end overtakes its poll.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")

# Fan-out polls ended by a gateway are remembered by id, in case the end overtakes the poll.
ENDED_POLLS_KEPT = 4096


class FanoutPolls:
    """The fan-out polls running on a shard server, by id, and the ids ended lately."""

    def __init__(self) -> None:
        self._polls: dict[str, asyncio.Future[Any]] = {}
        self._ended_polls: OrderedDict[str, None] = OrderedDict()

    async def run(self, poll_id: str, poll: Coroutine[Any, Any, list[T]]) -> list[T]:
        """Runs a gateway's fan-out poll so that the gateway can end it by id: an ended poll
        answers normally with no tasks (what it had claimed was given back)."""
        if poll_id in self._ended_polls:
            poll.close()
            return []
        running = asyncio.ensure_future(poll)
        self._polls[poll_id] = running
        try:
            return await running
        except asyncio.CancelledError:
            current = asyncio.current_task()
            if poll_id in self._ended_polls and current is not None and not current.cancelling():
                return []
            running.cancel()
            raise
        finally:
            self._polls.pop(poll_id, None)

    def end(self, poll_id: str) -> None:
        """Ends the poll of this id now, or as soon as it arrives."""
        self._ended_polls[poll_id] = None
        while len(self._ended_polls) > ENDED_POLLS_KEPT:
            self._ended_polls.popitem(last=False)
        running = self._polls.get(poll_id)
        if running is not None:
            running.cancel()
