#!/usr/bin/env python3
"""Schedules at scale: N schedules of one workflow firing every minute on one shard server.

Run from the repository root as a module (it reuses bench/bench_stepway.py's store, server
process and percentile helpers):

  .venv/bin/python -m bench.bench_schedules --backend sqlite --schedules 10000 --minutes 3

What it does:
  1. starts `stepway dev` in its own process (the split topology, as users run it) on a fresh
     SQLite file or PostgreSQL database, lifts the dev account's `max_schedules` to N (and its
     request rate) through the admin API, and registers the workflow on a task queue that no
     worker polls: every instance just queues;
  2. creates the N schedules (`--concurrency` calls in flight), each with the overlap policy
     "allow all" (with "skip", the default, a fire would be skipped while the previous
     instance waits in the queue), and times it;
  3. lets one period pass as a warm-up (`--warmup-s`, rounded up to a whole period), then
     measures a window of `--minutes`: the server's CPU and RSS (/proc);
  4. reads every instance back (ListInstances) until the window's fires are all there or a
     deadline passes; a fire's scheduled time is the one its instance id names
     (`<schedule_id>-<YYYYMMDDTHHMMSSZ>`), its lag is its instance's created_at minus that.

Specs (`--spec`): `cron` (`* * * * *`: every schedule fires at second 0 of each minute) or
`interval` (every `--every` seconds, schedule i at offset i mod period, whole seconds, so the
fires are spread over the period and each instance id names its scheduled time exactly).

`--sample-server FILE` runs the server under bench/sample_stacks.py and keeps the stacks of
the window (every thread's, folded) in FILE: where the server's time goes.

`--quick` is a smoke run (50 interval schedules every second, a 6 s window) whose figures
say nothing about speed; tests/bench/test_bench_schedules.py runs it.

Prints exactly one JSON line on stdout; progress goes to stderr. Missed fires are those of
the window whose instance is not found (plus the schedules' own `missed` counters); doubled
ones are instances found twice or at a time the spec does not give: both must be 0.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import math
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import grpc

from bench.bench_stepway import (
    STEPWAY_BIN,
    connect_until,
    cpu_seconds,
    database,
    free_port,
    log,
    pct,
    register,
    run_async,
    stop_dev,
    tail,
    w1,
)
from stepway import Client, __version__
from stepway.v1 import schedule_service_pb2 as spb
from stepway.v1 import schedule_service_pb2_grpc as sgrpc
from stepway.v1 import workflow_service_pb2 as fpb

DEV_ACCOUNT = "default"
PAGE = 1000
# After the window: how long the fires of the window may take to appear before the missing
# ones count as missed (the catch-up window, past which the server gives them up, is 60 s).
READBACK_GRACE_S = 90.0
SAMPLER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sample_stacks.py")
QUICK = {"schedules": 50, "spec": "interval", "every": 1, "minutes": 0.1, "warmup_s": 3.0}


# ---------------------------------------------------------------- the server process
def rss_kib(pid: int) -> dict[str, int]:
    """VmRSS (now) and VmHWM (its peak) of a process, in KiB (Linux /proc)."""
    out: dict[str, int] = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                key, _, value = line.partition(":")
                if key in ("VmRSS", "VmHWM"):
                    out[key] = int(value.split()[0])
    except OSError:
        pass
    return out


def spawn(
    db_url: str, log_path: str, samples: str | None
) -> tuple[subprocess.Popen[bytes], str, str]:
    """Starts `stepway dev` on a free port with a known key, under bench/sample_stacks.py when
    samples names its output file; its output goes to log_path."""
    address = f"127.0.0.1:{free_port()}"
    api_key = "sw_bench_" + os.urandom(18).hex()
    profiled = [sys.executable, SAMPLER, samples] if samples else []
    cmd = [*profiled, STEPWAY_BIN, "dev", "--db", db_url, "--listen", address]
    cmd += ["--api-key", api_key, "--http", "off"]
    with open(log_path, "wb") as logf:  # the child keeps its own descriptor
        proc = subprocess.Popen(
            cmd, stdout=logf, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
    log(f"started stepway dev (pid {proc.pid}) on {address}")
    return proc, address, api_key


@contextlib.asynccontextmanager
async def dev_server(
    db_url: str, workdir: str, samples: str | None
) -> AsyncIterator[tuple[subprocess.Popen[bytes], Client]]:
    """The dev server as a subprocess, answered with a deadline and stopped at the end."""
    log_path = os.path.join(workdir, "server.log")
    proc, address, api_key = spawn(db_url, log_path, samples)
    try:
        try:
            client = await connect_until(address, api_key, proc)
        except BaseException:
            log(tail(log_path))
            raise
        try:
            yield proc, client
        finally:
            await client.close()
    finally:
        await asyncio.to_thread(stop_dev, proc)
        if samples:
            log(f"the server's stack samples written to {samples}")


# ---------------------------------------------------------------- the schedules
def schedule_id(i: int) -> str:
    return f"s{i:06d}"


def period_of(args: argparse.Namespace) -> int:
    return 60 if args.spec == "cron" else int(args.every)


def offset_of(args: argparse.Namespace, i: int) -> int:
    """Schedule i's offset in whole seconds: 0 for cron, spread over the period otherwise."""
    return 0 if args.spec == "cron" else i % period_of(args)


def request(args: argparse.Namespace, i: int) -> spb.CreateScheduleRequest:
    spec = spb.ScheduleSpec()
    if args.spec == "cron":
        spec.cron.expression = "* * * * *"
    else:
        spec.interval.every.FromSeconds(period_of(args))
        spec.interval.offset.FromSeconds(offset_of(args, i))
    return spb.CreateScheduleRequest(
        schedule_id=schedule_id(i),
        spec=spec,
        action=spb.ScheduleAction(workflow=w1.name),
        policy=spb.SchedulePolicy(overlap=spb.OVERLAP_POLICY_ALLOW_ALL),
    )


def scheduled_s(instance_id: str) -> tuple[str, int]:
    """The schedule id and the scheduled time (Unix seconds) an instance id names."""
    sid, _, stamp = instance_id.rpartition("-")
    at = datetime.strptime(stamp, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    return sid, int(at.timestamp())


async def list_instances(client: Client) -> list[tuple[str, int]]:
    """Every instance of the workflow: (id, created_at in Unix microseconds)."""
    out: list[tuple[str, int]] = []
    token = ""
    while True:
        resp = await client.call(
            client.workflows.ListInstances,
            fpb.ListInstancesRequest(workflow=w1.name, page_size=PAGE, page_token=token),
            timeout=120.0,
        )
        out += [(i.instance_id, i.created_at.ToMicroseconds()) for i in resp.instances]
        token = resp.next_page_token
        if not token:
            return out


async def schedule_counters(client: Client, stub: sgrpc.ScheduleServiceStub) -> Counter[str]:
    """The schedules' fired, skipped and missed counters, summed."""
    total: Counter[str] = Counter()
    token = ""
    while True:
        resp = await client.call(
            stub.ListSchedules,
            spb.ListSchedulesRequest(page_size=PAGE, page_token=token),
            timeout=120.0,
        )
        for s in resp.schedules:
            total.update(fired=s.fired, skipped=s.skipped, missed=s.missed)
        token = resp.next_page_token
        if not token:
            return total


def expected_fires(args: argparse.Namespace, start: int, end: int) -> set[tuple[str, int]]:
    """(schedule id, scheduled time) of every fire the spec gives in [start, end)."""
    period = period_of(args)
    out: set[tuple[str, int]] = set()
    for i in range(args.schedules):
        off = offset_of(args, i)
        first = start + (off - start) % period
        out.update((schedule_id(i), t) for t in range(first, end, period))
    return out


def tenths(done_at: list[float], t0: float) -> list[float]:
    """Creations a second in each tenth of them, in the order they completed: whether creating
    a schedule gets slower as the account has more."""
    marks = [t0] + [done_at[len(done_at) * k // 10 - 1] for k in range(1, 11)]
    n = len(done_at) / 10
    return [round(n / max(b - a, 1e-9), 1) for a, b in itertools.pairwise(marks)]


# ---------------------------------------------------------------- the run
async def sleep_until(t: float) -> None:
    await asyncio.sleep(max(0.0, t - time.time()))


async def run(args: argparse.Namespace, db_url: str, workdir: str) -> dict[str, Any]:
    period = period_of(args)
    window_s = max(period, round(args.minutes * 60 / period) * period)
    async with dev_server(db_url, workdir, args.sample_server) as (proc, client):
        channel = grpc.aio.insecure_channel(client.address)
        try:
            stub = sgrpc.ScheduleServiceStub(channel)
            await client.admin.set_quotas(
                DEV_ACCOUNT,
                max_schedules=max(args.schedules, 1000),
                requests_per_second=10_000_000,
            )
            await register(client)

            done_at: list[float] = []

            async def create(i: int) -> None:
                await client.call(stub.CreateSchedule, request(args, i))
                done_at.append(time.perf_counter())

            log(f"creating {args.schedules} schedules ({args.spec}), {args.concurrency} in flight")
            t0 = time.perf_counter()
            create_wall, create_lats = await run_async(args.schedules, args.concurrency, create)
            created_at = time.time()
            log(f"created in {create_wall:.1f} s")

            # The window starts at a period boundary at least warmup_s after the creations.
            start = math.ceil((created_at + args.warmup_s) / period) * period
            end = start + window_s
            log(
                f"warm-up until {datetime.fromtimestamp(start, UTC):%H:%M:%S}, then "
                f"{window_s} s measured"
            )
            await sleep_until(start)
            if args.sample_server:
                proc.send_signal(signal.SIGUSR1)  # samples the window only
            load_start = os.getloadavg()
            cpu0, client0 = cpu_seconds(proc.pid), cpu_seconds(os.getpid())
            rss_max = 0
            while time.time() < end:
                rss_max = max(rss_max, rss_kib(proc.pid).get("VmRSS", 0))
                await asyncio.sleep(min(5.0, max(0.0, end - time.time())))
            cpu1, client1 = cpu_seconds(proc.pid), cpu_seconds(os.getpid())
            load_end = os.getloadavg()
            if args.sample_server:
                proc.send_signal(signal.SIGUSR2)
            rss = rss_kib(proc.pid)
            rss_max = max(rss_max, rss.get("VmRSS", 0))

            want = expected_fires(args, start, end)
            deadline = time.time() + READBACK_GRACE_S
            while True:
                rows = await list_instances(client)
                seen = {(sid, at) for sid, at in map(scheduled_s, (r[0] for r in rows))}
                if want <= seen or time.time() >= deadline:
                    break
                log(f"{len(want - seen)} fires of the window not there yet")
                await asyncio.sleep(2.0)
            counters = await schedule_counters(client, stub)
        finally:
            await channel.close(None)

    ids = Counter(r[0] for r in rows)
    lags: list[float] = []
    by_time: dict[int, list[float]] = {}
    off_spec = 0
    first_fire = {schedule_id(i): offset_of(args, i) for i in range(args.schedules)}
    for instance, made_us in rows:
        sid, at = scheduled_s(instance)
        if sid not in first_fire or (at - first_fire[sid]) % period:
            off_spec += 1
        if start <= at < end:
            lag = made_us / 1e6 - at
            lags.append(lag)
            by_time.setdefault(at - (at - start) % 60, []).append(lag)
    missed = len(want - seen)
    doubled = sum(n - 1 for n in ids.values()) + off_spec
    cpu = None if cpu0 is None or cpu1 is None else cpu1 - cpu0
    minutes = window_s / 60
    ms = 1000.0
    return {
        "engine": "stepway",
        "workload": "schedules",
        "spec": "cron * * * * *" if args.spec == "cron" else f"interval {period}s spread",
        "schedules": args.schedules,
        "worker": False,
        "overlap": "allow_all",
        "backend": args.backend,
        "topology": "split",
        "version": __version__,
        "cpus": os.cpu_count(),
        "create_s": round(create_wall, 2),
        "create_per_s": round(args.schedules / create_wall, 1),
        "create_p50_ms": round(pct(create_lats, 50) * ms, 2),
        "create_p99_ms": round(pct(create_lats, 99) * ms, 2),
        "create_per_s_by_tenth": tenths(done_at, t0),
        "window_start": datetime.fromtimestamp(start, UTC).isoformat(),
        "window_s": window_s,
        "fires_expected": len(want),
        "fires_seen": len(want & seen),
        "fires_per_min_expected": round(len(want) / minutes, 1),
        "fires_per_min_seen": round(len(want & seen) / minutes, 1),
        "missed": missed,
        "doubled": doubled,
        "instances_total": len(rows),
        "counters": dict(counters),
        "lag_p50_ms": round(pct(lags, 50) * ms, 1),
        "lag_p99_ms": round(pct(lags, 99) * ms, 1),
        "lag_max_ms": round(max(lags, default=math.nan) * ms, 1),
        "lag_by_minute": [
            {
                "n": len(v),
                "p50_ms": round(pct(v, 50) * ms, 1),
                "p99_ms": round(pct(v, 99) * ms, 1),
                "max_ms": round(max(v) * ms, 1),
            }
            for _, v in sorted(by_time.items())
        ],
        "server_cpu_s": None if cpu is None else round(cpu, 2),
        "server_cpu_pct": None if cpu is None else round(100 * cpu / window_s, 1),
        "client_cpu_s": None if client0 is None or client1 is None else round(client1 - client0, 2),
        "server_rss_mib": round(rss.get("VmRSS", 0) / 1024, 1),
        "server_rss_max_mib": round(rss_max / 1024, 1),
        "server_rss_peak_mib": round(rss.get("VmHWM", 0) / 1024, 1),
        "loadavg_start": [round(x, 2) for x in load_start],
        "loadavg_end": [round(x, 2) for x in load_end],
    }


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description="schedules firing on one shard server")
    p.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    p.add_argument("--schedules", type=int, default=10_000, help="schedules (default 10,000)")
    p.add_argument("--minutes", type=float, default=3.0, help="minutes measured (default 3)")
    p.add_argument(
        "--spec",
        choices=["cron", "interval"],
        default="cron",
        help="cron: `* * * * *`; interval: every --every s, offsets spread (default cron)",
    )
    p.add_argument("--every", type=int, default=60, help="the interval in seconds (default 60)")
    p.add_argument(
        "--warmup-s",
        type=float,
        default=60.0,
        help="seconds after the creations before the window (rounded up to a period; 60)",
    )
    p.add_argument(
        "--topology",
        choices=["split"],
        default="split",
        help="split: the server as `stepway dev` in its own process (the only one)",
    )
    p.add_argument(
        "-c", "--concurrency", type=int, default=32, help="CreateSchedule calls in flight (32)"
    )
    p.add_argument("--quick", action="store_true", help="a smoke run: " + json.dumps(QUICK))
    p.add_argument(
        "--sample-server",
        metavar="FILE",
        default=None,
        help="run the server under bench/sample_stacks.py: its stacks in the window, to FILE",
    )
    p.add_argument("--workdir", default=None, help="where data files go (default: a temp dir)")
    p.add_argument("--keep", action="store_true", help="keep the data dir afterwards")
    return p


def main() -> None:
    args = parser().parse_args()
    if args.quick:
        for key, value in QUICK.items():
            setattr(args, key, value)
    if args.spec == "interval" and not 1 <= args.every <= 3600:
        raise SystemExit("--every: 1 to 3600 seconds")
    workdir = args.workdir or tempfile.mkdtemp(prefix="stepway-schedbench-")
    os.makedirs(workdir, exist_ok=True)
    try:
        with database(args.backend, workdir) as db_url:
            row = asyncio.run(run(args, db_url, workdir))
        print(json.dumps(row), flush=True)
    finally:
        if not args.keep and not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
