"""Time as the engine counts it: integer microseconds since the Unix epoch, UTC."""

from __future__ import annotations

import asyncio
import contextlib
import time
from datetime import UTC, datetime
from typing import Protocol

from google.protobuf.timestamp_pb2 import Timestamp

# What a protobuf Timestamp holds: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999Z.
TIMESTAMP_MIN_US = -62_135_596_800 * 1_000_000
TIMESTAMP_MAX_US = 253_402_300_799_999_999


def now_us() -> int:
    """The current time in microseconds."""
    return time.time_ns() // 1000


class Clock(Protocol):
    """The time the engine reads and waits on: the wall clock in production, a clock that
    jumps to the next timer in stepway.testing."""

    def now_us(self) -> int:
        """The current time in microseconds."""
        ...

    async def wait(self, wake: asyncio.Event, timeout: float | None) -> None:
        """Returns when wake is set or timeout seconds (None: no limit) have passed."""
        ...

    async def sleep(self, seconds: float) -> None:
        """Returns after seconds (periodic work such as retention, never a timer to jump to)."""
        ...


class WallClock:
    """The real time."""

    def now_us(self) -> int:
        return now_us()

    async def wait(self, wake: asyncio.Event, timeout: float | None) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(wake.wait(), timeout)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


WALL_CLOCK: Clock = WallClock()


def set_time(ts: Timestamp, us: int) -> None:
    """Sets ts to a time in microseconds, clamped to what a Timestamp holds: the edge refuses
    times past year 9999, and one stored before it did still reads, as the end of 9999."""
    ts.FromMicroseconds(min(max(int(us), TIMESTAMP_MIN_US), TIMESTAMP_MAX_US))


def to_timestamp(us: int | None) -> Timestamp | None:
    """A protobuf Timestamp for a time in microseconds; None stays None."""
    if us is None:
        return None
    ts = Timestamp()
    set_time(ts, us)
    return ts


def to_datetime(us: int) -> datetime:
    """An aware UTC datetime for a time in microseconds."""
    return datetime.fromtimestamp(us / 1_000_000, tz=UTC)
