"""Saga rollbacks as a worker in another language does them (docs/worker-protocol.md): raw
StartRollback, rollback attempts and FailWorkflow in RecordBatch, no SDK."""

from __future__ import annotations

from typing import Any

import grpc

from gateway.dev import DevServer
from stepway.v1 import common_pb2 as cpb
from stepway.v1 import worker_service_pb2 as wpb
from stepway.v1 import workflow_service_pb2 as fpb
from tests.raw_stubs import Raw, error_field, raw_stubs

FAILED_PRECONDITION = grpc.StatusCode.FAILED_PRECONDITION.value[0]


async def _one(raw: Raw, kind: str, request: Any) -> wpb.CommandResult:
    command = wpb.WorkerCommand()
    getattr(command, kind).CopyFrom(request)
    resp = await raw.workers.RecordBatch(
        wpb.RecordBatchRequest(commands=[command]), metadata=raw.md
    )
    result: wpb.CommandResult = resp.results[0]
    return result


def _done(token: bytes, name: str, rollback: bool = False) -> wpb.CompleteStepRequest:
    return wpb.CompleteStepRequest(
        task_token=token,
        name=name,
        seq=1,
        attempt=1,
        result=cpb.Payload(data=b'"ok"'),
        rollback=rollback,
    )


async def test_a_raw_worker_rolls_back_in_the_order_the_server_answers(
    dev_server: DevServer,
) -> None:
    async with raw_stubs(dev_server) as raw:
        task = await raw.task("rb1")
        token = task.task_token
        for name in ("reserve", "charge"):
            assert (await _one(raw, "complete_step", _done(token, name))).HasField("complete_step")
        cause = cpb.Failure(type="PaymentDeclined", message="card refused")

        def start(*names: str) -> wpb.StartRollbackRequest:
            steps = [wpb.StepRef(name=n, seq=1) for n in names]
            return wpb.StartRollbackRequest(task_token=token, error=cause, steps=steps)

        bad = await _one(raw, "start_rollback", start("reserve", ""))
        assert error_field(bad.error) == "steps[1].name"
        twice = await _one(raw, "start_rollback", start("reserve", "reserve"))
        assert error_field(twice.error) == "steps"
        assert "names step 'reserve' #1 twice" in twice.error.message
        unknown = await _one(raw, "start_rollback", start("reserve", "ship"))
        assert unknown.error.code == FAILED_PRECONDITION
        assert "'ship' #1 is not recorded" in unknown.error.message

        plan = (await _one(raw, "start_rollback", start("reserve", "charge"))).start_rollback
        assert [(e.name, e.seq, e.kind, e.state) for e in plan.rollbacks] == [
            ("charge", 1, cpb.STEP_KIND_ROLLBACK, cpb.STEP_STATE_UNSPECIFIED),
            ("reserve", 1, cpb.STEP_KIND_ROLLBACK, cpb.STEP_STATE_UNSPECIFIED),
        ]
        # While it rolls back: no new step, no completion.
        new_step = await _one(raw, "complete_step", _done(token, "ship"))
        assert new_step.error.code == FAILED_PRECONDITION
        assert "rolling back" in new_step.error.message
        complete = wpb.CompleteWorkflowRequest(task_token=token)
        assert (await _one(raw, "complete_workflow", complete)).error.code == FAILED_PRECONDITION

        assert (await _one(raw, "complete_step", _done(token, "charge", True))).HasField(
            "complete_step"
        )
        again = (await _one(raw, "start_rollback", start("reserve", "charge"))).start_rollback
        assert [(e.name, e.state) for e in again.rollbacks] == [
            ("charge", cpb.STEP_STATE_SUCCEEDED),
            ("reserve", cpb.STEP_STATE_UNSPECIFIED),
        ]
        assert (await _one(raw, "complete_step", _done(token, "reserve", True))).HasField(
            "complete_step"
        )
        end = wpb.FailWorkflowRequest(task_token=token, error=cpb.Failure(type="Ignored"))
        assert (await _one(raw, "fail_workflow", end)).HasField("fail_workflow")

        got = await raw.workflows.GetInstance(
            fpb.GetInstanceRequest(workflow="raw", instance_id="rb1", include_steps=True),
            metadata=raw.md,
        )
    inst = got.instance
    assert inst.status == cpb.INSTANCE_STATUS_ERRORED
    assert inst.rollback == cpb.ROLLBACK_OUTCOME_ROLLED_BACK
    assert (inst.error.type, inst.error.message) == ("PaymentDeclined", "card refused")
    rolled = [(s.name, s.seq, s.state) for s in got.steps if s.kind == cpb.STEP_KIND_ROLLBACK]
    assert sorted(rolled) == [
        ("charge", 1, cpb.STEP_STATE_SUCCEEDED),
        ("reserve", 1, cpb.STEP_STATE_SUCCEEDED),
    ]
