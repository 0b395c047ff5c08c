"""Worker builds as a worker in another language sees them: a build id in RegisterWorker and
PollWorkflowTasks, a non-determinism reported with FailWorkflow, the builds listed and moved
(docs/worker-protocol.md, docs/versioning.md)."""

from __future__ import annotations

from gateway.dev import DevServer
from stepway.v1 import common_pb2 as cpb
from stepway.v1 import worker_service_pb2 as wpb
from stepway.v1 import workflow_service_pb2 as fpb
from tests.raw_stubs import Raw, raw_stubs, refused


async def register(raw: Raw, worker_id: str, build_id: str) -> None:
    await raw.workers.RegisterWorker(
        wpb.RegisterWorkerRequest(
            worker_id=worker_id, task_queue="q", workflows=["built"], build_id=build_id
        ),
        metadata=raw.md,
    )


async def poll(raw: Raw, worker_id: str, build_id: str, wait: float) -> list[wpb.WorkflowTask]:
    request = wpb.PollWorkflowTasksRequest(
        worker_id=worker_id, task_queue="q", max_tasks=10, build_id=build_id
    )
    request.wait.FromMilliseconds(int(wait * 1000))
    return list((await raw.workers.PollWorkflowTasks(request, metadata=raw.md)).tasks)


async def get(raw: Raw, instance_id: str) -> cpb.Instance:
    resp: fpb.GetInstanceResponse = await raw.workflows.GetInstance(
        fpb.GetInstanceRequest(workflow="built", instance_id=instance_id), metadata=raw.md
    )
    return resp.instance


async def test_raw_registration_with_a_build_id_routes_tasks_by_build(
    dev_server: DevServer,
) -> None:
    async with raw_stubs(dev_server) as raw:
        await register(raw, "w-a", "1.0")
        await raw.workflows.CreateInstance(
            fpb.CreateInstanceRequest(workflow="built", instance_id="r1"), metadata=raw.md
        )
        assert await poll(raw, "w-old", "0.9", 0) == []  # not the newest build
        [task] = await poll(raw, "w-a", "1.0", 10)
        got = await get(raw, "r1")
        assert (got.build_id, got.build_assigned) == ("1.0", True)
        # A newer build registers: the running instance stays on 1.0, a new one goes to 2.0.
        await register(raw, "w-b", "2.0")
        await raw.workflows.CreateInstance(
            fpb.CreateInstanceRequest(workflow="built", instance_id="r2"), metadata=raw.md
        )
        assert await poll(raw, "w-a", "1.0", 0) == []
        [second] = await poll(raw, "w-b", "2.0", 10)
        assert second.instance_id == "r2"
        # A journal the code cannot follow: the instance waits, blocked, not errored.
        found = cpb.NonDeterminism(
            step_name="charge",
            step_seq=1,
            recorded_kind=cpb.STEP_KIND_SLEEP,
            requested_kind=cpb.STEP_KIND_DO,
            message="charge #1 was a sleep",
            build_id="1.0",
        )
        await raw.workers.FailWorkflow(
            wpb.FailWorkflowRequest(task_token=task.task_token, non_determinism=found),
            metadata=raw.md,
        )
        blocked = await get(raw, "r1")
        assert blocked.status == cpb.INSTANCE_STATUS_WAITING
        assert blocked.blocked.step_name == "charge"
        assert blocked.blocked.requested_kind == cpb.STEP_KIND_DO
        assert not blocked.HasField("error")
        builds = await raw.workflows.ListWorkflowBuilds(
            fpb.ListWorkflowBuildsRequest(workflow="built"), metadata=raw.md
        )
        assert [(b.build_id, b.newest, b.blocked) for b in builds.builds] == [
            ("2.0", True, 0),
            ("1.0", False, 1),
        ]
        # The newest build registering again takes the blocked instance.
        await register(raw, "w-b", "2.0")
        [retried] = await poll(raw, "w-b", "2.0", 10)
        assert retried.instance_id == "r1"
        history = await raw.workflows.GetHistory(
            fpb.GetHistoryRequest(workflow="built", instance_id="r1"), metadata=raw.md
        )
        types = [e.type for e in history.events]
        assert cpb.HISTORY_EVENT_TYPE_NON_DETERMINISM in types
        assert cpb.HISTORY_EVENT_TYPE_BUILD_MOVED in types
        await refused(
            raw.workers.RegisterWorker(
                wpb.RegisterWorkerRequest(
                    worker_id="w", task_queue="q", workflows=["built"], build_id="no spaces"
                ),
                metadata=raw.md,
            ),
            "build_id",
        )
        await refused(
            raw.workflows.MoveWorkflowBuild(
                fpb.MoveWorkflowBuildRequest(workflow="built", from_build_id="a", to_build_id="a"),
                metadata=raw.md,
            ),
            "to_build_id",
        )
