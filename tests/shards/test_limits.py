"""Every request is bounded: one table of field limits (shards/limits.py), the same table in
docs/limits.md, and both servers refusing a field past its limit before any work, naming the
field and the limit."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import grpc
import pytest
from google.protobuf.descriptor import Descriptor, FieldDescriptor
from google.rpc import error_details_pb2, status_pb2

from gateway.dev import DevConfig, DevServer, start_dev
from shards import limits
from shards.errors import InvalidArgument
from shards.metrics import Metrics
from shards.rpc import ErrorInterceptor, status_details
from stepway import Client, InstanceStatus
from stepway.internal.v1 import internal_service_pb2 as ipb
from stepway.v1 import admin_service_pb2 as apb
from stepway.v1 import admin_service_pb2_grpc as agrpc
from stepway.v1 import common_pb2 as cpb
from stepway.v1 import schedule_service_pb2 as spb
from stepway.v1 import worker_service_pb2 as wpb
from stepway.v1 import worker_service_pb2_grpc as wgrpc
from stepway.v1 import workflow_service_pb2 as fpb
from stepway.v1 import workflow_service_pb2_grpc as fgrpc
from tests.raw_stubs import error_field
from tests.shards.test_metrics import scrape

DOCS = Path(__file__).resolve().parents[2] / "docs" / "limits.md"
SERVICES = (
    fpb.DESCRIPTOR.services_by_name["WorkflowService"],
    wpb.DESCRIPTOR.services_by_name["WorkerService"],
    spb.DESCRIPTOR.services_by_name["ScheduleService"],
    apb.DESCRIPTOR.services_by_name["AdminService"],
    ipb.DESCRIPTOR.services_by_name["InternalService"],
)
SIZED = (FieldDescriptor.TYPE_STRING, FieldDescriptor.TYPE_BYTES)
# A refusal at the edge takes no database work: well under this, even on a busy machine.
QUICK_SECONDS = 1.0


def request_fields() -> Iterator[FieldDescriptor]:
    """Every field of every message reachable from a request of the five services, once."""
    seen: set[str] = set()
    stack: list[Descriptor] = [m.input_type for s in SERVICES for m in s.methods]
    while stack:
        message = stack.pop()
        if message.full_name in seen:
            continue
        seen.add(message.full_name)
        for field in message.fields:
            yield field
            if field.message_type is not None:
                stack.append(field.message_type)


def test_every_string_bytes_and_repeated_request_field_has_a_limit() -> None:
    missing = []
    for field in request_fields():
        limit = limits.LIMITS.get(field.full_name)
        if field.is_repeated and (limit is None or limit.items is None):
            missing.append(f"{field.full_name}: no count limit")
        if field.type in SIZED and (limit is None or limit.size is None):
            missing.append(f"{field.full_name}: no size limit")
    assert not missing, "add these to shards/limits.py LIMITS (and docs/limits.md):\n" + "\n".join(
        missing
    )


def test_the_limit_table_names_only_request_fields_and_no_request_has_a_map() -> None:
    fields = {f.full_name: f for f in request_fields()}
    assert set(limits.LIMITS) <= set(fields), set(limits.LIMITS) - set(fields)
    maps = [n for n, f in fields.items() if f.is_repeated and _is_map(f)]
    assert not maps, f"check_request does not walk map fields yet: {maps}"


def _is_map(field: FieldDescriptor) -> bool:
    return field.message_type is not None and field.message_type.GetOptions().map_entry


def test_docs_limits_lists_every_field_limit_with_its_value() -> None:
    page = DOCS.read_text().splitlines()
    absent = [row for row in limits.markdown_rows() if row not in page]
    assert not absent, "docs/limits.md lacks (python -m shards.limits prints them):\n" + "\n".join(
        absent
    )
    listed = {line.split("`")[1] for line in page if line.startswith("| `stepway.")}
    assert listed == set(limits.LIMITS), listed ^ set(limits.LIMITS)


def test_the_values_others_rely_on() -> None:
    row = limits.LIMITS
    assert row["stepway.v1.HeartbeatTasksRequest.task_tokens"].items == 1000
    assert row["stepway.v1.ReleaseTasksRequest.task_tokens"].items == 1000
    assert row["stepway.v1.HeartbeatTasksRequest.task_tokens"].size == 512
    assert row["stepway.v1.CompleteStepRequest.task_token"].size == 512
    assert row["stepway.v1.RegisterWorkerRequest.workflows"].items == 1000
    assert row["stepway.v1.Failure.type"].size == 200
    assert row["stepway.v1.Failure.message"].size == 32 * 1024
    assert row["stepway.v1.Failure.details"].size == 32 * 1024
    assert row["stepway.v1.Payload.data"].size == 1024 * 1024


def test_the_largest_tokens_a_server_issues_fit_their_limits() -> None:
    from shards.tokens import StepTaskRef, TaskRef, encode

    uid, lease = "f" * 32, 2**64 - 1
    workflow_token = encode(TaskRef(partition=2**32 - 1, uid=uid, lease=lease))
    assert len(workflow_token) <= limits.MAX_TASK_TOKEN_BYTES
    name = "\U0001f600" * limits.STEP_NAME_MAX  # 200 characters of 4 bytes each
    step_token = encode(StepTaskRef(2**32 - 1, uid, name, 2**32 - 1, lease))
    assert len(step_token) <= limits.MAX_STEP_TASK_TOKEN_BYTES


def test_a_nested_field_is_named_by_its_path_in_the_request() -> None:
    item = fpb.CreateInstanceRequest(workflow="w", instance_id="i")
    item.params.data = b"1" * (limits.MAX_PAYLOAD_BYTES + 1)
    with pytest.raises(InvalidArgument) as err:
        limits.check_request(item, "instances[3].")
    assert err.value.field == "instances[3].params.data"
    assert err.value.rule == "is 1048577 bytes; the limit is 1048576 bytes"
    command = wpb.WorkerCommand()
    command.fail_step.error.message = "m" * (32 * 1024 + 1)
    with pytest.raises(InvalidArgument) as err:
        limits.check_request(command, "commands[3].")
    assert err.value.field == "commands[3].fail_step.error.message"
    heartbeat = wpb.HeartbeatTasksRequest(task_tokens=[b"t"] * 5 + [b"t" * 513])
    with pytest.raises(InvalidArgument) as err:
        limits.check_request(heartbeat)
    assert err.value.field == "task_tokens[5]"


def test_a_batch_is_checked_for_its_count_only_and_each_item_on_its_own() -> None:
    command = wpb.WorkerCommand()
    command.fail_step.error.type = "T" * 201
    limits.check_request(wpb.RecordBatchRequest(commands=[command]))  # the item: the call's work
    with pytest.raises(InvalidArgument, match="is 1001 commands; the limit is 1000"):
        limits.check_request(wpb.RecordBatchRequest(commands=[command] * 1001))
    with pytest.raises(InvalidArgument) as err:
        limits.check_request(command.fail_step)
    assert (err.value.field, err.value.rule) == (
        "error.type",
        "is 201 characters long; the limit is 200",
    )


# ---------------------------------------------------------------- over real gRPC


def bad_request(err: grpc.aio.AioRpcError) -> tuple[str, str]:
    """The (field, description) of the BadRequest of an INVALID_ARGUMENT answer."""
    assert err.code() is grpc.StatusCode.INVALID_ARGUMENT, err
    for _, value in status_details(err):
        for detail in status_pb2.Status.FromString(value).details:
            bad = error_details_pb2.BadRequest()
            if detail.Unpack(bad):
                violation = bad.field_violations[0]
                return violation.field, violation.description
    raise AssertionError(f"no BadRequest in {err}")


@pytest.fixture
async def channel(dev_server: DevServer) -> AsyncIterator[grpc.aio.Channel]:
    async with grpc.aio.insecure_channel(
        dev_server.address, options=[("grpc.max_send_message_length", 64 * 1024 * 1024)]
    ) as ch:
        yield ch


def key(server: DevServer) -> tuple[tuple[str, str], ...]:
    return (("authorization", f"Bearer {server.api_key}"),)


async def refused(call: Any, request: Any, **kwargs: Any) -> tuple[str, str, float]:
    """Calls with request and answers the refusal's (field, description, seconds taken)."""
    started = time.monotonic()
    with pytest.raises(grpc.aio.AioRpcError) as err:
        response = call(request, **kwargs)
        if hasattr(response, "__aiter__"):
            async for _ in response:
                pass
        else:
            await response
    field, description = bad_request(err.value)
    return field, description, time.monotonic() - started


async def test_heartbeat_of_1001_tokens_is_refused_before_authentication(
    dev_server: DevServer, channel: grpc.aio.Channel
) -> None:
    """Checked before any work: even a call without an API key gets INVALID_ARGUMENT."""
    stub = wgrpc.WorkerServiceStub(channel)
    heartbeat = wpb.HeartbeatTasksRequest(worker_id="w", task_tokens=[b"t" * 40] * 1001)
    for metadata in (key(dev_server), ()):
        field, why, took = await refused(stub.HeartbeatTasks, heartbeat, metadata=metadata)
        assert (field, why) == ("task_tokens", "is 1001 tokens; the limit is 1000")
        assert took < QUICK_SECONDS
    release = wpb.ReleaseTasksRequest(worker_id="w", task_tokens=[b"t" * 513])
    field, why, _ = await refused(stub.ReleaseTasks, release, metadata=key(dev_server))
    assert (field, why) == ("task_tokens[0]", "is 513 bytes; the limit is 512 bytes")


async def test_the_shard_server_refuses_an_oversized_request_itself(
    dev_server: DevServer,
) -> None:
    """Called directly (no gateway, no cluster secret), the shard refuses it at once too."""
    async with grpc.aio.insecure_channel(f"127.0.0.1:{dev_server.shard.port}") as ch:
        heartbeat = wpb.HeartbeatTasksRequest(worker_id="w", task_tokens=[b"t"] * 1001)
        field, why, took = await refused(wgrpc.WorkerServiceStub(ch).HeartbeatTasks, heartbeat)
        assert (field, why) == ("task_tokens", "is 1001 tokens; the limit is 1000")
        watch = fpb.WatchHistoryRequest(workflow="w", instance_id="i" * 101)
        field, why, _ = await refused(fgrpc.WorkflowServiceStub(ch).WatchHistory, watch)
        assert (field, why) == ("instance_id", "is 101 characters long; the limit is 100")
    assert took < QUICK_SECONDS


async def test_registering_1001_workflows_is_refused_and_registers_none(
    dev_server: DevServer, channel: grpc.aio.Channel, client: Client
) -> None:
    names = [f"wf{n}" for n in range(1001)]
    register = wpb.RegisterWorkerRequest(worker_id="w", task_queue="q", workflows=names)
    field, why, took = await refused(
        wgrpc.WorkerServiceStub(channel).RegisterWorker, register, metadata=key(dev_server)
    )
    assert (field, why) == ("workflows", "is 1001 names; the limit is 1000")
    assert took < QUICK_SECONDS
    assert await client.list_workflows() == []


async def test_a_watch_with_an_overlong_name_is_refused_before_authentication(
    channel: grpc.aio.Channel,
) -> None:
    watch = fpb.WatchHistoryRequest(workflow="w" * 5000, instance_id="i")
    field, why, _ = await refused(fgrpc.WorkflowServiceStub(channel).WatchHistory, watch)
    assert (field, why) == ("workflow", "is 5000 characters long; the limit is 100")


async def test_an_overlong_admin_field_is_refused_naming_it(
    dev_server: DevServer, channel: grpc.aio.Channel, client: Client
) -> None:
    stub = agrpc.AdminServiceStub(channel)
    revoke = apb.RevokeKeyRequest(account="default", key_id="a" * 10_000)
    field, why, took = await refused(stub.RevokeKey, revoke, metadata=key(dev_server))
    assert (field, why) == ("key_id", "is 10000 characters long; the limit is 12")
    assert took < QUICK_SECONDS
    create = apb.CreateAccountRequest(name="n" * 101)
    field, why, _ = await refused(stub.CreateAccount, create, metadata=key(dev_server))
    assert (field, why) == ("name", "is 101 characters long; the limit is 100")
    assert [a.name for a in await client.admin.list_accounts()] == ["default"]


async def _one_task(
    dev_server: DevServer, channel: grpc.aio.Channel, client: Client, instance_id: str
) -> bytes:
    stub = wgrpc.WorkerServiceStub(channel)
    md = key(dev_server)
    register = wpb.RegisterWorkerRequest(worker_id="w", task_queue="q", workflows=["raw"])
    await stub.RegisterWorker(register, metadata=md)
    await client.create("raw", id=instance_id)
    poll = wpb.PollWorkflowTasksRequest(worker_id="w", task_queue="q", max_tasks=1)
    poll.wait.FromSeconds(10)
    (task,) = (await stub.PollWorkflowTasks(poll, metadata=md)).tasks
    return bytes(task.task_token)


async def test_a_failure_message_over_32_kib_is_refused_and_records_nothing(
    dev_server: DevServer, channel: grpc.aio.Channel, client: Client
) -> None:
    token = await _one_task(dev_server, channel, client, "f1")
    stub = wgrpc.WorkerServiceStub(channel)
    fail = wpb.FailStepRequest(
        task_token=token,
        name="s",
        seq=1,
        attempt=1,
        error=cpb.Failure(type="E", message="m" * (33 * 1024)),
    )
    field, why, took = await refused(stub.FailStep, fail, metadata=key(dev_server))
    assert (field, why) == ("error.message", "is 33792 characters long; the limit is 32768")
    assert took < QUICK_SECONDS
    fail_workflow = wpb.FailWorkflowRequest(
        task_token=token, error=cpb.Failure(type="E" * 201, message="m")
    )
    field, why, _ = await refused(stub.FailWorkflow, fail_workflow, metadata=key(dev_server))
    assert (field, why) == ("error.type", "is 201 characters long; the limit is 200")
    instance = await client.describe("raw", "f1")
    assert instance.status is InstanceStatus.RUNNING
    assert instance.steps == ()


async def test_a_batched_write_past_a_limit_fails_alone(
    dev_server: DevServer, channel: grpc.aio.Channel, client: Client
) -> None:
    token = await _one_task(dev_server, channel, client, "b1")
    too_long = wpb.WorkerCommand()
    too_long.fail_step.CopyFrom(
        wpb.FailStepRequest(
            task_token=token, name="s", seq=1, error=cpb.Failure(message="m" * 40_000)
        )
    )
    fine = wpb.WorkerCommand()
    fine.complete_step.CopyFrom(
        wpb.CompleteStepRequest(task_token=token, name="t", seq=1, result=cpb.Payload(data=b"1"))
    )
    batch = wpb.RecordBatchRequest(commands=[too_long, fine])
    resp = await wgrpc.WorkerServiceStub(channel).RecordBatch(batch, metadata=key(dev_server))
    assert resp.results[0].error.code == grpc.StatusCode.INVALID_ARGUMENT.value[0]
    assert error_field(resp.results[0].error) == "error.message"
    assert "the limit is 32768" in resp.results[0].error.message
    assert resp.results[1].WhichOneof("result") == "complete_step"
    steps = (await client.describe("raw", "b1")).steps or ()
    assert [s.name for s in steps] == ["t"]


async def test_a_batch_item_with_oversized_params_fails_alone(
    dev_server: DevServer, channel: grpc.aio.Channel, client: Client
) -> None:
    await client.call(
        client.workers.RegisterWorker,
        wpb.RegisterWorkerRequest(worker_id="w", task_queue="q", workflows=["raw"]),
    )
    big = fpb.CreateInstanceRequest(instance_id="big", params=cpb.Payload(data=b"1" * (2**20 + 1)))
    batch = fpb.CreateInstancesRequest(
        workflow="raw", instances=[fpb.CreateInstanceRequest(instance_id="ok"), big]
    )
    stub = fgrpc.WorkflowServiceStub(channel)
    resp = await stub.CreateInstances(batch, metadata=key(dev_server))
    assert resp.results[0].WhichOneof("result") == "instance"
    error = resp.results[1].error
    assert error.code == grpc.StatusCode.INVALID_ARGUMENT.value[0]
    assert "instances[1].params.data: is 1048577 bytes; the limit is 1048576 bytes" in error.message
    assert [i.id async for i in client.list("raw")] == ["ok"]


# ---------------------------------------------------------------- INTERNAL is counted


@pytest.fixture
async def metered_server(db_url: str) -> AsyncIterator[DevServer]:
    server = await start_dev(DevConfig(db_url=db_url, listen="127.0.0.1:0", metrics="127.0.0.1:0"))
    try:
        yield server
    finally:
        await server.stop()


async def test_bad_input_is_never_internal_and_the_internal_counter_is_exported(
    metered_server: DevServer,
) -> None:
    server = metered_server
    async with grpc.aio.insecure_channel(server.address) as ch:
        workers, workflows = wgrpc.WorkerServiceStub(ch), fgrpc.WorkflowServiceStub(ch)
        md = key(server)
        await refused(
            workers.HeartbeatTasks,
            wpb.HeartbeatTasksRequest(worker_id="w", task_tokens=[b"x"] * 1001),
            metadata=md,
        )
        await refused(
            workers.RegisterWorker,
            wpb.RegisterWorkerRequest(worker_id="w\n", task_queue="q"),
            metadata=md,
        )
        await refused(
            workflows.GetInstance,
            fpb.GetInstanceRequest(workflow="w", instance_id="dup\n"),
            metadata=md,
        )
        await refused(
            workers.CompleteStep,
            wpb.CompleteStepRequest(task_token=b"not a token", name="s", seq=1),
            metadata=md,
        )
    assert server.metrics_port is not None
    samples = await asyncio.to_thread(scrape, server.metrics_port)
    internal = {
        dict(labels)["method"]: value
        for (name, labels), value in samples.items()
        if name == "stepway_internal_errors_total"
    }
    for method in ("HeartbeatTasks", "RegisterWorker", "CompleteStep"):
        assert internal[f"/stepway.v1.WorkerService/{method}"] == 0
    assert internal["/stepway.v1.WorkflowService/GetInstance"] == 0
    assert not any(internal.values()), internal


async def test_an_internal_answer_is_counted_per_method() -> None:
    """A handler that raises something not a StepwayError: INTERNAL, counted once, on a real
    gRPC server with the servers' interceptor."""

    async def boom(request: bytes, context: Any) -> bytes:
        raise RuntimeError("a bug")

    metrics = Metrics()
    server = grpc.aio.server(interceptors=[ErrorInterceptor(metrics)])
    handlers = {"Call": grpc.unary_unary_rpc_method_handler(boom)}
    server.add_generic_rpc_handlers([grpc.method_handlers_generic_handler("test.Boom", handlers)])
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    try:
        async with grpc.aio.insecure_channel(f"127.0.0.1:{port}") as ch:
            with pytest.raises(grpc.aio.AioRpcError) as err:
                await ch.unary_unary("/test.Boom/Call", None, None)(b"")
    finally:
        await server.stop(0)
    assert err.value.code() is grpc.StatusCode.INTERNAL
    assert "see the server log" in (err.value.details() or "")
    sample = {"method": "/test.Boom/Call"}
    assert metrics.registry.get_sample_value("stepway_internal_errors_total", sample) == 1
