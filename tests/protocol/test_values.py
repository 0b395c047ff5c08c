"""Values at the edge: every Timestamp, Duration and enum a client or worker sends is checked
(INVALID_ARGUMENT naming the field, never INTERNAL), computed retry delays stop at their
maximum, a refused write commits nothing, and a time stored out of range still reads."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import grpc
import pytest
import sqlalchemy as sa
from google.protobuf.duration_pb2 import Duration
from google.protobuf.timestamp_pb2 import Timestamp

from gateway.dev import DevServer
from shards import schema
from shards.core.model import MAX_RETRY_DELAY_US, Backoff, RetryPolicy
from stepway import Client, InvalidArgumentError, InvalidFieldError
from stepway import RetryPolicy as SdkRetryPolicy
from stepway.errors import from_status
from stepway.v1 import admin_service_pb2 as apb
from stepway.v1 import common_pb2 as cpb
from stepway.v1 import worker_service_pb2 as wpb
from stepway.v1 import workflow_service_pb2 as fpb
from tests.raw_stubs import Raw, error_field, raw_stubs, refused, step_request

END_OF_9999 = datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)
BAD_TIMESTAMPS = [
    Timestamp(seconds=2**62),
    Timestamp(seconds=-(10**12)),
    Timestamp(seconds=1, nanos=-1),
    Timestamp(seconds=1, nanos=10**9),
    Timestamp(seconds=-1),  # before 1970
]
BAD_DURATIONS = [
    Duration(seconds=0, nanos=2 * 10**9),
    Duration(seconds=0, nanos=-1),
    Duration(seconds=1, nanos=-1),
    Duration(seconds=-1, nanos=1),
    Duration(seconds=-5),
    Duration(seconds=2**62),
    Duration(seconds=315_576_000_001),  # past what a Duration holds
]


@pytest.fixture
async def raw(dev_server: DevServer) -> AsyncIterator[Raw]:
    async with raw_stubs(dev_server) as stubs:
        yield stubs


async def test_out_of_range_timestamps_answer_invalid_argument_naming_the_field(
    raw: Raw,
) -> None:
    token = (await raw.task("times")).task_token
    _, before = await raw.read_back("times")
    failure = cpb.Failure(type="E", message="m")
    for ts in BAD_TIMESTAMPS:
        sleep = wpb.StartSleepRequest(task_token=token, name="nap", seq=1, wake_at=ts)
        await refused(raw.workers.StartSleep(sleep, metadata=raw.md), "wake_at")
        wait = wpb.WaitForEventRequest(
            task_token=token, name="w", seq=1, event_type="e", timeout_at=ts
        )
        await refused(raw.workers.WaitForEvent(wait, metadata=raw.md), "timeout_at")
        done = step_request(
            wpb.CompleteStepRequest, token, result=cpb.Payload(data=b"1"), started_at=ts
        )
        await refused(raw.workers.CompleteStep(done, metadata=raw.md), "started_at")
        fail = step_request(wpb.FailStepRequest, token, error=failure, started_at=ts)
        await refused(raw.workers.FailStep(fail, metadata=raw.md), "started_at")
        for field in ("created_after", "created_before"):
            listing = fpb.ListInstancesRequest()
            getattr(listing, field).CopyFrom(ts)
            await refused(raw.workflows.ListInstances(listing, metadata=raw.md), field)
        batch = await raw.workers.RecordBatch(
            wpb.RecordBatchRequest(commands=[wpb.WorkerCommand(start_sleep=sleep)]),
            metadata=raw.md,
        )
        exc = from_status(batch.results[0].error)
        assert isinstance(exc, InvalidFieldError) and exc.field == "wake_at"
    got, history = await raw.read_back("times")
    assert not got.steps and history == before
    # The last instant a Timestamp holds is taken, and reads back as it was sent.
    last = Timestamp()
    last.FromDatetime(END_OF_9999)
    sleep = wpb.StartSleepRequest(task_token=token, name="nap", seq=1, wake_at=last)
    assert (await raw.workers.StartSleep(sleep, metadata=raw.md)).suspended
    got, history = await raw.read_back("times")
    assert got.steps[0].wake_at.ToDatetime(UTC) == END_OF_9999
    assert history[-1].until.ToDatetime(UTC) == END_OF_9999


async def test_invalid_durations_answer_invalid_argument_naming_the_field(raw: Raw) -> None:
    token = (await raw.task("lengths")).task_token
    _, before = await raw.read_back("lengths")
    failure = cpb.Failure(type="E", message="m")
    for d in BAD_DURATIONS:
        for field in ("delay", "max_delay"):
            policy = wpb.RetryPolicy(limit=3)
            getattr(policy, field).CopyFrom(d)
            fail = step_request(wpb.FailStepRequest, token, error=failure, retry=policy)
            await refused(raw.workers.FailStep(fail, metadata=raw.md), f"retry.{field}")
        for field, value in (("retry", wpb.RetryPolicy(limit=1, delay=d)), ("timeout", d)):
            call = wpb.ScheduleCallRequest(
                task_token=token, name="c", seq=1, task_queue="steps", step_type="t"
            )
            getattr(call, field).CopyFrom(value)
            name = "retry.delay" if field == "retry" else field
            await refused(raw.workers.ScheduleCall(call, metadata=raw.md), name)
        call = wpb.ScheduleCallRequest(
            task_token=token, name="c", seq=1, task_queue="steps", step_type="t"
        )
        call.heartbeat_timeout.CopyFrom(d)
        await refused(raw.workers.ScheduleCall(call, metadata=raw.md), "heartbeat_timeout")
        poll = wpb.PollWorkflowTasksRequest(worker_id="w1", task_queue="q", wait=d)
        await refused(raw.workers.PollWorkflowTasks(poll, metadata=raw.md), "wait")
        polls = wpb.PollStepTasksRequest(worker_id="w1", task_queue="steps", wait=d)
        await refused(raw.workers.PollStepTasks(polls, metadata=raw.md), "wait")
        wait = fpb.WaitInstanceRequest(workflow="raw", instance_id="lengths", timeout=d)
        await refused(raw.workflows.WaitInstance(wait, metadata=raw.md), "timeout")
        create = fpb.CreateInstanceRequest(workflow="raw", instance_id="kept", retention=d)
        await refused(raw.workflows.CreateInstance(create, metadata=raw.md), "retention")
        batch = await raw.workflows.CreateInstances(
            fpb.CreateInstancesRequest(workflow="raw", instances=[create]), metadata=raw.md
        )
        exc = from_status(batch.results[0].error)
        assert isinstance(exc, InvalidArgumentError) and exc.field == "instances[0].retention"
    got, history = await raw.read_back("lengths")
    assert not got.steps and history == before
    with pytest.raises(grpc.aio.AioRpcError) as info:
        await raw.workflows.GetInstance(
            fpb.GetInstanceRequest(workflow="raw", instance_id="kept"), metadata=raw.md
        )
    assert info.value.code() is grpc.StatusCode.NOT_FOUND


async def test_unknown_enum_values_answer_invalid_argument_naming_the_field(raw: Raw) -> None:
    token = (await raw.task("enums")).task_token
    _, before = await raw.read_back("enums")
    policy = wpb.RetryPolicy(limit=3, backoff=99)  # type: ignore[arg-type]
    fail = step_request(
        wpb.FailStepRequest, token, error=cpb.Failure(type="E", message="m"), retry=policy
    )
    exc = await refused(raw.workers.FailStep(fail, metadata=raw.md), "retry.backoff")
    assert "BACKOFF_EXPONENTIAL" in exc.message
    call = wpb.ScheduleCallRequest(
        task_token=token, name="c", seq=1, task_queue="steps", step_type="t", retry=policy
    )
    await refused(raw.workers.ScheduleCall(call, metadata=raw.md), "retry.backoff")
    listing = fpb.ListInstancesRequest(statuses=[cpb.INSTANCE_STATUS_RUNNING, 99])  # type: ignore[list-item]
    await refused(raw.workflows.ListInstances(listing, metadata=raw.md), "statuses[1]")
    key = apb.CreateKeyRequest(account="default", role=99)  # type: ignore[arg-type]
    await refused(raw.admin.CreateKey(key, metadata=raw.md), "role")
    got, history = await raw.read_back("enums")
    assert not got.steps and history == before


async def test_counters_past_a_billion_answer_invalid_argument_naming_the_field(
    raw: Raw,
) -> None:
    """seq, attempt, a retry limit and after_seq are uint32 in the protos and 32-bit integers
    in the database, where 2**32 - 1 answered INTERNAL on PostgreSQL."""
    token = (await raw.task("counters")).task_token
    _, before = await raw.read_back("counters")
    failure = cpb.Failure(type="E", message="m")
    big = 2**32 - 1
    done = wpb.CompleteStepRequest(
        task_token=token, name="s", seq=1, attempt=big, result=cpb.Payload(data=b"1")
    )
    await refused(raw.workers.CompleteStep(done, metadata=raw.md), "attempt")
    fail = wpb.FailStepRequest(task_token=token, name="s", seq=1, attempt=big, error=failure)
    await refused(raw.workers.FailStep(fail, metadata=raw.md), "attempt")
    fail = wpb.FailStepRequest(task_token=token, name="s", seq=big, attempt=1, error=failure)
    await refused(raw.workers.FailStep(fail, metadata=raw.md), "seq")
    sleep = wpb.StartSleepRequest(task_token=token, name="nap", seq=1_000_000_001)
    await refused(raw.workers.StartSleep(sleep, metadata=raw.md), "seq")
    call = wpb.ScheduleCallRequest(
        task_token=token,
        name="c",
        seq=1,
        task_queue="steps",
        step_type="t",
        retry=wpb.RetryPolicy(limit=big),
    )
    await refused(raw.workers.ScheduleCall(call, metadata=raw.md), "retry.limit")
    history = fpb.GetHistoryRequest(workflow="raw", instance_id="counters", after_seq=big)
    await refused(raw.workflows.GetHistory(history, metadata=raw.md), "after_seq")
    watch = fpb.WatchHistoryRequest(workflow="raw", instance_id="counters", after_seq=big)
    await refused(raw.workflows.WatchHistory(watch, metadata=raw.md).read(), "after_seq")
    got, history_after = await raw.read_back("counters")
    assert not got.steps and history_after == before


async def test_a_page_token_holding_a_time_out_of_range_is_invalid_argument(raw: Raw) -> None:
    """A forged token: its time went to the database as is, past a 64-bit integer."""
    for at in ("9" * 30, "-" + "9" * 30, str(2**63)):
        token = base64.urlsafe_b64encode(f"{at}:abc".encode()).decode().rstrip("=")
        listing = fpb.ListInstancesRequest(page_token=token)
        await refused(raw.workflows.ListInstances(listing, metadata=raw.md), "page_token")


@pytest.mark.parametrize("backoff", list(Backoff))
def test_retry_delays_stop_at_the_maximum_and_are_computed_without_overflow(
    backoff: Backoff,
) -> None:
    """At attempt 2,000 or 2**32 - 1 the delay is computed at once, never as 2**attempt."""
    policy = RetryPolicy(limit=2**32 - 1, delay_us=1_000_000, backoff=backoff)
    first = policy.delay_after(1)
    assert first == 1_000_000
    expected = {
        Backoff.CONSTANT: (first, first),
        Backoff.LINEAR: (2_000 * first, MAX_RETRY_DELAY_US),
        Backoff.EXPONENTIAL: (MAX_RETRY_DELAY_US, MAX_RETRY_DELAY_US),
    }[backoff]
    for attempt, delay in zip((2_000, 2**32 - 1), expected, strict=True):
        started = time.perf_counter()
        assert policy.delay_after(attempt) == delay
        assert time.perf_counter() - started < 0.01
    capped = RetryPolicy(limit=9, delay_us=1_000_000, backoff=backoff, max_delay_us=5_000_000)
    assert max(capped.delay_after(n) for n in range(1, 100)) <= 5_000_000
    assert RetryPolicy(limit=1, delay_us=0, backoff=backoff).delay_after(2_000) == 0


async def test_exponential_backoff_at_attempt_2000_is_scheduled_a_day_later(raw: Raw) -> None:
    token = (await raw.task("late")).task_token
    policy = wpb.RetryPolicy(limit=5000, backoff=wpb.BACKOFF_EXPONENTIAL)
    policy.delay.FromSeconds(1)
    fail = wpb.FailStepRequest(
        task_token=token,
        name="s",
        seq=1,
        attempt=2000,
        error=cpb.Failure(type="E", message="m"),
        retry=policy,
    )
    before = datetime.now(UTC)
    resp = await raw.workers.FailStep(fail, metadata=raw.md)
    delay = resp.retry_at.ToDatetime(UTC) - before
    assert abs(delay.total_seconds() - MAX_RETRY_DELAY_US / 1e6) < 60
    got, history = await raw.read_back("late")
    assert got.steps[0].wake_at == resp.retry_at
    assert history[-1].until == resp.retry_at


async def test_a_fail_step_past_the_maximum_retry_delay_is_refused_and_commits_nothing(
    raw: Raw,
) -> None:
    token = (await raw.task("refused")).task_token
    _, before = await raw.read_back("refused")
    policy = wpb.RetryPolicy(limit=3, backoff=wpb.BACKOFF_CONSTANT)
    policy.delay.FromSeconds(315_000_000_000)
    fail = step_request(
        wpb.FailStepRequest, token, error=cpb.Failure(type="E", message="m"), retry=policy
    )
    exc = await refused(raw.workers.FailStep(fail, metadata=raw.md), "retry.delay")
    assert "86400 s" in exc.message
    batch = await raw.workers.RecordBatch(
        wpb.RecordBatchRequest(commands=[wpb.WorkerCommand(fail_step=fail)]), metadata=raw.md
    )
    assert batch.results[0].error.code == grpc.StatusCode.INVALID_ARGUMENT.value[0]
    got, history = await raw.read_back("refused")
    assert not got.steps
    assert got.instance.status == cpb.INSTANCE_STATUS_RUNNING
    assert history == before
    # The task's lease is untouched: the worker goes on and finishes the instance.
    done = wpb.CompleteWorkflowRequest(task_token=token, output=cpb.Payload(data=b"1"))
    await raw.workers.CompleteWorkflow(done, metadata=raw.md)
    got, _ = await raw.read_back("refused")
    assert got.instance.status == cpb.INSTANCE_STATUS_COMPLETE


async def test_times_stored_past_year_9999_still_read_as_its_end(
    raw: Raw, dev_server: DevServer, client: Client
) -> None:
    """Such as the retry time a FailStep committed before delays were checked."""
    token = (await raw.task("stored")).task_token
    policy = wpb.RetryPolicy(limit=3)
    policy.delay.FromSeconds(3600)
    fail = step_request(
        wpb.FailStepRequest, token, error=cpb.Failure(type="E", message="m"), retry=policy
    )
    await raw.workers.FailStep(fail, metadata=raw.md)
    huge = 315_000_000_000 * 1_000_000 + int(time.time() * 1_000_000)
    with dev_server.db.begin() as conn:
        conn.execute(sa.update(schema.steps).values(wake_at=huge))
        conn.execute(sa.update(schema.instances).values(due_at=huge))
        conn.execute(
            sa.update(schema.history)
            .where(schema.history.c.kind == "step_retry_scheduled")
            .values(detail=json.dumps({"retry_at": huge}))
        )
    got, history = await raw.read_back("stored")
    assert got.steps[0].wake_at.ToDatetime(UTC) == END_OF_9999
    assert history[-1].until.ToDatetime(UTC) == END_OF_9999
    # And so through the SDK, whose datetimes end with year 9999 too.
    steps = (await client.describe("raw", "stored")).steps or ()
    assert [s.wake_at for s in steps] == [END_OF_9999]
    assert (await client.history("raw", "stored"))[-1].until == END_OF_9999


def test_a_retry_policy_past_the_maximum_delay_is_refused_where_it_is_made() -> None:
    for field in ("delay", "max_delay"):
        for value in (86_401.0, -1.0, float("nan"), float("inf")):
            with pytest.raises(ValueError, match=f"RetryPolicy.{field} must be from 0 to 86400"):
                SdkRetryPolicy(**{field: value})  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"RetryPolicy\.limit must be from 0 to 1000000000"):
        SdkRetryPolicy(limit=1_000_000_001)
    assert SdkRetryPolicy(limit=10**9, delay=86_400, max_delay=86_400).delay == 86_400


async def test_a_step_name_with_a_nul_character_answers_invalid_argument_naming_the_field(
    raw: Raw,
) -> None:
    """PostgreSQL cannot store NUL in text: every command that names a step refuses it at the
    edge instead of failing in the database."""
    token = (await raw.task("nul")).task_token
    name = "a\x00b"
    payload = cpb.Payload(data=b"1")
    failure = cpb.Failure(type="E", message="m")
    ts = Timestamp(seconds=2_000_000_000)
    for call in (
        raw.workers.CompleteStep(
            wpb.CompleteStepRequest(task_token=token, name=name, seq=1, attempt=1, result=payload),
            metadata=raw.md,
        ),
        raw.workers.FailStep(
            wpb.FailStepRequest(task_token=token, name=name, seq=1, attempt=1, error=failure),
            metadata=raw.md,
        ),
        raw.workers.StartSleep(
            wpb.StartSleepRequest(task_token=token, name=name, seq=1, wake_at=ts), metadata=raw.md
        ),
        raw.workers.WaitForEvent(
            wpb.WaitForEventRequest(
                task_token=token, name=name, seq=1, event_type="e", timeout_at=ts
            ),
            metadata=raw.md,
        ),
    ):
        await refused(call, "name")
    start = wpb.WorkerCommand(
        start_step=wpb.StartStepRequest(task_token=token, name=name, seq=1, attempt=1)
    )
    batch = await raw.workers.RecordBatch(wpb.RecordBatchRequest(commands=[start]), metadata=raw.md)
    assert error_field(batch.results[0].error) == "name"
    restart = fpb.RestartInstanceRequest(workflow="raw", instance_id="nul", from_step=name)
    await refused(raw.workflows.RestartInstance(restart, metadata=raw.md), "from_step")
    got, _ = await raw.read_back("nul")
    assert list(got.steps) == []
