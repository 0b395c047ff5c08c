"""Isolation between accounts: every RPC of every service, called with account A's keys on
account B's resources, and with each wrong role, is refused (NOT_FOUND or PERMISSION_DENIED, with
the ErrorInfo reason that says which, and the SDK's error of that reason), or answers only A's own
(empty) data; B's data is unchanged afterwards."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import grpc
import pytest
from google.protobuf.duration_pb2 import Duration
from google.protobuf.timestamp_pb2 import Timestamp

from gateway.dev import DevServer
from stepway import Client
from stepway.errors import BY_REASON, from_rpc_error, from_status
from stepway.v1 import admin_service_pb2 as apb
from stepway.v1 import admin_service_pb2_grpc as agrpc
from stepway.v1 import common_pb2 as cpb
from stepway.v1 import schedule_service_pb2 as spb
from stepway.v1 import schedule_service_pb2_grpc as sgrpc
from stepway.v1 import worker_service_pb2 as wpb
from stepway.v1 import worker_service_pb2_grpc as wgrpc
from stepway.v1 import workflow_service_pb2 as fpb
from stepway.v1 import workflow_service_pb2_grpc as fgrpc

REFUSED = {grpc.StatusCode.NOT_FOUND, grpc.StatusCode.PERMISSION_DENIED}
# The ErrorInfo reason (stepway.v1.ErrorReason) of a NOT_FOUND refusal: B's task tokens are no
# tasks of A's, B's workflow is not registered in A, and B's instance is not found in A.
NOT_FOUND_REASONS = {
    "WorkerService": "TASK_NOT_FOUND",
    "WorkflowService": "INSTANCE_NOT_FOUND",
    "ScheduleService": "SCHEDULE_NOT_FOUND",
}
WORKFLOW, INSTANCE = "w", "b1"  # account B's
# B's schedule, and the workflow it starts (registered in B only).
SCHEDULE, SCHEDULED = "bs", "sw"


@dataclass
class Tenant:
    name: str
    keys: dict[str, str]  # role -> key


async def _tenant(operator: Client, name: str) -> Tenant:
    await operator.admin.create_account(name)
    keys = {}
    for role in ("admin", "client", "worker"):
        keys[role] = (await operator.admin.create_key(name, role)).key
    return Tenant(name, keys)


def _md(key: str) -> tuple[tuple[str, str], ...]:
    return (("authorization", f"Bearer {key}"),)


def _workflow_calls(token: bytes) -> dict[str, Callable[[fgrpc.WorkflowServiceStub], Any]]:
    """One call per WorkflowService RPC, naming B's workflow and instance."""
    return {
        "CreateInstance": lambda s: s.CreateInstance(
            fpb.CreateInstanceRequest(
                workflow=WORKFLOW, instance_id=INSTANCE, params=cpb.Payload(data=b"1")
            )
        ),
        "CreateInstances": lambda s: s.CreateInstances(
            fpb.CreateInstancesRequest(
                workflow="w",
                instances=[fpb.CreateInstanceRequest(workflow=WORKFLOW, instance_id=INSTANCE)],
            )
        ),
        "GetInstance": lambda s: s.GetInstance(
            fpb.GetInstanceRequest(workflow=WORKFLOW, instance_id=INSTANCE)
        ),
        "WaitInstance": lambda s: s.WaitInstance(
            fpb.WaitInstanceRequest(workflow=WORKFLOW, instance_id=INSTANCE)
        ),
        "SendEvent": lambda s: s.SendEvent(
            fpb.SendEventRequest(workflow=WORKFLOW, instance_id=INSTANCE, type="go")
        ),
        "ListInstances": lambda s: s.ListInstances(fpb.ListInstancesRequest(workflow="w")),
        "PauseInstance": lambda s: s.PauseInstance(
            fpb.PauseInstanceRequest(workflow=WORKFLOW, instance_id=INSTANCE)
        ),
        "ResumeInstance": lambda s: s.ResumeInstance(
            fpb.ResumeInstanceRequest(workflow=WORKFLOW, instance_id=INSTANCE)
        ),
        "TerminateInstance": lambda s: s.TerminateInstance(
            fpb.TerminateInstanceRequest(workflow=WORKFLOW, instance_id=INSTANCE)
        ),
        "RestartInstance": lambda s: s.RestartInstance(
            fpb.RestartInstanceRequest(workflow=WORKFLOW, instance_id=INSTANCE)
        ),
        "DeleteInstance": lambda s: s.DeleteInstance(
            fpb.DeleteInstanceRequest(workflow=WORKFLOW, instance_id=INSTANCE)
        ),
        "DeleteInstances": lambda s: s.DeleteInstances(
            fpb.DeleteInstancesRequest(
                instances=[fpb.DeleteInstanceRequest(workflow=WORKFLOW, instance_id=INSTANCE)]
            )
        ),
        "GetHistory": lambda s: s.GetHistory(
            fpb.GetHistoryRequest(workflow=WORKFLOW, instance_id=INSTANCE)
        ),
        "WatchHistory": lambda s: _drain(
            s.WatchHistory(fpb.WatchHistoryRequest(workflow=WORKFLOW, instance_id=INSTANCE))
        ),
        "ListWorkflows": lambda s: s.ListWorkflows(fpb.ListWorkflowsRequest()),
        "ListWorkflowBuilds": lambda s: s.ListWorkflowBuilds(
            fpb.ListWorkflowBuildsRequest(workflow=WORKFLOW)
        ),
        "MoveWorkflowBuild": lambda s: s.MoveWorkflowBuild(
            fpb.MoveWorkflowBuildRequest(workflow=WORKFLOW, from_build_id="", to_build_id="x")
        ),
    }


def _worker_calls(
    token: bytes, step_token: bytes
) -> dict[str, Callable[[wgrpc.WorkerServiceStub], Any]]:
    """One call per WorkerService RPC, with B's workflow task token and step task token."""
    return {
        "RegisterWorker": lambda s: s.RegisterWorker(
            wpb.RegisterWorkerRequest(worker_id="intruder", task_queue="default", workflows=["w"])
        ),
        "PollWorkflowTasks": lambda s: s.PollWorkflowTasks(
            wpb.PollWorkflowTasksRequest(
                worker_id="intruder", task_queue="default", wait=Duration(nanos=100_000_000)
            )
        ),
        "GetTaskJournal": lambda s: s.GetTaskJournal(
            wpb.GetTaskJournalRequest(task_token=token, page_token="0")
        ),
        "CompleteStep": lambda s: s.CompleteStep(
            wpb.CompleteStepRequest(task_token=token, name="s", seq=1, attempt=1)
        ),
        "FailStep": lambda s: s.FailStep(
            wpb.FailStepRequest(task_token=token, name="s", seq=1, attempt=1)
        ),
        "StartSleep": lambda s: s.StartSleep(
            wpb.StartSleepRequest(task_token=token, name="nap", seq=1, wake_at=_in(60))
        ),
        "WaitForEvent": lambda s: s.WaitForEvent(
            wpb.WaitForEventRequest(
                task_token=token, name="e", seq=1, event_type="go", timeout_at=_in(60)
            )
        ),
        "CompleteWorkflow": lambda s: s.CompleteWorkflow(
            wpb.CompleteWorkflowRequest(task_token=token)
        ),
        "FailWorkflow": lambda s: s.FailWorkflow(wpb.FailWorkflowRequest(task_token=token)),
        "HeartbeatTasks": lambda s: s.HeartbeatTasks(
            wpb.HeartbeatTasksRequest(worker_id="intruder", task_tokens=[token])
        ),
        "ReleaseTasks": lambda s: s.ReleaseTasks(
            wpb.ReleaseTasksRequest(worker_id="intruder", task_tokens=[token])
        ),
        "RecordBatch": lambda s: s.RecordBatch(
            wpb.RecordBatchRequest(
                commands=[
                    wpb.WorkerCommand(
                        complete_workflow=wpb.CompleteWorkflowRequest(task_token=token)
                    )
                ]
            )
        ),
        "ScheduleCall": lambda s: s.ScheduleCall(
            wpb.ScheduleCallRequest(
                task_token=token, name="c", seq=1, task_queue="steps", step_type="t"
            )
        ),
        "PollStepTasks": lambda s: s.PollStepTasks(
            wpb.PollStepTasksRequest(
                worker_id="intruder", task_queue="steps", wait=Duration(nanos=100_000_000)
            )
        ),
        "CompleteStepTask": lambda s: s.CompleteStepTask(
            wpb.CompleteStepTaskRequest(task_token=step_token)
        ),
        "FailStepTask": lambda s: s.FailStepTask(wpb.FailStepTaskRequest(task_token=step_token)),
        "HeartbeatStepTask": lambda s: s.HeartbeatStepTask(
            wpb.HeartbeatStepTaskRequest(task_token=step_token)
        ),
    }


def _every_minute() -> spb.ScheduleSpec:
    spec = spb.ScheduleSpec()
    spec.interval.every.FromSeconds(60)
    return spec


def _schedule_calls() -> dict[str, Callable[[sgrpc.ScheduleServiceStub], Any]]:
    """One call per ScheduleService RPC, naming B's schedule (and B's workflow)."""
    action = spb.ScheduleAction(workflow=SCHEDULED)
    return {
        "CreateSchedule": lambda s: s.CreateSchedule(
            spb.CreateScheduleRequest(schedule_id=SCHEDULE, spec=_every_minute(), action=action)
        ),
        "GetSchedule": lambda s: s.GetSchedule(spb.GetScheduleRequest(schedule_id=SCHEDULE)),
        "ListSchedules": lambda s: s.ListSchedules(spb.ListSchedulesRequest()),
        "UpdateSchedule": lambda s: s.UpdateSchedule(
            spb.UpdateScheduleRequest(schedule_id=SCHEDULE, spec=_every_minute(), action=action)
        ),
        "PauseSchedule": lambda s: s.PauseSchedule(spb.PauseScheduleRequest(schedule_id=SCHEDULE)),
        "ResumeSchedule": lambda s: s.ResumeSchedule(
            spb.ResumeScheduleRequest(schedule_id=SCHEDULE)
        ),
        "DeleteSchedule": lambda s: s.DeleteSchedule(
            spb.DeleteScheduleRequest(schedule_id=SCHEDULE)
        ),
        "TriggerSchedule": lambda s: s.TriggerSchedule(
            spb.TriggerScheduleRequest(schedule_id=SCHEDULE)
        ),
        "BackfillSchedule": lambda s: s.BackfillSchedule(
            spb.BackfillScheduleRequest(
                schedule_id=SCHEDULE, start_time=_in(-3600), end_time=_in(-60)
            )
        ),
    }


def _admin_calls() -> dict[str, Callable[[agrpc.AdminServiceStub], Any]]:
    """One call per AdminService RPC, naming account B."""
    return {
        "GetServerInfo": lambda s: s.GetServerInfo(apb.GetServerInfoRequest()),
        "CreateAccount": lambda s: s.CreateAccount(apb.CreateAccountRequest(name="c")),
        "ListAccounts": lambda s: s.ListAccounts(apb.ListAccountsRequest()),
        "GetQuotas": lambda s: s.GetQuotas(apb.GetQuotasRequest(account="b")),
        "SetQuotas": lambda s: s.SetQuotas(
            apb.SetQuotasRequest(account="b", quotas=apb.Quotas(max_running=1))
        ),
        "CreateKey": lambda s: s.CreateKey(
            apb.CreateKeyRequest(account="b", role=apb.KEY_ROLE_ADMIN)
        ),
        "ListKeys": lambda s: s.ListKeys(apb.ListKeysRequest(account="b")),
        "RevokeKey": lambda s: s.RevokeKey(apb.RevokeKeyRequest(account="b", key_id="0" * 12)),
        "GetUsage": lambda s: s.GetUsage(apb.GetUsageRequest(account="b")),
    }


def _in(seconds: float) -> Timestamp:
    at = Timestamp()
    at.FromMicroseconds(int((time.time() + seconds) * 1_000_000))
    return at


async def _drain(call: Any) -> list[Any]:
    return [item async for item in call]


# Calls that name no resource of B's: they succeed, answering A's own (empty) data only.
OWN_DATA_ONLY = {
    "ListInstances",
    "ListSchedules",
    "ListWorkflows",
    "ListWorkflowBuilds",
    "PollWorkflowTasks",
    "PollStepTasks",
    "GetServerInfo",
}
# Calls that succeed with nothing done: a heartbeat answers B's token as lost to A, a release
# of a task A does not hold releases nothing, a batch answers each item's own error, and a
# registration registers the workflow name in A's own account, and a move of builds moves
# none of B's instances.
HARMLESS = {
    "HeartbeatTasks",
    "ReleaseTasks",
    "RecordBatch",
    "RegisterWorker",
    "CreateInstances",
    "DeleteInstances",
    "MoveWorkflowBuild",
}


async def _snapshot(b: Client, schedules: Callable[[], Any]) -> Any:
    info = await b.get_handle("w", "b1").status()
    history = await b.get_handle("w", "b1").history()
    calling = await b.get_handle("w", "b2").history()
    keys = await b.admin.list_keys("b")
    quotas = await b.admin.quotas("b")
    schedule = (await schedules()).schedule
    return (info.status, info.started_at, len(history), len(calling), keys, quotas, schedule)


@pytest.fixture
def lease_timeout() -> float:
    return 120.0  # B's task stays B's for the whole test


async def test_account_a_can_neither_see_nor_touch_account_b(
    dev_server: DevServer, client: Client
) -> None:
    a = await _tenant(client, "a")
    b_tenant = await _tenant(client, "b")
    b = await Client.connect(dev_server.address, api_key=b_tenant.keys["admin"])
    try:
        # B has a running instance whose task its own worker holds.
        await b.call(
            b.workers.RegisterWorker,
            wpb.RegisterWorkerRequest(worker_id="b-worker", task_queue="default", workflows=["w"]),
        )
        await b.create("w", id="b1", params=1)
        polled = await b.call(
            b.workers.PollWorkflowTasks,
            wpb.PollWorkflowTasksRequest(worker_id="b-worker", task_queue="default", max_tasks=1),
        )
        (task,) = polled.tasks
        # And another whose call its step worker is working on.
        await b.create("w", id="b2")
        polled = await b.call(
            b.workers.PollWorkflowTasks,
            wpb.PollWorkflowTasksRequest(worker_id="b-worker", task_queue="default", max_tasks=1),
        )
        await b.call(
            b.workers.ScheduleCall,
            wpb.ScheduleCallRequest(
                task_token=polled.tasks[0].task_token,
                name="c",
                seq=1,
                task_queue="steps",
                step_type="t",
            ),
        )
        stepped = await b.call(
            b.workers.PollStepTasks,
            wpb.PollStepTasksRequest(worker_id="b-steps", task_queue="steps", max_tasks=1),
        )
        (step_task,) = stepped.tasks

        async with grpc.aio.insecure_channel(dev_server.address) as channel:
            # And a paused schedule of its workflow "sw".
            b_schedules = _Bound(sgrpc.ScheduleServiceStub(channel), b_tenant.keys["admin"])
            await b.call(
                b.workers.RegisterWorker,
                wpb.RegisterWorkerRequest(
                    worker_id="b-worker", task_queue="default", workflows=[SCHEDULED]
                ),
            )
            await b_schedules.CreateSchedule(
                spb.CreateScheduleRequest(
                    schedule_id=SCHEDULE,
                    spec=_every_minute(),
                    action=spb.ScheduleAction(workflow=SCHEDULED),
                    paused=True,
                )
            )

            def schedules() -> Any:
                return b_schedules.GetSchedule(spb.GetScheduleRequest(schedule_id=SCHEDULE))

            before = await _snapshot(b, schedules)
            stubs = {
                "WorkflowService": (fgrpc.WorkflowServiceStub(channel), _workflow_calls),
                "WorkerService": (wgrpc.WorkerServiceStub(channel), lambda _t: {}),
                "ScheduleService": (
                    sgrpc.ScheduleServiceStub(channel),
                    lambda _t: _schedule_calls(),
                ),
                "AdminService": (agrpc.AdminServiceStub(channel), lambda _t: _admin_calls()),
            }
            services = {
                "WorkflowService": fpb.DESCRIPTOR.services_by_name["WorkflowService"],
                "WorkerService": wpb.DESCRIPTOR.services_by_name["WorkerService"],
                "ScheduleService": spb.DESCRIPTOR.services_by_name["ScheduleService"],
                "AdminService": apb.DESCRIPTOR.services_by_name["AdminService"],
            }
            right_role = {
                "WorkflowService": "client",
                "WorkerService": "worker",
                "ScheduleService": "client",
                "AdminService": "admin",
            }
            walked = 0
            for service, (stub, calls_of) in stubs.items():
                calls = (
                    _worker_calls(task.task_token, step_task.task_token)
                    if service == "WorkerService"
                    else calls_of(task.task_token)
                )
                # Every RPC of the service is in the walk.
                assert set(calls) == {m.name for m in services[service].methods}
                for rpc, call in calls.items():
                    for role, key in a.keys.items():
                        outcome = await _outcome(stub, call, key)
                        walked += 1
                        if isinstance(outcome, Refusal):
                            expected = (
                                "PERMISSION_DENIED"
                                if outcome.code is grpc.StatusCode.PERMISSION_DENIED
                                else "WORKFLOW_NOT_REGISTERED"
                                if rpc in ("CreateInstance", "CreateSchedule")
                                else NOT_FOUND_REASONS.get(service)
                            )
                            assert outcome.reason == expected, (service, rpc, role, outcome)
                            outcome = outcome.code
                        wrong_role = role != right_role[service] and role != "admin"
                        if service == "AdminService" and rpc != "GetServerInfo":
                            wrong_role = role != "admin"
                        where = f"{service}.{rpc} with A's {role} key"
                        if wrong_role and rpc != "GetServerInfo":
                            assert outcome == grpc.StatusCode.PERMISSION_DENIED, where
                        elif rpc in OWN_DATA_ONLY or rpc in HARMLESS:
                            assert not isinstance(outcome, grpc.StatusCode), (where, outcome)
                            _assert_nothing_of_b(rpc, outcome)
                        else:
                            assert isinstance(outcome, grpc.StatusCode), (where, outcome)
                            assert outcome in REFUSED, (where, outcome)
            assert walked == 3 * (17 + 17 + 9 + 9)
            assert await _snapshot(b, schedules) == before
    finally:
        await b.close()


@dataclass
class Refusal:
    code: grpc.StatusCode
    reason: str | None


async def _outcome(stub: Any, call: Callable[[Any], Any], key: str) -> Any:
    """The call's answer, or its status code and ErrorInfo reason when it failed; the SDK
    raises the typed error of that reason."""
    try:
        pending = call(_Bound(stub, key))
        return await pending
    except grpc.aio.AioRpcError as err:
        exc = from_rpc_error(err)
        assert exc.reason is not None and type(exc) is BY_REASON[exc.reason], exc
        return Refusal(err.code(), exc.reason)


class _Bound:
    """A stub whose calls carry one key."""

    def __init__(self, stub: Any, key: str) -> None:
        self._stub = stub
        self._key = key

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._stub, name)
        return lambda request: method(request, metadata=_md(self._key), timeout=10)


def _assert_nothing_of_b(rpc: str, answer: Any) -> None:
    if rpc == "ListInstances":
        assert list(answer.instances) == []
    elif rpc == "ListSchedules":
        assert list(answer.schedules) == []
    elif rpc == "ListWorkflows":
        assert [w.name for w in answer.workflows] in ([], ["w"])  # A's own registration only
        assert all(sum(s.count for s in w.instances) == 0 for w in answer.workflows)
    elif rpc == "ListWorkflowBuilds":
        assert list(answer.builds) == []
    elif rpc == "MoveWorkflowBuild":
        assert answer.moved == 0
    elif rpc in ("PollWorkflowTasks", "PollStepTasks"):
        assert list(answer.tasks) == []
    elif rpc == "GetServerInfo":
        assert answer.account == "a"
    elif rpc == "HeartbeatTasks":
        assert len(answer.lost_task_tokens) == 1  # B's task is not A's to keep
    elif rpc == "DeleteInstances":  # B's instance is not found in A's account
        assert answer.deleted == 0
        [error] = [from_status(r.error) for r in answer.results]
        assert error.reason == "INSTANCE_NOT_FOUND", error
    elif rpc in ("CreateInstances", "RecordBatch"):  # each item is refused on its own
        assert [r.error.code for r in answer.results] == [grpc.StatusCode.NOT_FOUND.value[0]]
        [error] = [from_status(r.error) for r in answer.results]
        expected = "TASK_NOT_FOUND" if rpc == "RecordBatch" else "WORKFLOW_NOT_REGISTERED"
        assert error.reason == expected and type(error) is BY_REASON[expected], error
