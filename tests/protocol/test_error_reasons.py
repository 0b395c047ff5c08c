"""One table of error reasons: stepway.v1.ErrorReason is what the server's errors carry, what
docs/protocol.md lists and what the SDK maps to typed errors, each reason with one gRPC code;
and a fault answers the same google.rpc.Status (reason and details) whether it ends a whole
call, a CreateInstances item or a RecordBatch command."""

from __future__ import annotations

import re
from pathlib import Path

import grpc
import pytest
from google.rpc.error_details_pb2 import ErrorInfo

from gateway.dev import DevServer
from shards import errors
from shards.rpc import error_status
from stepway import errors as sdk_errors
from stepway.v1 import errors_pb2 as epb
from stepway.v1 import worker_service_pb2 as wpb
from stepway.v1 import workflow_service_pb2 as fpb
from tests.raw_stubs import error_info, raw_stubs

ROOT = Path(__file__).resolve().parents[2]
REASONS = [v.name for v in epb.ErrorReason.DESCRIPTOR.values if v.number != 0]


def _proto_codes() -> dict[str, str]:
    """Each value's gRPC code, as the first word of its comment in errors.proto says."""
    text = (ROOT / "protos" / "stepway" / "v1" / "errors.proto").read_text()
    found = re.findall(r"// ([A-Z_]+): [^=]*?\n  ([A-Z_]+) = \d+;", text)
    return {name: code for code, name in found}


def _server_codes() -> dict[str, set[str]]:
    """The codes each reason goes out with, over every error class of the server that may be
    raised (a base that names no reason of its own, such as NotFound, is not)."""
    codes: dict[str, set[str]] = {}
    pending: list[type[errors.StepwayError]] = [errors.StepwayError]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if "reason" in cls.__dict__ or not cls.__subclasses__():
            codes.setdefault(epb.ErrorReason.Name(cls.reason), set()).add(cls.code.name)
    return codes


def _doc_rows() -> list[tuple[str, str]]:
    """(reason, code) of each row of the reasons table in docs/protocol.md, in order."""
    text = (ROOT / "docs" / "protocol.md").read_text()
    return re.findall(r"^\| `([A-Z_]+)` \| `([A-Z_]+)` \|", text, re.MULTILINE)


def test_every_reason_has_one_code_in_the_proto_the_server_the_docs_and_the_sdk() -> None:
    proto = _proto_codes()
    assert sorted(proto) == sorted(REASONS)
    server = _server_codes()
    # Each reason is sent by some error class, always with the code its comment names.
    assert {reason: {code} for reason, code in proto.items()} == server
    assert _doc_rows() == [(reason, proto[reason]) for reason in REASONS]
    assert sorted(sdk_errors.BY_REASON) == sorted(REASONS)
    for reason, cls in sdk_errors.BY_REASON.items():
        assert cls.code is not None and cls.code.name == proto[reason], reason


def test_every_error_status_carries_its_reason_and_the_details_of_its_kind() -> None:
    samples: list[errors.StepwayError] = [
        errors.InvalidArgument("instances[3].params", "is too big"),
        errors.QuotaExceeded("creations_per_second", 10, 0.25),
        errors.DatabaseUnavailable(),
        errors.ShardUnavailable("no shard server is running"),
        errors.NotOwner({3}, {3: "s2"}),
        errors.Internal("abc123"),
    ]
    for exc in samples:
        status = error_status(exc)
        info = error_info(status)
        assert info.reason == epb.ErrorReason.Name(exc.reason)
        assert dict(info.metadata) == exc.metadata
        typed = sdk_errors.from_status(status)
        assert type(typed) is sdk_errors.BY_REASON[info.reason]
        assert (typed.reason, typed.metadata, typed.retry_after) == (
            info.reason,
            exc.metadata,
            exc.retry_after,
        )
    field = sdk_errors.from_status(error_status(samples[0]))
    assert isinstance(field, sdk_errors.InvalidFieldError) and field.field == "instances[3].params"
    quota = sdk_errors.from_status(error_status(samples[1]))
    assert isinstance(quota, sdk_errors.QuotaExceededError)
    assert (quota.quota, quota.retry_after) == ("creations_per_second", 0.25)


def test_an_unknown_reason_is_raised_as_the_error_of_its_code() -> None:
    status = error_status(errors.LeaseLost("gone"))
    status.details[0].Pack(ErrorInfo(reason="SOMETHING_NEW", domain="stepway.dev"))
    typed = sdk_errors.from_status(status)
    assert type(typed) is sdk_errors.FailedPreconditionError
    assert typed.reason == "SOMETHING_NEW"


async def test_a_fault_answers_the_same_status_for_a_call_a_batch_item_and_a_command(
    dev_server: DevServer,
) -> None:
    async with raw_stubs(dev_server) as raw:
        # An unregistered workflow: the whole call, and the same item of a batch.
        single = fpb.CreateInstanceRequest(workflow="nope", instance_id="a")
        with pytest.raises(grpc.aio.AioRpcError) as call:
            await raw.workflows.CreateInstance(single, metadata=raw.md)
        batch = await raw.workflows.CreateInstances(
            fpb.CreateInstancesRequest(instances=[single]), metadata=raw.md
        )
        whole = sdk_errors.from_rpc_error(call.value)
        item = sdk_errors.from_status(batch.results[0].error)
        assert isinstance(whole, sdk_errors.WorkflowNotRegisteredError)
        assert (type(item), item.message, item.reason, item.metadata) == (
            type(whole),
            whole.message,
            "WORKFLOW_NOT_REGISTERED",
            {"workflow": "nope"},
        )
        # A lost lease: the whole write, and the same write as a command of a batch.
        task = await raw.task("lease")
        done = wpb.CompleteWorkflowRequest(task_token=task.task_token)
        await raw.workers.CompleteWorkflow(done, metadata=raw.md)
        late = wpb.StartSleepRequest(task_token=task.task_token, name="nap", seq=1)
        late.wake_at.GetCurrentTime()
        with pytest.raises(grpc.aio.AioRpcError) as call:
            await raw.workers.StartSleep(late, metadata=raw.md)
        answer = await raw.workers.RecordBatch(
            wpb.RecordBatchRequest(commands=[wpb.WorkerCommand(start_sleep=late)]),
            metadata=raw.md,
        )
        whole = sdk_errors.from_rpc_error(call.value)
        command = sdk_errors.from_status(answer.results[0].error)
        assert isinstance(whole, sdk_errors.TaskLeaseLostError)
        assert (type(command), command.message, command.reason) == (
            type(whole),
            whole.message,
            "TASK_LEASE_LOST",
        )
