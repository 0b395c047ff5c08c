"""An instance's recorded state is bounded by its account's quota, and below it every task and
every answer about it stays deliverable: journals go out in pages, polls are cut to a budget."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from typing import Any

import grpc
import pytest

from gateway.dev import DevConfig, DevServer, start_dev
from gateway.polls import tasks_within
from shards import pages
from shards.core import limits
from shards.core.model import Instance, Status, Step, StepKind, StepState, Transition
from shards.errors import InvalidArgument
from stepway import Client, InstanceStatus, Worker, WorkflowEvent, workflow
from stepway import Step as WorkflowStep
from stepway.errors import WorkflowFailedError
from stepway.v1 import worker_service_pb2 as wpb
from stepway.v1 import worker_service_pb2_grpc as wgrpc
from stepway.v1 import workflow_service_pb2 as fpb
from tests.helpers import eventually

MiB = 1024 * 1024
# Small budgets, so that a journal of a few MiB takes many pages and a poll of a few tasks
# fills its answer.
PAGE_BYTES = 2 * MiB
ANSWER_BYTES = 8 * MiB
# Six pages of journal at the quota: several pages, and past the default page of 4 MiB.
STATE_QUOTA = 12 * MiB
# A step result of about 1 MiB: the largest a payload may be.
BIG = "x" * 1_000_000

ran: Counter[str] = Counter()
replays: list[int] = []


@pytest.fixture(autouse=True)
def _reset() -> None:
    ran.clear()
    replays.clear()


@pytest.fixture
def answer_bytes() -> int:
    """The server's answer budget; a test parametrizes it to change it."""
    return ANSWER_BYTES


@pytest.fixture
async def server(db_url: str, answer_bytes: int) -> AsyncIterator[DevServer]:
    """A dev server with small journal pages and poll answers."""
    config = DevConfig(
        db_url=db_url,
        listen="127.0.0.1:0",
        journal_page_bytes=PAGE_BYTES,
        answer_bytes=answer_bytes,
    )
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


def big_result(name: str) -> str:
    ran[name] += 1
    return BIG


@workflow("grow")
async def grow(event: WorkflowEvent, step: WorkflowStep) -> Any:
    """Records a 1 MiB result, then waits for an event: every size of its journal is replayed."""
    replays.append(0)
    for n in range(100):
        await step.do(f"big{n}", big_result, f"big{n}")
        replays[-1] = n + 1
        await step.wait_for_event(f"go{n}", type="go")
    return "never"


async def _feed(handle: Any) -> None:
    """Sends the big instance an event each time it waits for one, until it ends."""
    while True:
        info = await eventually(
            handle.status,
            lambda i: i.status in (InstanceStatus.WAITING, InstanceStatus.ERRORED),
            timeout=60,
            what="the instance waits or ends",
        )
        if info.status == InstanceStatus.ERRORED:
            return
        await handle.send_event("go")


@workflow("small")
async def small(event: WorkflowEvent, step: WorkflowStep) -> Any:
    one = await step.do("one", lambda: 1)
    await step.sleep("nap", 0.05)
    return one + await step.do("two", lambda: event.params)


async def test_an_instance_grows_to_its_state_quota_and_errors_while_its_queue_keeps_running(
    server: DevServer, client: Client
) -> None:
    async with Worker(client, workflows=[grow, small]):
        big = await client.create("grow", id="big")
        feeding = asyncio.create_task(_feed(big))
        others = [await client.create("small", id=f"small{n}", params=n) for n in range(20)]
        results = await asyncio.gather(*(h.result(timeout=60) for h in others))
        with pytest.raises(WorkflowFailedError) as info:
            await big.result(timeout=120)
        await feeding
    assert results == [1 + n for n in range(20)]
    assert info.value.error_type == "StateLimitExceeded"
    message = str(info.value)
    assert "max_instance_state_bytes" in message and f"{STATE_QUOTA:,}" in message
    # 12 results of 1,000,002 bytes, with the params and 12 small events, fit in 12 MiB
    # (12,582,912 bytes); 13 do not.
    fitted = STATE_QUOTA // 1_000_002
    assert fitted == 12
    # Every step ran once: each later run got the whole journal, over many pages, and replayed
    # it; every size below the quota was delivered (one run per recorded step).
    assert ran == Counter({f"big{n}": 1 for n in range(fitted + 1)})
    assert replays == [*range(1, fitted + 1), fitted]
    # The journal is read back whole, a page at a time, although one answer could not hold it.
    steps = (await big.describe()).steps
    assert steps is not None
    bigs = [s for s in steps if s.name.startswith("big")]
    assert [s.name for s in bigs] == [f"big{n}" for n in range(fitted + 1)]
    # The step whose result did not fit started (its start is recorded) and never finished.
    assert all(s.state == "succeeded" for s in bigs[:fitted])
    assert (bigs[fitted].state, bigs[fitted].attempts) == ("pending", 0)


async def test_getinstance_pages_a_journal_larger_than_one_page(
    server: DevServer, client: Client
) -> None:
    async with Worker(client, workflows=[grow]):
        big = await client.create("grow", id="paged")
        for _ in range(5):
            await eventually(
                big.status, lambda i: i.status == InstanceStatus.WAITING, what="a wait"
            )
            await big.send_event("go")
    await big.terminate()
    request = fpb.GetInstanceRequest(workflow="grow", instance_id="paged", include_steps=True)
    sizes: list[int] = []
    names: list[str] = []
    while True:
        resp = await client.call(client.workflows.GetInstance, request)
        sizes.append(resp.ByteSize())
        names.extend(s.name for s in resp.steps)
        if not resp.next_steps_page_token:
            break
        request.steps_page_token = resp.next_steps_page_token
    assert len(sizes) > 2
    assert max(sizes) < PAGE_BYTES + MiB
    assert len(names) == len(set(names)) and "big0" in names
    bad = fpb.GetInstanceRequest(
        workflow="grow", instance_id="paged", include_steps=True, steps_page_token="nope"
    )
    with pytest.raises(Exception) as refused:
        await client.call(client.workflows.GetInstance, bad)
    assert "steps_page_token" in str(refused.value)


async def test_a_poll_past_its_answer_budget_gives_the_rest_to_the_next_poll_at_once(
    server: DevServer, client: Client
) -> None:
    md = (("authorization", f"Bearer {server.api_key}"),)
    params = "p" * 900_000
    # As docs/protocol.md asks of every client: a receive limit of 64 MiB, not gRPC's 4 MiB.
    options = [("grpc.max_receive_message_length", 64 * MiB)]
    async with grpc.aio.insecure_channel(server.address, options=options) as channel:
        stub = wgrpc.WorkerServiceStub(channel)
        await stub.RegisterWorker(
            wpb.RegisterWorkerRequest(worker_id="w1", task_queue="q", workflows=["raw"]),
            metadata=md,
        )
        for n in range(20):
            await client.create("raw", id=f"r{n}", params=params)
        poll = wpb.PollWorkflowTasksRequest(worker_id="w1", task_queue="q", max_tasks=20)
        poll.wait.FromSeconds(10)
        delivered: list[str] = []
        answers = []
        while len(delivered) < 20:
            resp = await stub.PollWorkflowTasks(poll, metadata=md, timeout=20)
            answers.append(resp.ByteSize())
            delivered.extend(t.instance_id for t in resp.tasks)
            # Whatever the answer left out is queued again, not held by this worker.
            running = [i async for i in client.list("raw", status="running")]
            assert sorted(i.id for i in running) == sorted(delivered)
    assert sorted(delivered) == sorted(f"r{n}" for n in range(20))
    assert len(answers) >= 3
    assert max(answers) <= ANSWER_BYTES


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


@pytest.mark.parametrize("state_quota", [MiB])
async def test_failure_messages_count_toward_the_state_quota_in_utf8_bytes(
    server: DevServer, client: Client
) -> None:
    md = (("authorization", f"Bearer {server.api_key}"),)
    message = "é" * 15_000  # 30,000 bytes of UTF-8
    async with grpc.aio.insecure_channel(server.address) as channel:
        stub = wgrpc.WorkerServiceStub(channel)
        await stub.RegisterWorker(
            wpb.RegisterWorkerRequest(worker_id="w1", task_queue="q", workflows=["raw"]),
            metadata=md,
        )
        handle = await client.create("raw", id="fails")
        poll = wpb.PollWorkflowTasksRequest(worker_id="w1", task_queue="q", max_tasks=1)
        poll.wait.FromSeconds(10)
        [task] = (await stub.PollWorkflowTasks(poll, metadata=md, timeout=20)).tasks
        outcomes = []
        for n in range(1, 40):
            fail = wpb.FailStepRequest(
                task_token=task.task_token, name=f"s{n}", seq=1, attempt=1, non_retryable=True
            )
            fail.error.type, fail.error.message = "Boom", message
            resp = await stub.FailStep(fail, metadata=md)
            outcomes.append(resp.WhichOneof("outcome"))
            if resp.task_ended:
                break
    # Params ("null") and 34 failures of 30,004 bytes fit in 1 MiB; the 35th does not.
    assert outcomes == ["exhausted"] * 34 + [None]
    info = await handle.status()
    assert info.status == InstanceStatus.ERRORED
    assert info.error is not None and info.error.type == "StateLimitExceeded"
    assert "30,004 bytes" in info.error.message and "1,048,576" in info.error.message
    # The 34 failures are recorded; the 35th step only as started, which its report implied.
    steps = (await handle.describe()).steps
    assert steps is not None and len(steps) == 35
    assert all(s.state == "failed" for s in steps[:34])
    assert (steps[34].name, steps[34].state, steps[34].attempts) == ("s35", "pending", 0)


@pytest.mark.parametrize(("state_quota", "answer_bytes"), [(MiB, 256 * 1024)])
async def test_a_history_page_ends_at_the_answer_budget_and_the_next_page_goes_on(
    server: DevServer, client: Client
) -> None:
    md = (("authorization", f"Bearer {server.api_key}"),)
    async with grpc.aio.insecure_channel(server.address) as channel:
        stub = wgrpc.WorkerServiceStub(channel)
        await stub.RegisterWorker(
            wpb.RegisterWorkerRequest(worker_id="w1", task_queue="q", workflows=["raw"]),
            metadata=md,
        )
        handle = await client.create("raw", id="loud")
        poll = wpb.PollWorkflowTasksRequest(worker_id="w1", task_queue="q", max_tasks=1)
        poll.wait.FromSeconds(10)
        [task] = (await stub.PollWorkflowTasks(poll, metadata=md, timeout=20)).tasks
        for n in range(1, 21):  # each failure's history holds its 30,000-byte message twice
            fail = wpb.FailStepRequest(
                task_token=task.task_token, name=f"s{n}", seq=1, attempt=1, non_retryable=True
            )
            fail.error.type, fail.error.message = "Boom", "x" * 30_000
            await stub.FailStep(fail, metadata=md)
    request = fpb.GetHistoryRequest(workflow="raw", instance_id="loud")
    first = await client.call(client.workflows.GetHistory, request)
    assert first.more and first.ByteSize() <= 256 * 1024 + 64 * 1024
    events = await handle.history()
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert sum(e.type == "step_failed" for e in events) == 20


def test_a_merged_poll_answer_keeps_its_first_task_and_stops_at_the_budget() -> None:
    tasks = [wpb.WorkflowTask(instance_id=f"i{n}", trace_parent="t" * 1000) for n in range(5)]
    size = tasks[0].ByteSize() + 8
    assert tasks_within(tasks, 5, 10 * size, first=True) == 5
    assert tasks_within(tasks, 3, 10 * size, first=True) == 3
    assert tasks_within(tasks, 5, 2 * size + 1, first=False) == 2
    assert tasks_within(tasks, 5, 1, first=True) == 1
    assert tasks_within(tasks, 5, 1, first=False) == 0


def test_a_page_holds_entries_within_its_budget_and_at_least_one() -> None:
    assert pages.cut([3, 3, 3], 0, 7) == 2
    assert pages.cut([3, 3, 3], 2, 7) == 3
    assert pages.cut([10, 1], 0, 7) == 1
    assert pages.cut([], 0, 7) == 0
    assert pages.next_token(2, 3) == "2" and pages.next_token(3, 3) == ""
    assert pages.position("t", "") == 0 and pages.position("t", "12") == 12
    for bad in ("-1", "1e3", "x", "٣", "1" * 10):
        with pytest.raises(InvalidArgument):
            pages.position("t", bad)


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
    fits = limits.count_state(inst, Transition(inst, steps=[step]), 100, 1000, 5)
    assert fits.instance.state_bytes == 1000 and fits.steps == [step]
    over = limits.count_state(inst, Transition(inst, steps=[step]), 101, 1000, 5)
    assert over.steps == [] and over.task_ended and over.finished
    assert over.instance.status is Status.ERRORED and over.instance.state_bytes == 900
    assert over.instance.error_type == "StateLimitExceeded"
    assert "max_instance_state_bytes" in (over.instance.error_message or "")
    assert "1,000" in (over.instance.error_message or "")
    freed = limits.count_state(inst, Transition(inst), -400, 0, 5)
    assert freed.instance.state_bytes == 500


def test_a_replaced_entry_counts_only_the_difference() -> None:
    failed = Step("s", 1, StepKind.DO, StepState.PENDING, 0, 1, error_type="E", error_message="é")
    done = Step("s", 1, StepKind.DO, StepState.SUCCEEDED, 0, 2, result=b"12345")
    assert limits.step_bytes(failed) == 3
    assert limits.journal_growth([done], [failed]) == 2
    assert limits.journal_growth([done], [None]) == 5
