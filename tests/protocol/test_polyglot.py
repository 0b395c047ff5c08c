"""One Python workflow, three kinds of steps: one served by a Node.js step worker (a separate
process built from the protos alone, sdk/node), one by a Python StepWorker, one inline; on
PostgreSQL. Then the Node worker is killed mid-step, and the step is retried on a new Node
worker once its heartbeat timeout passes."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from gateway.dev import DevConfig, DevServer, start_dev
from stepway import Client, RetryPolicy, Step, StepWorker, Worker, WorkflowEvent, workflow
from tests.helpers import needs

ROOT = Path(__file__).resolve().parents[2]
NODE_WORKER = ROOT / "sdk" / "node" / "examples" / "step-worker.js"
NODE = shutil.which("node")

pytestmark = needs(
    NODE is not None and (ROOT / "node_modules" / "@grpc" / "grpc-js").exists(),
    "Node.js and the npm packages are needed: `npm ci` at the repository root",
)


@workflow("fulfil")
async def fulfil(event: WorkflowEvent, step: Step) -> Any:
    order = event.params["order_id"]
    price = await step.do("price", lambda: {"order_id": order, "total": 42.5})
    pdf = await step.call(
        "render", task_queue="node-steps", step_type="render_pdf", input={"order_id": order}
    )
    thumb = await step.call(
        "thumbnail", task_queue="py-steps", step_type="thumbnail", input={"pdf": pdf["pdf"]}
    )
    return {"price": price, "pdf": pdf, "thumb": thumb}


@workflow("long_render")
async def long_render(event: WorkflowEvent, step: Step) -> Any:
    return await step.call(
        "render",
        task_queue="node-steps",
        step_type="slow_render",
        input={"seconds": event.params["seconds"]},
        heartbeat_timeout=1.0,
        retries=RetryPolicy(limit=2, delay=0),
    )


class NodeWorker:
    """`node sdk/node/examples/step-worker.js` as a process, with its stdout lines."""

    def __init__(self, proc: asyncio.subprocess.Process) -> None:
        self.proc = proc
        self.lines: list[str] = []

    @classmethod
    async def start(cls, server: DevServer) -> NodeWorker:
        assert NODE is not None
        env = {
            **os.environ,
            "STEPWAY_ADDRESS": server.address,
            "STEPWAY_API_KEY": server.api_key,
            "STEPWAY_TASK_QUEUE": "node-steps",
        }
        proc = await asyncio.create_subprocess_exec(
            NODE,
            str(NODE_WORKER),
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        worker = cls(proc)
        await worker.expect("ready")
        return worker

    async def expect(self, prefix: str, timeout: float = 20) -> str:
        """The next stdout line that starts with prefix (earlier lines are kept)."""
        assert self.proc.stdout is not None
        async with asyncio.timeout(timeout):
            while True:
                raw = await self.proc.stdout.readline()
                if not raw:
                    raise AssertionError(f"node worker exited; its output: {self.lines}")
                line = raw.decode().strip()
                self.lines.append(line)
                if line.startswith(prefix):
                    return line

    async def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        await self.proc.wait()

    async def stop(self) -> None:
        if self.proc.returncode is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.proc.wait(), 10)
            except TimeoutError:
                self.proc.kill()
                await self.proc.wait()


@pytest.fixture
async def pg_dev(pg_url: str) -> AsyncIterator[DevServer]:
    server = await start_dev(DevConfig(db_url=pg_url, listen="127.0.0.1:0"))
    try:
        yield server
    finally:
        await server.stop()


async def test_a_python_workflow_runs_steps_in_node_in_python_and_inline(
    pg_dev: DevServer,
) -> None:
    client = await Client.connect(pg_dev.address, api_key=pg_dev.api_key)
    python_steps = StepWorker(client, task_queue="py-steps")

    @python_steps.handler("thumbnail")
    def thumbnail(input: Any, ctx: Any) -> Any:
        return {"thumb": input["pdf"].replace(".pdf", ".png"), "by": "python"}

    node = await NodeWorker.start(pg_dev)
    try:
        async with Worker(client, workflows=[fulfil, long_render]), python_steps:
            handle = await client.create("fulfil", id="o-7", params={"order_id": 7})
            result = await handle.result(timeout=30)
            assert result == {
                "price": {"order_id": 7, "total": 42.5},
                "pdf": {"pdf": "order-7.pdf", "by": "node"},
                "thumb": {"thumb": "order-7.png", "by": "python"},
            }
            await node.expect("working render attempt 1")
            info = await handle.describe()
            kinds = {s.name: s.kind for s in info.steps or []}
            assert kinds == {"price": "do", "render": "call", "thumbnail": "call"}

            # Kill the Node worker in the middle of a long step: no heartbeat comes any more,
            # and after the heartbeat timeout the shard hands attempt 2 to a new Node worker.
            slow = await client.create("long_render", id="r-1", params={"seconds": 2})
            await node.expect("working render attempt 1")
            await node.expect("progress")  # a heartbeat with progress was sent
            await node.kill()
            node = await NodeWorker.start(pg_dev)
            await node.expect("working render attempt 2")
            result = await slow.result(timeout=30)
            assert result["by"] == "node"
            assert result["resumed_from"] is not None  # the lost attempt's last progress
            history = await slow.history()
            failed = [e for e in history if e.type == "step_attempt_failed"]
            assert [(e.attempt, e.error.type if e.error else None) for e in failed] == [
                (1, "HeartbeatTimeout")
            ]
            started = [e.worker for e in history if e.type == "step_attempt_started"]
            assert len(started) == 2 and started[0] != started[1]
    finally:
        await node.stop()
        await client.close()
