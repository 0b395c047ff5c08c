"""bench/bench_schedules.py --quick: a dev server in its own process, 50 interval schedules
firing every second, read back; its JSON line has every figure, and no fire of the measured
window is missed or doubled. Timings are not checked."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import BACKENDS

ROOT = Path(__file__).resolve().parents[2]
FIGURES = {
    "create_s": float,
    "create_per_s": float,
    "create_p50_ms": float,
    "create_p99_ms": float,
    "window_start": str,
    "window_s": int,
    "fires_expected": int,
    "fires_seen": int,
    "fires_per_min_expected": float,
    "fires_per_min_seen": float,
    "missed": int,
    "doubled": int,
    "instances_total": int,
    "counters": dict,
    "lag_p50_ms": float,
    "lag_p99_ms": float,
    "lag_max_ms": float,
    "lag_by_minute": list,
    "server_cpu_s": float,
    "server_cpu_pct": float,
    "server_rss_mib": float,
    "server_rss_max_mib": float,
    "server_rss_peak_mib": float,
    "loadavg_start": list,
    "loadavg_end": list,
}


@pytest.mark.timeout(240)
@pytest.mark.parametrize("backend", BACKENDS)
def test_the_quick_run_reports_every_fire_of_its_window_once(
    backend: str, request: pytest.FixtureRequest
) -> None:
    env = dict(os.environ)
    if backend == "postgresql":
        # The bench names its databases under this base URL: the test server's, without its
        # database.
        admin: str = request.getfixturevalue("pg_admin_url")
        env["STEPWAY_BENCH_PG_URL"] = admin.rsplit("/", 1)[0]
    name = "postgres" if backend == "postgresql" else backend
    done = subprocess.run(
        [sys.executable, "-m", "bench.bench_schedules", "--quick", "--backend", name],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=200,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    [line] = done.stdout.splitlines()
    row = json.loads(line)
    for key, kind in FIGURES.items():
        assert isinstance(row[key], kind) or (kind is float and isinstance(row[key], int)), key
    assert row["workload"] == "schedules"
    assert row["backend"] == name
    assert row["schedules"] == 50
    assert row["fires_expected"] == 50 * row["window_s"]
    assert row["fires_seen"] == row["fires_expected"]
    assert row["missed"] == 0
    assert row["doubled"] == 0
    assert row["counters"]["missed"] == 0
    assert row["lag_p50_ms"] >= 0
