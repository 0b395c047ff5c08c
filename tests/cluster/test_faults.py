"""Fault tests: processes are killed on purpose, and no recorded work is lost or repeated."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import grpc
import pytest

from gateway.dev import DevServer
from stepway import Client, InstanceStatus, NotFoundError, Worker
from stepway.v1 import worker_service_pb2 as wpb
from stepway.v1 import worker_service_pb2_grpc as wgrpc
from tests.fault_workflows import executions, fault
from tests.helpers import eventually, free_port

ROOT = Path(__file__).resolve().parents[2]


def _spawn(args: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "stepway", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@pytest.fixture
def procs() -> Iterator[list[subprocess.Popen[bytes]]]:
    """Processes a test starts; any still running at the end are killed."""
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for p in started:
        if p.poll() is None:
            p.kill()
        p.wait(timeout=10)


async def _create_when_registered(client: Client, workflow: str, instance_id: str) -> Any:
    """Creates an instance as soon as a starting worker process has registered its workflow."""

    async def attempt() -> Any:
        try:
            return await client.create(workflow, id=instance_id)
        except NotFoundError:
            return None

    return await eventually(attempt, lambda h: h is not None, timeout=30, what="registration")


class TestKilledWorker:
    @pytest.fixture
    def lease_timeout(self) -> float:
        # Far longer than the test may take: the new worker can only get the instance because
        # the killed worker's dropped connection gave its task back.
        return 120.0

    async def test_killed_worker_is_replaced_without_rerunning_recorded_steps(
        self,
        dev_server: DevServer,
        client: Client,
        tmp_path: Path,
        procs: list[subprocess.Popen[bytes]],
    ) -> None:
        log = str(tmp_path / "steps.log")
        env = {
            "STEPWAY_TEST_LOG": log,
            "STEPWAY_TEST_HANG_IN_B": "1",
            "STEPWAY_ADDRESS": dev_server.address,
            "STEPWAY_API_KEY": dev_server.api_key,
        }
        doomed = _spawn(["worker", "tests.fault_workflows"], env)
        procs.append(doomed)
        handle = await _create_when_registered(client, "fault", "k1")
        await eventually(
            lambda: asyncio.to_thread(executions, log),
            lambda counts: counts.get(("k1", "b"), 0) == 1,
            what="step b started on the first worker",
        )
        doomed.send_signal(signal.SIGKILL)
        doomed.wait(timeout=10)

        os.environ["STEPWAY_TEST_LOG"] = log
        try:
            async with Worker(client, workflows=[fault]):
                assert await handle.result(timeout=60) == ["a-done", "b-done", "c-done"]
        finally:
            del os.environ["STEPWAY_TEST_LOG"]
        counts = executions(log)
        assert counts[("k1", "a")] == 1  # recorded before the kill: never run again
        assert counts[("k1", "b")] == 2  # in flight at the kill: run again, recorded once
        assert counts[("k1", "c")] == 1


class TestExpiredLease:
    @pytest.fixture
    def lease_timeout(self) -> float:
        return 0.3

    async def test_late_worker_writes_are_refused_after_its_lease_expired(
        self, dev_server: DevServer, client: Client
    ) -> None:
        md = (("authorization", f"Bearer {dev_server.api_key}"),)
        async with grpc.aio.insecure_channel(dev_server.address) as channel:
            stub = wgrpc.WorkerServiceStub(channel)
            await stub.RegisterWorker(
                wpb.RegisterWorkerRequest(worker_id="w1", task_queue="default", workflows=["raw"]),
                metadata=md,
            )
            handle = await client.create("raw", id="late")

            async def poll(worker: str) -> wpb.PollWorkflowTasksResponse:
                req = wpb.PollWorkflowTasksRequest(
                    worker_id=worker, task_queue="default", max_tasks=1
                )
                req.wait.FromSeconds(10)
                resp: wpb.PollWorkflowTasksResponse = await stub.PollWorkflowTasks(req, metadata=md)
                return resp

            first = (await poll("w1")).tasks[0]
            # w1 stalls past its lease; the engine's timer takes the task back and w2 gets it.
            second = (await poll("w2")).tasks[0]
            assert second.instance_id == "late" and second.task_token != first.task_token

            late = wpb.CompleteStepRequest(task_token=first.task_token, name="a", seq=1, attempt=1)
            late.result.data = b'"stale"'
            with pytest.raises(grpc.aio.AioRpcError) as refused:
                await stub.CompleteStep(late, metadata=md)
            assert refused.value.code() is grpc.StatusCode.FAILED_PRECONDITION
            assert "lease lost" in (refused.value.details() or "")

            fresh = wpb.CompleteStepRequest(
                task_token=second.task_token, name="a", seq=1, attempt=1
            )
            fresh.result.data = b'"fresh"'
            await stub.CompleteStep(fresh, metadata=md)
            done = wpb.CompleteWorkflowRequest(task_token=second.task_token)
            done.output.data = b'"ok"'
            await stub.CompleteWorkflow(done, metadata=md)
        assert await handle.result(timeout=10) == "ok"


@pytest.fixture
async def dev_process(
    db_url: str, procs: list[subprocess.Popen[bytes]]
) -> AsyncIterator[tuple[str, str, list[str]]]:
    """How to start `stepway dev` as a process: (address, api key, arguments)."""
    address, key = f"127.0.0.1:{free_port()}", "sw_fault_test_key"
    args = ["dev", "--db", db_url, "--listen", address, "--api-key", key, "--lease-timeout", "2"]
    args += ["--http", "off"]  # no console beside it, on a port the test did not choose
    yield address, key, args


async def _start(
    args: list[str], address: str, key: str, procs: list[subprocess.Popen[bytes]]
) -> None:
    procs.append(_spawn(args, {}))

    async def connect() -> bool:
        try:
            client = await Client.connect(address, api_key=key, timeout=1)
        except Exception:
            return False
        await client.close()
        return True

    await eventually(connect, bool, timeout=30, interval=0.1, what="dev server up")


async def test_shard_server_killed_and_restarted_loses_no_instance(
    dev_process: tuple[str, str, list[str]], procs: list[subprocess.Popen[bytes]], tmp_path: Path
) -> None:
    address, key, args = dev_process
    log = str(tmp_path / "steps.log")
    os.environ["STEPWAY_TEST_LOG"] = log
    await _start(args, address, key, procs)
    client = await Client.connect(address, api_key=key)
    try:
        async with Worker(client, workflows=[fault]):
            ids = [f"i{n}" for n in range(20)]
            handles = [
                await client.create("fault", id=i, params={"sleep": 3.0, "step_seconds": 0.05})
                for i in ids
            ]

            async def statuses() -> list[InstanceStatus]:
                return [(await h.status()).status for h in handles]

            # Every instance has recorded step a and sleeps: the kill comes mid-run.
            await eventually(
                statuses,
                lambda s: all(x is InstanceStatus.WAITING for x in s),
                what="every instance sleeping",
            )
            procs[-1].send_signal(signal.SIGKILL)
            procs[-1].wait(timeout=10)
            await _start(args, address, key, procs)
            results = [await h.result(timeout=60) for h in handles]
    finally:
        del os.environ["STEPWAY_TEST_LOG"]
        await client.close()
    assert results == [["a-done", "b-done", "c-done"]] * 20
    counts = executions(log)
    for i in ids:
        assert counts[(i, "a")] == 1, f"recorded step a of {i} ran again"
