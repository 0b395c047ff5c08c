"""Bad input gets a clear gRPC error naming the field and the limit, and changes nothing."""

from __future__ import annotations

from typing import Any

import grpc
import pytest

from gateway.dev import DevServer
from stepway import (
    Client,
    InstanceNotFoundError,
    InvalidFieldError,
    Step,
    UnauthenticatedError,
    Worker,
    WorkflowEvent,
    WorkflowFailedError,
    WorkflowNotRegisteredError,
    workflow,
)
from stepway.errors import from_rpc_error
from stepway.v1 import worker_service_pb2 as wpb
from stepway.v1 import workflow_service_pb2 as fpb
from stepway.v1 import workflow_service_pb2_grpc as fgrpc


@workflow("known")
async def known_wf(event: WorkflowEvent, step: Step) -> Any:
    return event.params


@pytest.fixture
async def registered(client: Client) -> Client:
    async with Worker(client, workflows=[known_wf]):
        pass
    return client


async def test_unknown_workflow_is_not_found(registered: Client) -> None:
    with pytest.raises(
        WorkflowNotRegisteredError, match="workflow 'nope' is not registered"
    ) as err:
        await registered.create("nope", id="a")
    assert err.value.reason == "WORKFLOW_NOT_REGISTERED"
    assert err.value.metadata == {"workflow": "nope"}


@pytest.mark.parametrize(
    ("instance_id", "reason"),
    [
        ("x" * 101, "101 characters long; the limit is 100"),
        ("-leading-dash", "must match"),
        ("has space", "must match"),
        ("ünïcode", "must match"),
    ],
)
async def test_bad_instance_ids_are_invalid_arguments(
    registered: Client, instance_id: str, reason: str
) -> None:
    with pytest.raises(InvalidFieldError, match=reason) as err:
        await registered.create("known", id=instance_id)
    assert (err.value.reason, err.value.field) == ("INVALID_FIELD", "instance_id")


async def test_longest_valid_id_is_accepted(registered: Client) -> None:
    handle = await registered.create("known", id="x" * 100)
    assert handle.created


async def test_empty_id_reads_are_invalid_arguments(registered: Client) -> None:
    with pytest.raises(InvalidFieldError, match="must not be empty") as err:
        await registered.get_handle("known", "").status()
    assert (err.value.reason, err.value.field) == ("INVALID_FIELD", "instance_id")


async def test_missing_id_on_create_is_generated(registered: Client) -> None:
    handle = await registered.create("known", params={"a": 1})
    assert handle.created and len(handle.id) == 32
    assert (await handle.status()).params == {"a": 1}


async def test_payload_over_1_mib_is_refused_and_creates_nothing(registered: Client) -> None:
    big = "x" * (1024 * 1024)
    with pytest.raises(InvalidFieldError, match="the limit is 1048576 bytes") as err:
        await registered.create("known", id="big", params=big)
    assert (err.value.reason, err.value.field) == ("INVALID_FIELD", "params.data")
    with pytest.raises(InstanceNotFoundError):
        await registered.get_handle("known", "big").status()


async def test_event_payload_over_1_mib_is_refused(registered: Client) -> None:
    handle = await registered.create("known", id="ev")
    with pytest.raises(InvalidFieldError) as err:
        await handle.send_event("approved", "x" * (1024 * 1024))
    assert (err.value.reason, err.value.field) == ("INVALID_FIELD", "payload.data")


async def test_bad_event_type_is_refused(registered: Client) -> None:
    handle = await registered.create("known", id="evt")
    with pytest.raises(InvalidFieldError) as err:
        await handle.send_event("no spaces allowed", {})
    assert (err.value.reason, err.value.field) == ("INVALID_FIELD", "type")


async def test_recreating_an_id_returns_the_existing_instance_unchanged(registered: Client) -> None:
    first = await registered.create("known", id="dup", params={"v": 1})
    second = await registered.create("known", id="dup", params={"v": 2})
    assert first.created and not second.created
    assert (await second.status()).params == {"v": 1}


async def test_unknown_instance_is_not_found(registered: Client) -> None:
    with pytest.raises(
        InstanceNotFoundError, match="instance 'ghost' of workflow 'known' not found"
    ) as err:
        await registered.get_handle("known", "ghost").status()
    assert err.value.reason == "INSTANCE_NOT_FOUND"
    assert err.value.metadata == {"workflow": "known", "instance_id": "ghost"}


async def test_wrong_api_key_is_unauthenticated(dev_server: DevServer) -> None:
    with pytest.raises(UnauthenticatedError, match="API key is not valid") as err:
        await Client.connect(dev_server.address, api_key="sw_wrong")
    assert err.value.reason == "UNAUTHENTICATED"


async def test_missing_api_key_is_unauthenticated(dev_server: DevServer) -> None:
    async with grpc.aio.insecure_channel(dev_server.address) as channel:
        stub = fgrpc.WorkflowServiceStub(channel)
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await stub.GetInstance(fpb.GetInstanceRequest(workflow="known", instance_id="a"))
    assert err.value.code() is grpc.StatusCode.UNAUTHENTICATED
    assert "authorization: Bearer" in (err.value.details() or "")
    assert from_rpc_error(err.value).reason == "UNAUTHENTICATED"


@workflow("huge-output")
async def huge_output_wf(event: WorkflowEvent, step: Step) -> Any:
    return "x" * (1024 * 1024 + 1)


async def test_workflow_output_over_1_mib_errors_the_instance(client: Client) -> None:
    async with Worker(client, workflows=[huge_output_wf]):
        handle = await client.create("huge-output", id="huge")
        with pytest.raises(WorkflowFailedError) as failed:
            await handle.result(timeout=30)
    assert failed.value.error_type == "OutputTooLarge"
    assert "the limit is 1048576 bytes" in failed.value.error_message


async def test_wait_with_zero_timeout_answers_at_once(registered: Client) -> None:
    handle = await registered.create("known", id="zero-wait")
    with pytest.raises(TimeoutError):
        await handle.wait(timeout=0)


@pytest.mark.parametrize(
    ("retention", "reason"),
    [
        (0.5, "is 0.5 s; it must be between 1 s and 3650 days"),
        (3651 * 86_400, "it must be between 1 s and 3650 days"),
        (-5, "it must be between"),
    ],
)
async def test_retention_out_of_range_is_refused(
    registered: Client, retention: float, reason: str
) -> None:
    with pytest.raises(InvalidFieldError, match=reason) as err:
        await registered.create("known", id="kept", retention=retention)
    assert (err.value.reason, err.value.field) == ("INVALID_FIELD", "retention")
    with pytest.raises(InstanceNotFoundError):
        await registered.status("known", "kept")


async def test_control_calls_check_their_fields(registered: Client) -> None:
    await registered.create("known", id="ctl")
    handle = registered.get_handle("known", "bad id")
    for call in (handle.pause, handle.resume, handle.terminate, handle.delete, handle.history):
        with pytest.raises(InvalidFieldError) as err:
            await call()
        assert (err.value.reason, err.value.field) == ("INVALID_FIELD", "instance_id")
    with pytest.raises(InvalidFieldError, match="1001 characters long; the limit is 1000"):
        await registered.terminate("known", "ctl", reason="r" * 1001)
    with pytest.raises(InvalidFieldError, match="201 characters long; the limit is 200") as err:
        await registered.restart("known", "ctl", from_step="s" * 201)
    assert (err.value.reason, err.value.field) == ("INVALID_FIELD", "from_step")
    status = await registered.status("known", "ctl")
    assert status.status.value in ("queued", "running", "complete")


async def test_a_batch_of_worker_commands_over_the_limit_is_refused_whole(
    registered: Client,
) -> None:
    """Checked at the gateway for the whole batch, which it would otherwise split among the
    shard servers in parts each under the limit."""
    command = wpb.WorkerCommand(complete_workflow=wpb.CompleteWorkflowRequest(task_token=b"x"))
    with pytest.raises(InvalidFieldError, match="1001 commands; the limit is 1000") as info:
        await registered.call(
            registered.workers.RecordBatch, wpb.RecordBatchRequest(commands=[command] * 1001)
        )
    assert (info.value.reason, info.value.field) == ("INVALID_FIELD", "commands")
