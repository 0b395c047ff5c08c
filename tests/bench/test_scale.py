"""The scale scenarios of bench/scale.py at reduced sizes: each run's JSON line shows every
instance run once (none lost, none twice), the rate held, and the servers' memory and open
files not growing across the second half of the load."""

from __future__ import annotations

from typing import Any

import pytest

from tests.bench.runs import bench


def scale(args: list[str], backend: str, request: pytest.FixtureRequest) -> dict[str, Any]:
    """Runs `python -m bench.scale ARGS` with two worker processes (on PostgreSQL a gateway and
    one shard server); answers its one JSON line."""
    row = bench(["-m", "bench.scale", *args, "--workers", "2"], backend, request, timeout=180)
    assert row["topology"] == ("cluster" if backend == "postgresql" else "split")
    return row


def assert_each_once(row: dict[str, Any], created: int) -> None:
    assert (row["lost"], row["twice"], row["unknown"]) == (0, 0, 0), row
    assert row["recorded"] == created


@pytest.mark.timeout(200)
def test_two_thousand_instances_hold_running_slots_at_once_and_each_completes_once(
    request: pytest.FixtureRequest,
) -> None:
    args = ["running", "--instances", "2000", "--hold", "120", "--plateau", "2"]
    row = scale([*args, "--sample-every", "1", "--probe-every", "0.2"], "sqlite", request)
    assert row["instances"] == 2000
    assert row["peak_running"] == 2000 and row["reach_s"] is not None
    assert row["plateau"]["running"] == 2000
    # Another account's creations and status reads were answered while they all ran.
    assert row["plateau_other_create_n"] > 0 and row["plateau_status_read_n"] > 0
    assert 0 < row["plateau_other_create_p50_ms"] <= row["plateau_other_create_p99_ms"]
    assert row["plateau"]["worker_rss_mib"] > 0
    assert row["plateau"]["server_rss_mib"] > 0 and row["plateau"]["db_mib"] > 0
    assert row["drain_s"] > 0
    assert_each_once(row, 2000)


@pytest.mark.timeout(200)
def test_queued_instances_are_created_in_windows_then_each_drained_once(
    request: pytest.FixtureRequest,
) -> None:
    args = ["queued", "--depth", "2000", "--window", "500", "--sample-every", "1"]
    row = scale(args, "sqlite", request)
    assert row["depth"] == 2000
    assert row["queued"]["queued"] == 2000  # the server counted every one queued
    assert len(row["create_per_s_by_window"]) == 4
    assert all(r > 0 for r in row["create_per_s_by_window"])
    assert len(row["complete_per_s_by_window"]) == 4
    assert row["queued"]["db_mib"] > 0
    assert row["drained"]["complete"] == 2000
    assert_each_once(row, 2000)


def second_half_flat(row: dict[str, Any], key: str, slack: float) -> None:
    """The figure's largest value in the second half of the load is within slack (a fraction,
    at least 8 MiB or 4 descriptors: a restarted worker process holds a connection of its own
    for a while) of its largest value in the first half."""
    first, second = row[f"{key}_max_first_half"], row[f"{key}_max_second_half"]
    floor = 4 if key == "server_fds" else 8
    assert second - first <= max(floor, first * slack), (key, first, second)


@pytest.mark.alone
@pytest.mark.timeout(200)
def test_fifty_creations_a_second_are_held_within_ten_percent_with_each_workflow_completed_once(
    request: pytest.FixtureRequest,
) -> None:
    args = ["sustained", "--rate", "50", "--duration", "25", "--sample-every", "2"]
    row = scale(args, "sqlite", request)
    assert row["calls"] == 1250 and row["create_errors"] == 0
    assert row["held_over_target"] >= 0.9
    assert 0 < row["create_p50_ms"] <= row["create_p99_ms"]
    assert [m["creates"] for m in row["create_by_minute"]] and row["samples"]
    # The queue does not grow: the workers keep up with the creations.
    assert row["depth_max_second_half"] <= 50 * 10
    second_half_flat(row, "server_rss_mib", 0.1)
    assert_each_once(row, 1250)


@pytest.mark.alone
@pytest.mark.timeout(200)
def test_a_mixed_soak_with_worker_restarts_loses_nothing_and_leaks_no_memory_or_descriptors(
    request: pytest.FixtureRequest,
) -> None:
    args = ["soak", "--rate", "20", "--duration", "25", "--sample-every", "2", "--sleep", "2"]
    row = scale([*args, "--restart-every", "8"], "sqlite", request)
    assert row["calls"] == 500 and row["create_errors"] == 0
    assert row["held_over_target"] >= 0.9
    assert row["worker_restarts"] >= 2
    assert set(row["mix"]) == {"w1s", "sleeper", "eventer", "remote", "paused"}
    assert row["pause_resume"]["paused"] == row["pause_resume"]["resumed"] > 0
    assert row["failed"] == 0
    assert row["status_read_n"] > 0
    second_half_flat(row, "server_rss_mib", 0.1)
    second_half_flat(row, "server_fds", 0.0)
    assert_each_once(row, 500)
