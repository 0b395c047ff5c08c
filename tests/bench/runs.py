"""Runs a bench program from the repository root, as `bench/run.sh` would, for the tests of
tests/bench: its one JSON line, checked to name Stepway and the backend."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


def bench(
    args: list[str], backend: str, request: pytest.FixtureRequest, *, timeout: float = 150
) -> dict[str, Any]:
    """Runs a bench command (python ARGS --backend ..., and on PostgreSQL --topology cluster:
    a gateway and one shard server) from the repository root; answers its one JSON line."""
    env = dict(os.environ)
    name = "postgres" if backend == "postgresql" else backend
    if backend == "postgresql":
        # The bench names its databases under this base URL: the test server's, without its
        # database.
        admin: str = request.getfixturevalue("pg_admin_url")
        env["STEPWAY_BENCH_PG_URL"] = admin.rsplit("/", 1)[0]
        args = [*args, "--topology", "cluster"]
    done = subprocess.run(
        [sys.executable, *args, "--backend", name],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    [line] = done.stdout.splitlines()
    row: dict[str, Any] = json.loads(line)
    assert row["engine"] == "stepway"
    assert row["backend"] == name
    return row
