#!/usr/bin/env python3
"""A worker process of bench/scale.py: it runs the scale workflows on one task queue until
SIGTERM (a clean stop: the runs in hand end on their own for up to STOP_TIMEOUT_S, then the
tasks it still holds go back to the server).

  python -m bench.scale_worker ADDRESS API_KEY --task-queue Q --record FILE

Every workflow ends with a step `record` whose body appends "WORKFLOW INSTANCE_ID" to the
record file (one write of one line on a descriptor opened with O_APPEND), so that the bench
counts how many times each instance's last step ran: once for each instance it created, and
never twice.

Workflows:
  w1s      W1 (three steps, as bench_stepway.py), then `record`.
  hold     a step that awaits until the process gets SIGUSR1 (the bench's release) or
           params.hold_s passes, so that the instance holds a running slot the while; then
           `record`.
  sleeper  a step, `step.sleep` params.sleep_s, then `record`.
  eventer  `step.wait_for_event` of type "go", then `record`.
  remote   W1's first step as a remote step (`step.call`), served by a StepWorker in this
           process on the queue `<task queue>-steps`, then `record`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
from typing import Any

from bench.bench_stepway import call_a, step_a, step_b, step_c
from stepway import Client, Step, StepWorker, Worker, WorkflowEvent, workflow

RECORD_FD = -1
# How long a stopping worker lets its runs in flight end on their own.
STOP_TIMEOUT_S = 20.0
RELEASED = asyncio.Event()


async def record(instance: str, name: str) -> str:
    """The body of every workflow's last step: one line in the record file (on the event
    loop: a stop cancels the step before the write or after it, never in between)."""
    os.write(RECORD_FD, f"{name} {instance}\n".encode())
    return instance


@workflow("w1s")
async def w1s(event: WorkflowEvent, step: Step) -> Any:
    a = await step.do("a", step_a, event.params["i"])
    b = await step.do("b", step_b, a)
    c = await step.do("c", step_c, b)
    await step.do("record", record, event.instance_id, "w1s")
    return c


async def hold_body(hold_s: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(RELEASED.wait(), hold_s)


@workflow("hold")
async def hold(event: WorkflowEvent, step: Step) -> Any:
    hold_s = float(event.params["hold_s"])
    await step.do("hold", hold_body, hold_s, timeout=hold_s + 600)
    return await step.do("record", record, event.instance_id, "hold")


@workflow("sleeper")
async def sleeper(event: WorkflowEvent, step: Step) -> Any:
    a = await step.do("a", step_a, event.params["i"])
    await step.sleep("nap", float(event.params["sleep_s"]))
    await step.do("record", record, event.instance_id, "sleeper")
    return a


@workflow("eventer")
async def eventer(event: WorkflowEvent, step: Step) -> Any:
    await step.wait_for_event("go", type="go", timeout=3600)
    await step.do("record", record, event.instance_id, "eventer")
    return None


@workflow("remote")
async def remote(event: WorkflowEvent, step: Step) -> Any:
    queue = event.params["steps"]
    a = await step.call("a", task_queue=queue, step_type="step_a", input=event.params["i"])
    await step.do("record", record, event.instance_id, "remote")
    return a


WORKFLOWS = [w1s, hold, sleeper, eventer, remote]


async def serve(args: argparse.Namespace) -> None:
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    loop.add_signal_handler(signal.SIGUSR1, RELEASED.set)
    client = await Client.connect(args.address, api_key=args.api_key, timeout=10.0)
    try:
        steps = StepWorker(
            client,
            task_queue=f"{args.task_queue}-steps",
            handlers={"step_a": call_a},
            max_concurrent=64,
        )
        worker = Worker(
            client,
            task_queue=args.task_queue,
            workflows=WORKFLOWS,
            max_concurrent=args.max_concurrent,
        )
        async with steps, worker:
            # The bench waits for this line before it counts the worker as started.
            print("ready", flush=True)
            await stop.wait()
            # A rolling restart: the runs in hand end on their own before the rest goes back.
            await worker.stop(timeout=STOP_TIMEOUT_S)
    finally:
        await client.close()


def main() -> None:
    global RECORD_FD
    p = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    p.add_argument("address")
    p.add_argument("api_key")
    p.add_argument("--task-queue", default="scale")
    p.add_argument("--record", required=True, help="file the `record` steps append to")
    p.add_argument("--max-concurrent", type=int, default=256)
    args = p.parse_args()
    RECORD_FD = os.open(args.record, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        asyncio.run(serve(args))
    finally:
        os.close(RECORD_FD)


if __name__ == "__main__":
    main()
