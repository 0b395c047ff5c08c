"""Small helpers for tests: waiting with a deadline instead of sleeping, free ports, and a
fresh virtual environment holding Stepway from wheels."""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import hashlib
import os
import socket
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from pathlib import Path
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


@contextlib.contextmanager
def one_build_at_a_time() -> Iterator[None]:
    """Holds a lock, shared by the processes that run the suite in parallel (pytest -n), while
    a wheel is built: pip builds a source directory in place (its build/ directory), so two
    builds of one checkout at once would mix their files."""
    checkout = hashlib.sha256(str(Path(__file__).resolve().parents[1]).encode()).hexdigest()
    lock = Path(tempfile.gettempdir(), f"stepway-tests-build-{checkout[:16]}.lock")
    with lock.open("a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(held, fcntl.LOCK_UN)


def venv_with_wheels(base: Path, sources: Sequence[Path], extras: str = "") -> Path:
    """A fresh virtual environment in base/venv holding a wheel built of each source (the SDK's
    sdk/python, the server's top level), the SDK's with extras (e.g. "testing"), installed
    without an index. Their dependencies are this test environment's: the venv sees them
    through a .pth line naming its site-packages (a path line does not run that directory's
    own .pth files, so its editable Stepway stays out)."""
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    wheels = base / "wheels"
    with one_build_at_a_time():
        subprocess.run(
            [
                *pip,
                *("wheel", "--no-deps", "--no-build-isolation", "-w", str(wheels)),
                *map(str, sources),
            ],
            check=True,
            capture_output=True,
            cwd=base,
        )
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    Path(site, "test-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    wanted = [
        f"stepway[{extras}] @ {wheel.as_uri()}"
        if extras and wheel.name.startswith("stepway-")
        else str(wheel)
        for wheel in sorted(wheels.glob("*.whl"))
    ]
    subprocess.run(
        [*pip, "--python", str(python), "install", "--no-deps", "--no-index", *wanted],
        check=True,
        capture_output=True,
    )
    return venv
