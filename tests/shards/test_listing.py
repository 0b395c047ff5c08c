"""Batch creation, listings, history and its live stream, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import grpc
import pytest

from stepway import (
    Client,
    InstanceStatus,
    InvalidArgumentError,
    NewInstance,
    NotFoundError,
    RetryPolicy,
    Step,
    Worker,
    WorkflowEvent,
    workflow,
)
from stepway.v1 import worker_service_pb2 as wpb
from stepway.v1 import workflow_service_pb2 as fpb
from tests.helpers import eventually

attempts: Counter[str] = Counter()


@pytest.fixture(autouse=True)
def _reset() -> None:
    attempts.clear()


def flaky(name: str) -> str:
    attempts[name] += 1
    if attempts[name] == 1:
        raise ConnectionError(f"{name}: service down")
    return name


@workflow("story")
async def story(event: WorkflowEvent, step: Step) -> Any:
    first = await step.do("fetch", flaky, "fetch", retries=RetryPolicy(limit=2, delay=0.01))
    # Long enough to be ahead when recorded, even on a loaded machine (a sleep whose time has
    # passed is recorded as woken at once, without "sleeping").
    await step.sleep("rest", 0.3)
    got = await step.wait_for_event("go", type="go", timeout=600)
    return {"first": first, "by": got.payload}


async def register(client: Client, *names: str) -> None:
    """Registers workflows on the default task queue without running them."""
    await client.call(
        client.workers.RegisterWorker,
        wpb.RegisterWorkerRequest(worker_id="registrar", task_queue="default", workflows=names),
    )


# ---------------------------------------------------------------------- create and batches


async def test_creating_an_existing_id_returns_it_unchanged(client: Client) -> None:
    await register(client, "orders")
    first = await client.create("orders", id="o-1", params={"n": 1})
    again = await client.create("orders", id="o-1", params={"n": 2})
    assert first.created and not again.created
    assert (await again.status()).params == {"n": 1}
    generated = await client.create("orders")
    assert generated.created and len(generated.id) == 32


async def test_a_batch_answers_each_item_on_its_own(client: Client) -> None:
    await register(client, "orders")
    await client.create("orders", id="exists", params={"old": True})
    results = await client.create_batch(
        "orders",
        [
            NewInstance(id="b-1", params={"n": 1}),
            {"id": "exists", "params": {"old": False}},
            NewInstance(id="bad id!"),
            NewInstance(id="b-1", params={"n": "again"}),
            NewInstance(id="b-2", workflow="unknown"),
            NewInstance(params={"generated": True}),
            NewInstance(id="b-3", retention=timedelta(hours=1)),
            NewInstance(id="b-4", retention=0.5),
        ],
    )
    outcomes = [(r.id, r.created, type(r.error).__name__ if r.error else None) for r in results]
    assert outcomes[:5] == [
        ("b-1", True, None),
        ("exists", False, None),
        ("bad id!", False, "InvalidFieldError"),
        ("b-1", False, None),  # the same id twice in one batch: the second finds the first
        ("b-2", False, "WorkflowNotRegisteredError"),
    ]
    assert results[5].created and results[5].id and len(results[5].id) == 32
    assert results[6].created
    assert isinstance(results[2].error, InvalidArgumentError)
    assert results[2].error.field == "instances[2].instance_id"
    assert "not registered" in str(results[4].error)
    assert isinstance(results[7].error, InvalidArgumentError)
    assert results[7].error.field == "instances[7].retention"
    assert (await client.status("orders", "b-1")).params == {"n": 1}
    assert (await client.status("orders", "exists")).params == {"old": True}
    b3 = await client.status("orders", "b-3")
    assert b3.retention == timedelta(hours=1)
    with pytest.raises(NotFoundError):
        await client.status("orders", "b-4")


async def test_a_batch_over_a_thousand_or_empty_is_refused_whole(client: Client) -> None:
    await register(client, "orders")
    with pytest.raises(InvalidArgumentError, match="1001 instances; the limit is 1000") as err:
        await client.create_batch("orders", [NewInstance(id=f"x{n}") for n in range(1001)])
    assert err.value.field == "instances"
    with pytest.raises(InvalidArgumentError, match="at least one"):
        await client.create_batch("orders", [])
    assert [i async for i in client.list("orders")] == []


async def test_ten_thousand_instances_land_in_batches_and_list_pages_through_them_once(
    client: Client,
) -> None:
    await register(client, "bulk", "other")
    ids = [f"bulk-{n:05d}" for n in range(10_000)]
    for start in range(0, len(ids), 1000):
        chunk = [
            NewInstance(id=i, params={"n": n}) for n, i in enumerate(ids[start : start + 1000])
        ]
        results = await client.create_batch("bulk", chunk)
        assert all(r.created for r in results)
    await client.create("other", id="not-bulk")

    seen: list[str] = []
    token: str | None = None
    pages = 0
    while True:
        page = await client.list_page("bulk", page_size=700, page_token=token)
        seen.extend(i.id for i in page.instances)
        pages += 1
        if page.next_page_token is None:
            break
        token = page.next_page_token
    assert pages == 15  # 14 full pages of 700 and one of 200
    assert len(seen) == len(set(seen)) == 10_000
    assert set(seen) == set(ids)
    assert all(i.workflow == "bulk" for i in page.instances)

    # Newest first; a batch shares one creation time, so the order within it is by uid.
    listed = [i async for i in client.list(page_size=1000)]
    assert len(listed) == 10_001
    assert listed[0].id == "not-bulk"
    times = [i.created_at for i in listed]
    assert times == sorted(times, reverse=True)  # type: ignore[type-var]


async def test_list_filters_by_status_and_creation_time(client: Client) -> None:
    await register(client, "orders")
    old = await client.create("orders", id="old")
    await old.pause()
    boundary = (await old.status()).created_at
    assert boundary is not None
    after = boundary + timedelta(microseconds=1)
    newer = await client.create("orders", id="new")  # a round trip later: a later microsecond
    created = (await newer.status()).created_at
    assert created is not None and created > boundary

    def ids(items: list[Any]) -> list[str]:
        return [i.id for i in items]

    assert ids([i async for i in client.list(status="paused")]) == ["old"]
    assert ids([i async for i in client.list(status=["queued", InstanceStatus.PAUSED])]) == [
        "new",
        "old",
    ]
    assert ids([i async for i in client.list(created_after=after)]) == ["new"]
    assert ids([i async for i in client.list(created_before=after)]) == ["old"]
    assert ids([i async for i in client.list(status="complete")]) == []
    listed = (await client.list_page("orders")).instances
    assert [i.params for i in listed] == [None, None]  # listings leave params out


async def test_list_refuses_bad_arguments_with_the_field_named(client: Client) -> None:
    with pytest.raises(InvalidArgumentError, match="page_size: is 1001; the limit is 1000"):
        await client.list_page(page_size=1001)
    with pytest.raises(InvalidArgumentError) as err:
        await client.list_page(page_token="not-a-token")
    assert err.value.field == "page_token"
    with pytest.raises(InvalidArgumentError, match="workflow"):
        await client.list_page("bad name!")
    with pytest.raises(ValueError, match="unknown status"):
        await client.list_page(status="sleeping")
    with pytest.raises(ValueError, match="aware datetime"):
        await client.list_page(created_after=datetime(2026, 1, 1))


async def test_list_workflows_counts_instances_by_status(client: Client) -> None:
    await register(client, "orders", "refunds")
    for n in range(3):
        await client.create("orders", id=f"o{n}")
    await client.pause("orders", "o0")
    found = {w.name: w for w in await client.list_workflows()}
    assert set(found) == {"orders", "refunds"}
    assert found["orders"].instances == {InstanceStatus.QUEUED: 2, InstanceStatus.PAUSED: 1}
    assert found["refunds"].instances == {}
    assert found["orders"].task_queue == "default"
    assert found["orders"].registered_at is not None
    assert found["orders"].registered_at <= datetime.now(UTC)


# ---------------------------------------------------------------------- history and watch


async def test_history_records_every_transition_with_its_details(client: Client) -> None:
    async with Worker(client, workflows=[story]):
        handle = await client.create("story", id="h1")
        await eventually(handle.status, lambda i: i.current_step == "go")
        await handle.send_event("go", "ann")
        await handle.result(timeout=30)
    events = await handle.history()
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    types = [e.type for e in events]
    assert types[:3] == ["created", "queued", "started"]
    assert types[-1] == "completed"
    for expected in (
        "step_attempt_started",
        "step_attempt_failed",
        "step_retry_scheduled",
        "step_retry_due",
        "step_succeeded",
        "sleeping",
        "woke",
        "waiting_for_event",
        "event_received",
        "event_taken",
    ):
        assert expected in types, expected
    failed = next(e for e in events if e.type == "step_attempt_failed")
    assert failed.step_name == "fetch" and failed.attempt == 1
    assert failed.error is not None
    assert (failed.error.type, failed.error.message) == ("ConnectionError", "fetch: service down")
    retry = next(e for e in events if e.type == "step_retry_scheduled")
    assert retry.attempt == 2 and retry.until is not None and retry.time is not None
    assert retry.until > retry.time
    sleeping = next(e for e in events if e.type == "sleeping")
    assert sleeping.step_name == "rest" and sleeping.until is not None
    waiting = next(e for e in events if e.type == "waiting_for_event")
    assert waiting.event_type == "go" and waiting.until is not None
    started = next(e for e in events if e.type == "started")
    assert started.worker


async def test_history_pages_through_long_histories(client: Client) -> None:
    await register(client, "orders")
    handle = await client.create("orders", id="long")
    for _ in range(340):
        await handle.pause()
        await handle.resume()
    page = await client.call(
        client.workflows.GetHistory,
        fpb.GetHistoryRequest(workflow="orders", instance_id="long", page_size=1000),
    )
    assert len(page.events) == 1000 and page.more
    events = await handle.history()
    assert len(events) == 2 + 340 * 3  # created, queued; then paused, resumed, queued each time
    assert [e.seq for e in events] == list(range(1, len(events) + 1))


async def test_watch_streams_the_history_live_until_the_instance_finishes(
    client: Client,
) -> None:
    await register(client, "story")
    handle = await client.create("story", id="w1")
    seen: list[str] = []

    async def watch() -> None:
        async for event in handle.watch():
            seen.append(event.type)

    watching = asyncio.create_task(watch())
    await eventually(lambda: asyncio.sleep(0, list(seen)), lambda s: s == ["created", "queued"])
    async with Worker(client, workflows=[story]):
        await eventually(lambda: asyncio.sleep(0, list(seen)), lambda s: "waiting_for_event" in s)
        assert not watching.done()
        await handle.send_event("go", "bo")
        await asyncio.wait_for(watching, 30)  # the stream ends by itself
    assert seen == [e.type for e in await handle.history()]
    assert seen[-1] == "completed"
    # Watching a finished instance replays its history and ends at once.
    replay = [e.type async for e in handle.watch()]
    assert replay == seen
    tail = [e.seq async for e in handle.watch(after_seq=len(seen) - 2)]
    assert tail == [len(seen) - 1, len(seen)]


async def test_watch_of_an_unknown_instance_is_not_found(client: Client) -> None:
    with pytest.raises(NotFoundError):
        async for _ in client.watch("story", "nobody"):
            pass


async def test_watch_without_a_key_is_refused(client: Client) -> None:
    await register(client, "story")
    await client.create("story", id="w2")
    stub = client.workflows.WatchHistory(
        fpb.WatchHistoryRequest(workflow="story", instance_id="w2"),
        metadata=(("authorization", "Bearer wrong"),),
    )
    with pytest.raises(grpc.aio.AioRpcError) as err:
        async for _ in stub:
            pass
    assert err.value.code() is grpc.StatusCode.UNAUTHENTICATED
