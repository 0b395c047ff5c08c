"""A gateway holds at most MAX_HELD_CALLS_PER_GATEWAY streams and long polls of all accounts
together: past it, a new one is refused at once with RESOURCE_EXHAUSTED, and every stream it
holds stays open. Without the cap, gRPC cancelled the streams past about 1,800 (each account
within its own cap), so watchers saw CANCELLED after a second instead of a refusal.

The server runs as a process of its own (`stepway dev`), as it does for its users: the test's
own streams then do not count against the server's process."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import grpc
import pytest

from shards.caps import HELD, MAX_HELD_CALLS_PER_GATEWAY, MAX_WATCHES_PER_ACCOUNT
from stepway import Client
from stepway.errors import ResourceExhaustedError, from_rpc_error
from stepway.v1 import worker_service_pb2 as wpb
from stepway.v1 import worker_service_pb2_grpc as wgrpc
from stepway.v1 import workflow_service_pb2 as fpb
from stepway.v1 import workflow_service_pb2_grpc as fgrpc
from tests.helpers import eventually, free_port

# Accounts that together, each within its own cap, hold more than the gateway's cap.
ACCOUNTS = MAX_HELD_CALLS_PER_GATEWAY // MAX_WATCHES_PER_ACCOUNT + 1
# How long the held streams are watched for an end after the refusal.
HOLD_SECONDS = 3.0


KEY = "sw_held_calls_test_key"


@pytest.fixture
async def server(tmp_path: Path) -> AsyncIterator[str]:
    """`stepway dev` on SQLite (the cap is the gateway's, whatever the store), as a process;
    its address."""
    address = f"127.0.0.1:{free_port()}"
    args = ["dev", "--db", f"sqlite:///{tmp_path / 's.db'}", "--listen", address]
    proc = await asyncio.create_subprocess_exec(
        *(sys.executable, "-m", "stepway", *args, "--api-key", KEY, "--http", "off"),
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
    )
    try:

        async def serving() -> bool:
            try:
                await (await Client.connect(address, api_key=KEY, timeout=1)).close()
            except Exception:
                return False
            return True

        await eventually(serving, bool, timeout=30, what="stepway dev serving")
        yield address
    finally:
        proc.kill()
        await proc.wait()


async def test_watches_past_the_gateways_cap_are_refused_and_the_held_ones_stay_open(
    server: str,
) -> None:
    client = await Client.connect(server, api_key=KEY)
    try:
        await _hold_past_the_cap(server, client)
    finally:
        await client.close()


async def _hold_past_the_cap(address: str, client: Client) -> None:
    keys = []
    for n in range(ACCOUNTS):
        await client.admin.create_account(f"watcher{n}")
        keys.append((await client.admin.create_key(f"watcher{n}", "admin")).key)

    async with grpc.aio.insecure_channel(address) as channel:
        workflows, workers = fgrpc.WorkflowServiceStub(channel), wgrpc.WorkerServiceStub(channel)
        mds = [(("authorization", f"Bearer {key}"),) for key in keys]
        for md in mds:
            register = wpb.RegisterWorkerRequest(worker_id="w", task_queue="q", workflows=["wf"])
            await workers.RegisterWorker(register, metadata=md)
            # No worker polls the queue: the instance stays queued, its watches open.
            create = fpb.CreateInstanceRequest(workflow="wf", instance_id="i")
            await workflows.CreateInstance(create, metadata=md)
        watch = fpb.WatchHistoryRequest(workflow="wf", instance_id="i")
        held = [
            workflows.WatchHistory(watch, metadata=mds[n // MAX_WATCHES_PER_ACCOUNT])
            for n in range(MAX_HELD_CALLS_PER_GATEWAY)
        ]
        try:
            # Each stream's first message (the instance's creation): every one is open.
            await asyncio.gather(*(stream.read() for stream in held))

            started = time.monotonic()
            refused = workflows.WatchHistory(watch, metadata=mds[-1])
            with pytest.raises(grpc.aio.AioRpcError) as info:
                await refused.read()
            assert time.monotonic() - started < 2.0
            assert info.value.code() is grpc.StatusCode.RESOURCE_EXHAUSTED
            assert HELD in (info.value.details() or "")
            typed = from_rpc_error(info.value)
            assert isinstance(typed, ResourceExhaustedError) and typed.retry_after

            # None of the held streams ends (before the cap, those past ~1,800 were cancelled).
            ended = [s for s in held if s.done()]
            deadline = time.monotonic() + HOLD_SECONDS
            while not ended and time.monotonic() < deadline:
                await asyncio.sleep(0.1)  # watching for an end that must not come
                ended = [s for s in held if s.done()]
            assert not ended, [await s.code() for s in ended[:3]]

            # A call that holds nothing is not refused.
            await workflows.GetInstance(
                fpb.GetInstanceRequest(workflow="wf", instance_id="i"), metadata=mds[-1]
            )
        finally:
            for stream in held:
                stream.cancel()
