"""A TypeScript workflow (sdk/node/examples/polyglot-workflow.ts, compiled with tsc, served by
the Node SDK's Worker in a process of its own) whose step.call runs on a Python StepWorker; and
the same workflow written in Python, whose history reads the same."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
from pathlib import Path
from typing import Any

import pytest

from gateway.dev import DevServer
from stepway import Client, RetryPolicy, Step, StepWorker, Worker, WorkflowEvent, workflow
from tests.helpers import needs

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "sdk" / "node" / "examples"
TSC = ROOT / "node_modules" / "typescript" / "bin" / "tsc"
NODE = shutil.which("node")

pytestmark = needs(
    NODE is not None and TSC.exists() and (ROOT / "node_modules" / "@grpc" / "grpc-js").exists(),
    "Node.js and the npm packages are needed: `npm ci` at the repository root",
)


@workflow("fulfil_py")
async def fulfil_py(event: WorkflowEvent, step: Step) -> Any:
    """polyglot-workflow.ts's FulfilWorkflow, in Python."""
    order = event.params["order_id"]
    price = await step.do("price", lambda: {"order_id": order, "total": 42.5})
    thumb = await step.call(
        "thumbnail",
        task_queue="py-steps",
        step_type="thumbnail",
        input={"pdf": f"order-{order}.pdf"},
        retries=RetryPolicy(limit=2, delay=1.0),
    )
    return {"price": price, "thumb": thumb}


@pytest.fixture(scope="module")
def compiled() -> Path:
    """The examples compiled with tsc: their JavaScript's directory."""
    assert NODE is not None
    subprocess.run([NODE, str(TSC), "-p", str(EXAMPLES)], check=True, timeout=120)
    return EXAMPLES / "dist"


async def start_node_worker(server: DevServer, compiled: Path) -> asyncio.subprocess.Process:
    """The compiled example as a process, once it printed that it polls."""
    assert NODE is not None
    env = {**os.environ, "STEPWAY_ADDRESS": server.address, "STEPWAY_API_KEY": server.api_key}
    proc = await asyncio.create_subprocess_exec(
        NODE,
        str(compiled / "polyglot-workflow.js"),
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    assert proc.stdout is not None
    async with asyncio.timeout(20):
        line = await proc.stdout.readline()
    assert line.startswith(b"ready"), line
    return proc


def steps_of(history: list[Any]) -> list[tuple[Any, ...]]:
    """What a history says about the steps, leaving out times and workers."""
    return [
        (e.type, e.step_name, e.step_seq, e.attempt, e.event_type, e.task_queue, e.step_type)
        for e in history
    ]


async def test_a_typescript_workflow_calls_a_python_step_and_its_history_reads_as_python(
    dev_server: DevServer, client: Client, compiled: Path
) -> None:
    steps = StepWorker(client, task_queue="py-steps")
    attempts: list[int] = []

    @steps.handler("thumbnail")
    def thumbnail(input: Any, ctx: Any) -> Any:
        attempts.append(ctx.attempt)
        if ctx.attempt == 1:
            raise ConnectionError("image service away")
        return {"thumb": input["pdf"].replace(".pdf", ".png"), "by": "python"}

    node = await start_node_worker(dev_server, compiled)
    try:
        async with Worker(client, task_queue="python", workflows=[fulfil_py]), steps:
            ts = await client.create("fulfil_ts", id="o-7", params={"order_id": 7})
            py = await client.create("fulfil_py", id="o-7", params={"order_id": 7})
            expected = {
                "price": {"order_id": 7, "total": 42.5},
                "thumb": {"thumb": "order-7.png", "by": "python"},
            }
            assert await ts.result(timeout=30) == expected
            assert await py.result(timeout=30) == expected
            assert sorted(attempts) == [1, 1, 2, 2]  # each instance's call failed once

            ts_info, py_info = await ts.describe(), await py.describe()
            assert {s.name: s.kind for s in ts_info.steps or []} == {
                "price": "do",
                "thumbnail": "call",
            }
            assert [
                (s.name, s.seq, s.kind, s.state, s.attempts, s.output) for s in ts_info.steps or []
            ] == [
                (s.name, s.seq, s.kind, s.state, s.attempts, s.output) for s in py_info.steps or []
            ]
            ts_history = await ts.history()
            assert steps_of(ts_history) == steps_of(await py.history())
            assert ("call_scheduled", "thumbnail", 1, 1, None, "py-steps", "thumbnail") in (
                steps_of(ts_history)
            )
    finally:
        if node.returncode is None:
            node.send_signal(signal.SIGTERM)
        async with asyncio.timeout(10):
            await node.wait()
