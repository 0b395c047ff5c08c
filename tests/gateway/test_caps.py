"""Per-account caps (shards.caps): open watch streams, open long polls and registered workflows.
A call past a cap is refused at once with RESOURCE_EXHAUSTED and RetryInfo, naming the cap, and
another account is not touched by it."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass

import grpc
import pytest
import sqlalchemy as sa

from gateway.dev import DevServer
from shards import schema
from shards.caps import (
    MAX_POLLS_PER_ACCOUNT,
    MAX_WATCHES_PER_ACCOUNT,
    MAX_WORKFLOWS_PER_ACCOUNT,
    POLLS,
    WATCHES,
)
from stepway import Client
from stepway.errors import ResourceExhaustedError, from_rpc_error
from stepway.v1 import worker_service_pb2 as wpb
from stepway.v1 import worker_service_pb2_grpc as wgrpc
from stepway.v1 import workflow_service_pb2 as fpb
from stepway.v1 import workflow_service_pb2_grpc as fgrpc
from tests.helpers import eventually

# A refusal by a cap is answered before any work: well under this, even on a loaded machine.
AT_ONCE_SECONDS = 2.0


@dataclass
class Tenant:
    """An account of its own, with raw stubs on its client key and its worker key."""

    id: str
    channel: grpc.aio.Channel
    workflows: fgrpc.WorkflowServiceStub
    workers: wgrpc.WorkerServiceStub
    client_md: tuple[tuple[str, str], ...]
    worker_md: tuple[tuple[str, str], ...]


@pytest.fixture
async def tenant(dev_server: DevServer, client: Client) -> AsyncIterator[Tenant]:
    await client.admin.create_account("capped")
    keys = {r: (await client.admin.create_key("capped", r)).key for r in ("client", "worker")}
    with dev_server.db.connect() as conn:
        A = schema.accounts
        account_id = conn.execute(sa.select(A.c.id).where(A.c.name == "capped")).scalar_one()
    async with grpc.aio.insecure_channel(dev_server.address) as channel:
        yield Tenant(
            str(account_id),
            channel,
            fgrpc.WorkflowServiceStub(channel),
            wgrpc.WorkerServiceStub(channel),
            (("authorization", f"Bearer {keys['client']}"),),
            (("authorization", f"Bearer {keys['worker']}"),),
        )


def _refusal(err: grpc.aio.AioRpcError, cap: str) -> None:
    assert err.code() is grpc.StatusCode.RESOURCE_EXHAUSTED, err
    assert cap in (err.details() or "")
    typed = from_rpc_error(err)
    assert isinstance(typed, ResourceExhaustedError)
    assert typed.retry_after is not None and typed.retry_after > 0


async def test_a_watch_past_the_accounts_cap_is_refused_at_once_not_cancelled_later(
    dev_server: DevServer, client: Client, tenant: Tenant
) -> None:
    register = wpb.RegisterWorkerRequest(worker_id="w", task_queue="q", workflows=["wf"])
    await tenant.workers.RegisterWorker(register, metadata=tenant.worker_md)
    # No worker polls the queue: the instance stays queued and its watches stay open.
    create = fpb.CreateInstanceRequest(workflow="wf", instance_id="i")
    await tenant.workflows.CreateInstance(create, metadata=tenant.client_md)
    watch = fpb.WatchHistoryRequest(workflow="wf", instance_id="i")
    streams = [
        tenant.workflows.WatchHistory(watch, metadata=tenant.client_md)
        for _ in range(MAX_WATCHES_PER_ACCOUNT)
    ]
    try:
        for stream in streams:
            await stream.read()  # the instance's first event: the stream is open
        assert dev_server.gateway.open_calls.open(tenant.id, WATCHES) == MAX_WATCHES_PER_ACCOUNT

        started = time.monotonic()
        refused = tenant.workflows.WatchHistory(watch, metadata=tenant.client_md)
        with pytest.raises(grpc.aio.AioRpcError) as info:
            await refused.read()
        assert time.monotonic() - started < AT_ONCE_SECONDS
        _refusal(info.value, "max_watch_streams")

        # Another account's watches are not counted against this one.
        async with grpc.aio.insecure_channel(dev_server.address) as channel:
            md = (("authorization", f"Bearer {dev_server.api_key}"),)
            other_register = wpb.RegisterWorkerRequest(
                worker_id="w", task_queue="q", workflows=["other"]
            )
            await wgrpc.WorkerServiceStub(channel).RegisterWorker(other_register, metadata=md)
            await client.create("other", id="o")
            other = fgrpc.WorkflowServiceStub(channel).WatchHistory(
                fpb.WatchHistoryRequest(workflow="other", instance_id="o"), metadata=md
            )
            assert (await other.read()).event.seq == 1
            other.cancel()

        # A stream that ends gives its place back.
        streams.pop().cancel()
        await eventually(
            lambda: asyncio.sleep(0, dev_server.gateway.open_calls.open(tenant.id, WATCHES)),
            lambda n: n < MAX_WATCHES_PER_ACCOUNT,
            what="the cancelled watch to be counted out",
        )
        again = tenant.workflows.WatchHistory(watch, metadata=tenant.client_md)
        assert (await again.read()).event.seq == 1
        streams.append(again)
    finally:
        for stream in streams:
            stream.cancel()


async def test_long_polls_past_the_accounts_cap_are_refused_at_once_whatever_their_kind(
    dev_server: DevServer, tenant: Tenant
) -> None:
    poll = wpb.PollWorkflowTasksRequest(worker_id="w", task_queue="empty", max_tasks=1)
    poll.wait.FromSeconds(60)
    polls = [
        tenant.workers.PollWorkflowTasks(poll, metadata=tenant.worker_md)
        for _ in range(MAX_POLLS_PER_ACCOUNT)
    ]
    try:
        await eventually(
            lambda: asyncio.sleep(0, dev_server.gateway.open_calls.open(tenant.id, POLLS)),
            lambda n: n == MAX_POLLS_PER_ACCOUNT,
            what="every poll to be open",
        )
        step_poll = wpb.PollStepTasksRequest(worker_id="w", task_queue="empty", max_tasks=1)
        step_poll.wait.FromSeconds(60)
        wait = fpb.WaitInstanceRequest(workflow="wf", instance_id="i")
        wait.timeout.FromSeconds(60)
        for call in (
            tenant.workers.PollWorkflowTasks(poll, metadata=tenant.worker_md),
            tenant.workers.PollStepTasks(step_poll, metadata=tenant.worker_md),
            tenant.workflows.WaitInstance(wait, metadata=tenant.client_md),
        ):
            started = time.monotonic()
            with pytest.raises(grpc.aio.AioRpcError) as info:
                await call
            assert time.monotonic() - started < AT_ONCE_SECONDS
            _refusal(info.value, "max_open_polls")
    finally:
        for call in polls:
            call.cancel()
    await eventually(
        lambda: asyncio.sleep(0, dev_server.gateway.open_calls.open(tenant.id, POLLS)),
        lambda n: n == 0,
        what="the cancelled polls to be counted out",
    )
    poll.wait.FromMilliseconds(10)
    resp = await tenant.workers.PollWorkflowTasks(poll, metadata=tenant.worker_md)
    assert list(resp.tasks) == []


async def test_registering_past_the_accounts_workflow_cap_is_refused_and_registers_nothing(
    dev_server: DevServer, tenant: Tenant
) -> None:
    per_call = 1000
    for first in range(0, MAX_WORKFLOWS_PER_ACCOUNT, per_call):
        names = [f"wf-{n}" for n in range(first, first + per_call)]
        await tenant.workers.RegisterWorker(
            wpb.RegisterWorkerRequest(worker_id="w", task_queue="q", workflows=names),
            metadata=tenant.worker_md,
        )
    # Registering again what is registered adds nothing, so it passes.
    again = wpb.RegisterWorkerRequest(worker_id="w", task_queue="q2", workflows=["wf-0", "wf-1"])
    await tenant.workers.RegisterWorker(again, metadata=tenant.worker_md)

    past = wpb.RegisterWorkerRequest(worker_id="w", task_queue="q", workflows=["wf-0", "new"])
    with pytest.raises(grpc.aio.AioRpcError) as info:
        await tenant.workers.RegisterWorker(past, metadata=tenant.worker_md)
    _refusal(info.value, "max_workflows")
    with dev_server.db.connect() as conn:
        W = schema.workflows
        stored = set(conn.execute(sa.select(W.c.name).where(W.c.account_id == tenant.id)).scalars())
    assert len(stored) == MAX_WORKFLOWS_PER_ACCOUNT
    assert "new" not in stored
