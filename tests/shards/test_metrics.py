"""Prometheus metrics: a scrape of /metrics finds the counters moved by exactly the work done."""

from __future__ import annotations

import asyncio
import urllib.request
from collections.abc import AsyncIterator
from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families

from gateway.dev import DevConfig, DevServer, start_dev
from shards.metrics import Metrics
from stepway import (
    Client,
    RetryPolicy,
    Step,
    StepTaskContext,
    StepWorker,
    Worker,
    WorkflowEvent,
    workflow,
)
from stepway.v1 import worker_service_pb2 as wpb
from tests.helpers import eventually

attempts: dict[str, int] = {}


def flaky_once(instance_id: str) -> str:
    attempts[instance_id] = attempts.get(instance_id, 0) + 1
    if attempts[instance_id] == 1:
        raise RuntimeError("first attempt fails")
    return "ok"


@workflow("measured")
async def measured(event: WorkflowEvent, step: Step) -> Any:
    a = await step.do("a", lambda: 1)
    b = await step.do("b", flaky_once, event.instance_id, retries=RetryPolicy(limit=2, delay=0.01))
    if event.params == "fail":
        raise ValueError("asked to fail")
    return [a, b]


@pytest.fixture
async def measured_server(db_url: str) -> AsyncIterator[DevServer]:
    server = await start_dev(DevConfig(db_url=db_url, listen="127.0.0.1:0", metrics="127.0.0.1:0"))
    try:
        yield server
    finally:
        await server.stop()


def scrape(port: int) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of /metrics, by (name, sorted labels)."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as resp:
        text = resp.read().decode()
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


async def test_counters_move_by_exactly_the_work_done(measured_server: DevServer) -> None:
    attempts.clear()
    port = measured_server.metrics_port
    assert port is not None
    before = await asyncio.to_thread(scrape, port)
    assert before[("stepway_partitions_owned", ())] == 1024
    client = await Client.connect(measured_server.address, api_key=measured_server.api_key)
    try:
        async with Worker(client, workflows=[measured]):
            ok = [await client.create("measured", id=f"m{n}", params="ok") for n in range(3)]
            bad = await client.create("measured", id="bad", params="fail")
            for h in ok:
                await h.result(timeout=30)
            with pytest.raises(Exception, match="asked to fail"):
                await bad.result(timeout=30)
        account = (await client.server_info()).account
    finally:
        await client.close()
    after = await eventually(
        lambda: asyncio.to_thread(scrape, port),
        lambda m: _value(m, "stepway_instances_finished_total", status="errored") == 1,
        what="the last instance counted",
    )
    account_id = next(
        dict(labels)["account"]
        for name, labels in after
        if name == "stepway_instances_created_total"
    )
    assert account == "default"

    def moved(name: str, **labels: str) -> float:
        return _value(after, name, **labels) - _value(before, name, **labels)

    common = {"account": account_id, "workflow": "measured"}
    assert moved("stepway_instances_created_total", **common) == 4
    assert moved("stepway_instances_finished_total", **common, status="complete") == 3
    assert moved("stepway_instances_finished_total", **common, status="errored") == 1
    # Four instances, each: step a once, step b failed once then succeeded.
    assert moved("stepway_step_attempts_total", **common, outcome="succeeded") == 8
    assert moved("stepway_step_attempts_total", **common, outcome="failed") == 4
    assert moved("stepway_step_duration_seconds_count", workflow="measured") == 12
    assert _value(after, "stepway_ready_instances", account=account_id, task_queue="default") == 0
    assert _value(after, "stepway_queued_instances", account=account_id) == 0
    assert moved("stepway_db_transaction_seconds_count") > 0
    assert _value(after, "stepway_lease_renewals_total") >= 1  # at least the first heartbeat


def _value(samples: dict[Any, float], name: str, **labels: str) -> float:
    """The sum of a metric's samples whose labels include these (0 when there is none)."""
    total = 0.0
    for (sample, sample_labels), value in samples.items():
        found = dict(sample_labels)
        if sample == name and all(found.get(k) == v for k, v in labels.items()):
            total += value
    return total


def test_each_server_has_its_own_registry() -> None:
    one, two = Metrics(), Metrics()
    one.instances_created.labels("a", "w").inc()
    assert (
        two.registry.get_sample_value(
            "stepway_instances_created_total", {"account": "a", "workflow": "w"}
        )
        is None
    )


async def test_the_backlog_shows_queued_instances_per_workflow_and_their_age(
    measured_server: DevServer,
) -> None:
    port = measured_server.metrics_port
    assert port is not None
    client = await Client.connect(measured_server.address, api_key=measured_server.api_key)
    try:
        await client.call(
            client.workers.RegisterWorker,
            wpb.RegisterWorkerRequest(
                worker_id="idle", task_queue="default", workflows=["measured"]
            ),
        )
        for n in range(5):
            await client.create("measured", id=f"q{n}")
    finally:
        await client.close()
    samples = await eventually(
        lambda: asyncio.to_thread(scrape, port),
        lambda m: _value(m, "stepway_oldest_queued_seconds", workflow="measured") > 0.05,
        what="the oldest queued instance ageing",
    )
    assert _value(samples, "stepway_queued_instances", workflow="measured") == 5
    assert _value(samples, "stepway_ready_instances", task_queue="default") == 5


@workflow("measured_call")
async def measured_call(event: WorkflowEvent, step: Step) -> Any:
    return await step.call(
        "render", task_queue="pdf", step_type="render", retries=RetryPolicy(limit=1, delay=0)
    )


async def test_remote_steps_count_their_attempts_and_show_their_step_task_queue(
    measured_server: DevServer,
) -> None:
    port = measured_server.metrics_port
    assert port is not None
    before = await asyncio.to_thread(scrape, port)
    client = await Client.connect(measured_server.address, api_key=measured_server.api_key)
    tries: list[int] = []

    def render(input: Any, ctx: StepTaskContext) -> str:
        tries.append(ctx.attempt)
        if ctx.attempt == 1:
            raise RuntimeError("first attempt fails")
        return "rendered"

    try:
        async with Worker(client, workflows=[measured_call]):
            handles = [await client.create("measured_call", id=f"c{n}") for n in range(2)]
            # No step worker yet: both calls wait on the step task queue.
            waiting = await eventually(
                lambda: asyncio.to_thread(scrape, port),
                lambda m: _value(m, "stepway_ready_step_tasks", task_queue="pdf") == 2,
                what="two step tasks ready",
            )
            async with StepWorker(client, task_queue="pdf", handlers={"render": render}):
                for h in handles:
                    assert await h.result(timeout=30) == "rendered"
    finally:
        await client.close()
    after = await asyncio.to_thread(scrape, port)
    assert _value(after, "stepway_ready_step_tasks", task_queue="pdf") == 0
    assert sorted(tries) == [1, 1, 2, 2]

    def moved(name: str, **labels: str) -> float:
        return _value(after, name, **labels) - _value(before, name, **labels)

    account_id = next(
        dict(labels)["account"]
        for name, labels in waiting
        if name == "stepway_ready_step_tasks" and dict(labels)["task_queue"] == "pdf"
    )
    common = {"account": account_id, "workflow": "measured_call"}
    assert moved("stepway_step_attempts_total", **common, outcome="failed") == 2
    assert moved("stepway_step_attempts_total", **common, outcome="succeeded") == 2
    assert moved("stepway_instances_finished_total", **common, status="complete") == 2
