"""Polls whose worker cancels them at any moment (workflow and step polls): none keeps a task
once its caller is gone.

A cancellation the gateway hears ends the poll on the shard servers before it parks or while it
is parked; when a shard's answer crossed it, the gateway gives back what that answer held. The
task goes to the next poll at once rather than when its lease runs out. The lease is long here
(30 s), so that a task lost to a gone poll cannot pass for one found.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from typing import cast

import grpc
import pytest
import sqlalchemy as sa

from gateway import polls
from gateway.dev import DevServer
from gateway.forwarding import Context, Forwarder
from gateway.polls import Polls
from shards.accounts import Principal, lookup_key
from stepway.v1 import admin_service_pb2_grpc as agrpc
from stepway.v1 import worker_service_pb2 as wpb
from stepway.v1 import worker_service_pb2_grpc as wgrpc
from stepway.v1 import workflow_service_pb2 as fpb
from stepway.v1 import workflow_service_pb2_grpc as fgrpc
from tests.clusters import Cluster, cluster, start_gateway_of
from tests.raw_stubs import Raw, raw_stubs

__all__ = ["cluster"]  # the fixture

ROUNDS = 150
LEASE_SECONDS = 30.0


@pytest.fixture
def lease_timeout() -> float:
    return LEASE_SECONDS


def poll_of(worker_id: str, wait: float) -> wpb.PollWorkflowTasksRequest:
    poll = wpb.PollWorkflowTasksRequest(worker_id=worker_id, task_queue="q", max_tasks=100)
    poll.wait.FromMilliseconds(max(int(wait * 1000), 1))
    return poll


async def dispatched_again(raw: Raw, instance_id: str, within: float = 5.0) -> None:
    """Worker "w1" polls until it gets the instance's task, for up to within seconds (well
    under the lease); what else it gets it keeps."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while (left := deadline - loop.time()) > 0:
        resp = await raw.workers.PollWorkflowTasks(poll_of("w1", left), metadata=raw.md)
        if instance_id in [t.instance_id for t in resp.tasks]:
            return
    raise AssertionError(f"{instance_id} was not dispatched within {within} s")


async def test_a_poll_cancelled_at_any_moment_before_a_task_is_ready_takes_none(
    dev_server: DevServer,
) -> None:
    async with raw_stubs(dev_server) as raw:
        for i in range(ROUNDS):
            call = raw.workers.PollWorkflowTasks(poll_of("gone", 60), metadata=raw.md)
            await asyncio.sleep((i % 25) * 0.0002)  # the moment of the cancellation
            assert call.cancel()
            await raw.workflows.CreateInstance(
                fpb.CreateInstanceRequest(workflow="raw", instance_id=f"c{i}"), metadata=raw.md
            )
            await dispatched_again(raw, f"c{i}")


async def callers_leave_as_shards_answer(raw: Raw, polls: Polls, principal: Principal) -> None:
    """Sends the gateway's own poll (gateway.polls) for worker "gone" with a task ready, and
    cancels it as gRPC does when the worker's call ends, a little later each round: unlike the
    worker's side of a connection, it tells an answer that came first from one cut off. A task
    the caller did not get goes to worker "w1"."""
    for i in range(ROUNDS):
        await raw.workflows.CreateInstance(
            fpb.CreateInstanceRequest(workflow="raw", instance_id=f"c{i}"), metadata=raw.md
        )
        request = poll_of("gone", 60)
        poll = asyncio.ensure_future(
            polls.poll(principal, "PollWorkflowTasks", request, cast(Context, None))
        )
        await asyncio.sleep((i % 50) * 0.0002)  # the moment the caller leaves
        if not poll.cancel():  # the answer came first: the caller has the task
            assert f"c{i}" in [t.instance_id for t in poll.result()]
            continue
        with contextlib.suppress(asyncio.CancelledError):
            await poll
        # Tasks the caller had taken may come too: it left, so they were given back.
        await dispatched_again(raw, f"c{i}")


async def test_a_poll_whose_caller_leaves_as_its_shard_answers_gives_back_what_it_took(
    dev_server: DevServer,
) -> None:
    router = dev_server.gateway.router
    polls = Polls(router, Forwarder(dev_server.shard.engine.config.cluster_secret, router))
    async with raw_stubs(dev_server) as raw:
        principal = await asyncio.to_thread(principal_of, dev_server.db, dev_server.api_key)
        await callers_leave_as_shards_answer(raw, polls, principal)


async def test_a_fanout_poll_whose_caller_leaves_as_a_shard_answers_gives_back_what_it_took(
    cluster: Cluster,
) -> None:
    for member in ("a", "b"):
        await cluster.add_shard(member, lease_timeout=LEASE_SECONDS)
    await cluster.settled()
    client = await start_gateway_of(cluster)
    await client.close()
    gateway = cluster.gateways[0]
    await gateway.router.refresh()
    assert len(gateway.router.all_shards()) == 2
    polls = Polls(gateway.router, Forwarder(cluster.secret, gateway.router))
    principal = await asyncio.to_thread(principal_of, cluster.db, cluster.key)
    async with grpc.aio.insecure_channel(f"127.0.0.1:{gateway.port}") as channel:
        raw = Raw(
            wgrpc.WorkerServiceStub(channel),
            fgrpc.WorkflowServiceStub(channel),
            agrpc.AdminServiceStub(channel),
            (("authorization", f"Bearer {cluster.key}"),),
        )
        await raw.workers.RegisterWorker(
            wpb.RegisterWorkerRequest(worker_id="w1", task_queue="q", workflows=["raw"]),
            metadata=raw.md,
        )
        try:
            await callers_leave_as_shards_answer(raw, polls, principal)
        finally:
            await polls.close()


def step_poll_of(worker_id: str, wait: float) -> wpb.PollStepTasksRequest:
    poll = wpb.PollStepTasksRequest(worker_id=worker_id, task_queue="steps", max_tasks=100)
    poll.wait.FromMilliseconds(max(int(wait * 1000), 1))
    return poll


async def test_a_step_poll_whose_caller_leaves_as_its_shard_answers_gives_back_what_it_took(
    dev_server: DevServer,
) -> None:
    router = dev_server.gateway.router
    polls = Polls(router, Forwarder(dev_server.shard.engine.config.cluster_secret, router))
    loop = asyncio.get_running_loop()
    async with raw_stubs(dev_server) as raw:
        principal = await asyncio.to_thread(principal_of, dev_server.db, dev_server.api_key)
        for i in range(ROUNDS):
            task = await raw.task(f"s{i}")
            schedule = wpb.ScheduleCallRequest(
                task_token=task.task_token, name="c", seq=1, task_queue="steps", step_type="t"
            )
            schedule.input.data = b"1"
            await raw.workers.ScheduleCall(schedule, metadata=raw.md)
            request = step_poll_of("gone", 60)
            poll = asyncio.ensure_future(
                polls.poll(principal, "PollStepTasks", request, cast(Context, None))
            )
            await asyncio.sleep((i % 50) * 0.0002)  # the moment the caller leaves
            if not poll.cancel():  # the answer came first: the caller has the step task
                assert f"s{i}" in [t.instance_id for t in poll.result()]
                continue
            with contextlib.suppress(asyncio.CancelledError):
                await poll
            deadline = loop.time() + 5.0
            while (left := deadline - loop.time()) > 0:
                resp = await raw.workers.PollStepTasks(step_poll_of("s1", left), metadata=raw.md)
                if f"s{i}" in [t.instance_id for t in resp.tasks]:
                    break
            else:
                raise AssertionError(f"the step task of s{i} was not dispatched within 5 s")


def principal_of(db: sa.Engine, key: str) -> Principal:
    with db.connect() as conn:
        principal = lookup_key(conn, key)
    assert principal is not None
    return principal


async def test_a_background_call_after_a_poll_that_fails_is_logged_in_one_line_never_unretrieved(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """What a poll's end leaves for the background (end it on the shards, give back, say the
    worker is gone) may find the gateway's channels closed as the server stops, or a shard
    away: each failure is one log line (debug for a closed channel), never an exception nobody
    retrieved, which asyncio prints with its traceback."""

    async def closed() -> None:
        raise grpc.aio.UsageError("Channel is closed.")

    async def refused() -> None:
        raise RuntimeError("the shard is away")

    with caplog.at_level(logging.DEBUG):
        polls._in_background(closed())
        polls._in_background(refused())
        await asyncio.wait(list(polls._background))  # waits, and retrieves nothing
        await asyncio.sleep(0)  # the done callbacks run
        gc.collect()
    messages = [r.getMessage() for r in caplog.records]
    assert not [m for m in messages if "never retrieved" in m], messages
    assert any("the gateway is stopping" in m for m in messages), messages
    assert any("the shard is away" in m for m in messages), messages
