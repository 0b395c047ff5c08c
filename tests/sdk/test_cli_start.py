"""Starting Stepway's processes from the command line: a port in use, a database that cannot be
used and a server not up yet each end in one clear line (or a patient retry), never in a
traceback, a password on screen or a second server sharing a port. The commands run as
subprocesses, as a user runs them."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

from gateway.dev import DevConfig, DevServer, start_dev
from stepway import Client
from tests.helpers import eventually, free_port
from tests.sdk.test_cli import Cli, Ran, command_env

PASSWORD = "s3cret-pw"


@pytest.fixture(scope="module")
def cli_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return command_env(tmp_path_factory.mktemp("pycache"))


@pytest.fixture
async def sqlite_dev(tmp_path: Path) -> AsyncIterator[DevServer]:
    """A dev server on an SQLite file, on a free port."""
    server = await start_dev(
        DevConfig(db_url=f"sqlite:///{tmp_path / 'first.db'}", listen="127.0.0.1:0")
    )
    try:
        yield server
    finally:
        await server.stop()


def one_line_error(ran: Ran) -> str:
    assert ran.code == 1, ran
    assert ran.err.startswith("error: ") and ran.err.count("\n") == 1, ran.err
    assert "Traceback" not in ran.err
    return ran.err


async def test_every_server_command_refuses_a_port_in_use_with_one_line_and_exit_1(
    sqlite_dev: DevServer, cli_env: dict[str, str], tmp_path: Path
) -> None:
    cli = Cli(cli_env)
    taken = sqlite_dev.address
    cluster_db = str(sqlite_dev.config.db_url)
    dev, gateway, shard, metrics, console = await asyncio.gather(
        cli("dev", "--listen", taken, "--db", f"sqlite:///{tmp_path / 'second.db'}"),
        cli("gateway", "--listen", taken, "--db", cluster_db),
        cli("shard", "--listen", taken, "--db", cluster_db),
        cli("shard", "--listen", "127.0.0.1:0", "--db", cluster_db, "--metrics", taken),
        cli("gateway", "--listen", "127.0.0.1:0", "--db", cluster_db, "--http", taken),
    )
    for ran in (dev, gateway, shard):
        assert f"cannot listen on {taken}: another process holds that port" in one_line_error(ran)
    assert "cannot listen on a port another process holds" in one_line_error(metrics)
    # The gateway has logged its start (at INFO, as servers do) when its console fails.
    assert console.code == 1 and "Traceback" not in console.err
    last = console.err.splitlines()[-1]
    assert last.startswith("error: cannot listen on a port another process holds")
    # The first server still answers every call.
    async with await Client.connect(sqlite_dev.address, api_key=sqlite_dev.api_key) as client:
        assert await client.list_workflows() == []


async def test_a_database_that_cannot_be_used_is_one_line_naming_it_without_its_password(
    cli_env: dict[str, str], pg_admin_url: str
) -> None:
    cli = Cli(cli_env)
    missing = make_url(pg_admin_url).set(password=PASSWORD, database="stepway_no_such_db")
    url = missing.render_as_string(hide_password=False)
    heroku_style = url.replace("postgresql", "postgres", 1)
    runs = await asyncio.gather(
        cli("migrate", "--db", url),
        cli("migrate", "--db", heroku_style),
        cli("dev", "--db", url, "--listen", "127.0.0.1:0"),
        cli("shard", "--db", url, "--listen", "127.0.0.1:0"),
        cli("gateway", "--db", url, "--listen", "127.0.0.1:0"),
        cli("cluster", "status", "--db", url),
        cli("migrate", "--db", f"mysql://root:{PASSWORD}@db.example/app"),
    )
    for ran in runs:
        err = one_line_error(ran)
        assert PASSWORD not in err and "***" in err, err
    for ran in runs[:-1]:
        assert "stepway_no_such_db" in ran.err and "Check the URL (--db or STEPWAY_DB)" in ran.err
    assert "unsupported database URL 'mysql://root:***@db.example/app'" in runs[-1].err


async def test_migrate_says_it_created_the_schema_then_that_it_is_up_to_date_hiding_the_password(
    cli_env: dict[str, str], pg_admin_url: str
) -> None:
    name = f"stepway_t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        url = make_url(pg_admin_url).set(password=PASSWORD, database=name)
        text = url.render_as_string(hide_password=False)
        cli = Cli(cli_env)
        first = await cli("migrate", "--db", text)
        second = await cli("migrate", "--db", text)
    finally:
        with psycopg.connect(pg_admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    assert first.code == 0 and second.code == 0, (first, second)
    shown = url.render_as_string(hide_password=True)
    assert first.out.startswith(f"created the schema of {shown} (revision ")
    assert second.out.startswith(f"the schema of {shown} is up to date (revision ")
    assert PASSWORD not in first.out + second.out


async def test_a_worker_started_before_its_server_retries_with_backoff_then_serves(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    port = free_port()
    key = "sw_test_worker_before_server"
    proc = await Cli(cli_env).spawn(
        *("worker", "stepway.examples.order", "--address", f"127.0.0.1:{port}"),
        *("--api-key", key),
    )
    assert proc.stderr is not None and proc.stdout is not None
    try:
        said = await asyncio.wait_for(proc.stderr.readline(), 20)
        assert said.decode().startswith(f"cannot reach a Stepway server at 127.0.0.1:{port}")
        assert b"retrying in" in said
        assert proc.returncode is None
        server = await start_dev(
            DevConfig(
                db_url=f"sqlite:///{tmp_path / 'late.db'}",
                listen=f"127.0.0.1:{port}",
                api_key=key,
            )
        )
        try:
            serving = await asyncio.wait_for(proc.stdout.readline(), 30)
            assert b"serving order on task queue 'default'" in serving
            async with await Client.connect(server.address, api_key=key) as client:
                await eventually(
                    client.list_workflows,
                    lambda found: [w.name for w in found] == ["order"],
                    what="order registered",
                )
        finally:
            proc.terminate()
            await asyncio.wait_for(proc.wait(), 20)
            await server.stop()
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()


async def test_the_python_client_reads_address_and_key_from_the_environment(
    sqlite_dev: DevServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STEPWAY_ADDRESS", sqlite_dev.address)
    monkeypatch.setenv("STEPWAY_API_KEY", sqlite_dev.api_key)
    async with await Client.connect() as client:
        assert await client.list_workflows() == []
    monkeypatch.delenv("STEPWAY_API_KEY")
    with pytest.raises(ValueError, match="STEPWAY_API_KEY"):
        await Client.connect()
