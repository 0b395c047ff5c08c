"""Strict JSON (RFC 8259, at most 64 levels deep) on every payload: the servers refuse what
breaks it naming the field, in linear time; the Python SDK refuses it before sending and reads
by the same rules; a step whose result breaks it fails once, without retrying."""

from __future__ import annotations

import json
import math
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from gateway.dev import DevServer
from shards import schema
from stepway import (
    Client,
    InvalidArgumentError,
    NotFoundError,
    Step,
    StepTaskContext,
    StepWorker,
    Worker,
    WorkflowEvent,
    WorkflowFailedError,
    strict_json,
    workflow,
)
from stepway import RetryPolicy as SdkRetryPolicy
from stepway._payload import dumps, loads
from stepway.errors import from_status
from stepway.v1 import common_pb2 as cpb
from stepway.v1 import worker_service_pb2 as wpb
from stepway.v1 import workflow_service_pb2 as fpb
from tests.raw_stubs import Raw, raw_stubs, refused, step_request

DEEP = 100_000
BAD_JSON = {
    "NaN": b"NaN",
    "Infinity": b'{"x":Infinity}',
    "-Infinity": b"[-Infinity]",
    "huge float": b"1e400",
    "BOM": b'\xef\xbb\xbf{"a":1}',
    "duplicate key": b'{"a":1,"a":2}',
    "escaped lone surrogate": b'"\\ud800"',
    "escaped lone low surrogate": b'["x\\udc00"]',
    "raw lone surrogate": b'"\xed\xa0\x80"',
    "65 deep": b"[" * 65 + b"]" * 65,
    f"{DEEP} deep": b"[" * DEEP + b"]" * DEEP,
    "UTF-16": '{"a":1}'.encode("utf-16"),
}
GOOD_JSON = [
    b"[" * 64 + b"]" * 64,
    b'"\\ud83d\\ude00"',  # a surrogate pair
    b'"\\\\ud800"',  # an escaped backslash, then text
    b'{"a":1,"b":{"a":2}}',
    b'["[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["]',
]


@pytest.fixture
async def raw(dev_server: DevServer) -> AsyncIterator[Raw]:
    async with raw_stubs(dev_server) as stubs:
        yield stubs


async def test_payloads_that_break_strict_json_are_refused_naming_the_field(raw: Raw) -> None:
    token = (await raw.task("json")).task_token
    call = wpb.ScheduleCallRequest(
        task_token=token, name="c", seq=1, task_queue="steps", step_type="t"
    )
    assert (await raw.workers.ScheduleCall(call, metadata=raw.md)).suspended
    polls = wpb.PollStepTasksRequest(worker_id="w1", task_queue="steps", max_tasks=1)
    polls.wait.FromSeconds(10)
    step_token = (await raw.workers.PollStepTasks(polls, metadata=raw.md)).tasks[0].task_token
    token = (await raw.task("json2")).task_token
    before = {what: await raw.read_back(what) for what in ("json", "json2")}

    def requests(data: bytes) -> list[tuple[str, Any, Any]]:
        p = cpb.Payload(data=data)
        item = fpb.CreateInstanceRequest(workflow="raw", instance_id="bad", params=p)
        return [
            ("params", raw.workflows.CreateInstance, item),
            ("payload", raw.workflows.SendEvent, fpb.SendEventRequest(
                workflow="raw", instance_id="json2", type="e", payload=p)),
            ("result", raw.workers.CompleteStep, step_request(
                wpb.CompleteStepRequest, token, result=p)),
            ("output", raw.workers.CompleteWorkflow, wpb.CompleteWorkflowRequest(
                task_token=token, output=p)),
            ("input", raw.workers.ScheduleCall, wpb.ScheduleCallRequest(
                task_token=token, name="c", seq=1, task_queue="steps", step_type="t", input=p)),
            ("result", raw.workers.CompleteStepTask, wpb.CompleteStepTaskRequest(
                task_token=step_token, result=p)),
            ("details", raw.workers.HeartbeatStepTask, wpb.HeartbeatStepTaskRequest(
                task_token=step_token, details=p)),
        ]  # fmt: skip

    for what, data in BAD_JSON.items():
        for field, method, request in requests(data):
            started = time.perf_counter()
            await refused(method(request, metadata=raw.md), field)
            assert time.perf_counter() - started < 2.0, (what, field)
        batch = await raw.workflows.CreateInstances(
            fpb.CreateInstancesRequest(workflow="raw", instances=[requests(data)[0][2]]),
            metadata=raw.md,
        )
        exc = from_status(batch.results[0].error)
        assert isinstance(exc, InvalidArgumentError), what
        assert exc.field == "instances[0].params"
    for what in ("json", "json2"):
        assert await raw.read_back(what) == before[what], what
    for n, data in enumerate(GOOD_JSON):
        create = fpb.CreateInstanceRequest(
            workflow="raw", instance_id=f"good{n}", params=cpb.Payload(data=data)
        )
        await raw.workflows.CreateInstance(create, metadata=raw.md)
        done = await raw.workers.HeartbeatStepTask(
            wpb.HeartbeatStepTaskRequest(task_token=step_token, details=cpb.Payload(data=data)),
            metadata=raw.md,
        )
        assert done.HasField("heartbeat_deadline")


@pytest.mark.parametrize("depth", [65, 100_000, 1_000_000])
def test_nesting_past_64_levels_is_refused_in_linear_time_without_recursion(depth: int) -> None:
    data = b'{"a":' * depth + b"1" + b"}" * depth
    started = time.perf_counter()
    with pytest.raises(ValueError, match="deeper than 64 levels"):
        strict_json.loads(data)
    assert time.perf_counter() - started < 1.0
    nested: Any = 1
    for _ in range(depth):
        nested = [nested]
    with pytest.raises(ValueError, match="deeper than 64 levels"):
        dumps(nested)


def _depth(value: Any) -> int:
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, list | dict):
            deepest = max(deepest, depth + 1)
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return deepest


_TRICKY = st.text(alphabet='[]{}"\\ab\u00e9', max_size=6)
_JSON = st.recursive(
    st.none() | st.integers() | _TRICKY,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TRICKY, inner, max_size=3),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None)
@given(
    _JSON,
    st.lists(
        st.tuples(st.sampled_from(["list", "dict", "pair"]), _TRICKY), min_size=50, max_size=75
    ),
)
def test_the_depth_scan_agrees_with_the_depth_of_the_value(value: Any, wraps: Any) -> None:
    """Strings full of brackets, quotes and backslashes never count; siblings never add up.
    The value is wrapped 50 to 75 times, so that its depth lies near the limit."""
    for kind, key in wraps:
        value = [value] if kind == "list" else {key: value} if kind == "dict" else [[], value, key]
    for text in (json.dumps(value), json.dumps(value, ensure_ascii=False, indent=1)):
        deep = _depth(value) > strict_json.MAX_DEPTH
        if deep:
            with pytest.raises(ValueError, match="deeper than 64 levels"):
                strict_json.check_depth(text.encode())
        else:
            strict_json.check_depth(text.encode())


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (float("nan"), "NaN or Infinity"),
        ({"x": [float("inf")]}, "NaN or Infinity"),
        ("\ud800", "lone surrogate"),
        ({"k\udfff": 1}, "lone surrogate"),
        ({1: "a", "1": "b"}, "the key '1' twice"),
        (10.0**308 * 10, "NaN or Infinity"),
    ],
)
def test_the_sdk_refuses_to_encode_what_strict_json_refuses(value: Any, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        dumps(value)


@pytest.mark.parametrize("what", list(BAD_JSON))
def test_the_sdk_reads_payloads_by_the_same_strict_rules(what: str) -> None:
    with pytest.raises(ValueError):
        loads(BAD_JSON[what])


@workflow("values")
async def values_wf(event: WorkflowEvent, step: Step) -> Any:
    return event.params


async def test_the_client_refuses_params_json_cannot_hold_before_sending(client: Client) -> None:
    async with Worker(client, workflows=[values_wf]):
        pass
    for params in (float("nan"), "\ud800", {"a": {1: 1, "1": 2}}):
        with pytest.raises(ValueError):
            await client.create("values", id="nan", params=params)
    with pytest.raises(NotFoundError):
        await client.status("values", "nan")


ATTEMPTS: list[int] = []


@workflow("surrogate")
async def surrogate_wf(event: WorkflowEvent, step: Step) -> Any:
    def lone() -> str:
        ATTEMPTS.append(1)
        return "\ud800"

    return await step.do("lone", lone, retries=SdkRetryPolicy(limit=5, delay=0))


async def test_a_step_returning_a_lone_surrogate_fails_once_without_retrying(
    client: Client,
) -> None:
    ATTEMPTS.clear()
    async with Worker(client, workflows=[surrogate_wf]):
        handle = await client.create("surrogate", id="s1")
        with pytest.raises(WorkflowFailedError) as failed:
            await handle.result(timeout=30)
    assert failed.value.error_type == "ResultNotSerializable"
    assert "cannot be stored as JSON" in failed.value.error_message
    assert "lone surrogate" in failed.value.error_message
    assert len(ATTEMPTS) == 1
    steps = (await client.describe("surrogate", "s1")).steps or ()
    assert [(s.name, s.attempts) for s in steps] == [("lone", 1)]


async def test_params_stored_before_strict_json_fail_the_instance_once_clearly(
    dev_server: DevServer, client: Client
) -> None:
    """Such as NaN, which the server took before it held payloads to strict JSON: the worker
    fails the instance naming the rule, rather than failing every run of it."""
    async with Worker(client, workflows=[values_wf]):
        pass  # registers the workflow
    handle = await client.create("values", id="old")
    with dev_server.db.begin() as conn:
        conn.execute(sa.update(schema.instances).values(params=b'{"ratio": NaN}'))
    async with Worker(client, workflows=[values_wf]):
        with pytest.raises(WorkflowFailedError) as failed:
            await handle.result(timeout=30)
    assert failed.value.error_type == "InvalidParams"
    assert "holds NaN" in failed.value.error_message
    params = (await handle.status()).params  # a client still reads it, as Python's json does
    assert math.isnan(params["ratio"])


async def test_a_call_input_stored_before_strict_json_fails_the_call_once_clearly(
    raw: Raw, dev_server: DevServer, client: Client
) -> None:
    token = (await raw.task("old-call")).task_token
    call = wpb.ScheduleCallRequest(
        task_token=token, name="c", seq=1, task_queue="steps", step_type="t"
    )
    call.retry.limit = 3
    assert (await raw.workers.ScheduleCall(call, metadata=raw.md)).suspended
    with dev_server.db.begin() as conn:
        conn.execute(sa.update(schema.step_tasks).values(input=b"[Infinity]"))
    attempts: list[Any] = []

    def handler(input: Any, ctx: StepTaskContext) -> None:
        attempts.append(input)

    async with StepWorker(client, task_queue="steps", handlers={"t": handler}):
        poll = wpb.PollWorkflowTasksRequest(worker_id="w1", task_queue="q", max_tasks=1)
        poll.wait.FromSeconds(20)
        task = (await raw.workers.PollWorkflowTasks(poll, metadata=raw.md)).tasks[0]
    [entry] = task.journal
    assert entry.state == cpb.STEP_STATE_FAILED and entry.attempts == 1
    assert entry.error.type == "InvalidInput"
    assert "holds Infinity" in entry.error.message
    assert not attempts
