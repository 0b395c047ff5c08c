#!/usr/bin/env python3
"""The scale scenarios: many instances running, millions queued, a creation rate held, and an
hour of mixed load, each on `stepway dev` (SQLite, `--topology split`) or on a gateway and
shard servers (PostgreSQL, `--topology cluster`).

Run from the repository root as a module:

  .venv/bin/python -m bench.scale running   --backend sqlite   --instances 50000
  .venv/bin/python -m bench.scale queued    --backend postgres --depth 2000000
  .venv/bin/python -m bench.scale sustained --backend postgres --rate 300 --duration 600
  .venv/bin/python -m bench.scale soak      --backend sqlite   --rate 150 --duration 3600

The defaults are the sizes of the requirement (50,000 running; 2,000,000 queued; 300
creations/s for 10 minutes; an hour at half that rate). Workflows run in `--workers` worker
processes (bench/scale_worker.py, default: one per CPU), whose last step appends the instance's
id to a file per process: the bench compares those ids with the ones it created (`lost`: created
but never recorded; `twice`: recorded more than once).

  running    `--instances` N instances of `hold` (a step that awaits until the bench releases
             it, or `--hold` seconds) created with create_batch while the workers poll, so that
             each holds a running slot. Figures: the time until the server counts N running
             (`reach_s`; `peak_running` when it never does), the latency of another account's
             create and of a status read meanwhile (one of each every `--probe-every` s), the
             RSS of servers and workers at the plateau, and the time to drain once released.
  queued     `--depth` D instances of `w1s` (W1 and a `record` step) created with create_batch
             on a queue no worker polls: the creation rate of every `--window` (100,000), RSS
             and database size with D queued; then the workers drain them: the completion rate
             of every window, and none lost or run twice.
  sustained  single `create` calls of `w1s` at `--rate` a second (open loop: call i starts at
             i / rate, at most `--in-flight` calls in flight) for `--duration` seconds, the
             workers completing them: the rate held, create latency p50/p99 per minute, and the
             queue depth (queued + running) over time.
  soak       `--rate` creations a second for `--duration` seconds of a mix: half `w1s`, the
             rest `sleeper` (a step.sleep of a few seconds; some of them paused and resumed),
             `eventer` (an event sent a second later) and `remote` (a step.call served by a
             step worker); one worker process restarted every `--restart-every` seconds.

Every `--sample-every` seconds the bench records a sample: RSS of each server process and the
workers' total, open file descriptors of the servers, database size (SQLite files /
pg_database_size), instances by status, creations and completions in the interval, create
latency p50/p99 in the interval. `--plot FILE.png` draws rate, create p99 and RSS over time.

Prints one JSON line on stdout (the samples in it); progress goes to stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import json
import math
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

from bench.bench_depth import Analyzer, Memory, autovacuum_on, create_many, tree
from bench.bench_stepway import (
    ENGINE,
    Server,
    cluster_server,
    cpu_seconds,
    database,
    log,
    pct,
    split_server,
)
from stepway import Client, InstanceStatus, StepwayError, __version__
from stepway.v1 import worker_service_pb2 as wpb

QUEUE = "scale"
WORKER_START_S = 60.0
OTHER_ACCOUNT = "scale-other"
# Workflows of the bench whose instances are counted by status in every sample.
COUNTED = ("w1s", "hold", "sleeper", "eventer", "remote")


# ---------------------------------------------------------------- measurements of processes
def rss_mib(pids: list[int]) -> float:
    from bench.bench_depth import status_kib

    return round(sum(status_kib(p, "VmRSS") for r in pids for p in tree(r)) / 1024, 1)


def open_fds(pids: list[int]) -> int:
    total = 0
    for r in pids:
        for p in tree(r):
            with contextlib.suppress(OSError):
                total += len(os.listdir(f"/proc/{p}/fd"))
    return total


def db_size_mib(db_url: str) -> float:
    """The store's size: the SQLite file with its WAL, or pg_database_size."""
    if db_url.startswith("sqlite:///"):
        path = db_url[len("sqlite:///") :]
        size = 0
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                size += os.path.getsize(path + suffix)
        return round(size / 2**20, 1)
    import psycopg

    with psycopg.connect(db_url) as conn:
        row = conn.execute("SELECT pg_database_size(current_database())").fetchone()
    assert row is not None
    return round(int(row[0]) / 2**20, 1)


async def counts(client: Client) -> dict[str, dict[str, int]]:
    """Instances of the bench's workflows by status."""
    out: dict[str, dict[str, int]] = {}
    for info in await client.list_workflows():
        if info.name in COUNTED:
            out[info.name] = {str(s): n for s, n in info.instances.items() if n}
    return out


def total(by_workflow: dict[str, dict[str, int]], *statuses: InstanceStatus) -> int:
    return sum(c.get(str(s), 0) for c in by_workflow.values() for s in statuses)


# ---------------------------------------------------------------- worker processes
class Workers:
    """Worker processes (bench/scale_worker.py), each appending the ids its `record` steps saw
    to a file of its own."""

    def __init__(self, server: Server, workdir: str, count: int, max_concurrent: int) -> None:
        self.server = server
        self.workdir = workdir
        self.count = count
        self.max_concurrent = max_concurrent
        self.procs: list[subprocess.Popen[str]] = []
        self.started = 0
        self.restarts = 0

    def _spawn(self) -> subprocess.Popen[str]:
        n = self.started
        self.started += 1
        cmd = [sys.executable, "-m", "bench.scale_worker", self.server.address]
        cmd += [self.server.api_key, "--task-queue", QUEUE]
        cmd += ["--record", os.path.join(self.workdir, f"record-{n}.txt")]
        cmd += ["--max-concurrent", str(self.max_concurrent)]
        with open(os.path.join(self.workdir, f"worker-{n}.log"), "w") as logf:
            proc = subprocess.Popen(
                cmd,
                stdout=subprocess.PIPE,
                stderr=logf,
                stdin=subprocess.DEVNULL,
                text=True,
                cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
            )
        return proc

    @staticmethod
    def _ready(proc: subprocess.Popen[str]) -> None:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if line.strip() != "ready":
            raise RuntimeError(f"a worker process did not start (exit {proc.poll()}): {line!r}")

    async def start(self) -> None:
        new = [self._spawn() for _ in range(self.count)]
        await asyncio.wait_for(
            asyncio.gather(*(asyncio.to_thread(self._ready, p) for p in new)), WORKER_START_S
        )
        self.procs.extend(new)
        log(f"{self.count} worker processes started (pids {[p.pid for p in new]})")

    async def restart_one(self) -> None:
        """A clean stop of the oldest worker process (it gives its tasks back), then a new one."""
        old = self.procs.pop(0)
        await asyncio.to_thread(self._stop, old)
        new = self._spawn()
        await asyncio.wait_for(asyncio.to_thread(self._ready, new), WORKER_START_S)
        self.procs.append(new)
        self.restarts += 1

    @staticmethod
    def _stop(proc: subprocess.Popen[str]) -> None:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    async def stop(self) -> None:
        await asyncio.gather(*(asyncio.to_thread(self._stop, p) for p in self.procs))
        self.procs = []

    def release(self) -> None:
        """Ends the `hold` steps of every worker process (SIGUSR1)."""
        for proc in self.procs:
            proc.send_signal(signal.SIGUSR1)

    def pids(self) -> list[int]:
        return [p.pid for p in self.procs if p.poll() is None]

    def records(self) -> collections.Counter[str]:
        """How many times each instance's `record` step ran, by "workflow id"."""
        seen: collections.Counter[str] = collections.Counter()
        for n in range(self.started):
            path = os.path.join(self.workdir, f"record-{n}.txt")
            with contextlib.suppress(FileNotFoundError), open(path) as f:
                seen.update(line.strip() for line in f if line.strip())
        return seen


def exactly_once(created: set[str], seen: collections.Counter[str]) -> dict[str, Any]:
    """created: "workflow id" of every instance the bench created."""
    lost = created - set(seen)
    twice = [k for k, n in seen.items() if n > 1]
    extra = set(seen) - created
    return {
        "recorded": len(seen),
        "lost": len(lost),
        "twice": len(twice),
        "unknown": len(extra),
        "lost_examples": sorted(lost)[:5],
        "twice_examples": sorted(twice)[:5],
    }


# ---------------------------------------------------------------- the stack and its samples
async def register(client: Client) -> None:
    """Registers the bench's workflows on its task queue without polling, so that the server
    lists them (and counts their instances) before any worker process starts."""
    await client.call(
        client.workers.RegisterWorker,
        wpb.RegisterWorkerRequest(
            worker_id="scale-" + secrets.token_hex(8),
            task_queue=QUEUE,
            workflows=list(COUNTED),
            identity=f"bench/pid-{os.getpid()}",
        ),
    )


@dataclass
class Run:
    args: argparse.Namespace
    server: Server
    client: Client
    memory: Memory
    db_url: str
    workdir: str
    t0: float = field(default_factory=time.perf_counter)
    workers: Workers | None = None
    samples: list[dict[str, Any]] = field(default_factory=list)
    # (end time, seconds) of every create call, and of the status reads of the probes.
    creates: list[tuple[float, float]] = field(default_factory=list)
    create_errors: int = 0
    probe_create: list[float] = field(default_factory=list)
    probe_status: list[float] = field(default_factory=list)
    # What the run does now: "load", "drain"... (in every sample).
    phase: str = "load"
    _mark: int = 0
    _last: tuple[float, int, int] = (0.0, 0, 0)
    _cpu: dict[int, float] = field(default_factory=dict)

    async def sample(self) -> dict[str, Any]:
        now = time.perf_counter()
        by_wf = await counts(self.client)
        complete = total(by_wf, InstanceStatus.COMPLETE)
        # Every instance the server counts (the creations of create_batch calls too).
        created = sum(n for c in by_wf.values() for n in c.values())
        window = [s for _, s in self.creates[self._mark :]]
        self._mark = len(self.creates)
        t_prev, created_prev, complete_prev = self._last
        self._last = (now, created, complete)
        dt = now - t_prev if t_prev else now - self.t0
        worker_pids = self.workers.pids() if self.workers else []
        server_pids = list(self.memory.all)
        # CPU of each server process (children included) over the interval, in % of a core.
        cpu = {r: sum(cpu_seconds(p) or 0.0 for p in tree(r)) for r in server_pids}
        cpu_pct = [
            round((c - self._cpu[r]) / dt * 100, 1) if r in self._cpu and dt > 0 else None
            for r, c in cpu.items()
        ]
        self._cpu = cpu
        s: dict[str, Any] = {
            "t_s": round(now - self.t0, 1),
            "phase": self.phase,
            "server_rss_mib": rss_mib(server_pids),
            "server_rss_by_process_mib": [rss_mib([p]) for p in server_pids],
            "server_cpu_pct_by_process": cpu_pct,
            "worker_rss_mib": rss_mib(worker_pids),
            "server_fds": open_fds(server_pids),
            "db_mib": await asyncio.to_thread(db_size_mib, self.db_url),
            "queued": total(by_wf, InstanceStatus.QUEUED),
            "running": total(by_wf, InstanceStatus.RUNNING),
            "waiting": total(by_wf, InstanceStatus.WAITING, InstanceStatus.PAUSED),
            "complete": complete,
            "failed": total(by_wf, InstanceStatus.ERRORED, InstanceStatus.TERMINATED),
            "create_per_s": round((created - created_prev) / dt, 1) if dt > 0 else 0.0,
            "complete_per_s": round((complete - complete_prev) / dt, 1) if dt > 0 else 0.0,
            "create_p50_ms": round(pct(window, 50) * 1000, 2) if window else None,
            "create_p99_ms": round(pct(window, 99) * 1000, 2) if window else None,
        }
        self.samples.append(s)
        return s

    async def sample_every(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self.args.sample_every)
            if stop.is_set():
                return  # a sample of a short interval would make noisy rates
            s = await self.sample()
            log(
                f"t={s['t_s']}s created/s={s['create_per_s']} done/s={s['complete_per_s']} "
                f"queued={s['queued']} running={s['running']} complete={s['complete']} "
                f"p99={s['create_p99_ms']} ms rss={s['server_rss_mib']} MiB "
                f"workers={s['worker_rss_mib']} MiB fds={s['server_fds']} db={s['db_mib']} MiB"
            )


@contextlib.asynccontextmanager
async def stack(args: argparse.Namespace) -> AsyncIterator[Run]:
    workdir = tempfile.mkdtemp(prefix="stepway-scale-")
    try:
        with database(args.backend, workdir) as db_url:
            server_cm = (
                cluster_server(db_url, workdir, args.shards)
                if args.topology == "cluster"
                else split_server(db_url, workdir)
            )
            async with server_cm as (server, client):
                await register(client)
                log(f"server at {server.address} (pids {server.pids or (server.pid,)})")
                yield Run(args, server, client, Memory(server, args.topology), db_url, workdir)
    finally:
        if args.keep:
            log(f"kept the logs and record files in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


async def wait_until(
    run: Run, done: Callable[[dict[str, Any]], bool], timeout: float, what: str
) -> float:
    """Samples every --sample-every s until done(sample); answers the seconds it took. The
    samples are of the phase "drain"."""
    run.phase = "drain"
    t0 = time.perf_counter()
    while True:
        s = await run.sample()
        if done(s):
            return time.perf_counter() - t0
        if time.perf_counter() - t0 > timeout:
            raise TimeoutError(f"{what}: not done after {timeout} s; last sample {s}")
        await asyncio.sleep(run.args.sample_every)


def summary(xs: list[float], name: str) -> dict[str, Any]:
    if not xs:
        return {}
    return {
        f"{name}_n": len(xs),
        f"{name}_p50_ms": round(pct(xs, 50) * 1000, 2),
        f"{name}_p99_ms": round(pct(xs, 99) * 1000, 2),
        f"{name}_max_ms": round(max(xs) * 1000, 2),
    }


async def probes(run: Run, stop: asyncio.Event, other: Client | None) -> None:
    """Every --probe-every s: a create by another account (when given) and a status read of one
    of the bench's instances, each timed."""
    n = 0
    while not stop.is_set():
        n += 1
        if other is not None:
            t = time.perf_counter()
            await other.create("probe", id=f"p-{n}", params={"n": n}, task_queue="probe")
            run.probe_create.append(time.perf_counter() - t)
        target = run.args.probe_target
        if target:
            t = time.perf_counter()
            with contextlib.suppress(StepwayError):
                await run.client.status(*target)
                run.probe_status.append(time.perf_counter() - t)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), run.args.probe_every)


async def other_account(run: Run) -> Client:
    """A client of another account, made with the bench's operator key."""
    with contextlib.suppress(StepwayError):
        await run.client.admin.create_account(OTHER_ACCOUNT)
    key = await run.client.admin.create_key(OTHER_ACCOUNT, "admin")
    return await Client.connect(run.server.address, api_key=key.key, timeout=10.0)


def rss_growth(samples: list[dict[str, Any]], key: str) -> dict[str, Any]:
    """How a figure moved across the second half of the run: its value at the half and at the
    end, its largest value in each half, and the slope of a least-squares line through the
    second half (per minute)."""
    half = [s for s in samples if s["t_s"] >= samples[-1]["t_s"] / 2]
    if len(half) < 2:
        return {}
    xs = [s["t_s"] / 60 for s in half]
    ys = [float(s[key]) for s in half]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    den = sum((x - mx) ** 2 for x in xs)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / den if den else 0.0
    first = [s[key] for s in samples if s["t_s"] < samples[-1]["t_s"] / 2]
    return {
        f"{key}_at_half": half[0][key],
        f"{key}_at_end": half[-1][key],
        f"{key}_max_first_half": max(first, default=None),
        f"{key}_max_second_half": max(ys),
        f"{key}_slope_per_min": round(slope, 3),
    }


# ---------------------------------------------------------------- running
async def scenario_running(run: Run) -> dict[str, Any]:
    args = run.args
    n = args.instances
    per_worker = math.ceil(n / args.workers) + 16
    run.workers = Workers(run.server, run.workdir, args.workers, per_worker)
    await run.workers.start()
    other = await other_account(run)
    row: dict[str, Any] = {"max_concurrent_per_worker": per_worker}
    stop_probes = asyncio.Event()
    probe_task: asyncio.Task[None] | None = None
    try:
        args.probe_target = ("hold", "h-0")
        run.t0 = time.perf_counter()
        probe_task = asyncio.create_task(probes(run, stop_probes, other))
        creating = asyncio.create_task(
            create_many(
                run.client,
                "hold",
                n,
                "h",
                lambda i: {"hold_s": args.hold},
                task_queue=QUEUE,
                batch=args.batch,
            )
        )
        peak = 0
        reach_s = None
        deadline = run.t0 + args.hold + n * 0.01
        while time.perf_counter() < deadline:
            s = await run.sample()
            peak = max(peak, s["running"])
            if s["running"] >= n:
                reach_s = s["t_s"]
                break
            if creating.done() and s["running"] < peak and s["queued"] == 0:
                break  # the first ones ended before the last started
            await asyncio.sleep(min(1.0, args.sample_every))
        await creating
        row["create_s"] = round(
            max(t for t, _, _ in creating.result()[2]) - creating.result()[0], 2
        )
        row["reach_s"] = reach_s
        row["peak_running"] = peak
        log(f"running: {peak} at the peak, all {n} after {reach_s} s")
        # The plateau: probes go on, the RSS is read once more.
        ramp_create, ramp_status = list(run.probe_create), list(run.probe_status)
        run.probe_create.clear()
        run.probe_status.clear()
        await asyncio.sleep(args.plateau)
        s = await run.sample()
        row["plateau"] = {
            k: s[k] for k in ("server_rss_mib", "worker_rss_mib", "server_fds", "db_mib", "running")
        }
        row["plateau"]["server_rss_by_process_mib"] = s["server_rss_by_process_mib"]
        stop_probes.set()
        await probe_task
        row.update(summary(ramp_create, "ramp_other_create"))
        row.update(summary(ramp_status, "ramp_status_read"))
        row.update(summary(run.probe_create, "plateau_other_create"))
        row.update(summary(run.probe_status, "plateau_status_read"))
        run.workers.release()
        row["drain_s"] = round(
            await wait_until(
                run, lambda s: s["complete"] >= n, args.hold + n * 0.05, "drain of running"
            ),
            2,
        )
        row["drain_per_s"] = round(n / row["drain_s"], 1) if row["drain_s"] else None
    finally:
        stop_probes.set()
        if probe_task is not None:
            await asyncio.gather(probe_task, return_exceptions=True)
        await other.close()
        await run.workers.stop()
    created = {f"hold h-{i}" for i in range(n)}
    row.update(exactly_once(created, run.workers.records()))
    return row


# ---------------------------------------------------------------- queued
def per_window(points: list[tuple[float, int]], t0: float, window: int) -> list[float]:
    """Rates of every `window` instances, from (time, count so far) points in time order; the
    time a count was reached is interpolated between points."""
    rates: list[float] = []
    prev_t, prev_n = t0, 0
    target = window
    last_t, last_n = t0, 0
    for t, c in points:
        while c >= target:
            frac = (target - last_n) / (c - last_n) if c > last_n else 1.0
            at = last_t + frac * (t - last_t)
            rates.append(round((target - prev_n) / (at - prev_t), 1) if at > prev_t else 0.0)
            prev_t, prev_n = at, target
            target += window
        last_t, last_n = t, c
    return rates


async def scenario_queued(run: Run) -> dict[str, Any]:
    args = run.args
    d = args.depth
    row: dict[str, Any] = {}
    analyzer = None
    if args.backend == "postgres":
        if await asyncio.to_thread(autovacuum_on, run.db_url):
            row["analyze"] = "autovacuum"
        else:
            row["analyze"] = "bench"
            analyzer = Analyzer(run.db_url)
    row["server_rss_idle_mib"] = rss_mib(list(run.memory.all))
    stop = asyncio.Event()
    run.t0 = time.perf_counter()
    sampler = asyncio.create_task(run.sample_every(stop))
    t0, cpu0, done = await create_many(
        run.client,
        "w1s",
        d,
        "q",
        lambda i: {"i": i},
        task_queue=QUEUE,
        analyzer=analyzer,
        batch=args.batch,
        cpu=run.memory.cpu,
    )
    stop.set()
    await sampler
    if analyzer is not None:
        await analyzer.close()
    done.sort()
    points, n = [], 0
    for t, k, _ in done:
        n += k
        points.append((t, n))
    end, cpu_end = done[-1][0], done[-1][2]
    row["create_s"] = round(end - t0, 2)
    row["create_per_s"] = round(d / (end - t0), 1)
    row["create_per_s_by_window"] = per_window(points, t0, args.window)
    row["create_server_cpu_ms"] = round((cpu_end - cpu0) / d * 1000, 3)
    s = await run.sample()
    if s["queued"] != d:
        raise AssertionError(f"{s['queued']} instances queued, {d} created")
    row["queued"] = {k: s[k] for k in ("server_rss_mib", "server_fds", "db_mib", "queued")}
    row["server_rss_create_max_mib"] = max(x["server_rss_mib"] for x in run.samples)
    log(f"{d} queued in {row['create_s']} s; by window: {row['create_per_s_by_window']}")

    run.workers = Workers(run.server, run.workdir, args.workers, args.max_concurrent)
    await run.workers.start()
    drain: list[tuple[float, int]] = []
    try:
        t1, cpu1 = time.perf_counter(), run.memory.cpu()
        drained_at = len(run.samples)

        def complete(s: dict[str, Any]) -> bool:
            drain.append((time.perf_counter(), s["complete"]))
            return bool(s["complete"] >= d)

        await wait_until(run, complete, 60 + d * args.drain_s_per_instance, "drain")
        drain_s = time.perf_counter() - t1
        row["drain_s"] = round(drain_s, 2)
        row["complete_per_s"] = round(d / drain_s, 1)
        row["complete_per_s_by_window"] = per_window(drain, t1, args.window)
        row["drain_server_cpu_ms"] = round((run.memory.cpu() - cpu1) / d * 1000, 3)
        row["drain_server_rss_max_mib"] = max(x["server_rss_mib"] for x in run.samples[drained_at:])
        row["drain_worker_rss_max_mib"] = max(x["worker_rss_mib"] for x in run.samples[drained_at:])
        row["drained"] = {k: run.samples[-1][k] for k in ("server_rss_mib", "db_mib", "complete")}
    finally:
        await run.workers.stop()
    created = {f"w1s q-{i}" for i in range(d)}
    row.update(exactly_once(created, run.workers.records()))
    return row


# ---------------------------------------------------------------- sustained and soak
async def open_loop(
    run: Run, rate: float, duration: float, one: Callable[[int], Any]
) -> tuple[int, float]:
    """Starts one(i) at t0 + i / rate for duration seconds, at most --in-flight at once (a call
    that finds them all busy waits, and the rate held falls); answers the calls made and the
    seconds from the first start to the last end."""
    sem = asyncio.Semaphore(run.args.in_flight)
    tasks: set[asyncio.Task[None]] = set()
    count = int(rate * duration)
    loop = asyncio.get_running_loop()

    async def call(i: int) -> None:
        try:
            t = time.perf_counter()
            await one(i)
            end = time.perf_counter()
            run.creates.append((end, end - t))
        except StepwayError as exc:
            run.create_errors += 1
            log(f"create {i} failed: {exc}")
        finally:
            sem.release()

    start = loop.time()
    t_first = time.perf_counter()
    for i in range(count):
        delay = start + i / rate - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        await sem.acquire()
        task = asyncio.create_task(call(i))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
    await asyncio.gather(*tasks)
    return count, time.perf_counter() - t_first


def by_minute(creates: list[tuple[float, float]], t0: float) -> list[dict[str, Any]]:
    minutes: dict[int, list[float]] = collections.defaultdict(list)
    for end, secs in creates:
        minutes[int((end - t0) // 60)].append(secs)
    return [
        {
            "minute": m,
            "creates": len(xs),
            "p50_ms": round(pct(xs, 50) * 1000, 2),
            "p99_ms": round(pct(xs, 99) * 1000, 2),
        }
        for m, xs in sorted(minutes.items())
    ]


def held(run: Run, count: int, wall: float, duration: float) -> dict[str, Any]:
    ok = len(run.creates)
    return {
        "target_per_s": run.args.rate,
        "calls": count,
        "create_errors": run.create_errors,
        "load_s": round(wall, 2),
        "held_per_s": round(ok / wall, 1),
        "held_over_target": round(ok / wall / run.args.rate, 3),
        "create_p50_ms": round(pct([s for _, s in run.creates], 50) * 1000, 2),
        "create_p99_ms": round(pct([s for _, s in run.creates], 99) * 1000, 2),
        "create_by_minute": by_minute(run.creates, run.t0),
    }


async def scenario_sustained(run: Run) -> dict[str, Any]:
    args = run.args
    run.workers = Workers(run.server, run.workdir, args.workers, args.max_concurrent)
    await run.workers.start()
    stop = asyncio.Event()
    run.t0 = time.perf_counter()
    cpu0 = run.memory.cpu()
    sampler = asyncio.create_task(run.sample_every(stop))

    async def one(i: int) -> None:
        await run.client.create("w1s", id=f"s-{i}", params={"i": i}, task_queue=QUEUE)

    try:
        count, wall = await open_loop(run, args.rate, args.duration, one)
        stop.set()
        await sampler
        row = held(run, count, wall, args.duration)
        depth = [s["queued"] + s["running"] for s in run.samples]
        half = len(depth) // 2
        row["depth_max_first_half"] = max(depth[:half], default=0)
        row["depth_max_second_half"] = max(depth[half:], default=0)
        row["depth_end"] = depth[-1] if depth else 0
        made = len(run.creates)
        row["drain_s"] = round(
            await wait_until(run, lambda s: s["complete"] >= made, 60 + made * 0.05, "drain"), 2
        )
        row["server_cpu_ms_per_wf"] = round((run.memory.cpu() - cpu0) / made * 1000, 3)
        row.update(rss_growth(run.samples, "server_rss_mib"))
    finally:
        stop.set()
        await asyncio.gather(sampler, return_exceptions=True)
        await run.workers.stop()
    created = {f"w1s s-{i}" for i in range(count)}
    row.update(exactly_once(created, run.workers.records()))
    return row


# The soak's mix, by i % 20: what instance i is.
MIX = ["w1s"] * 10 + ["sleeper"] * 3 + ["eventer"] * 3 + ["remote"] * 2 + ["paused"] * 2


async def scenario_soak(run: Run) -> dict[str, Any]:
    args = run.args
    run.workers = Workers(run.server, run.workdir, args.workers, args.max_concurrent)
    await run.workers.start()
    stop = asyncio.Event()
    run.t0 = time.perf_counter()
    cpu0 = run.memory.cpu()
    sampler = asyncio.create_task(run.sample_every(stop))
    later: set[asyncio.Task[None]] = set()
    kinds: collections.Counter[str] = collections.Counter()
    created: set[str] = set()
    pauses = {"paused": 0, "resumed": 0, "missed": 0}

    def after(delay: float, fn: Callable[[], Any]) -> None:
        async def go() -> None:
            await asyncio.sleep(delay)
            try:
                await fn()
            except StepwayError:
                pauses["missed"] += 1

        task = asyncio.create_task(go())
        later.add(task)
        task.add_done_callback(later.discard)

    async def pause_resume(wf: str, iid: str) -> None:
        await run.client.pause(wf, iid)
        pauses["paused"] += 1
        await asyncio.sleep(1.0)
        await run.client.resume(wf, iid)
        pauses["resumed"] += 1

    async def one(i: int) -> None:
        kind = MIX[i % len(MIX)]
        kinds[kind] += 1
        wf = "sleeper" if kind == "paused" else kind
        iid = f"k-{i}"
        params: dict[str, Any] = {"i": i, "sleep_s": args.sleep, "steps": f"{QUEUE}-steps"}
        await run.client.create(wf, id=iid, params=params, task_queue=QUEUE)
        created.add(f"{wf} {iid}")
        args.probe_target = (wf, iid)
        if kind == "eventer":
            after(1.0, lambda: run.client.send_event(wf, iid, "go", {"i": i}))
        elif kind == "paused":
            after(0.5, lambda: pause_resume(wf, iid))

    async def restarts() -> None:
        while True:
            await asyncio.sleep(args.restart_every)
            assert run.workers is not None
            await run.workers.restart_one()
            log(f"restarted a worker process ({run.workers.restarts} so far)")

    stop_probes = asyncio.Event()
    args.probe_target = None
    probe_task = asyncio.create_task(probes(run, stop_probes, None))
    restarter = asyncio.create_task(restarts()) if args.restart_every > 0 else None
    try:
        count, wall = await open_loop(run, args.rate, args.duration, one)
        if restarter is not None:
            restarter.cancel()
            await asyncio.gather(restarter, return_exceptions=True)
        stop_probes.set()
        await probe_task
        await asyncio.gather(*later)
        stop.set()
        await sampler
        row = held(run, count, wall, args.duration)
        row["mix"] = dict(kinds)
        row["pause_resume"] = pauses
        row["worker_restarts"] = run.workers.restarts
        row.update(summary(run.probe_status, "status_read"))
        row.update(rss_growth(run.samples, "server_rss_mib"))
        row.update(rss_growth(run.samples, "server_fds"))
        row.update(rss_growth(run.samples, "worker_rss_mib"))
        made = len(created)
        row["drain_s"] = round(
            await wait_until(
                run,
                lambda s: s["complete"] + s["failed"] >= made,
                120 + args.sleep + made * 0.05,
                "drain",
            ),
            2,
        )
        row["failed"] = run.samples[-1]["failed"]
        row["server_cpu_ms_per_wf"] = round((run.memory.cpu() - cpu0) / made * 1000, 3)
    finally:
        stop.set()
        stop_probes.set()
        for task in (sampler, probe_task, *later):
            task.cancel()
        await run.workers.stop()
    row.update(exactly_once(created, run.workers.records()))
    return row


SCENARIOS = {
    "running": scenario_running,
    "queued": scenario_queued,
    "sustained": scenario_sustained,
    "soak": scenario_soak,
}


# ---------------------------------------------------------------- the plot
def plot(samples: list[dict[str, Any]], path: str, title: str) -> None:
    """Rate, create p99 and RSS over time, from the run's own samples."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    t = [s["t_s"] / 60 for s in samples]
    fig, (ax1, ax2, ax3) = plt.subplots(3, 1, sharex=True, figsize=(8, 8))
    ax1.plot(t, [s["create_per_s"] for s in samples], label="created/s")
    ax1.plot(t, [s["complete_per_s"] for s in samples], label="completed/s")
    ax1.plot(t, [s["queued"] + s["running"] for s in samples], label="queued + running")
    ax1.set_ylabel("instances")
    ax1.legend(loc="best", fontsize="small")
    p99 = [s["create_p99_ms"] for s in samples]
    ax2.plot(t, [x if x is not None else math.nan for x in p99], label="create p99")
    ax2.set_ylabel("ms")
    ax2.legend(loc="best", fontsize="small")
    ax3.plot(t, [s["server_rss_mib"] for s in samples], label="servers")
    ax3.plot(t, [s["worker_rss_mib"] for s in samples], label="workers")
    ax3.plot(t, [s["db_mib"] for s in samples], label="database size")
    ax3.set_ylabel("MiB")
    ax3.set_xlabel("minutes")
    ax3.legend(loc="best", fontsize="small")
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


# ---------------------------------------------------------------- the command
def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    p.add_argument("scenario", choices=sorted(SCENARIOS))
    p.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    p.add_argument(
        "--topology",
        choices=["split", "cluster"],
        default=None,
        help="split: `stepway dev` in its own process (default on sqlite); cluster: a gateway "
        "and --shards shard servers (default on postgres)",
    )
    p.add_argument("--shards", type=int, default=1, help="shard servers of a cluster")
    p.add_argument(
        "--workers", type=int, default=os.cpu_count() or 1, help="worker processes (one a CPU)"
    )
    p.add_argument(
        "--max-concurrent", type=int, default=256, help="workflow tasks a worker process holds"
    )
    p.add_argument("--sample-every", type=float, default=10.0, help="seconds between samples")
    p.add_argument("--batch", type=int, default=100, help="instances a create_batch call")
    # running
    p.add_argument("--instances", type=int, default=50_000, help="running: instances at once")
    p.add_argument("--hold", type=float, default=60.0, help="running: seconds a step holds")
    p.add_argument(
        "--plateau", type=float, default=10.0, help="running: seconds measured at the plateau"
    )
    p.add_argument("--probe-every", type=float, default=0.5, help="seconds between probes")
    # queued
    p.add_argument("--depth", type=int, default=2_000_000, help="queued: instances queued")
    p.add_argument("--window", type=int, default=100_000, help="queued: instances a rate covers")
    p.add_argument(
        "--drain-s-per-instance",
        type=float,
        default=0.05,
        help="queued: the drain's deadline, per instance",
    )
    # sustained and soak
    p.add_argument("--rate", type=float, default=None, help="creations a second (300; soak: 150)")
    p.add_argument("--duration", type=float, default=None, help="seconds of load (600; soak: 3600)")
    p.add_argument("--in-flight", type=int, default=256, help="create calls in flight at most")
    p.add_argument("--sleep", type=float, default=5.0, help="soak: seconds a sleeper sleeps")
    p.add_argument(
        "--restart-every",
        type=float,
        default=300.0,
        help="soak: seconds between worker process restarts (0: never)",
    )
    p.add_argument(
        "--keep", action="store_true", help="keep the servers' and workers' logs and records"
    )
    p.add_argument("--plot", help="sustained, soak: a PNG of rate, p99 and RSS over time")
    return p


async def run_scenario(args: argparse.Namespace) -> dict[str, Any]:
    # SIGTERM cancels the run: the worker processes and the servers are stopped on the way out.
    task = asyncio.current_task()
    assert task is not None
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, task.cancel)
    async with stack(args) as run:
        figures = await SCENARIOS[args.scenario](run)
        figures["server_rss_peak_mib"] = run.memory.peak()
        figures["samples"] = run.samples
    return figures


def main() -> None:
    args = parser().parse_args()
    if args.topology is None:
        args.topology = "cluster" if args.backend == "postgres" else "split"
    if args.topology == "cluster" and args.backend != "postgres":
        raise SystemExit("the cluster topology runs on postgres only (--backend postgres)")
    if args.rate is None:
        args.rate = 150.0 if args.scenario == "soak" else 300.0
    if args.duration is None:
        args.duration = 3600.0 if args.scenario == "soak" else 600.0
    args.probe_target = None
    loadavg_start = [round(x, 2) for x in os.getloadavg()]
    figures = asyncio.run(run_scenario(args))
    sizes = {
        "running": {"instances": args.instances, "hold_s": args.hold},
        "queued": {"depth": args.depth, "window": args.window, "batch": args.batch},
        "sustained": {"rate": args.rate, "duration_s": args.duration},
        "soak": {"rate": args.rate, "duration_s": args.duration},
    }[args.scenario]
    row: dict[str, Any] = {
        "engine": ENGINE,
        "workload": f"scale-{args.scenario}",
        "backend": args.backend,
        "version": __version__,
        "topology": args.topology,
        **({"shards": args.shards} if args.topology == "cluster" else {}),
        "workers": args.workers,
        "cpus": os.cpu_count(),
        **sizes,
        "sample_every_s": args.sample_every,
        **figures,
        "loadavg_start": loadavg_start,
        "loadavg_end": [round(x, 2) for x in os.getloadavg()],
    }
    if args.plot and args.scenario in ("sustained", "soak"):
        title = f"{args.scenario}, {args.backend} ({args.topology}), {args.rate:g}/s"
        plot(row["samples"], args.plot, title)
        log(f"plot written to {args.plot}")
    print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
