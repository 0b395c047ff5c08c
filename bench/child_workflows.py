"""What a child workflow costs on `stepway dev`: the round trip of a parent whose only step is
a child that returns at once (`run_workflow`), against a parent with one `do` step, one at a
time; and a fan-out of children started with `start_workflow` under `asyncio.gather`.

    .venv/bin/python bench/child_workflows.py [--rounds 40] [--children 200] [--db URL]

Without --db the store is an SQLite file in a temporary directory.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from typing import Any

from gateway.dev import DevConfig, start_dev
from stepway import Client, InstanceStatus, Step, Worker, WorkflowEvent, workflow


@workflow("bench_leaf")
async def leaf(event: WorkflowEvent, step: Step) -> Any:
    return event.params


@workflow("bench_child")
async def with_child(event: WorkflowEvent, step: Step) -> Any:
    return await step.run_workflow("bench_leaf", event.params)


@workflow("bench_do")
async def with_do(event: WorkflowEvent, step: Step) -> Any:
    return await step.do("x", lambda: event.params)


@workflow("bench_fan")
async def fan(event: WorkflowEvent, step: Step) -> Any:
    starts = (
        step.start_workflow("bench_leaf", n, step_name=f"kid{n}") for n in range(event.params)
    )
    return len(await asyncio.gather(*starts))


async def _round_trips(client: Client, workflow: str, rounds: int) -> list[float]:
    times = []
    for n in range(rounds):
        started = time.perf_counter()
        handle = await client.create(workflow, id=f"{workflow}-{n}", params=n)
        assert await handle.result(timeout=60) == n
        times.append((time.perf_counter() - started) * 1000)
    return sorted(times)


async def main(db_url: str, rounds: int, children: int) -> None:
    server = await start_dev(DevConfig(db_url=db_url, listen="127.0.0.1:0"))
    client = await Client.connect(server.address, api_key=server.api_key)
    try:
        async with Worker(client, workflows=[leaf, with_child, with_do, fan], max_concurrent=256):
            for workflow in ("bench_do", "bench_child"):
                times = await _round_trips(client, workflow, rounds)
                p50, p90 = times[len(times) // 2], times[int(len(times) * 0.9)]
                print(f"{workflow}: p50 {p50:.0f} ms, p90 {p90:.0f} ms over {rounds} instances")
            started = time.perf_counter()
            handle = await client.create("bench_fan", id="fan", params=children)
            assert await handle.result(timeout=120) == children
            parent_ms = (time.perf_counter() - started) * 1000
            while True:
                page = await client.list_page(
                    "bench_leaf", status=InstanceStatus.COMPLETE, page_size=1000
                )
                if len(page.instances) >= rounds + children:
                    break
                await asyncio.sleep(0.02)
            all_ms = (time.perf_counter() - started) * 1000
            print(
                f"fan-out of {children}: parent complete in {parent_ms:.0f} ms, "
                f"every child complete in {all_ms:.0f} ms"
            )
    finally:
        await client.close()
        await server.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--children", type=int, default=200)
    parser.add_argument("--db", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.db or f"sqlite:///{tmp}/bench.db"
        asyncio.run(main(url, args.rounds, args.children))
