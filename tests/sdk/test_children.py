"""Child workflows: step.run_workflow waits for a child's output or raises ChildWorkflowFailed,
step.start_workflow answers the child's id at once, one child per step across a worker's
crash, the parent-close policies, the depth limit and the children quota."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta
from typing import Any

from gateway.dev import DevServer
from stepway import (
    ChildWorkflowFailed,
    Client,
    FailedPreconditionError,
    InstanceNotFoundError,
    InstanceStatus,
    QuotaExceededError,
    Step,
    Worker,
    WorkflowEvent,
    workflow,
)
from stepway.testing import WorkflowEnvironment
from tests.helpers import eventually
from tests.shards.test_quotas import _default_account, set_quotas

# Set by a test to let the blocked step of `crashy` return.
unblock = asyncio.Event()


@workflow("double")
async def double(event: WorkflowEvent, step: Step) -> Any:
    if event.params.get("fail"):
        raise ValueError(f"cannot double {event.params['n']}")
    return {"doubled": await step.do("double", lambda: event.params["n"] * 2)}


@workflow("waiter")
async def waiter(event: WorkflowEvent, step: Step) -> Any:
    await step.wait_for_event("go", type="go", timeout=3600)
    return "went"


@workflow("parent")
async def parent(event: WorkflowEvent, step: Step) -> Any:
    p = event.params
    if p.get("mode") == "start":
        kid = await step.start_workflow("waiter", id=p.get("id"))
        return {"started": kid}
    try:
        out = await step.run_workflow("double", {"n": p["n"], "fail": p.get("fail", False)})
    except ChildWorkflowFailed as exc:
        return {"failed": [exc.workflow, exc.status, exc.error_type, exc.error_message]}
    return {"child": out}


@workflow("orphan")
async def orphan(event: WorkflowEvent, step: Step) -> Any:
    try:
        await step.run_workflow("nobody_serves_this")
    except ChildWorkflowFailed as exc:
        return [exc.status, exc.error_type, exc.instance_id != ""]
    return "started"


@workflow("crashy")
async def crashy(event: WorkflowEvent, step: Step) -> Any:
    kid = await step.start_workflow("waiter")

    async def blocked() -> str:
        await unblock.wait()
        return "unblocked"

    await step.do("block", blocked)
    return {"kid": kid}


@workflow("closer")
async def closer(event: WorkflowEvent, step: Step) -> Any:
    await step.start_workflow("waiter", id="keep-1")
    await step.start_workflow("waiter", id="kill-1", parent_close="terminate")
    return await step.run_workflow("waiter", id="kill-2")


@workflow("nest")
async def nest(event: WorkflowEvent, step: Step) -> Any:
    n = event.params["n"]
    if n == 0:
        return "bottom"
    try:
        return await step.run_workflow("nest", {"n": n - 1})
    except FailedPreconditionError as exc:
        return {"refused": exc.message}


@workflow("many")
async def many(event: WorkflowEvent, step: Step) -> Any:
    ids = []
    try:
        for n in range(3):
            ids.append(await step.start_workflow("waiter", id=f"many-{n}"))
    except QuotaExceededError as exc:
        return {"ids": ids, "quota": exc.metadata.get("quota")}
    return {"ids": ids}


async def status_of(client: Client, workflow: str, id: str) -> InstanceStatus | None:
    """The instance's status; None while it does not exist (its start is on its way)."""
    try:
        return (await client.get_handle(workflow, id).status()).status
    except InstanceNotFoundError:
        return None


WORKFLOWS = [double, waiter, parent, orphan, crashy, closer, nest, many]


async def test_a_child_completes_and_the_parent_gets_its_output(client: Client) -> None:
    async with Worker(client, workflows=WORKFLOWS):
        handle = await client.create("parent", id="p1", params={"n": 21})
        assert await handle.result(timeout=30) == {"child": {"doubled": 42}}
    info = await handle.describe()
    [kid] = info.children
    assert (kid.workflow, kid.step_name, kid.wait, kid.status) == (
        "double",
        "child:double",
        True,
        InstanceStatus.COMPLETE,
    )
    child = await client.get_handle("double", kid.id).describe()
    assert child.parent is not None
    assert (child.parent.workflow, child.parent.id, child.parent.depth) == ("parent", "p1", 1)
    assert child.parent.parent_close == "terminate"
    types = [e.type for e in await handle.history()]
    assert "child_started" in types and "child_ended" in types


async def test_a_child_failure_raises_child_workflow_failed_in_the_parent(client: Client) -> None:
    async with Worker(client, workflows=WORKFLOWS):
        handle = await client.create("parent", id="p2", params={"n": 1, "fail": True})
        result = await handle.result(timeout=30)
    assert result == {"failed": ["double", "errored", "ValueError", "cannot double 1"]}


async def test_start_workflow_returns_the_child_id_without_waiting(client: Client) -> None:
    async with Worker(client, workflows=WORKFLOWS):
        handle = await client.create("parent", id="p3", params={"mode": "start", "id": "w-3"})
        assert await handle.result(timeout=30) == {"started": "w-3"}
        child = client.get_handle("waiter", "w-3")
        # The parent ended while its child waits: ABANDON is the default of start_workflow.
        await eventually(
            lambda: status_of(client, "waiter", "w-3"),
            lambda s: s is InstanceStatus.WAITING,
            what="the child waits",
        )
        await child.send_event("go", {})
        assert await child.result(timeout=30) == "went"


async def test_a_worker_crash_after_the_start_leaves_exactly_one_child(client: Client) -> None:
    global unblock
    unblock = asyncio.Event()  # of this test's event loop
    first = Worker(client, workflows=WORKFLOWS)
    await first.__aenter__()
    handle = await client.create("crashy", id="c1")
    await eventually(handle.describe, lambda i: i.current_step == "block", what="block running")
    # The worker goes away while `block` runs: the task is run again by another worker, which
    # replays the start.
    await first.__aexit__(None, None, None)
    unblock.set()
    async with Worker(client, workflows=WORKFLOWS):
        result = await handle.result(timeout=30)
    # The child's start is delivered from the parent's outbox after its commit (and retried
    # until it lands): the parent may end first.
    page = await eventually(
        lambda: client.list_page("waiter"), lambda p: bool(p.instances), what="the child started"
    )
    assert [i.id for i in page.instances] == [result["kid"]]
    assert (await handle.describe()).children[0].id == result["kid"]


async def test_terminating_a_parent_applies_each_childs_parent_close_policy(
    client: Client,
) -> None:
    async def kids() -> dict[str, InstanceStatus]:
        page = await client.list_page("waiter")
        return {i.id: i.status for i in page.instances}

    async with Worker(client, workflows=WORKFLOWS):
        handle = await client.create("closer", id="cl1")
        waiting = dict.fromkeys(["keep-1", "kill-1", "kill-2"], InstanceStatus.WAITING)
        await eventually(kids, lambda k: k == waiting, what="three children waiting")
        await handle.terminate("enough")
        after = {
            "keep-1": InstanceStatus.WAITING,
            "kill-1": InstanceStatus.TERMINATED,
            "kill-2": InstanceStatus.TERMINATED,
        }
        await eventually(kids, lambda k: k == after, what="the policies applied")
    history = await client.get_handle("waiter", "kill-2").history()
    assert [e.reason for e in history if e.type == "terminated"] == ["parent closed"]


async def test_the_depth_limit_refuses_a_ninth_level(client: Client) -> None:
    async with Worker(client, workflows=WORKFLOWS):
        handle = await client.create("nest", id="n0", params={"n": 9})
        result = await handle.result(timeout=60)
    assert "depth limit of child workflows is 8 levels" in result["refused"]


async def test_the_children_quota_refuses_the_start_past_it(
    client: Client, dev_server: DevServer
) -> None:
    set_quotas(dev_server.db, _default_account(dev_server), max_children_per_instance=2)
    async with Worker(client, workflows=WORKFLOWS):
        handle = await client.create("many", id="m1")
        result = await handle.result(timeout=30)
    assert result == {"ids": ["many-0", "many-1"], "quota": "max_children_per_instance"}


async def test_a_child_of_an_unregistered_workflow_fails_the_step_as_refused(
    client: Client,
) -> None:
    async with Worker(client, workflows=WORKFLOWS):
        handle = await client.create("orphan", id="o1")
        assert await handle.result(timeout=30) == ["refused", "StartRefused", True]
    page = await client.list_page("nobody_serves_this")
    assert page.instances == []


async def test_a_parent_paused_while_its_child_runs_goes_on_once_resumed(client: Client) -> None:
    async with Worker(client, workflows=WORKFLOWS):
        handle = await client.create("closer", id="cl2")
        await eventually(
            lambda: status_of(client, "waiter", "kill-2"),
            lambda s: s is InstanceStatus.WAITING,
            what="the waited-for child waiting",
        )
        await handle.pause()
        await client.get_handle("waiter", "kill-2").send_event("go", {})
        assert await client.get_handle("waiter", "kill-2").result(timeout=30) == "went"
        await eventually(
            handle.describe,
            lambda i: any(c.id == "kill-2" and c.status is not None for c in i.children),
            what="the parent heard of its child's end",
        )
        assert (await handle.status()).status is InstanceStatus.PAUSED
        await handle.resume()
        assert await handle.result(timeout=30) == "went"


@workflow("slow_kid")
async def slow_kid(event: WorkflowEvent, step: Step) -> Any:
    await step.sleep("a day", 86_400)
    return "rested"


@workflow("patient")
async def patient(event: WorkflowEvent, step: Step) -> Any:
    return await step.run_workflow("slow_kid")


async def test_the_test_kit_skips_a_childs_sleep_and_the_parent_gets_its_output() -> None:
    started = time.monotonic()
    async with WorkflowEnvironment.start(workflows=[slow_kid, patient]) as env:
        t0 = env.now()
        handle = await env.client.create("patient", id="pt1")
        assert await handle.result(timeout=10) == "rested"
        assert env.now() - t0 >= timedelta(days=1)
    assert time.monotonic() - started < 10
