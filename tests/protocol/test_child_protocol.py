"""Starting a child workflow through the raw worker protocol (RecordBatch's start_child), as a
worker in another language does: the parent waits, the child runs as any instance, its output
lands in the parent's journal, and the start sent again by a replay starts nothing more."""

from __future__ import annotations

import json

from gateway.dev import DevServer
from stepway.v1 import common_pb2 as cpb
from stepway.v1 import worker_service_pb2 as wpb
from stepway.v1 import workflow_service_pb2 as fpb
from tests.raw_stubs import Raw, error_field, raw_stubs

TRACE = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"


def start_child(token: bytes, **fields: object) -> wpb.WorkerCommand:
    command = wpb.WorkerCommand()
    command.start_child.CopyFrom(
        wpb.StartChildRequest(task_token=token, name="kid", seq=1, workflow="raw", **fields)  # type: ignore[arg-type]
    )
    return command


async def next_task(raw: Raw) -> wpb.WorkflowTask:
    poll = wpb.PollWorkflowTasksRequest(worker_id="w1", task_queue="q", max_tasks=1)
    poll.wait.FromSeconds(10)
    resp = await raw.workers.PollWorkflowTasks(poll, metadata=raw.md)
    assert len(resp.tasks) == 1
    task: wpb.WorkflowTask = resp.tasks[0]
    return task


async def test_a_raw_worker_starts_a_child_and_reads_its_output_once(
    dev_server: DevServer,
) -> None:
    async with raw_stubs(dev_server) as raw:
        parent = await raw.task("p1")
        params = cpb.Payload(data=b'{"x": 1}')
        batch = wpb.RecordBatchRequest(
            commands=[start_child(parent.task_token, params=params, wait=True, trace_parent=TRACE)]
        )
        [result] = (await raw.workers.RecordBatch(batch, metadata=raw.md)).results
        assert result.WhichOneof("result") == "start_child", result
        assert result.start_child.suspended
        child_id = result.start_child.instance_id
        assert child_id.startswith("p1-")

        child = await next_task(raw)
        assert (child.instance_id, child.params.data) == (child_id, b'{"x": 1}')
        # The child's runs join the trace of the run that started it.
        assert child.trace_parent == TRACE
        done = wpb.WorkerCommand()
        done.complete_workflow.task_token = child.task_token
        done.complete_workflow.output.data = b'{"y": 2}'
        await raw.workers.RecordBatch(wpb.RecordBatchRequest(commands=[done]), metadata=raw.md)

        again = await next_task(raw)
        assert again.instance_id == "p1"
        [entry] = [e for e in again.journal if e.name == "kid"]
        assert entry.kind == cpb.STEP_KIND_CHILD
        assert entry.state == cpb.STEP_STATE_SUCCEEDED
        assert (json.loads(entry.result.data), entry.child_instance_id) == ({"y": 2}, child_id)

        # A replay sends the same start: it answers the recorded entry, and starts no child.
        batch = wpb.RecordBatchRequest(commands=[start_child(again.task_token, params=params)])
        [replayed] = (await raw.workers.RecordBatch(batch, metadata=raw.md)).results
        assert not replayed.start_child.suspended
        assert replayed.start_child.instance_id == child_id
        assert replayed.start_child.step.state == cpb.STEP_STATE_SUCCEEDED

        listed = await raw.workflows.ListInstances(
            fpb.ListInstancesRequest(workflow="raw"), metadata=raw.md
        )
        assert sorted(i.instance_id for i in listed.instances) == sorted(["p1", child_id])
        got = await raw.workflows.GetInstance(
            fpb.GetInstanceRequest(workflow="raw", instance_id=child_id), metadata=raw.md
        )
        assert (got.instance.parent.instance_id, got.instance.parent.step_name) == ("p1", "kid")


async def test_a_bad_start_child_names_its_field(dev_server: DevServer) -> None:
    async with raw_stubs(dev_server) as raw:
        parent = await raw.task("p2")
        bad = [
            start_child(parent.task_token, parent_close=7),
            start_child(parent.task_token, instance_id="not an id"),
            start_child(parent.task_token, params=cpb.Payload(data=b"{nope")),
        ]
        resp = await raw.workers.RecordBatch(wpb.RecordBatchRequest(commands=bad), metadata=raw.md)
        fields = [error_field(r.error) for r in resp.results]
        assert fields == ["parent_close", "instance_id", "params"]
