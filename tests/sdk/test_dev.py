"""`stepway dev` as a user runs it: one dev key per store, printed at every start, and the web
console on loopback by default, signing in a browser on this machine with that key."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest
import sqlalchemy as sa

from gateway.dev import DevConfig, default_http, signs_in
from shards import schema
from shards.db import create_engine

ROOT = Path(__file__).resolve().parents[2]
KEY_LINE = re.compile(r"API key \(account 'default', role admin\): (\S+)")
CONSOLE_LINE = re.compile(r"Web console on http://127\.0\.0\.1:(\d+)/ \(signed in on this machine")


@pytest.fixture
def procs() -> Iterator[list[subprocess.Popen[str]]]:
    """`stepway dev` processes a test starts; any still running at the end are killed."""
    started: list[subprocess.Popen[str]] = []
    yield started
    for p in started:
        if p.poll() is None:
            p.kill()
            p.wait()


def spawn(db_url: str, extra: tuple[str, ...]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "stepway", "dev", "--db", db_url, "--listen", "127.0.0.1:0", *extra],
        cwd=ROOT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


async def start_dev_process(
    db_url: str, procs: list[subprocess.Popen[str]], *extra: str
) -> tuple[subprocess.Popen[str], list[str]]:
    """Starts `stepway dev` on the store and reads its banner up to the key's export line."""
    proc = spawn(db_url, extra)
    procs.append(proc)
    assert proc.stdout is not None
    lines: list[str] = []
    while not any("export STEPWAY_ADDRESS" in line for line in lines):
        line = await asyncio.wait_for(asyncio.to_thread(proc.stdout.readline), timeout=30)
        assert line, f"stepway dev exited (rc {proc.wait()}):\n{''.join(lines)}"
        lines.append(line)
    return proc, lines


def printed(pattern: re.Pattern[str], lines: list[str]) -> str:
    found = [m.group(1) for m in map(pattern.search, lines) if m]
    assert len(found) == 1, "".join(lines)
    return found[0]


def stop(proc: subprocess.Popen[str]) -> None:
    proc.terminate()
    proc.wait(timeout=30)


def dev_keys(db_url: str) -> int:
    """The store's valid keys named dev."""
    db = create_engine(db_url)
    try:
        with db.connect() as conn:
            K = schema.api_keys
            return int(
                conn.execute(
                    sa.select(sa.func.count())
                    .select_from(K)
                    .where(K.c.name == "dev", K.c.revoked_at.is_(None))
                ).scalar_one()
            )
    finally:
        db.dispose()


async def session_key(port: int, host: str | None = None) -> tuple[int, str | None]:
    """What the console's /api/session answers a page on this machine: status and key."""
    headers = {"Host": host} if host else {}
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"http://127.0.0.1:{port}/api/session", headers=headers) as resp,
    ):
        body = await resp.json()
        return resp.status, body.get("api_key")


async def test_two_starts_on_one_store_print_the_same_key_and_keep_one_dev_key(
    db_url: str, procs: list[subprocess.Popen[str]]
) -> None:
    first, lines = await start_dev_process(db_url, procs, "--http", "127.0.0.1:0")
    key = printed(KEY_LINE, lines)
    stop(first)
    second, lines = await start_dev_process(db_url, procs, "--http", "127.0.0.1:0")
    assert printed(KEY_LINE, lines) == key
    assert f"STEPWAY_API_KEY={key}" in "".join(lines)
    assert dev_keys(db_url) == 1
    # The console, on by default on loopback, signs this machine's browser in with that key.
    port = int(printed(CONSOLE_LINE, lines))
    assert await session_key(port) == (200, key)
    stop(second)


async def test_a_revoked_dev_key_is_replaced_by_a_new_one_at_the_next_start(
    tmp_path: Path, procs: list[subprocess.Popen[str]]
) -> None:
    db_url = f"sqlite:///{tmp_path / 'stepway.db'}"
    first, lines = await start_dev_process(db_url, procs, "--http", "off")
    key = printed(KEY_LINE, lines)
    assert not any("Web console" in line for line in lines)
    stop(first)
    db = create_engine(db_url)
    with db.begin() as conn:
        conn.execute(schema.api_keys.update().values(revoked_at=1))
    db.dispose()
    second, lines = await start_dev_process(db_url, procs, "--http", "off")
    assert printed(KEY_LINE, lines) != key
    assert dev_keys(db_url) == 1
    stop(second)


async def test_the_console_gives_its_key_only_to_a_page_that_names_it_by_a_loopback_host(
    tmp_path: Path, procs: list[subprocess.Popen[str]]
) -> None:
    db_url = f"sqlite:///{tmp_path / 'stepway.db'}"
    proc, lines = await start_dev_process(db_url, procs, "--http", "127.0.0.1:0")
    key, port = printed(KEY_LINE, lines), int(printed(CONSOLE_LINE, lines))
    assert await session_key(port, f"localhost:{port}") == (200, key)
    # A name that a hostile page rebound to 127.0.0.1 gets nothing.
    assert await session_key(port, f"stepway.example.com:{port}") == (404, None)
    async with (
        aiohttp.ClientSession() as session,
        session.get(
            f"http://127.0.0.1:{port}/api/session", headers={"Sec-Fetch-Site": "cross-site"}
        ) as resp,
    ):
        assert resp.status == 404
    stop(proc)


def test_the_console_defaults_to_loopback_beside_the_grpc_port_and_signs_in_only_there() -> None:
    assert default_http("127.0.0.1:7300") == "127.0.0.1:7380"
    assert default_http("0.0.0.0:7300") == "127.0.0.1:7380"
    assert default_http("127.0.0.1:0") == "127.0.0.1:0"
    assert signs_in(DevConfig(http="127.0.0.1:7380"))
    assert signs_in(DevConfig(http="[::1]:7380"))
    assert signs_in(DevConfig(http="localhost:7380"))
    assert not signs_in(DevConfig(http="0.0.0.0:7380"))
    assert not signs_in(DevConfig(http="192.168.1.5:7380"))
    assert not signs_in(DevConfig(http="127.0.0.1:7380", console_sign_in=False))
    assert not signs_in(DevConfig(http=None))
