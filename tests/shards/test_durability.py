"""Durability settings: what `stepway dev` asks of SQLite (docs/limits.md, "Durability")."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from gateway.dev import DevConfig, start_dev
from shards.db import create_engine
from stepway.cli import parse_args

# PRAGMA synchronous answers a number: 1 is NORMAL, 2 is FULL.
PRAGMA_VALUES = {"normal": 1, "full": 2}


async def _synchronous_of_dev_server(tmp_path: Path, config: DevConfig | None = None) -> int:
    config = replace(
        config or DevConfig(), db_url=f"sqlite:///{tmp_path / 'dev.db'}", listen="127.0.0.1:0"
    )
    server = await start_dev(config)
    try:
        with server.db.connect() as conn:
            return int(conn.exec_driver_sql("PRAGMA synchronous").scalar_one())
    finally:
        await server.stop()


async def test_dev_server_on_sqlite_syncs_every_commit_by_default(tmp_path: Path) -> None:
    assert await _synchronous_of_dev_server(tmp_path) == PRAGMA_VALUES["full"]


async def test_dev_server_on_sqlite_takes_synchronous_normal_when_asked(tmp_path: Path) -> None:
    synchronous = await _synchronous_of_dev_server(tmp_path, DevConfig(sqlite_synchronous="normal"))
    assert synchronous == PRAGMA_VALUES["normal"]


def test_sqlite_engine_refuses_an_unknown_synchronous_setting(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="full, normal"):
        create_engine(f"sqlite:///{tmp_path / 'x.db'}", sqlite_synchronous="off")


def test_dev_command_takes_the_synchronous_setting_from_flag_or_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert parse_args(["dev"]).sqlite_synchronous == "full"
    args = parse_args(["dev", "--sqlite-synchronous", "normal"])
    assert args.sqlite_synchronous == "normal"
    monkeypatch.setenv("STEPWAY_SQLITE_SYNCHRONOUS", "normal")
    assert parse_args(["dev"]).sqlite_synchronous == "normal"
