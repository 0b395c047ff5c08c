"""The Node.js SDK's Worker with a build id, and its replay meeting a journal it cannot follow:
the instance is blocked, not errored, and names the step, the kinds and the build."""

from __future__ import annotations

import asyncio
import os
import shutil
from pathlib import Path

from gateway.dev import DevServer
from stepway import Client, InstanceStatus
from tests.helpers import eventually, needs

ROOT = Path(__file__).resolve().parents[2]
NODE = shutil.which("node")

pytestmark = needs(
    NODE is not None and (ROOT / "node_modules" / "@grpc" / "grpc-js").exists(),
    "Node.js and the npm packages are needed: `npm ci` at the repository root",
)

# argv: the kind of step "x" ("sleep" or "do"), the build id.
SCRIPT = """
const { Worker } = require(process.env.STEPWAY_SDK);
const [kind, buildId] = process.argv.slice(2);
const changing = async (event, step) => {
  if (kind === 'sleep') await step.sleep('x', 300);
  else await step.do('x', async () => 'done');
  await step.sleep('y', 1500); // long enough to be recorded on a loaded machine
  return { x: kind };
};
const address = process.env.STEPWAY_ADDRESS;
const worker = new Worker({ address, workflows: { changing }, buildId });
worker.on('ready', () => console.log('ready'));
worker.on('taskFinished', (info, how) => console.log(how));
worker.run();
"""


async def node_worker(
    server: DevServer, script: Path, kind: str, build_id: str
) -> asyncio.subprocess.Process:
    assert NODE is not None
    env = {
        **os.environ,
        "STEPWAY_ADDRESS": server.address,
        "STEPWAY_API_KEY": server.api_key,
        "STEPWAY_SDK": str(ROOT / "sdk" / "node" / "src" / "index.js"),
    }
    proc = await asyncio.create_subprocess_exec(
        NODE,
        str(script),
        kind,
        build_id,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    assert proc.stdout is not None
    async with asyncio.timeout(20):
        line = await proc.stdout.readline()
    assert line.startswith(b"ready"), line
    return proc


async def stop(proc: asyncio.subprocess.Process) -> None:
    proc.terminate()
    await asyncio.wait_for(proc.communicate(), 20)


async def test_a_node_worker_blocks_an_instance_whose_journal_its_code_cannot_follow(
    dev_server: DevServer, client: Client, tmp_path: Path
) -> None:
    script = tmp_path / "changing.js"
    script.write_text(SCRIPT)
    first = await node_worker(dev_server, script, "sleep", "n1")
    try:
        handle = await client.create("changing", id="node-nd")
        await eventually(
            handle.status,
            lambda i: i.status is InstanceStatus.WAITING and i.current_step == "y",
            what="past x, sleeping in y",
        )
    finally:
        await stop(first)
    changed = await node_worker(dev_server, script, "do", "n1")
    try:
        info = await eventually(
            handle.status, lambda i: i.blocked is not None, what="blocked by non-determinism"
        )
    finally:
        await stop(changed)
    assert info.status is InstanceStatus.WAITING and info.build_id == "n1"
    assert info.blocked is not None
    assert (info.blocked.step_name, info.blocked.step_seq) == ("x", 1)
    assert (info.blocked.recorded_kind, info.blocked.requested_kind) == ("sleep", "do")
    assert info.blocked.build_id == "n1"
