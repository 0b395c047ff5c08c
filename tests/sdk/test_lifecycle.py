"""An instance's lifecycle once finished, through the SDK, the CLI and a real dev server on SQLite
and PostgreSQL: retention by outcome (the workflow's, set at registration, and a create's own),
the purge at each instance's expiry, and bulk deletes."""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from gateway.dev import DevServer
from stepway import (
    Client,
    Deleted,
    FailedPreconditionError,
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
from tests.sdk.test_cli import Cli, command_env
from tests.sdk.test_cli_conventions import on_terminal

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


# ---------------------------------------------------------------------- bulk delete


async def test_delete_by_ids_answers_each_instance_on_its_own(
    client: Client, worker: Worker
) -> None:
    await finished(client, "plain", "done-1")
    await finished(client, "outcome", "failed-1", params={"fail": True})
    await client.create("plain", id="queued-1", task_queue="nobody-polls")
    results = await client.delete_instances(
        [
            ("plain", "done-1"),
            ("plain", "queued-1"),
            ("plain", "missing"),
            ("outcome", "failed-1"),
            ("plain", "bad id!"),
            ("plain", "done-1"),
        ]
    )
    assert [r.ok for r in results] == [True, False, False, True, False, False]
    assert isinstance(results[1].error, FailedPreconditionError)
    assert isinstance(results[2].error, NotFoundError)
    assert isinstance(results[4].error, InvalidArgumentError)
    assert "instances[4].instance_id" in str(results[4].error)
    assert isinstance(results[5].error, NotFoundError)  # deleted by the first item
    with pytest.raises(NotFoundError):
        await client.status("plain", "done-1")
    assert (await client.status("plain", "queued-1")).status is InstanceStatus.QUEUED


async def test_delete_where_deletes_only_matching_finished_instances_until_none_remain(
    client: Client, worker: Worker
) -> None:
    for n in range(5):
        await finished(client, "outcome", f"bad-{n}", params={"fail": True})
    await finished(client, "outcome", "good", params={})
    await finished(client, "plain", "other-bad")  # another workflow
    cutoff = datetime.now(UTC)
    await finished(client, "outcome", "bad-later", params={"fail": True})
    await client.create("outcome", id="unfinished", task_queue="nobody-polls")

    counts = []
    while True:
        step = await client.delete_where(
            "outcome", status="errored", created_before=cutoff, limit=2
        )
        counts.append(step.count)
        if not step.more:
            break
    assert sum(counts) == 5 and max(counts) <= 2
    left = {i.id async for i in client.list()}
    assert left == {"good", "other-bad", "bad-later", "unfinished"}
    # No statuses given: every final status, never an unfinished instance.
    assert await client.delete_where("outcome") == Deleted(2, False)
    assert {i.id async for i in client.list()} == {"other-bad", "unfinished"}


async def test_delete_where_refuses_bad_filters_naming_the_field(client: Client) -> None:
    with pytest.raises(InvalidArgumentError, match=r"filter\.statuses\[0\]"):
        await client.delete_where(status="running")
    with pytest.raises(InvalidArgumentError, match="limit"):
        await client.delete_where(limit=1001)
    with pytest.raises(InvalidArgumentError, match="instances"):
        await client.delete_instances([])


# ---------------------------------------------------------------------- the CLI


@pytest.fixture(scope="module")
def cli_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return command_env(tmp_path_factory.mktemp("pycache"))


@pytest.fixture
def cli(cli_env: dict[str, str], dev_server: DevServer) -> Cli:
    return Cli(cli_env, dev_server)


async def test_cli_deletes_by_filter_with_the_count_on_stderr_and_a_final_count(
    client: Client, worker: Worker, cli: Cli
) -> None:
    for n in range(3):
        await finished(client, "outcome", f"bad-{n}", params={"fail": True})
    await finished(client, "outcome", "good", params={})
    ran = await cli("instances", "delete", "--status", "errored", "--before", "1h")
    assert (ran.code, ran.out, ran.err) == (0, "deleted 0 instance(s)\n", "deleting: 0 so far\n")
    ran = await cli(
        "instances", "delete", "--status", "errored", "--workflow", "outcome", "--output", "json"
    )
    assert ran.code == 0 and json.loads(ran.out) == {"deleted": 3}, ran
    assert ran.err == "deleting: 3 so far\n"
    assert {i.id async for i in client.list()} == {"good"}
    code, out, drawn = await on_terminal(cli, "instances", "delete", "--status", "complete")
    assert (code, out) == (0, "deleted 1 instance(s)\n") and "deleting: 1 so far" in drawn


async def test_cli_deletes_by_ids_naming_each_refusal(
    client: Client, worker: Worker, cli: Cli
) -> None:
    for id in ("a", "b", "c"):
        await finished(client, "plain", id)
    await client.create("plain", id="open", task_queue="nobody-polls")
    one = await cli("instances", "delete", "plain", "a")
    assert (one.code, one.out) == (0, "instance a of workflow plain: deleted\n"), one
    many = await cli("instances", "delete", "plain", "b", "open", "c")
    assert many.code == 1
    assert many.out.startswith("deleted 2 of 3 instance(s) of workflow plain\n  open: ")
    assert many.err == "error: 1 instance(s) not deleted\n"
    assert {i.id async for i in client.list()} == {"open"}


async def test_cli_delete_names_bad_input(client: Client, cli: Cli) -> None:
    both = await cli("instances", "delete", "plain", "a", "--status", "errored")
    assert both.code == 1 and "or filters" in both.err, both
    bare = await cli("instances", "delete")
    assert bare.code != 0 and "WORKFLOW ID" in bare.err, bare
    running = await cli("instances", "delete", "--status", "running")
    assert running.code == 2 and "invalid choice: 'running'" in running.err, running
