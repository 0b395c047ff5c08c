"""An instance's lifecycle once finished, through the SDK and a real dev server on SQLite and
PostgreSQL: retention by outcome (the workflow's, set at registration, and a create's own),
the purge at each instance's expiry, and bulk deletes."""

from __future__ import annotations

import contextlib
import time
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest

from gateway.dev import DevServer
from stepway import (
    Client,
    InstanceInfo,
    InstanceStatus,
    InvalidArgumentError,
    NotFoundError,
    Step,
    Worker,
    WorkflowEvent,
    WorkflowFailedError,
    workflow,
)
from stepway.v1 import worker_service_pb2 as wpb

DAY = 86_400


@workflow("outcome", success_retention=2 * DAY, error_retention=timedelta(days=5))
async def outcome(event: WorkflowEvent, step: Step) -> Any:
    if event.params.get("fail"):
        raise ValueError("asked to fail")
    return await step.do("work", lambda: "done")


@workflow("plain")
async def plain(event: WorkflowEvent, step: Step) -> Any:
    return await step.do("work", lambda: "done")


@pytest.fixture
async def worker(client: Client) -> AsyncIterator[Worker]:
    async with Worker(client, workflows=[outcome, plain]) as w:
        yield w


async def finished(client: Client, workflow: str, id: str, **create: Any) -> InstanceInfo:
    handle = await client.create(workflow, id=id, **create)
    with contextlib.suppress(WorkflowFailedError):
        await handle.result(timeout=30)
    info = await handle.status()
    assert info.status in (InstanceStatus.COMPLETE, InstanceStatus.ERRORED)
    return info


def kept_for(info: InstanceInfo) -> float:
    assert info.expires_at is not None and info.ended_at is not None
    return (info.expires_at - info.ended_at).total_seconds()


def days_from_now(days: float) -> int:
    return int((time.time() + days * DAY) * 1_000_000)


async def test_a_completed_and_an_errored_instance_get_their_workflows_two_retentions(
    client: Client, worker: Worker, dev_server: DevServer
) -> None:
    ok = await finished(client, "outcome", "ok", params={})
    bad = await finished(client, "outcome", "bad", params={"fail": True})
    assert ok.status is InstanceStatus.COMPLETE and bad.status is InstanceStatus.ERRORED
    assert kept_for(ok) == pytest.approx(2 * DAY, abs=1e-3)
    assert kept_for(bad) == pytest.approx(5 * DAY, abs=1e-3)
    assert ok.retention == timedelta(days=2) and bad.retention == timedelta(days=5)

    # The purge removes each at its own time.
    engine = dev_server.shard.engine
    assert await engine.purge_expired(now=days_from_now(1)) == 0
    assert await engine.purge_expired(now=days_from_now(3)) == 1
    with pytest.raises(NotFoundError):
        await client.status("outcome", "ok")
    assert (await client.status("outcome", "bad")).status is InstanceStatus.ERRORED
    assert await engine.purge_expired(now=days_from_now(6)) == 1
    with pytest.raises(NotFoundError):
        await client.status("outcome", "bad")


async def test_a_terminated_instance_is_kept_for_the_error_retention(
    client: Client, worker: Worker
) -> None:
    handle = await client.create("outcome", id="stopped", params={}, task_queue="nobody-polls")
    await handle.terminate()
    info = await handle.status()
    assert info.status is InstanceStatus.TERMINATED
    assert kept_for(info) == pytest.approx(5 * DAY, abs=1e-3)


async def test_a_creates_retentions_override_the_workflows(client: Client, worker: Worker) -> None:
    # The create's retention sets both outcomes; its per-outcome retentions override it.
    both = await finished(client, "outcome", "both", params={"fail": True}, retention=DAY)
    assert kept_for(both) == pytest.approx(DAY, abs=1e-3)
    ok = await finished(
        client, "outcome", "ok", params={}, retention=DAY, success_retention=3 * DAY
    )
    assert kept_for(ok) == pytest.approx(3 * DAY, abs=1e-3)
    bad = await finished(client, "outcome", "bad", params={"fail": True}, error_retention=7)
    assert kept_for(bad) == pytest.approx(7, abs=1e-3)
    # Only the other outcome's retention given: this outcome keeps the workflow's.
    other = await finished(client, "outcome", "other", params={}, error_retention=7)
    assert kept_for(other) == pytest.approx(2 * DAY, abs=1e-3)
    [item] = await client.create_batch(
        "outcome", [{"id": "batched", "params": {}, "success_retention": 9}]
    )
    assert item.ok and item.handle is not None
    await item.handle.result(timeout=30)
    assert kept_for(await item.handle.status()) == pytest.approx(9, abs=1e-3)


async def test_a_workflow_without_retentions_keeps_the_accounts(
    client: Client, worker: Worker
) -> None:
    info = await finished(client, "plain", "p")
    assert kept_for(info) == pytest.approx(30 * DAY, abs=1e-3)


async def test_the_latest_registration_sets_a_workflows_retentions(
    client: Client, worker: Worker
) -> None:
    request = wpb.RegisterWorkerRequest(worker_id="w2", task_queue="default", workflows=["outcome"])
    await client.call(client.workers.RegisterWorker, request)
    info = await finished(client, "outcome", "after", params={})
    assert kept_for(info) == pytest.approx(30 * DAY, abs=1e-3)


async def test_bad_retentions_are_refused_naming_the_field(client: Client, worker: Worker) -> None:
    with pytest.raises(InvalidArgumentError, match="error_retention"):
        await client.create("outcome", id="x", error_retention=0.5)
    [item] = await client.create_batch("outcome", [{"id": "y", "success_retention": 0.5}])
    assert isinstance(item.error, InvalidArgumentError)
    assert "instances[0].success_retention" in str(item.error)
    request = wpb.RegisterWorkerRequest(
        worker_id="w3",
        task_queue="default",
        workflows=["plain"],
        workflow_options=[wpb.WorkflowOptions(workflow="outcome")],
    )
    with pytest.raises(InvalidArgumentError, match=r"workflow_options\[0\].workflow"):
        await client.call(client.workers.RegisterWorker, request)
    options = wpb.WorkflowOptions(workflow="plain")
    options.success_retention.FromSeconds(4000 * DAY)
    request = wpb.RegisterWorkerRequest(
        worker_id="w3", task_queue="default", workflows=["plain"], workflow_options=[options]
    )
    with pytest.raises(InvalidArgumentError, match=r"workflow_options\[0\].success_retention"):
        await client.call(client.workers.RegisterWorker, request)
