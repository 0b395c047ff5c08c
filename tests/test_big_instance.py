"""An instance's recorded state is bounded by its account's quota."""

from __future__ import annotations

from collections.abc import AsyncIterator

import grpc
import pytest

from gateway.dev import DevConfig, DevServer, start_dev
from shards import machine
from shards.machine import Instance, Status, Step, StepKind, StepState, Transition
from stepway import Client, InstanceStatus
from stepway.v1 import worker_service_pb2 as wpb
from stepway.v1 import worker_service_pb2_grpc as wgrpc

MiB = 1024 * 1024
STATE_QUOTA = 24 * MiB


@pytest.fixture
async def server(db_url: str) -> AsyncIterator[DevServer]:
    """A dev server."""
    config = DevConfig(db_url=db_url, listen="127.0.0.1:0")
    dev = await start_dev(config)
    try:
        yield dev
    finally:
        await dev.stop()


@pytest.fixture
def state_quota() -> int:
    """The account's max_instance_state_bytes; a test parametrizes it to change it."""
    return STATE_QUOTA


@pytest.fixture
async def client(server: DevServer, state_quota: int) -> AsyncIterator[Client]:
    """A client of the server, whose account's state quota is set before any instance."""
    c = await Client.connect(server.address, api_key=server.api_key)
    try:
        await c.admin.set_quotas("default", max_instance_state_bytes=state_quota)
        yield c
    finally:
        await c.close()


@pytest.mark.parametrize("state_quota", [MiB])
async def test_a_buffered_event_past_the_state_quota_errors_the_instance(
    server: DevServer, client: Client
) -> None:
    md = (("authorization", f"Bearer {server.api_key}"),)
    async with grpc.aio.insecure_channel(server.address) as channel:
        stub = wgrpc.WorkerServiceStub(channel)
        await stub.RegisterWorker(
            wpb.RegisterWorkerRequest(worker_id="w1", task_queue="q", workflows=["raw"]),
            metadata=md,
        )
    handle = await client.create("raw", id="ev")
    payload = "e" * 600_000
    assert await handle.send_event("e", payload) is False  # buffered: nothing waits for it
    assert (await handle.status()).status == InstanceStatus.QUEUED
    assert await handle.send_event("e", payload) is False  # 1.2 MB would pass 1 MiB
    info = await handle.status()
    assert info.status == InstanceStatus.ERRORED
    assert info.error is not None and info.error.type == "StateLimitExceeded"
    assert "max_instance_state_bytes" in info.error.message
    assert "1,048,576" in info.error.message


def _instance(state_bytes: int) -> Instance:
    return Instance(
        partition=0,
        uid="u",
        account_id="a",
        workflow="w",
        instance_id="i",
        task_queue="q",
        status=Status.RUNNING,
        created_at=0,
        lease_token=7,
        state_bytes=state_bytes,
    )


def test_the_write_past_the_state_quota_is_not_recorded_and_names_the_quota() -> None:
    inst = _instance(900)
    step = Step("s", 1, StepKind.DO, StepState.SUCCEEDED, 0, 1, result=b"r" * 100)
    fits = machine.count_state(inst, Transition(inst, steps=[step]), 100, 1000, 5)
    assert fits.instance.state_bytes == 1000 and fits.steps == [step]
    over = machine.count_state(inst, Transition(inst, steps=[step]), 101, 1000, 5)
    assert over.steps == [] and over.task_ended and over.finished
    assert over.instance.status is Status.ERRORED and over.instance.state_bytes == 900
    assert over.instance.error_type == "StateLimitExceeded"
    assert "max_instance_state_bytes" in (over.instance.error_message or "")
    assert "1,000" in (over.instance.error_message or "")
    freed = machine.count_state(inst, Transition(inst), -400, 0, 5)
    assert freed.instance.state_bytes == 500


def test_a_replaced_entry_counts_only_the_difference() -> None:
    failed = Step("s", 1, StepKind.DO, StepState.PENDING, 0, 1, error_type="E", error_message="é")
    done = Step("s", 1, StepKind.DO, StepState.SUCCEEDED, 0, 2, result=b"12345")
    assert machine.step_bytes(failed) == 3
    assert machine.journal_growth([done], [failed]) == 2
    assert machine.journal_growth([done], [None]) == 5
