"""Small helpers for tests: waiting with a deadline instead of sleeping, free ports."""

from __future__ import annotations

import asyncio
import os
import socket
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

import pytest

T = TypeVar("T")


async def eventually(
    probe: Callable[[], Awaitable[T]],
    check: Callable[[T], bool],
    *,
    timeout: float = 20.0,
    interval: float = 0.02,
    what: str = "condition",
) -> T:
    """Calls probe until check(result) holds; fails the test after timeout seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = await probe()
        if check(value):
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} not reached within {timeout} s; last value: {value!r}")
        await asyncio.sleep(interval)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def needs(present: bool, reason: str) -> pytest.MarkDecorator:
    """Skips a test whose outside tool (Node.js, grpcurl, Chromium) is missing here, except in
    CI (CI set), where the project installs them all and a missing one must fail, not skip."""
    return pytest.mark.skipif(not present and not os.environ.get("CI"), reason=reason)
