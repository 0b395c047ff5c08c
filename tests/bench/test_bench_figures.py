"""The latency, queue-depth and scale-out figures of bench/run.sh, each at a tiny size: its
JSON line has every figure, and the figures are consistent with each other. Timings are not
checked against the goals."""

from __future__ import annotations

import pytest

from tests.bench.runs import bench
from tests.conftest import BACKENDS


@pytest.mark.timeout(200)
@pytest.mark.parametrize("backend", BACKENDS)
def test_lat_times_each_workflow_to_its_first_step_and_its_result_one_at_a_time(
    backend: str, request: pytest.FixtureRequest
) -> None:
    args = ["bench/bench_stepway.py", "--workload", "lat", "-n", "8", "--warmup", "2"]
    row = bench(args, backend, request)
    assert row["workload"] == "w1-latency"
    assert row["n"] == 8
    assert row["concurrency"] == 1
    assert 0 < row["first_step_p50_ms"] <= row["first_step_p99_ms"]
    assert 0 < row["result_p50_ms"] <= row["result_p99_ms"]
    # The first step starts before the result comes back.
    assert row["first_step_p50_ms"] < row["result_p50_ms"]
    assert row["result_p50_ms"] == row["p50_ms"]
    assert row["goals_ms"] == {
        "first_step_p50_ms": 5.0,
        "first_step_p99_ms": 25.0,
        "result_p50_ms": 20.0,
    }
    assert isinstance(row["meets_goals"], bool)
    assert row["server_cpu_ms_per_wf"] > 0


@pytest.mark.timeout(200)
@pytest.mark.parametrize("backend", BACKENDS)
def test_the_quick_depth_run_queues_every_instance_then_drains_the_waiters(
    backend: str, request: pytest.FixtureRequest
) -> None:
    row = bench(["-m", "bench.bench_depth", "--quick"], backend, request)
    assert row["workload"] == "queue-depth"
    assert (row["depth"], row["waiting"], row["window"]) == (2000, 200, 500)
    assert row["created"] == 2000  # and the server counted all of them queued
    assert row["create_per_s"] > 0
    assert row["first_window_per_s"] > 0 and row["last_window_per_s"] > 0
    ratio = row["last_window_per_s"] / row["first_window_per_s"]
    assert row["last_over_first"] == pytest.approx(ratio, rel=0.01)
    assert len(row["create_per_s_by_tenth"]) == 10
    assert row["first_window_cpu_ms"] > 0 and row["last_window_cpu_ms"] > 0
    assert row["drain_per_s"] > 0
    for phase in ("idle", "queued", "waiting"):
        assert 20 < row[f"shard_rss_{phase}_mib"] <= row[f"server_rss_{phase}_mib"] < 4096
    assert row["server_rss_peak_mib"] >= row["shard_rss_idle_mib"]
    if backend == "postgresql":
        assert row["shards"] == 1
        # In a cluster the gateway is a process of its own.
        assert row["server_rss_idle_mib"] > row["shard_rss_idle_mib"]
        assert row["analyze"] in ("autovacuum", "bench")
    assert isinstance(row["meets_goals"], bool)
    assert len(row["loadavg_start"]) == len(row["loadavg_end"]) == 3


@pytest.mark.timeout(200)
@pytest.mark.skipif("postgresql" not in BACKENDS, reason="the cluster runs on PostgreSQL")
def test_w1_on_three_shard_servers_counts_the_cpu_of_every_server_per_workflow(
    request: pytest.FixtureRequest,
) -> None:
    args = ["bench/bench_stepway.py", "--workload", "w1", "-n", "30", "--warmup", "0"]
    row = bench([*args, "--shards", "3"], "postgresql", request)
    assert (row["topology"], row["shards"], row["n"]) == ("cluster", 3, 30)
    assert row["wf_per_s"] > 0
    per_wf = row["server_cpu_s"] / row["n"] * 1000
    assert row["server_cpu_ms_per_wf"] == pytest.approx(per_wf, rel=0.05, abs=0.01)
