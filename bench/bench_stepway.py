#!/usr/bin/env python3
"""Stepway on the peers benchmark workloads (see ../shared/peers/README.md).

The workloads, the closed-loop driver and the JSON line are those of the peers' harness.py,
copied here so that the figures of Stepway and of its peers stand in one table:

  W1 `w1-3step`      : a workflow of three durable steps (step_a, step_b, step_c, run by
                       `step.do`); C calls in flight at most, each creates workflow i and waits
                       for its result, which is checked.  Figures: workflows/s, p50/p99 latency.
  W1c `w1-3step`     : W1 with its three steps as remote steps (`step.call`), each served by a
                       Python `StepWorker` on the task queue `w1-steps` in this process, the
                       shape of Temporal's activities: each step is a step task the shard hands
                       out, so a workflow takes four workflow tasks instead of one.
  W2 `w2-start-only` : `client.create` only (it returns once the server has durably accepted the
                       instance); no worker runs.  Figure: creations/s.
  lat `w1-latency`   : W1 at low load: N workflows one after the other (C=1 whatever -c says).
                       Each is timed from just before its create: to the start of its first
                       step (the step's body records the time, in this process, which also runs
                       the worker) and to its result.  Figures: first_step_p50_ms / _p99_ms,
                       result_p50_ms / _p99_ms, beside the goals (first step p50 < 5 ms and
                       p99 < 25 ms, result p50 < 20 ms).

Topologies:
  split  (default) : the server runs as `stepway dev` in its own process, as users run it; this
                     process is the load generator and the worker.
  inproc           : the dev server runs on this process's event loop (like the peers, whose
                     engine shares the benchmark process).
  cluster          : `stepway gateway` and --shards `stepway shard` processes on one PostgreSQL
                     database (postgres only); the server CPU columns add up all of them.

Backends: sqlite (a fresh file in a temp dir) or postgres (a fresh database on the local
cluster, base URL from $STEPWAY_BENCH_PG_URL, dropped afterwards).

Prints exactly one JSON line on stdout; progress goes to stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any

from opentelemetry import trace

from stepway import (
    Client,
    NewInstance,
    Step,
    StepTaskContext,
    StepWorker,
    Worker,
    WorkflowEvent,
    __version__,
    tracing,
    workflow,
)
from stepway.v1 import worker_service_pb2 as wpb

ENGINE = "stepway"
WORKLOADS = {
    "w1": "w1-3step",
    "w1c": "w1-3step",
    "w2": "w2-start-only",
    "w2b": "w2-start-batch",
    "lat": "w1-latency",
}
# lat: the goals printed beside its figures, in ms.
LATENCY_GOALS = {"first_step_p50_ms": 5.0, "first_step_p99_ms": 25.0, "result_p50_ms": 20.0}
# w2b: W2's creations sent with create_batch, this many per call, a few calls in flight.
BATCH = int(os.environ.get("STEPWAY_BENCH_BATCH", 100))
BATCH_IN_FLIGHT = 4
PG_BASE = os.environ.get("STEPWAY_BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432")
HERE = os.path.dirname(os.path.abspath(__file__))
STEPWAY_BIN = os.path.join(os.path.dirname(sys.executable), "stepway")
WARMUP_FIRST = 10_000_000
SERVER_START_SECONDS = 60.0
RESULT_TIMEOUT = 60.0


# ---------------------------------------------------------------- the workload (as harness.py)
def step_a(i: int) -> dict[str, int]:
    return {"i": i, "a": i + 1}


def step_b(d: dict[str, int]) -> dict[str, int]:
    return {"i": d["i"], "b": d["a"] * 2}


def step_c(d: dict[str, int]) -> dict[str, int]:
    return {"i": d["i"], "c": d["b"] + 3}


def expected(i: int) -> dict[str, int]:
    return {"i": i, "c": (i + 1) * 2 + 3}


def check(i: int, result: Any) -> None:
    if result != expected(i):
        raise AssertionError(f"workflow {i}: got {result!r}, want {expected(i)!r}")


@workflow("w1")
async def w1(event: WorkflowEvent, step: Step) -> Any:
    a = await step.do("a", step_a, event.params["i"])
    b = await step.do("b", step_b, a)
    return await step.do("c", step_c, b)


STEP_QUEUE = "w1-steps"


def call_a(value: int, ctx: StepTaskContext) -> dict[str, int]:
    return step_a(value)


def call_b(value: dict[str, int], ctx: StepTaskContext) -> dict[str, int]:
    return step_b(value)


def call_c(value: dict[str, int], ctx: StepTaskContext) -> dict[str, int]:
    return step_c(value)


# The W1 steps as StepWorker handlers: (input, ctx) -> result.
STEP_HANDLERS: dict[str, Callable[[Any, StepTaskContext], Any]] = {
    "step_a": call_a,
    "step_b": call_b,
    "step_c": call_c,
}


@workflow("w1c")
async def w1c(event: WorkflowEvent, step: Step) -> Any:
    a = await step.call("a", task_queue=STEP_QUEUE, step_type="step_a", input=event.params["i"])
    b = await step.call("b", task_queue=STEP_QUEUE, step_type="step_b", input=a)
    return await step.call("c", task_queue=STEP_QUEUE, step_type="step_c", input=b)


# lat: W1 whose first step records when its body starts (perf_counter, first attempt only).
STARTED: dict[int, float] = {}


def step_a_timed(i: int) -> dict[str, int]:
    STARTED.setdefault(i, time.perf_counter())
    return step_a(i)


@workflow("w1lat")
async def w1lat(event: WorkflowEvent, step: Step) -> Any:
    a = await step.do("a", step_a_timed, event.params["i"])
    b = await step.do("b", step_b, a)
    return await step.do("c", step_c, b)


# ---------------------------------------------------------------- driver and report
def log(*a: Any) -> None:
    print(*a, file=sys.stderr, flush=True)


async def run_async(
    n: int, c: int, one: Callable[[int], Awaitable[Any]], first: int = 0
) -> tuple[float, list[float]]:
    """Closed loop on the running event loop: c tasks, each takes the next index."""
    nxt = [first]
    end = first + n
    lats: list[float] = []

    async def worker() -> None:
        while nxt[0] < end:
            i = nxt[0]
            nxt[0] += 1
            t0 = time.perf_counter()
            await one(i)
            lats.append(time.perf_counter() - t0)

    t0 = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(min(c, n))))
    return time.perf_counter() - t0, lats


def pct(xs: list[float], q: float) -> float:
    """Nearest-rank percentile."""
    if not xs:
        return float("nan")
    s = sorted(xs)
    k = max(0, min(len(s) - 1, math.ceil(q / 100.0 * len(s)) - 1))
    return s[k]


def emit(
    *,
    engine: str,
    workload: str,
    n: int,
    concurrency: int,
    wall: float,
    lats: list[float],
    backend: str,
    variant: str | None = None,
    version: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    per_call = extra.pop("per_call", 1)
    if len(lats) * per_call != n:
        raise AssertionError(f"{len(lats)} calls of {per_call} timed, {n} expected")
    row: dict[str, Any] = {
        "engine": engine,
        "workload": WORKLOADS.get(workload, workload),
        "n": n,
        "concurrency": concurrency,
        "wall_s": round(wall, 3),
        "wf_per_s": round(n / wall, 1),
        "p50_ms": round(pct(lats, 50) * 1000, 2),
        "p99_ms": round(pct(lats, 99) * 1000, 2),
        "backend": backend,
    }
    if variant is not None:
        row["variant"] = variant
    if version is not None:
        row["version"] = version
    row.update(extra)
    print(json.dumps(row), flush=True)
    return row


# ---------------------------------------------------------------- the store
@contextlib.contextmanager
def database(backend: str, workdir: str) -> Iterator[str]:
    """Yields the URL of a fresh store; a PostgreSQL database is dropped afterwards."""
    if backend == "sqlite":
        yield "sqlite:///" + os.path.join(workdir, "stepway.db")
        return
    import psycopg

    name = f"stepway_bench_{os.getpid()}"
    with psycopg.connect(f"{PG_BASE}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{PG_BASE}/{name}"
    finally:
        try:
            with psycopg.connect(f"{PG_BASE}/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        except psycopg.Error as exc:
            log(f"could not drop database {name}: {exc}")


# ---------------------------------------------------------------- the server
@dataclass
class Server:
    address: str
    api_key: str
    pid: int
    # Every process of the server side (a cluster has several); pid is the first.
    pids: tuple[int, ...] = ()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def connect_until(address: str, api_key: str, proc: subprocess.Popen[Any]) -> Client:
    """Connects to a starting server, retrying until it answers or the deadline passes."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + SERVER_START_SECONDS
    last: BaseException | None = None
    while loop.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"stepway dev exited with code {proc.returncode} while starting")
        try:
            return await Client.connect(address, api_key=api_key, timeout=2.0)
        except Exception as exc:
            last = exc
        await asyncio.sleep(0.1)
    raise TimeoutError(
        f"stepway dev did not answer on {address} in {SERVER_START_SECONDS} s: {last}"
    )


def spawn_dev(
    db_url: str, log_path: str, otlp: str | None = None
) -> tuple[subprocess.Popen[bytes], str, str]:
    """Starts `stepway dev` on a free port with a known key (exporting its spans to otlp when
    given); its output goes to log_path."""
    address = f"127.0.0.1:{free_port()}"
    api_key = "sw_bench_" + secrets.token_urlsafe(24)
    traced = ["--otlp-endpoint", otlp] if otlp else []
    cmd = [STEPWAY_BIN, *traced, "dev", "--db", db_url, "--listen", address, "--api-key", api_key]
    cmd += ["--http", "off"]  # the console would cost CPU the workload should have
    with open(log_path, "wb") as logf:  # the child keeps its own descriptor
        proc = subprocess.Popen(
            cmd, stdout=logf, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
    log(f"started stepway dev (pid {proc.pid}) on {address}")
    return proc, address, api_key


def stop_dev(proc: subprocess.Popen[Any]) -> None:
    """SIGTERM (a clean stop), then SIGKILL after 15 s."""
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        log("stepway dev did not stop on SIGTERM; killing it")
        proc.kill()
        proc.wait()


def tail(path: str, chars: int = 2000) -> str:
    with open(path, "rb") as f:
        return f.read().decode(errors="replace")[-chars:]


@contextlib.asynccontextmanager
async def split_server(
    db_url: str, workdir: str, otlp: str | None = None
) -> AsyncIterator[tuple[Server, Client]]:
    """`stepway dev` as a subprocess, waited for with a deadline and stopped at the end."""
    log_path = os.path.join(workdir, "server.log")
    proc, address, api_key = spawn_dev(db_url, log_path, otlp)
    try:
        try:
            client = await connect_until(address, api_key, proc)
        except BaseException:
            log(tail(log_path))
            raise
        try:
            yield Server(address, api_key, proc.pid), client
        finally:
            await client.close()
    finally:
        await asyncio.to_thread(stop_dev, proc)


@contextlib.asynccontextmanager
async def inproc_server(db_url: str) -> AsyncIterator[tuple[Server, Client]]:
    """The dev server on this process's event loop."""
    from gateway.dev import DevConfig, start_dev

    dev = await start_dev(DevConfig(db_url=db_url, listen="127.0.0.1:0"))
    try:
        client = await Client.connect(dev.address, api_key=dev.api_key)
        try:
            yield Server(dev.address, dev.api_key, os.getpid()), client
        finally:
            await client.close()
    finally:
        await dev.stop()


def spawn_server(args: list[str], log_path: str) -> tuple[subprocess.Popen[str], int]:
    """Starts a `stepway shard` or `stepway gateway` on a free port; answers it and its port,
    read from its first line."""
    with open(log_path, "w") as logf:
        proc = subprocess.Popen(
            [STEPWAY_BIN, *args, "--listen", "127.0.0.1:0"],
            stdout=subprocess.PIPE,
            stderr=logf,
            stdin=subprocess.DEVNULL,
            text=True,
        )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    try:
        port = int(line.split("listening on port ")[1].split()[0])
    except IndexError:
        proc.kill()
        raise RuntimeError(f"{args[0]} did not start: {line!r}\n{tail(log_path)}") from None
    return proc, port


BENCH_ACCOUNT = ("--account", "bench", "--role", "admin", "--operator")


def lift_rates(db_url: str, account: str) -> None:
    """Blocking: the account's rates go to their maximum in the store, before any server
    reads them (set through a gateway, they would apply only once its quota cache expires,
    and a run's first seconds would meet the default of 300 creations a second)."""
    import sqlalchemy as sa

    from gateway.dev import lift_rate_limits
    from shards import schema
    from shards.db import create_engine

    engine = create_engine(db_url)
    try:
        with engine.begin() as conn:
            A = schema.accounts
            account_id = conn.execute(sa.select(A.c.id).where(A.c.name == account)).scalar_one()
            lift_rate_limits(conn, account_id)
    finally:
        engine.dispose()


def start_cluster(
    db_url: str, workdir: str, shards: int, procs: list[subprocess.Popen[Any]]
) -> tuple[str, int]:
    """Blocking: creates the schema and an admin key, then starts the shard servers and the
    gateway (appended to procs, the gateway first); answers the key and the gateway's port."""
    subprocess.run([STEPWAY_BIN, "migrate", "--db", db_url], check=True, stdout=subprocess.DEVNULL)
    out = subprocess.run(
        [STEPWAY_BIN, "keys", "create", "--db", db_url, *BENCH_ACCOUNT],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    # The account's rates go to their maximum: the benchmark measures the servers, not the
    # default quotas (300 creations a second).
    lift_rates(db_url, BENCH_ACCOUNT[1])
    for n in range(shards):
        log_path = os.path.join(workdir, f"shard{n}.log")
        proc, _ = spawn_server(["shard", "--db", db_url, "--member-id", f"s{n}"], log_path)
        procs.append(proc)
    gateway, port = spawn_server(["gateway", "--db", db_url], os.path.join(workdir, "gateway.log"))
    procs.insert(0, gateway)
    return out.split()[-1], port


def wait_balanced(db_url: str, shards: int) -> None:
    """Blocking: waits until every shard server holds its share of the partitions, so that
    no partition moves during the timed phase."""
    import psycopg

    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        with psycopg.connect(db_url) as conn:
            held = conn.execute(
                "SELECT count(*) FROM partition_leases WHERE owner IS NOT NULL GROUP BY owner"
            ).fetchall()
            total = conn.execute("SELECT count(*) FROM partition_leases").fetchone()
        assert total is not None
        if len(held) == shards and min(n for (n,) in held) >= total[0] // shards:
            return
        time.sleep(0.2)
    raise TimeoutError(f"the {shards} shard servers did not split the partitions")


@contextlib.asynccontextmanager
async def cluster_server(
    db_url: str, workdir: str, shards: int
) -> AsyncIterator[tuple[Server, Client]]:
    """`stepway migrate`, `keys create`, then shard servers and a gateway as subprocesses."""
    procs: list[subprocess.Popen[Any]] = []
    try:
        api_key, port = await asyncio.to_thread(start_cluster, db_url, workdir, shards, procs)
        gateway = procs[0]
        address = f"127.0.0.1:{port}"
        log(f"cluster: gateway on {address}, {shards} shard server(s)")
        client = await connect_until(address, api_key, gateway)
        await asyncio.to_thread(wait_balanced, db_url, shards)
        try:
            pids = tuple(p.pid for p in procs)
            yield Server(address, api_key, gateway.pid, pids), client
        finally:
            await client.close()
    finally:
        for proc in procs:
            await asyncio.to_thread(stop_dev, proc)


# ---------------------------------------------------------------- the timed phase
def cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds a process has used so far (Linux /proc), or None."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Phase:
    """The timed phase: CPU used by the server and by this process, and an optional py-spy
    recording of the server process."""

    def __init__(
        self, server_pid: int, profile_out: str | None, others: tuple[int, ...] = ()
    ) -> None:
        self.server_pid = server_pid
        self.others = others
        self.profile_out = profile_out
        self.spy: subprocess.Popen[bytes] | None = None
        self._start: tuple[float | None, float | None] = (None, None)
        self.cpu: dict[str, float] = {}

    def _sample(self) -> tuple[float | None, float | None]:
        server = [cpu_seconds(pid) for pid in (self.server_pid, *self.others)]
        total = None if None in server else sum(t for t in server if t is not None)
        return total, cpu_seconds(os.getpid())

    def start(self) -> None:
        if self.profile_out:
            spy = shutil.which("py-spy") or os.path.join(os.path.dirname(sys.executable), "py-spy")
            fmt = "speedscope" if self.profile_out.endswith(".json") else "raw"
            cmd = [spy, "record", "--pid", str(self.server_pid), "-o", self.profile_out]
            self.spy = subprocess.Popen([*cmd, "--format", fmt, "-r", "200"], stdout=sys.stderr)
            time.sleep(0.5)
        self._start = self._sample()

    def stop(self) -> None:
        end = self._sample()
        if self.server_pid != os.getpid():
            names = ("server_cpu_s", "client_cpu_s")
        else:
            names = ("process_cpu_s", "")
        for name, t0, t1 in zip(names, self._start, end, strict=True):
            if name and t0 is not None and t1 is not None:
                self.cpu[name] = round(t1 - t0, 2)
        if self.spy is not None:
            self.spy.send_signal(signal.SIGINT)
            try:
                self.spy.wait(30)
            except subprocess.TimeoutExpired:
                self.spy.kill()
            log(f"profile of pid {self.server_pid} written to {self.profile_out}")


# ---------------------------------------------------------------- the runs
async def register(client: Client) -> None:
    """Registers w1 on the default task queue without polling (so that nothing runs it)."""
    await client.call(
        client.workers.RegisterWorker,
        wpb.RegisterWorkerRequest(
            worker_id="bench-" + secrets.token_hex(8),
            task_queue="default",
            workflows=[w1.name],
            identity=f"bench/pid-{os.getpid()}",
        ),
    )


async def timed(
    phase: Phase, n: int, c: int, one: Callable[[int], Awaitable[Any]]
) -> tuple[float, list[float]]:
    phase.start()
    try:
        return await run_async(n, c, one)
    finally:
        phase.stop()


async def run(
    args: argparse.Namespace, db_url: str, workdir: str
) -> tuple[float, list[float], dict[str, float]]:
    """Runs the workload; answers (wall seconds, latencies, CPU seconds of the timed phase)."""
    server_cm = {
        "split": lambda: split_server(db_url, workdir, args.otlp),
        "inproc": lambda: inproc_server(db_url),
        "cluster": lambda: cluster_server(db_url, workdir, args.shards),
    }[args.topology]()
    async with server_cm as (server, client):
        log(f"server at {server.address} (pid {server.pid}), store {db_url}")
        phase = Phase(server.pid, args.profile_server, server.pids[1:])
        if args.workload == "lat":
            return await latency(args, client, phase)
        if args.workload in ("w1", "w1c"):
            # W1c runs W1's steps on a StepWorker in this process; W1 runs them inline.
            definition = w1 if args.workload == "w1" else w1c
            steps: contextlib.AbstractAsyncContextManager[Any] = (
                StepWorker(
                    client, task_queue=STEP_QUEUE, handlers=STEP_HANDLERS, max_concurrent=256
                )
                if args.workload == "w1c"
                else contextlib.nullcontext()
            )

            async def one(i: int) -> None:
                h = await client.create(definition.name, id=f"wf-{i}", params={"i": i})
                check(i, await h.result(timeout=RESULT_TIMEOUT))

            async with Worker(client, task_queue="default", workflows=[definition]), steps:
                if args.warmup:
                    log(f"warm-up: {args.warmup} workflows")
                    await run_async(args.warmup, args.concurrency, one, first=WARMUP_FIRST)
                log(f"timed: {args.n} workflows ({args.workload}), {args.concurrency} in flight")
                wall, lats = await timed(phase, args.n, args.concurrency, one)
            return wall, lats, phase.cpu

        await register(client)
        if args.workload == "w2b":

            async def create_batch(b: int) -> None:
                items = [
                    NewInstance(id=f"wf-{i}", params={"i": i})
                    for i in range(b * BATCH, (b + 1) * BATCH)
                ]
                results = await client.create_batch(w1.name, items)
                if not all(r.created for r in results):
                    raise AssertionError(f"batch {b}: {[r for r in results if not r.created]}")

            batches = max(args.n // BATCH, 1)
            log(f"timed: {batches * BATCH} creations, {BATCH} a call, {BATCH_IN_FLIGHT} in flight")
            wall, lats = await timed(phase, batches, BATCH_IN_FLIGHT, create_batch)
            return wall, lats, phase.cpu

        async def create_only(i: int) -> None:
            h = await client.create(w1.name, id=f"wf-{i}", params={"i": i})
            if not h.created:
                raise AssertionError(f"workflow {i} already existed")

        if args.warmup:
            log(f"warm-up: {args.warmup} creations")
            await run_async(args.warmup, args.concurrency, create_only, first=WARMUP_FIRST)
        log(f"timed: {args.n} creations, {args.concurrency} in flight")
        wall, lats = await timed(phase, args.n, args.concurrency, create_only)
        return wall, lats, phase.cpu


async def latency(
    args: argparse.Namespace, client: Client, phase: Phase
) -> tuple[float, list[float], dict[str, float]]:
    """lat: W1 one workflow at a time; answers the result latencies and, beside the CPU
    seconds, the percentiles of create -> first step started."""
    created_at: dict[int, float] = {}

    async def one(i: int) -> None:
        created_at[i] = time.perf_counter()
        h = await client.create(w1lat.name, id=f"wf-{i}", params={"i": i})
        check(i, await h.result(timeout=RESULT_TIMEOUT))

    async with Worker(client, task_queue="default", workflows=[w1lat]):
        if args.warmup:
            log(f"warm-up: {args.warmup} workflows, one at a time")
            await run_async(args.warmup, 1, one, first=WARMUP_FIRST)
        log(f"timed: {args.n} workflows (lat), one at a time")
        wall, lats = await timed(phase, args.n, 1, one)
    first = [STARTED[i] - created_at[i] for i in range(args.n)]
    figures = {
        "first_step_p50_ms": round(pct(first, 50) * 1000, 2),
        "first_step_p99_ms": round(pct(first, 99) * 1000, 2),
        "result_p50_ms": round(pct(lats, 50) * 1000, 2),
        "result_p99_ms": round(pct(lats, 99) * 1000, 2),
    }
    return wall, lats, {**phase.cpu, **figures}


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description="peers benchmark: stepway")
    p.add_argument("--workload", choices=sorted(WORKLOADS), default="w1")
    p.add_argument(
        "-n",
        "--n",
        type=int,
        default=int(os.environ.get("STEPWAY_BENCH_N", 1000)),
        help="workflows to start (default 1000)",
    )
    p.add_argument(
        "-c",
        "--concurrency",
        type=int,
        default=int(os.environ.get("STEPWAY_BENCH_C", 64)),
        help="client calls in flight at most (default 64)",
    )
    p.add_argument(
        "--warmup",
        type=int,
        default=int(os.environ.get("STEPWAY_BENCH_WARMUP", 50)),
        help="workflows run first and left out of the numbers (default 50)",
    )
    p.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    p.add_argument(
        "--topology",
        choices=["split", "inproc", "cluster"],
        default="split",
        help="split: server in its own process (default); inproc: on this event loop; "
        "cluster: a gateway and --shards shard servers (postgres only)",
    )
    p.add_argument(
        "--shards", type=int, default=1, help="shard servers of the cluster topology (default 1)"
    )
    p.add_argument(
        "--workdir", default=None, help="where data files go (default: a fresh temp dir)"
    )
    p.add_argument("--keep", action="store_true", help="keep the data dir afterwards")
    p.add_argument(
        "--trace",
        action="store_true",
        help="trace with OpenTelemetry: the server and this process export every span by OTLP "
        "to a collector on loopback (bench/otlp_sink.py, started here; split topology only)",
    )
    p.add_argument(
        "--profile-server",
        metavar="FILE",
        default=None,
        help="record the server process with py-spy during the timed phase (.json: speedscope)",
    )
    return p


@contextlib.contextmanager
def otlp_sink(enabled: bool) -> Iterator[tuple[str | None, dict[str, int]]]:
    """With enabled: bench/otlp_sink.py on a free port, its endpoint, and (after the block)
    how many spans it received. Without: no endpoint."""
    counted: dict[str, int] = {}
    if not enabled:
        yield None, counted
        return
    listen = f"127.0.0.1:{free_port()}"
    sink = subprocess.Popen(
        [sys.executable, os.path.join(HERE, "otlp_sink.py"), "--listen", listen],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert sink.stdout is not None
        if sink.stdout.readline().strip() != "listening":
            raise RuntimeError("bench/otlp_sink.py did not start")
        yield f"http://{listen}", counted
    finally:
        sink.send_signal(signal.SIGTERM)
        out, _ = sink.communicate(timeout=30)
        counted.update(json.loads(out.strip().splitlines()[-1]) if out.strip() else {})


def main() -> None:
    args = parser().parse_args()
    if args.topology == "cluster" and args.backend != "postgres":
        raise SystemExit("the cluster topology runs on postgres only (--backend postgres)")
    if args.trace and args.topology != "split":
        raise SystemExit("--trace runs with the split topology only")
    with otlp_sink(args.trace) as (endpoint, spans):
        args.otlp = endpoint
        if endpoint:
            tracing.configure("stepway-bench", endpoint)
        try:
            bench(args)
        finally:
            if endpoint:
                # Export what is left while the collector still listens.
                provider: Any = trace.get_tracer_provider()
                provider.shutdown()
    if spans:
        per = spans["spans"] / (args.n + args.warmup)
        log(f"the collector received {spans['spans']} spans ({per:.1f} a workflow or creation)")


def bench(args: argparse.Namespace) -> None:
    if args.workdir:
        os.makedirs(args.workdir, exist_ok=True)
        workdir = args.workdir
    else:
        workdir = tempfile.mkdtemp(prefix="stepway-bench-")
    try:
        with database(args.backend, workdir) as db_url:
            wall, lats, cpu = asyncio.run(run(args, db_url, workdir))
        variant = {
            "w1": "worker-step.do",
            "w1c": "step-worker-step.call",
            "w2": "create-no-worker",
            "w2b": f"create_batch-{BATCH}",
            "lat": "worker-step.do-sequential",
        }[args.workload]
        batched = args.workload == "w2b"
        extra: dict[str, Any] = {"per_call": BATCH, "batch": BATCH} if batched else {}
        in_flight = 1 if args.workload == "lat" else args.concurrency
        if batched:
            in_flight = BATCH_IN_FLIGHT
        if args.workload == "lat":
            extra["goals_ms"] = LATENCY_GOALS
            extra["meets_goals"] = all(cpu[k] < goal for k, goal in LATENCY_GOALS.items())
        if "server_cpu_s" in cpu and lats:
            items = len(lats) * BATCH if batched else args.n
            extra["server_cpu_ms_per_wf"] = round(cpu["server_cpu_s"] / items * 1000, 2)
        if args.otlp:
            variant += "+tracing"
            extra["tracing"] = "otlp"
        emit(
            engine=ENGINE,
            workload=args.workload,
            n=len(lats) * BATCH if batched else args.n,
            concurrency=in_flight,
            wall=wall,
            lats=lats,
            backend=args.backend,
            variant=variant,
            version=__version__,
            topology=args.topology,
            **({"shards": args.shards} if args.topology == "cluster" else {}),
            cpus=os.cpu_count(),
            **cpu,
            **extra,
        )
    finally:
        if not args.keep and not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
