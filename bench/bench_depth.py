#!/usr/bin/env python3
"""Queue depth: creation rate and server memory with D instances queued in one workflow, and
the memory with W instances waiting.

Run from the repository root as a module (it reuses bench/bench_stepway.py's store and server
processes):

  .venv/bin/python -m bench.bench_depth --backend sqlite --depth 200000 --waiting 50000

What it does, on a fresh SQLite file or PostgreSQL database:
  1. starts the server: `stepway dev` in its own process (`--topology split`, the default), or
     a gateway and `--shards` shard servers (`--topology cluster`, PostgreSQL only), and
     reads the RSS of every server process (VmRSS in /proc, children included): `idle`;
  2. registers the workflow `w1` on a task queue that no worker polls and, after `--warmup`
     creations of another workflow (500), creates D instances of it with `create_batch`
     (`--batch` a call, 4 calls in flight, as W2b): every one stays queued. The creation rate
     of the first `--window` instances (10,000) and of the last `--window` are compared
     (`last_over_first`, goal >= 0.8), beside the server's CPU per creation in each;
     `create_per_s_by_tenth` gives the rate of each tenth of D. RSS with the D queued:
     `queued`. On a PostgreSQL whose autovacuum is off, the bench runs ANALYZE where
     autovacuum would (`--no-analyze`: never);
  3. creates W instances of the workflow `waiter` (its run goes straight to
     `step.wait_for_event`, or to `step.sleep` with `--wait sleep`, both for a day) on a second
     task queue, then starts a worker on that queue and times it until the server counts all W
     waiting: the drain rate of a queue W deep (`drain_per_s`). The worker stops; RSS with D
     queued and W waiting: `waiting` (goal < 1 GiB).

RSS figures are in MiB: `server_rss_*_mib` adds up every server process (the gateway's too in a
cluster), `shard_rss_*_mib` the shard servers alone (in `split`, the one `stepway dev`
process, which is also the gateway); `server_rss_peak_mib` is the largest peak (VmHWM) of a
server process over the run.

`--quick` is a smoke run (D=2,000, W=200, windows of 500) whose figures say nothing about
speed; tests/bench/test_bench_figures.py runs it.

Prints exactly one JSON line on stdout, with the machine's load average before and after the
run; progress goes to stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import contextlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from typing import Any

from bench.bench_stepway import (
    BATCH,
    BATCH_IN_FLIGHT,
    ENGINE,
    SERVER_START_SECONDS,
    Phase,
    Server,
    cluster_server,
    cpu_seconds,
    database,
    log,
    register,
    run_async,
    split_server,
    w1,
)
from stepway import (
    Client,
    InstanceStatus,
    NewInstance,
    Step,
    Worker,
    WorkflowEvent,
    __version__,
    workflow,
)

WAIT_QUEUE = "depth-waiters"
WAIT_S = 86_400  # how long a waiter waits: a day, far past the run
QUICK = {"depth": 2_000, "waiting": 200, "window": 500, "warmup": 100}
GOALS = {"last_over_first_min": 0.8, "waiting_rss_mib_max": 1024.0}
# How often the drain's end is looked for: each look counts the workflow's instances by status
# on the server, a cost the drain shares.
COUNT_EVERY_S = 0.5
# How long the worker may take per waiting instance before the run gives up.
DRAIN_S_PER_INSTANCE = 0.05


@workflow("waiter")
async def waiter(event: WorkflowEvent, step: Step) -> Any:
    if event.params["wait"] == "sleep":
        await step.sleep("nap", WAIT_S)
    else:
        await step.wait_for_event("go", type="go", timeout=WAIT_S)
    return None


# ---------------------------------------------------------------- memory of the servers
def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for tid in tasks:
        try:
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                out.extend(int(c) for c in f.read().split())
        except OSError:
            pass
    return out


def tree(pid: int) -> list[int]:
    """A process and its descendants (Linux /proc)."""
    todo, seen = [pid], []
    while todo:
        p = todo.pop()
        seen.append(p)
        todo.extend(_children(p))
    return seen


def status_kib(pid: int, key: str) -> int:
    """A field of /proc/<pid>/status in KiB (VmRSS, VmHWM), 0 when the process is gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                name, _, value = line.partition(":")
                if name == key:
                    return int(value.split()[0])
    except OSError:
        pass
    return 0


class Memory:
    """RSS of the server processes: all of them, and the shard servers alone."""

    def __init__(self, server: Server, topology: str) -> None:
        pids = server.pids or (server.pid,)
        self.all = pids
        # In a cluster the gateway comes first; `stepway dev` is gateway and shard in one.
        self.shards = pids[1:] if topology == "cluster" else pids

    @staticmethod
    def _mib(roots: tuple[int, ...], key: str = "VmRSS") -> float:
        kib = sum(status_kib(p, key) for r in roots for p in tree(r))
        return round(kib / 1024, 1)

    def read(self, name: str) -> dict[str, float]:
        return {
            f"server_rss_{name}_mib": self._mib(self.all),
            f"shard_rss_{name}_mib": self._mib(self.shards),
        }

    def cpu(self) -> float:
        """CPU seconds used so far by every server process."""
        return sum(cpu_seconds(p) or 0.0 for r in self.all for p in tree(r))

    def peak(self) -> float:
        return max(round(status_kib(p, "VmHWM") / 1024, 1) for r in self.all for p in tree(r))


# ---------------------------------------------------------------- the phases
# One create_batch call, as it ended: (time, instances it created, server CPU seconds so far).
Done = tuple[float, int, float]


def window_rates(done: list[Done], t0: float, cpu0: float, window: int) -> dict[str, Any]:
    """Rates from the calls in the order they ended: of the first `window` instances, of the
    last `window`, and of each tenth; and the server's CPU per instance of the two windows
    (a figure that other load on the machine disturbs less than a rate)."""
    done = sorted(done)
    times = [t for t, _, _ in done]
    cpus = [c for _, _, c in done]
    counts: list[int] = []
    total = 0
    for _, k, _ in done:
        total += k
        counts.append(total)

    def at(count: int) -> tuple[float, int, float]:
        """When the count of created instances first reached count: (time, count, CPU)."""
        if count <= 0:
            return t0, 0, cpu0
        i = bisect.bisect_left(counts, count)
        return times[i], counts[i], cpus[i]

    end, end_cpu = times[-1], cpus[-1]
    t_first, n_first, cpu_first = at(window)
    t_last, n_before, cpu_last = at(total - window)
    tenths = []
    prev_t, prev_n = t0, 0
    for k in range(1, 11):
        t, n, _ = at(total * k // 10)
        if n > prev_n and t > prev_t:
            tenths.append(round((n - prev_n) / (t - prev_t), 1))
            prev_t, prev_n = t, n
    first = n_first / (t_first - t0)
    last = (total - n_before) / (end - t_last)
    return {
        "created": total,
        "create_s": round(end - t0, 3),
        "create_per_s": round(total / (end - t0), 1),
        "first_window_per_s": round(first, 1),
        "last_window_per_s": round(last, 1),
        "last_over_first": round(last / first, 3),
        "create_per_s_by_tenth": tenths,
        "first_window_cpu_ms": round((cpu_first - cpu0) / n_first * 1000, 3),
        "last_window_cpu_ms": round((end_cpu - cpu_last) / (total - n_before) * 1000, 3),
    }


async def create_many(
    client: Client,
    workflow_name: str,
    count: int,
    prefix: str,
    params: Callable[[int], Any],
    task_queue: str | None = None,
    analyzer: Analyzer | None = None,
    batch: int = BATCH,
    cpu: Callable[[], float] = lambda: 0.0,
) -> tuple[float, float, list[Done]]:
    """Creates count instances with create_batch, batch a call, BATCH_IN_FLIGHT calls in
    flight; answers the start time, the CPU then (by cpu()) and how every call ended."""
    done: list[Done] = []
    calls = (count + batch - 1) // batch

    async def one(b: int) -> None:
        ids = range(b * batch, min((b + 1) * batch, count))
        items = [NewInstance(id=f"{prefix}-{i}", params=params(i)) for i in ids]
        results = await client.create_batch(workflow_name, items, task_queue=task_queue)
        bad = [r for r in results if not r.created]
        if bad:
            raise AssertionError(f"{prefix} batch {b}: {bad[:3]}")
        done.append((time.perf_counter(), len(items), cpu()))
        if analyzer is not None:
            analyzer.wrote(len(items))

    t0, cpu0 = time.perf_counter(), cpu()
    await run_async(calls, BATCH_IN_FLIGHT, one)
    return t0, cpu0, done


def autovacuum_on(db_url: str) -> bool:
    import psycopg

    with psycopg.connect(db_url) as conn:
        row = conn.execute("SHOW autovacuum").fetchone()
    return row is not None and row[0] == "on"


class Analyzer:
    """Stands in for PostgreSQL's autovacuum where it is off: ANALYZE once the rows written
    since the last one pass autovacuum's default threshold (50 + 10% of the table), in a
    thread, one at a time."""

    def __init__(self, db_url: str) -> None:
        self.db_url = db_url
        self.rows = 0
        self.analyzed_at = 0
        self.runs = 0
        self._task: asyncio.Task[None] | None = None

    def _analyze(self) -> None:
        import psycopg

        with psycopg.connect(self.db_url, autocommit=True) as conn:
            conn.execute("ANALYZE")

    def wrote(self, rows: int) -> None:
        self.rows += rows
        busy = self._task is not None and not self._task.done()
        if not busy and self.rows - self.analyzed_at > 50 + self.analyzed_at // 10:
            self.analyzed_at = self.rows
            self.runs += 1
            self._task = asyncio.create_task(asyncio.to_thread(self._analyze))

    async def close(self) -> None:
        if self._task is not None:
            await self._task


async def count_status(client: Client, name: str, status: InstanceStatus) -> int:
    for info in await client.list_workflows():
        if info.name == name:
            return info.instances.get(status, 0)
    return 0


async def sample_peak(memory: Memory, peaks: list[float], stop: asyncio.Event) -> None:
    """Reads the servers' RSS every half second until stop: the largest sum seen."""
    while not stop.is_set():
        peaks.append(memory.read("x")["server_rss_x_mib"])
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), 0.5)


async def run(args: argparse.Namespace, db_url: str, workdir: str) -> dict[str, Any]:
    server_cm = (
        cluster_server(db_url, workdir, args.shards)
        if args.topology == "cluster"
        else split_server(db_url, workdir)
    )
    row: dict[str, Any] = {}
    analyzer = None
    if args.backend == "postgres":
        if await asyncio.to_thread(autovacuum_on, db_url):
            row["analyze"] = "autovacuum"
        elif args.analyze:
            row["analyze"] = "bench"
            analyzer = Analyzer(db_url)
        else:
            row["analyze"] = "none"
    async with server_cm as (server, client):
        log(f"server at {server.address} (pids {server.pids or (server.pid,)}), store {db_url}")
        memory = Memory(server, args.topology)
        row.update(memory.read("idle"))
        await register(client)  # w1 on "default", which nothing polls

        if args.warmup:
            log(f"warm-up: {args.warmup} instances of another workflow, on a queue nobody polls")
            await create_many(client, "warmup", args.warmup, "warm", lambda i: None, "warm-up")
        log(f"creating {args.depth} queued instances of w1, {args.batch} a call")
        phase = Phase(server.pid, None, server.pids[1:])
        sizes: list[float] = []
        stop = asyncio.Event()
        sampler = asyncio.create_task(sample_peak(memory, sizes, stop))
        phase.start()
        t0, cpu0, done = await create_many(
            client,
            w1.name,
            args.depth,
            "q",
            lambda i: {"i": i},
            None,
            analyzer,
            args.batch,
            memory.cpu,
        )
        phase.stop()
        stop.set()
        await sampler
        if analyzer is not None:
            await analyzer.close()
            row["analyze_runs"] = analyzer.runs
        rates = window_rates(done, t0, cpu0, args.window)
        queued = await count_status(client, w1.name, InstanceStatus.QUEUED)
        if queued != args.depth:
            raise AssertionError(f"{queued} instances queued, {args.depth} created")
        row.update(rates)
        row["create_server_cpu_s"] = phase.cpu.get("server_cpu_s")
        row.update(memory.read("queued"))
        row["server_rss_queued_max_mib"] = max(sizes, default=0.0)
        log(
            f"{args.depth} queued in {rates['create_s']} s; first {args.window} at "
            f"{rates['first_window_per_s']}/s, last at {rates['last_window_per_s']}/s"
        )

        log(f"creating {args.waiting} instances of waiter, then draining them into a wait")
        await create_many(
            client,
            waiter.name,
            args.waiting,
            "w",
            lambda i: {"wait": args.wait},
            task_queue=WAIT_QUEUE,
            batch=args.batch,
        )
        if analyzer is not None:
            await asyncio.to_thread(analyzer._analyze)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + SERVER_START_SECONDS + args.waiting * DRAIN_S_PER_INSTANCE
        async with Worker(client, task_queue=WAIT_QUEUE, workflows=[waiter]):
            t1 = time.perf_counter()
            while (n := await count_status(client, waiter.name, InstanceStatus.WAITING)) < (
                args.waiting
            ):
                if loop.time() > deadline:
                    raise TimeoutError(f"{n} of {args.waiting} waiting by the deadline")
                await asyncio.sleep(COUNT_EVERY_S)
            drain_s = time.perf_counter() - t1
        row["drain_s"] = round(drain_s, 3)
        row["drain_per_s"] = round(args.waiting / drain_s, 1)
        row.update(memory.read("waiting"))
        row["server_rss_peak_mib"] = memory.peak()
    return row


# ---------------------------------------------------------------- the command
def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    p.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    p.add_argument(
        "--topology",
        choices=["split", "cluster"],
        default="split",
        help="split: `stepway dev` in its own process (default); cluster: a gateway and "
        "--shards shard servers (postgres only)",
    )
    p.add_argument("--shards", type=int, default=1, help="shard servers of a cluster")
    p.add_argument(
        "--depth",
        type=int,
        default=int(os.environ.get("STEPWAY_BENCH_DEPTH", 200_000)),
        help="instances queued in one workflow (default 200,000; the full run: 2,000,000)",
    )
    p.add_argument(
        "--waiting",
        type=int,
        default=int(os.environ.get("STEPWAY_BENCH_WAITING", 50_000)),
        help="instances run into a wait afterwards (default 50,000)",
    )
    p.add_argument("--wait", choices=["event", "sleep"], default="event", help="what they wait on")
    p.add_argument(
        "--batch",
        type=int,
        default=BATCH,
        help="instances a create_batch call (default STEPWAY_BENCH_BATCH, 100; at most 1,000)",
    )
    p.add_argument(
        "--window",
        type=int,
        default=None,
        help="instances of the first and of the last rate (default 10,000, at most half of D)",
    )
    p.add_argument(
        "--warmup", type=int, default=500, help="creations before the timed ones (default 500)"
    )
    p.add_argument(
        "--no-analyze",
        dest="analyze",
        action="store_false",
        help="on a PostgreSQL whose autovacuum is off, leave the tables unanalyzed (by default "
        "the bench runs ANALYZE where autovacuum would)",
    )
    p.add_argument("--quick", action="store_true", help="a smoke run: " + json.dumps(QUICK))
    return p


def main() -> None:
    args = parser().parse_args()
    if args.quick:
        for key, value in QUICK.items():
            setattr(args, key, value)
    if args.topology == "cluster" and args.backend != "postgres":
        raise SystemExit("the cluster topology runs on postgres only (--backend postgres)")
    if args.window is None:
        args.window = min(10_000, args.depth // 2)
    if not 0 < args.window <= args.depth // 2:
        raise SystemExit("--window must be between 1 and half of --depth")
    if args.waiting < 1:
        raise SystemExit("--waiting must be at least 1")
    loadavg_start = [round(x, 2) for x in os.getloadavg()]
    workdir = tempfile.mkdtemp(prefix="stepway-depth-")
    try:
        with database(args.backend, workdir) as db_url:
            figures = asyncio.run(run(args, db_url, workdir))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    row: dict[str, Any] = {
        "engine": ENGINE,
        "workload": "queue-depth",
        "backend": args.backend,
        "variant": f"create_batch-{args.batch}+wait-{args.wait}",
        "version": __version__,
        "topology": args.topology,
        **({"shards": args.shards} if args.topology == "cluster" else {}),
        "depth": args.depth,
        "waiting": args.waiting,
        "window": args.window,
        "batch": args.batch,
        "concurrency": BATCH_IN_FLIGHT,
        "cpus": os.cpu_count(),
        **figures,
        # Other work on the machine: its load average before and after the run.
        "loadavg_start": loadavg_start,
        "loadavg_end": [round(x, 2) for x in os.getloadavg()],
        "goals": GOALS,
    }
    row["meets_goals"] = (
        row["last_over_first"] >= GOALS["last_over_first_min"]
        and row["server_rss_waiting_mib"] < GOALS["waiting_rss_mib_max"]
    )
    print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
