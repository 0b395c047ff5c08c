#!/usr/bin/env python3
"""Medians of benchmark JSON lines (bench_stepway.py's and the peers'), as a Markdown table.

    .venv/bin/python bench/summarize.py stepway.jsonl peers.jsonl

Lines that are not JSON objects, or that carry an "error", are counted and left out. Runs of one
configuration (engine, workload, backend, variant, topology) are reduced to the median of each
figure; `runs` says how many there were.
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


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    p.add_argument("files", nargs="+", help="files of JSON lines")
    args = p.parse_args()
    groups, errors = load(args.files)
    print("| engine | workload | backend | variant | topology | runs | per s | p50 ms | p99 ms |")
    print("| --- | --- | --- | --- | --- | ---: | ---: | ---: | ---: |")
    for key in sorted(groups):
        rows = groups[key]
        engine, workload, backend, variant, topology = key
        print(
            f"| {engine} | {workload} | {backend} | {variant} | {topology or '-'} | {len(rows)} "
            f"| {median(rows, 'wf_per_s'):,.1f} | {median(rows, 'p50_ms'):,.0f} "
            f"| {median(rows, 'p99_ms'):,.0f} |"
        )
    for row in errors:
        print(f"failed: {json.dumps(row)}", file=sys.stderr)


if __name__ == "__main__":
    main()
