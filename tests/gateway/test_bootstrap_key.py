"""`stepway keys create --db ... --key-file FILE`: the first operator key of a cluster taken
from a file (a mounted Secret), so that a bootstrap Job can run at every deploy: the key
works, a second run changes nothing, the key never reaches the output, and a weak key or a
key of another account is refused in one line."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from gateway.dev import DevConfig, DevServer, start_dev
from stepway import Client
from tests.sdk.test_cli import Cli, command_env

KEY = "sw_" + "k" * 40


@pytest.fixture(scope="module")
def cli_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return command_env(tmp_path_factory.mktemp("pycache"))


@pytest.fixture
async def server(db_url: str) -> AsyncIterator[DevServer]:
    dev = await start_dev(DevConfig(db_url=db_url, listen="127.0.0.1:0", http=None))
    try:
        yield dev
    finally:
        await dev.stop()


async def test_a_key_from_a_file_becomes_the_operator_key_once_and_is_never_printed(
    server: DevServer, cli_env: dict[str, str], tmp_path: Path
) -> None:
    key_file = tmp_path / "operator-key"
    key_file.write_text(KEY + "\n")
    cli = Cli(cli_env)
    args = ("keys", "create", "--db", server.config.db_url, "--operator", "--account", "ops")
    first = await cli(*args, "--role", "admin", "--key-file", str(key_file), "-o", "json")
    again = await cli(*args, "--role", "admin", "--key-file", str(key_file))
    assert (first.code, again.code) == (0, 0), (first, again)
    assert KEY not in first.out + first.err + again.out + again.err
    assert json.loads(first.out)["account"] == "ops"
    assert "stored for account 'ops'" in again.out
    async with await Client.connect(server.address, api_key=KEY) as client:
        names = [a.name for a in await client.admin.list_accounts()]
    assert "ops" in names


async def test_a_weak_key_or_one_of_another_account_is_refused_in_one_line(
    server: DevServer, cli_env: dict[str, str], tmp_path: Path
) -> None:
    cli = Cli(cli_env)
    weak, taken = tmp_path / "weak", tmp_path / "taken"
    weak.write_text("sw_short")
    taken.write_text(KEY)
    db = ("--db", server.config.db_url)
    refused = await cli("keys", "create", *db, "--account", "a", "--key-file", str(weak))
    assert refused.code == 1 and "at least 32 characters" in refused.err
    assert "sw_short" not in refused.err
    assert (await cli("keys", "create", *db, "--account", "a", "--key-file", str(taken))).code == 0
    other = await cli("keys", "create", *db, "--account", "b", "--key-file", str(taken))
    assert other.code == 1 and "another account" in other.err, other
