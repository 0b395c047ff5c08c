"""A clock that stands still until told to move: the engine's and the worker's time in tests."""

from __future__ import annotations

import asyncio
import math
import time
from dataclasses import dataclass, field


@dataclass(eq=False)
class _Waiter:
    deadline: int
    # A timer the clock may jump to; periodic sleeps (retention) only ride along.
    target: bool = field(compare=False)
    done: asyncio.Event = field(compare=False, default_factory=asyncio.Event)


class SkippingClock:
    """Virtual time in microseconds since the epoch, starting at the wall clock's time.

    It moves only when advanced (stepway.testing's environment does so when nothing can run,
    or on env.sleep); every wait whose deadline it passes returns, earliest first."""

    def __init__(self, start_us: int | None = None) -> None:
        self._now = time.time_ns() // 1000 if start_us is None else start_us
        self._waiters: list[_Waiter] = []

    def now_us(self) -> int:
        """The virtual time."""
        return self._now

    def __call__(self) -> int:
        return self._now

    async def wait(self, wake: asyncio.Event, timeout: float | None) -> None:
        """Returns when wake is set or the clock passes now + timeout."""
        if timeout is None:
            await wake.wait()
            return
        waiter = self._add(timeout, target=True)
        woken = asyncio.ensure_future(wake.wait())
        passed = asyncio.ensure_future(waiter.done.wait())
        try:
            await asyncio.wait({woken, passed}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            woken.cancel()
            passed.cancel()
            self._remove(waiter)

    async def sleep(self, seconds: float) -> None:
        """Returns once the clock passes now + seconds; never a deadline to jump to."""
        waiter = self._add(seconds, target=False)
        try:
            await waiter.done.wait()
        finally:
            self._remove(waiter)

    def next_deadline(self) -> int | None:
        """The earliest timer waited on, None when there is none."""
        targets = [w.deadline for w in self._waiters if w.target]
        return min(targets) if targets else None

    def advance_to(self, us: int) -> None:
        """Moves the clock forward to us (never back) and wakes every wait now due."""
        self._now = max(self._now, us)
        for waiter in self._waiters:
            if waiter.deadline <= self._now:
                waiter.done.set()

    def _add(self, seconds: float, *, target: bool) -> _Waiter:
        # Rounded up, so that a timer's wait never ends a microsecond before its due time.
        waiter = _Waiter(self._now + max(math.ceil(seconds * 1_000_000), 0), target)
        if waiter.deadline <= self._now:
            waiter.done.set()
        self._waiters.append(waiter)
        return waiter

    def _remove(self, waiter: _Waiter) -> None:
        self._waiters = [w for w in self._waiters if w is not waiter]
