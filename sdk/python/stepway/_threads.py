"""Synchronous step bodies that outlive their attempt.

A plain function given to `step.do` runs in a thread, and Python cannot stop a thread. When its
attempt times out (or its run is cancelled), the worker sets the attempt's `cancelled` flag
(`stepway.current_step().cancelled`), reports the attempt as failed, and keeps the thread here
until it returns: such a thread counts against the worker's `max_concurrent`, and the retry of
the same step does not start in this worker while it runs (unless the step opts in with
`allow_overlap=True`).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger("stepway.worker")

# (workflow, instance_id, step name, occurrence): one step of one instance.
StepKey = tuple[str, str, str, int]


@dataclass
class _Abandoned:
    key: StepKey
    attempt: int
    since: float
    done: asyncio.Future[object]


class BodyThreads:
    """The threads of timed-out synchronous attempts that still run, in one worker."""

    def __init__(self, on_end: Callable[[], None] = lambda: None) -> None:
        self._running: dict[int, _Abandoned] = {}
        self._on_end = on_end

    def __len__(self) -> int:
        return len(self._running)

    def abandon(self, key: StepKey, attempt: int, done: asyncio.Future[object]) -> None:
        """Keeps a thread that outlived its attempt until done settles."""
        entry = _Abandoned(key, attempt, time.monotonic(), done)
        self._running[id(entry)] = entry
        log.warning(
            "step %r #%d of instance %s: attempt %d timed out but its thread still runs (the "
            "body does not check current_step().cancelled); it counts against max_concurrent "
            "and the step's retry waits for it in this worker",
            key[2],
            key[3],
            key[1],
            attempt,
        )
        done.add_done_callback(lambda _: self._ended(id(entry)))

    def _ended(self, entry_id: int) -> None:
        entry = self._running.get(entry_id)
        if entry is not None and not entry.done.cancelled():
            entry.done.exception()  # what it raised no longer matters: retrieved, not logged
        entry = self._running.pop(entry_id, None)
        if entry is not None:
            log.warning(
                "step %r #%d of instance %s: the thread of timed-out attempt %d ended %.1f s "
                "after its timeout",
                entry.key[2],
                entry.key[3],
                entry.key[1],
                entry.attempt,
                time.monotonic() - entry.since,
            )
        self._on_end()

    def running(self, key: StepKey) -> list[asyncio.Future[object]]:
        """The threads of this step's earlier attempts that still run."""
        return [e.done for e in self._running.values() if e.key == key]

    async def wait_for(self, key: StepKey) -> None:
        """Returns once no earlier attempt of this step runs in this worker."""
        while pending := self.running(key):
            await asyncio.wait(pending)
