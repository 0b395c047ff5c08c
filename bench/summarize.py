#!/usr/bin/env python3
"""Medians of benchmark JSON lines (bench_stepway.py's and the peers'), as a Markdown table.

    .venv/bin/python bench/summarize.py stepway.jsonl peers.jsonl

Lines that are not JSON objects, or that carry an "error", are counted and left out. Runs of one
configuration (engine, workload, backend, variant, topology) are reduced to the median of each
figure; `runs` says how many there were. The throughput table gives the server's CPU per
workflow where a line has it (Stepway's). Lines of the latency workload (`w1-latency`) and of
bench_depth.py (`queue-depth`, also grouped by D and W) get a table each, after it.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from collections import defaultdict
from typing import Any

Config = tuple[str, str, str, str, str]


def load(paths: list[str]) -> tuple[dict[Config, list[dict[str, Any]]], list[dict[str, Any]]]:
    groups: dict[Config, list[dict[str, Any]]] = defaultdict(list)
    errors: list[dict[str, Any]] = []
    for path in paths:
        with open(path) as f:
            for line in f:
                line = line.strip()
                if not line.startswith("{"):
                    continue
                row = json.loads(line)
                if "error" in row:
                    errors.append(row)
                    continue
                key = (
                    str(row["engine"]),
                    str(row["workload"]),
                    str(row.get("backend", "")),
                    str(row.get("variant", "")),
                    _topology(row),
                )
                groups[key].append(row)
    return groups, errors


def _topology(row: dict[str, Any]) -> str:
    """The topology, with the number of shard servers of a cluster ("cluster-3")."""
    topology = str(row.get("topology", ""))
    return f"{topology}-{row['shards']}" if "shards" in row else topology


def median(rows: list[dict[str, Any]], field: str) -> float:
    return float(statistics.median(float(r[field]) for r in rows))


def cell(rows: list[dict[str, Any]], field: str, fmt: str = ",.1f") -> str:
    """The median of a figure, or "-" when some line lacks it."""
    if not all(field in r for r in rows):
        return "-"
    return format(median(rows, field), fmt)


LATENCY = "w1-latency"
DEPTH = "queue-depth"


def throughput(groups: dict[Config, list[dict[str, Any]]]) -> None:
    print(
        "| engine | workload | backend | variant | topology | runs | per s | p50 ms | p99 ms "
        "| server CPU ms/wf |"
    )
    print("| --- | --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for key in sorted(groups):
        engine, workload, backend, variant, topology = key
        if workload in (LATENCY, DEPTH):
            continue
        rows = groups[key]
        print(
            f"| {engine} | {workload} | {backend} | {variant} | {topology or '-'} | {len(rows)} "
            f"| {median(rows, 'wf_per_s'):,.1f} | {median(rows, 'p50_ms'):,.0f} "
            f"| {median(rows, 'p99_ms'):,.0f} | {cell(rows, 'server_cpu_ms_per_wf', ',.2f')} |"
        )


def latency(groups: dict[Config, list[dict[str, Any]]]) -> None:
    keys = sorted(k for k in groups if k[1] == LATENCY)
    if not keys:
        return
    print()
    print(
        "W1 one workflow at a time (goals: first step p50 < 5 ms, p99 < 25 ms; result p50 < 20 ms)"
    )
    print()
    print(
        "| engine | backend | topology | runs | first step p50 ms | first step p99 ms "
        "| result p50 ms | result p99 ms | goals met |"
    )
    print("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for key in keys:
        engine, _, backend, _, topology = key
        rows = groups[key]
        met = sum(bool(r.get("meets_goals")) for r in rows)
        print(
            f"| {engine} | {backend} | {topology or '-'} | {len(rows)} "
            f"| {cell(rows, 'first_step_p50_ms')} | {cell(rows, 'first_step_p99_ms')} "
            f"| {cell(rows, 'result_p50_ms')} | {cell(rows, 'result_p99_ms')} "
            f"| {met} of {len(rows)} |"
        )


def depth(groups: dict[Config, list[dict[str, Any]]]) -> None:
    by: dict[tuple[str, str, int, int], list[dict[str, Any]]] = defaultdict(list)
    for key, rows in groups.items():
        if key[1] == DEPTH:
            for r in rows:
                by[(key[2], key[4], int(r["depth"]), int(r["waiting"]))].append(r)
    if not by:
        return
    print()
    print("D queued in one workflow, then W waiting (goals: last / first >= 0.8; RSS < 1 GiB)")
    print()
    print(
        "| backend | topology | D | runs | first window /s | last window /s | last / first "
        "| server CPU ms first / last | RSS idle / D queued MiB | W | drain /s "
        "| RSS with W waiting MiB | shard server alone MiB |"
    )
    print(
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    )
    for run in sorted(by):
        backend, topology, d, w = run
        rows = by[run]
        print(
            f"| {backend} | {topology or '-'} | {d:,} | {len(rows)} "
            f"| {cell(rows, 'first_window_per_s')} | {cell(rows, 'last_window_per_s')} "
            f"| {cell(rows, 'last_over_first', '.2f')} "
            f"| {cell(rows, 'first_window_cpu_ms', '.3f')} / "
            f"{cell(rows, 'last_window_cpu_ms', '.3f')} "
            f"| {cell(rows, 'server_rss_idle_mib', ',.0f')} / "
            f"{cell(rows, 'server_rss_queued_mib', ',.0f')} | {w:,} "
            f"| {cell(rows, 'drain_per_s')} | {cell(rows, 'server_rss_waiting_mib', ',.0f')} "
            f"| {cell(rows, 'shard_rss_waiting_mib', ',.0f')} |"
        )


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    p.add_argument("files", nargs="+", help="files of JSON lines")
    args = p.parse_args()
    groups, errors = load(args.files)
    throughput(groups)
    latency(groups)
    depth(groups)
    for row in errors:
        print(f"failed: {json.dumps(row)}", file=sys.stderr)


if __name__ == "__main__":
    main()
