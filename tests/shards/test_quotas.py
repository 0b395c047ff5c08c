"""Account quotas: running instances across shard servers, queued instances per workflow,
creation and request rates across gateways."""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace
from typing import Any

import grpc
import pytest
import sqlalchemy as sa

from gateway.dev import DevServer, lift_rate_limits
from shards import schema
from shards.accounts import add_key, ensure_account
from shards.core.model import Status
from shards.errors import LeaseLost
from shards.occupancy import share
from shards.quotas import DEFAULTS, to_row
from stepway import (
    Client,
    InstanceStatus,
    InvalidArgumentError,
    QuotaExceededError,
    ResourceExhaustedError,
    Step,
    Worker,
    WorkflowEvent,
    WorkflowFailedError,
    workflow,
)
from stepway.v1 import common_pb2 as cpb
from stepway.v1 import worker_service_pb2 as wpb
from stepway.v1 import workflow_service_pb2 as fpb
from tests.clusters import PARTITIONS, Cluster, account_id, cluster, start_gateway_of
from tests.helpers import eventually

__all__ = ["cluster"]  # the fixture


def set_quotas(db: sa.Engine, account: str, **changes: int) -> None:
    """Sets some quotas of an account; the rates stay lifted unless given."""
    lifted = {"creations_per_second": 1_000_000, "requests_per_second": 10_000_000}
    quotas, retention = to_row(replace(DEFAULTS, **{**lifted, **changes}))
    with db.begin() as conn:
        conn.execute(
            schema.accounts.update()
            .where(schema.accounts.c.id == account)
            .values(quotas=quotas, retention_us=retention)
        )


@workflow("busy")
async def busy(event: WorkflowEvent, step: Step) -> Any:
    async def work(n: int) -> int:
        await asyncio.sleep(0.02)
        return n

    return await step.do("work", work, event.params)


def _running(db: sa.Engine) -> int:
    I = schema.instances  # noqa: E741
    with db.connect() as conn:
        return int(
            conn.execute(
                sa.select(sa.func.count())
                .select_from(I)
                .where(I.c.status.in_(["running", "waitingForPause"]))
            ).scalar_one()
        )


async def test_a_concurrency_limit_holds_across_three_shard_servers(cluster: Cluster) -> None:
    """max_running = 20 is split 6/6/6 among three servers (each rounds its share down);
    while 500 instances drain, the database never shows more than 20 running, and the
    shares are used."""
    set_quotas(cluster.db, account_id(cluster), max_running=20)
    for member in ("a", "b", "c"):
        await cluster.add_shard(member)
    held = await cluster.settled()
    assert sorted(share(20, n, PARTITIONS) for n in held.values()) == [6, 6, 6]
    client = await start_gateway_of(cluster)
    seen: list[int] = []
    done = asyncio.Event()

    async def watch() -> None:
        while not done.is_set():
            seen.append(await asyncio.to_thread(_running, cluster.db))
            await asyncio.sleep(0.005)

    try:
        async with Worker(client, workflows=[busy], max_concurrent=200):
            results = await client.create_batch("busy", [{"params": n} for n in range(500)])
            watcher = asyncio.ensure_future(watch())
            try:
                handles = [r.handle for r in results if r.handle is not None]
                outputs = [await h.result(timeout=120) for h in handles]
            finally:
                done.set()
                await watcher
    finally:
        await client.close()
    assert outputs == list(range(500))
    assert max(seen) <= 20
    assert max(seen) >= 15  # the limit is used, not only respected


async def test_woken_instances_start_before_new_ones(dev_server: DevServer, client: Client) -> None:
    """With one running slot: an instance that woke from its sleep while the slot was taken
    runs before the instances created meanwhile, which never started."""
    set_quotas(dev_server.db, _default_account(dev_server), max_running=1)
    order: list[str] = []
    release = asyncio.Event()

    @workflow("sleeper")
    async def sleeper(event: WorkflowEvent, step: Step) -> Any:
        await step.sleep("nap", 0.2)
        return await step.do("after", lambda: order.append(event.instance_id))

    @workflow("starter")
    async def starter(event: WorkflowEvent, step: Step) -> Any:
        return await step.do("start", lambda: order.append(event.instance_id))

    @workflow("holder")
    async def holder(event: WorkflowEvent, step: Step) -> Any:
        async def hold() -> None:
            await release.wait()

        return await step.do("hold", hold)

    async with Worker(client, workflows=[sleeper, starter, holder]):
        first = await client.create("sleeper", id="first")
        await _status_is(first, "waiting")
        blocker = await client.create("holder", id="blocker")
        await _status_is(blocker, "running")  # the one slot is taken
        later = [await client.create("starter", id=f"later{n}") for n in range(3)]
        await _status_is(first, "queued")  # woke, and waits for the slot
        release.set()
        await blocker.result(timeout=30)
        await first.result(timeout=30)
        for h in later:
            await h.result(timeout=30)
    assert order == ["first", "later0", "later1", "later2"]


async def _status_is(handle: Any, status: str) -> None:
    await eventually(
        lambda: handle.status(),
        lambda info: info.status.value == status,
        what=f"{handle.id} {status}",
    )


def _default_account(dev_server: DevServer) -> str:
    with dev_server.db.connect() as conn:
        return str(
            conn.execute(
                sa.select(schema.accounts.c.id).where(schema.accounts.c.name == "default")
            ).scalar_one()
        )


async def test_the_queue_limit_refuses_the_instance_past_it(
    dev_server: DevServer, client: Client
) -> None:
    set_quotas(dev_server.db, _default_account(dev_server), max_queued_per_workflow=5)
    await client.call(
        client.workers.RegisterWorker,
        wpb.RegisterWorkerRequest(worker_id="idle", task_queue="default", workflows=["busy"]),
    )
    for n in range(5):
        await client.create("busy", id=f"q{n}", params=n)
    with pytest.raises(QuotaExceededError) as info:
        await client.create("busy", id="q5", params=5)
    assert "max_queued_per_workflow (5) exceeded" in str(info.value)
    assert info.value.retry_after is not None and info.value.retry_after > 0
    assert (info.value.reason, info.value.quota) == ("QUOTA_EXCEEDED", "max_queued_per_workflow")
    assert info.value.metadata["limit"] == "5"
    # The same id again is not a new instance: it answers the existing one.
    assert (await client.create("busy", id="q4", params=4)).created is False
    # In a batch, only the items past the limit are refused.
    set_quotas(dev_server.db, _default_account(dev_server), max_queued_per_workflow=7)
    await eventually(
        lambda: _create_or_none(client, "q5"), lambda h: h is not None, what="the new limit"
    )
    results = await client.create_batch("busy", [{"id": f"b{n}", "params": n} for n in range(3)])
    assert [r.error is None for r in results] == [True, False, False]
    assert all(isinstance(r.error, ResourceExhaustedError) for r in results[1:])
    assert all(isinstance(r.error, QuotaExceededError) for r in results[1:])
    assert {r.error.quota for r in results[1:] if isinstance(r.error, QuotaExceededError)} == {
        "max_queued_per_workflow"
    }


async def _create_or_none(client: Client, instance_id: str) -> Any:
    try:
        return await client.create("busy", id=instance_id, params=0)
    except ResourceExhaustedError:
        return None


def test_shares_of_a_limit_never_add_up_to_more_than_it() -> None:
    splits = [[1024], [512, 512], [342, 341, 341], [300, 300], [1, 1023], [200, 300, 524]]
    for held in splits:
        for limit in (1, 2, 20, 50_000):
            assert sum(share(limit, n, 1024) for n in held) <= limit
    assert share(20, 1024, 1024) == 20  # one server holding every partition: the whole limit
    assert share(20, 0, 1024) == 0
    assert [share(50_000, n, 1024) for n in (342, 341)] == [16_699, 16_650]


async def test_creations_past_the_rate_are_refused_with_retry_info(
    dev_server: DevServer, client: Client
) -> None:
    set_quotas(dev_server.db, _default_account(dev_server), creations_per_second=5)
    await client.call(
        client.workers.RegisterWorker,
        wpb.RegisterWorkerRequest(worker_id="idle", task_queue="default", workflows=["busy"]),
    )
    await eventually(
        lambda: _refused(client), lambda refused: refused, what="the creation rate enforced"
    )


async def _refused(client: Client) -> bool:
    try:
        for _ in range(10):
            await client.create("busy", params=0)
    except ResourceExhaustedError as err:
        assert "creations_per_second (5) exceeded" in str(err)
        assert err.retry_after is not None and 0 < err.retry_after <= 1.0
        assert isinstance(err, QuotaExceededError) and err.quota == "creations_per_second"
        return True
    return False


async def test_creations_refused_as_bad_input_do_not_use_up_the_creation_rate(
    dev_server: DevServer,
) -> None:
    def careless() -> str:
        with dev_server.db.begin() as conn:
            account = ensure_account(conn, "careless")
        set_quotas(dev_server.db, account, creations_per_second=5)
        with dev_server.db.begin() as conn:
            return add_key(conn, account, "admin", name="careless")

    client = await Client.connect(dev_server.address, api_key=await asyncio.to_thread(careless))
    bad = cpb.Payload(data=b"{not json")
    try:
        # Four times the rate's burst of single creations, then of batch items (in batches of
        # one burst), all bad: each is refused as bad input, none as past the rate.
        for n in range(20):
            request = fpb.CreateInstanceRequest(
                workflow="w", instance_id=f"bad{n}", params=bad, task_queue="q"
            )
            with pytest.raises(InvalidArgumentError):
                await client.call(client.workflows.CreateInstance, request)
        for start in range(0, 20, 5):
            batch = fpb.CreateInstancesRequest(workflow="w", task_queue="q")
            for n in range(start, start + 5):
                batch.instances.add(instance_id=f"bad-item{n}", params=bad)
            resp = await client.call(client.workflows.CreateInstances, batch)
            codes = {r.error.code for r in resp.results}
            assert codes == {grpc.StatusCode.INVALID_ARGUMENT.value[0]}
        # The good ones that follow are within the rate.
        for n in range(3):
            assert (await client.create("w", id=f"good{n}", task_queue="q")).created
        good = [{"id": f"good-item{n}"} for n in range(2)]
        assert all(r.ok for r in await client.create_batch("w", good, task_queue="q"))
    finally:
        await client.close()


async def test_a_creation_rate_holds_across_two_gateways(cluster: Cluster) -> None:
    """50 creations a second, split between two gateways: a client that sends as fast as it
    can through both gets 50/s within 10% over 10 s."""
    set_quotas(cluster.db, account_id(cluster), creations_per_second=50)
    await cluster.add_shard("a")
    first = await start_gateway_of(cluster)
    second = await start_gateway_of(cluster)
    try:
        await first.call(
            first.workers.RegisterWorker,
            wpb.RegisterWorkerRequest(worker_id="idle", task_queue="default", workflows=["busy"]),
        )
        await eventually(
            lambda: asyncio.sleep(0, min(g.limits.gateways for g in cluster.gateways)),
            lambda n: n == 2,
            what="both gateways counting each other",
        )
        created = 0
        deadline = time.monotonic() + 10.0

        async def push(client: Client) -> None:
            nonlocal created
            while time.monotonic() < deadline:
                try:
                    await client.create("busy", params=0)
                    created += 1
                except ResourceExhaustedError as err:
                    await asyncio.sleep(min(err.retry_after or 0.01, 0.05))

        await asyncio.gather(*(push(c) for c in (first, second) for _ in range(4)))
    finally:
        await first.close()
        await second.close()
    # 10 s at 50/s is 500; the two gateways' initial bursts of 25 each may add 50.
    assert 450 <= created <= 550, created


async def test_the_step_past_the_limit_fails_the_instance(
    dev_server: DevServer, client: Client
) -> None:
    set_quotas(dev_server.db, _default_account(dev_server), max_steps_per_instance=3)

    @workflow("long")
    async def long(event: WorkflowEvent, step: Step) -> Any:
        for n in range(5):
            await step.do(f"s{n}", lambda n=n: n)
        return "done"

    async with Worker(client, workflows=[long]):
        handle = await client.create("long", id="l1")
        with pytest.raises(WorkflowFailedError) as info:
            await handle.result(timeout=30)
    assert info.value.error_type == "StepLimitExceeded"
    assert "would be step 4 of this instance" in str(info.value)
    assert "max_steps_per_instance" in str(info.value)
    steps = (await handle.describe()).steps
    assert steps is not None and [s.name for s in steps] == ["s0", "s1", "s2"]


async def test_steps_a_task_records_at_once_never_pass_the_step_limit(
    dev_server: DevServer,
) -> None:
    account = _default_account(dev_server)
    set_quotas(dev_server.db, account, max_steps_per_instance=3)
    engine = dev_server.shard.engine
    await engine.create(account, "burst", "b1", b"null", task_queue="burst")
    [task] = await engine.poll(account, "w", "burst", 1, 10.0)

    async def record(name: str) -> bool:
        return await engine.complete_step(
            account, task.ref, name=name, seq=1, attempt=1, result=b"1", started_at=1
        )

    # The first step is counted; four more arrive together, while the count is known.
    assert await record("s0") is False
    outcomes = await asyncio.gather(*(record(f"s{n}") for n in range(1, 5)), return_exceptions=True)
    assert outcomes[:2] == [False, False]
    assert outcomes[2] is True  # the fourth step errors the instance and ends the task
    assert isinstance(outcomes[3], LeaseLost)
    view = await engine.get(account, "burst", "b1", steps=True)
    assert view.steps is not None and [s.name for s in view.steps] == ["s0", "s1", "s2"]
    assert view.instance.status is Status.ERRORED
    assert view.instance.error_type == "StepLimitExceeded"


FAIRNESS_BOUND_SECONDS = 2.0


@pytest.mark.alone
async def test_a_flooding_account_does_not_delay_another_accounts_instances(
    dev_server: DevServer,
) -> None:
    """Account A queues 20,000 instances and its worker drains them; account B then creates
    20. Every one of B's instances starts (is claimed by B's worker) within
    FAIRNESS_BOUND_SECONDS of its creation: B's queue is its own, and a poll of B's worker
    never waits behind A's backlog, only behind the writes in flight on the shard."""

    def keys() -> tuple[str, str]:
        with dev_server.db.begin() as conn:
            keys = []
            for name in ("flood-a", "quiet-b"):
                account = ensure_account(conn, name)
                lift_rate_limits(conn, account)
                keys.append(add_key(conn, account, "admin", name=name))
            return keys[0], keys[1]

    key_a, key_b = await asyncio.to_thread(keys)
    a = await Client.connect(dev_server.address, api_key=key_a)
    b = await Client.connect(dev_server.address, api_key=key_b)
    try:
        async with Worker(a, workflows=[busy], max_concurrent=100):
            for start in range(0, 20_000, 1_000):
                batch = [{"id": f"a{n}", "params": n} for n in range(start, start + 1_000)]
                assert all(r.ok for r in await a.create_batch("busy", batch))
            async with Worker(b, workflows=[busy], max_concurrent=100):
                handles = [await b.create("busy", id=f"b{n}", params=n) for n in range(20)]
                for h in handles:
                    await h.result(timeout=60)
            infos = [await h.status() for h in handles]
            a_done = sum(
                [w.instances.get(InstanceStatus.COMPLETE, 0) for w in await a.list_workflows()]
            )
    finally:
        await a.close()
        await b.close()
    waits = [
        (i.started_at - i.created_at).total_seconds()
        for i in infos
        if i.started_at is not None and i.created_at is not None
    ]
    assert len(waits) == 20
    assert max(waits) <= FAIRNESS_BOUND_SECONDS, waits
    assert a_done < 20_000  # A's backlog was still there while B's instances ran


async def test_a_payload_over_the_accounts_limit_is_refused_naming_it(
    dev_server: DevServer, client: Client
) -> None:
    set_quotas(dev_server.db, _default_account(dev_server), max_payload_bytes=100)
    await client.call(
        client.workers.RegisterWorker,
        wpb.RegisterWorkerRequest(worker_id="idle", task_queue="default", workflows=["busy"]),
    )
    big = "x" * 200
    with pytest.raises(InvalidArgumentError) as info:
        await client.create("busy", id="big", params=big)
    assert info.value.field == "params"
    assert "this account's limit is 100 bytes (quota max_payload_bytes)" in str(info.value)
    small = await client.create("busy", id="small", params="ok")
    with pytest.raises(InvalidArgumentError, match="max_payload_bytes"):
        await small.send_event("big", big)


async def test_usage_shows_instances_by_status_the_creation_rate_and_refusals(
    dev_server: DevServer, client: Client
) -> None:
    set_quotas(dev_server.db, _default_account(dev_server), creations_per_second=5)
    await client.call(
        client.workers.RegisterWorker,
        wpb.RegisterWorkerRequest(worker_id="idle", task_queue="default", workflows=["busy"]),
    )
    await eventually(
        lambda: _refused(client), lambda refused: refused, what="the creation rate enforced"
    )
    usage = await eventually(
        lambda: client.admin.usage("default"),
        lambda u: u.rejected.get("creations_per_second", 0) > 0,
        what="the refusals counted",
    )
    assert usage.queued > 0 and usage.created_per_second * 60 == pytest.approx(usage.queued)
    assert (usage.running, usage.waiting, usage.paused) == (0, 0, 0)
    assert set(usage.rejected) == {"creations_per_second"}
