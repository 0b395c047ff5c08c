"""The Node.js example worker runs as its instructions say, from a fresh copy of the
repository: the commands in its header (and in sdk/node/README.md), run as written, start a
worker that a Python workflow's CALL step reaches."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import subprocess
from pathlib import Path

from gateway.dev import DevConfig, start_dev
from stepway import Client, Step, Worker, WorkflowEvent, workflow
from tests.helpers import needs

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "sdk" / "node" / "examples" / "step-worker.js"
README = ROOT / "sdk" / "node" / "README.md"
# What a fresh checkout holds that the Node.js SDK and its example need.
CHECKOUT = ["package.json", "package-lock.json", "sdk/node", "protos"]

pytestmark = needs(
    shutil.which("node") is not None and shutil.which("npm") is not None,
    "Node.js and npm are needed",
)


@workflow("render_order")
async def render_order(event: WorkflowEvent, step: Step) -> object:
    return await step.call(
        "render", task_queue="node-steps", step_type="render_pdf", input={"order_id": 7}
    )


def example_commands() -> list[str]:
    """The commands of the example's header: its first run of indented comment lines."""
    block = re.search(r"(?:^//   \S.*\n)+", EXAMPLE.read_text(), re.MULTILINE)
    assert block is not None, "the example's header shows no commands"
    return [line.removeprefix("//   ") for line in block.group(0).splitlines()]


def fresh_copy(dest: Path) -> Path:
    """The files of a checkout the example needs, without any node_modules."""
    dest.mkdir()
    for name in CHECKOUT:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("node_modules"))
        else:
            shutil.copy(src, dest / name)
    return dest


def run(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-c", command], cwd=cwd, capture_output=True, text=True, timeout=180
    )


async def test_the_node_example_runs_as_its_header_and_the_readme_say_from_a_fresh_copy(
    tmp_path: Path,
) -> None:
    server = await start_dev(
        DevConfig(db_url=f"sqlite:///{tmp_path / 'stepway.db'}", listen="127.0.0.1:0")
    )
    client = await Client.connect(server.address, api_key=server.api_key)
    try:
        await run_the_example(server.address, server.api_key, client, tmp_path)
    finally:
        await client.close()
        await server.stop()


async def run_the_example(address: str, key: str, client: Client, tmp_path: Path) -> None:
    install, start = example_commands()
    assert install == "npm ci"
    assert f"```sh\n{install}\n{start}\n```" in README.read_text()
    repo = fresh_copy(tmp_path / "repo")
    start = start.replace("127.0.0.1:7300", address).replace("sw_...", key)

    # Without the install, node stops at the missing module (why the header says npm ci).
    missing = await asyncio.to_thread(run, start, repo)
    assert missing.returncode != 0 and "Cannot find module '@grpc/grpc-js'" in missing.stderr

    installed = await asyncio.to_thread(run, install, repo)
    assert installed.returncode == 0, installed.stderr
    proc = await asyncio.create_subprocess_exec(
        "bash",
        "-c",
        start,
        cwd=repo,
        env=dict(os.environ),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    try:
        assert proc.stdout is not None
        async with asyncio.timeout(30):
            line = (await proc.stdout.readline()).decode()
        assert line.startswith("ready ") and line.strip().endswith("on node-steps"), line
        async with Worker(client, workflows=[render_order]):
            handle = await client.create("render_order", id="node-1")
            assert await handle.result(timeout=30) == {"pdf": "order-7.pdf", "by": "node"}
    finally:
        if proc.returncode is None:
            proc.terminate()
            await proc.wait()
