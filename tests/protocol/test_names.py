"""Names are matched whole: a name with a final newline (which `$` alone lets through) is
refused, so `dup` and `dup\\n` can never be two instances, accounts or workflows."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.dev import DevServer
from shards import accounts, validation
from shards.db import run_tx
from shards.errors import InvalidArgument
from stepway import Client, InvalidArgumentError, Step, Worker, WorkflowEvent, workflow
from stepway.v1 import worker_service_pb2 as wpb


@workflow("named")
async def named_wf(event: WorkflowEvent, step: Step) -> Any:
    return None


async def test_dup_and_dup_newline_are_not_two_instances(client: Client) -> None:
    async with Worker(client, workflows=[named_wf]):
        pass
    assert (await client.create("named", id="dup")).created
    with pytest.raises(InvalidArgumentError, match="must match") as err:
        await client.create("named", id="dup\n")
    assert err.value.field == "instance_id"
    with pytest.raises(InvalidArgumentError):
        await client.status("named", "dup\n")
    assert [i.id async for i in client.list("named")] == ["dup"]


async def test_a_workflow_name_or_task_queue_with_a_final_newline_is_refused(
    client: Client,
) -> None:
    for task_queue, name, field in (("q", "wf\n", "workflows"), ("q\n", "wf", "task_queue")):
        request = wpb.RegisterWorkerRequest(worker_id="w", task_queue=task_queue, workflows=[name])
        with pytest.raises(InvalidArgumentError) as err:
            await client.call(client.workers.RegisterWorker, request)
        assert err.value.field == field
    assert await client.list_workflows() == []


async def test_an_account_named_lookalike_newline_is_refused(
    dev_server: DevServer, client: Client
) -> None:
    with pytest.raises(InvalidArgumentError, match="must match") as err:
        await client.admin.create_account("lookalike\n")
    assert err.value.field == "name"
    # `stepway keys create --db` creates accounts straight in the database: refused there too.
    with pytest.raises(InvalidArgument):
        run_tx(dev_server.db, lambda conn: accounts.ensure_account(conn, "lookalike\n"))
    assert [a.name for a in await client.admin.list_accounts()] == ["default"]


def test_every_pattern_is_matched_whole() -> None:
    for check, good in (
        (validation.check_id, "dup"),
        (validation.check_event_type, "order.paid"),
    ):
        assert check("f", good) == good
        for bad in (good + "\n", good + "\n\n", "\n" + good):
            with pytest.raises(InvalidArgument):
                check("f", bad)
    parent = "00-" + "a" * 32 + "-" + "b" * 16 + "-01"
    assert validation.check_traceparent(parent) == parent
    with pytest.raises(InvalidArgument):
        validation.check_traceparent(parent + "\n")
