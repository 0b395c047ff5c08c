"""Versioned workflow code: an instance runs on the build of its first task, new instances on
the newest build, moves between builds on purpose, and a non-determinism blocks an instance
instead of erroring it (docs/versioning.md)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from gateway.dev import DevServer
from stepway import Client, InstanceStatus, NewInstance, Step, Worker, WorkflowEvent, workflow
from tests.helpers import eventually
from tests.sdk.test_cli import Cli, command_env, rows, until_waiting


@pytest.fixture(scope="module")
def cli_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return command_env(tmp_path_factory.mktemp("pycache"))


@pytest.fixture
def cli(cli_env: dict[str, str], dev_server: DevServer) -> Cli:
    return Cli(cli_env, dev_server)


def versioned(build: str, nap: float = 1.5) -> Any:
    """The workflow "versioned" as build `build` writes it: each step records the build that
    ran it."""

    @workflow("versioned")
    async def run(event: WorkflowEvent, step: Step) -> Any:
        first = await step.do("first", lambda: build)
        await step.sleep("nap", (event.params or {}).get("nap", nap))
        second = await step.do("second", lambda: build)
        return {"first": first, "second": second}

    return run


async def builds_of(client: Client, name: str) -> dict[str, dict[InstanceStatus, int]]:
    return {
        ("(unassigned)" if b.unassigned else b.build_id): b.instances
        for b in await client.workflow_builds(name)
    }


async def test_instances_sleeping_on_build_a_finish_on_a_while_new_ones_start_on_b(
    client: Client,
) -> None:
    async with Worker(client, workflows=[versioned("A")], build_id="A") as a:
        await client.create_batch("versioned", [NewInstance(id=f"old-{n}") for n in range(100)])
        old = [client.get_handle("versioned", f"old-{n}") for n in range(100)]

        async def all_sleeping() -> dict[InstanceStatus, int]:
            return (await builds_of(client, "versioned")).get("A", {})

        await eventually(
            all_sleeping,
            lambda c: c.get(InstanceStatus.WAITING, 0) + c.get(InstanceStatus.COMPLETE, 0) == 100,
            what="the old instances on build A",
        )
        async with Worker(client, workflows=[versioned("B")], build_id="B") as b:
            await client.create_batch("versioned", [NewInstance(id=f"new-{n}") for n in range(10)])
            new = [client.get_handle("versioned", f"new-{n}") for n in range(10)]
            old_results = await asyncio.gather(*(h.result(timeout=60) for h in old))
            new_results = await asyncio.gather(*(h.result(timeout=60) for h in new))
            assert a.build_id == "A" and b.build_id == "B"
    assert all(r == {"first": "A", "second": "A"} for r in old_results)
    assert all(r == {"first": "B", "second": "B"} for r in new_results)
    history = await client.history("versioned", "old-7")
    # Two tasks, or one when the nap was over before the server recorded it (a loaded machine).
    handed = [e for e in history if e.type in ("started", "resumed_on_worker")]
    assert handed and {e.build_id for e in handed} == {"A"}
    assert (await client.status("versioned", "new-3")).build_id == "B"
    counts = await builds_of(client, "versioned")
    assert counts["A"] == {InstanceStatus.COMPLETE: 100}
    assert counts["B"] == {InstanceStatus.COMPLETE: 10}
    assert [b.build_id for b in await client.workflow_builds("versioned")][:2] == ["B", "A"]


async def test_an_instance_waits_for_its_build_and_runs_on_the_new_one_once_moved(
    client: Client,
) -> None:
    async with Worker(client, workflows=[versioned("A")], build_id="A"):
        handle = await client.create("versioned", id="pinned", params={"nap": 1.5})
        await eventually(
            handle.status, lambda i: i.status is InstanceStatus.WAITING, what="sleeping on A"
        )
    # No worker of build A is left: once the nap ends, the instance waits, queued, for one,
    # while a worker of build B polls the same task queue.
    async with Worker(client, workflows=[versioned("B")], build_id="B"):
        info = await eventually(
            handle.status, lambda i: i.status is InstanceStatus.QUEUED, what="queued for A"
        )
        assert info.build_id == "A"
        await asyncio.sleep(0.3)  # B's poll is open all along; it must not take the task
        assert (await handle.status()).status is InstanceStatus.QUEUED
        assert (await builds_of(client, "versioned"))["A"] == {InstanceStatus.QUEUED: 1}
        polling = {b.build_id: b.polling for b in await client.workflow_builds("versioned")}
        assert polling == {"A": False, "B": True}  # queued on A: it waits for a worker of A
        assert await client.move_build("versioned", "A", "B") == 1
        assert await handle.result(timeout=30) == {"first": "A", "second": "B"}
    history = await client.history("versioned", "pinned")
    moved = [e for e in history if e.type == "build_moved"]
    assert len(moved) == 1 and moved[0].build_id == "B"


def changed(kind: str) -> Any:
    """The workflow "changing": its step "x" is a sleep in the first version; "do" asks for
    a do step under the same name, which the first version's journal cannot follow."""

    @workflow("changing")
    async def run(event: WorkflowEvent, step: Step) -> Any:
        if kind == "sleep":
            await step.sleep("x", 0.3)
        else:
            await step.do("x", lambda: "done")
        await step.sleep("y", 1.5)  # long enough to be recorded on a loaded machine
        return {"x": kind}

    return run


async def test_a_non_determinism_blocks_the_instance_until_a_fixed_build_finishes_it(
    client: Client,
) -> None:
    async with Worker(client, workflows=[changed("sleep")]):
        handle = await client.create("changing", id="nd")
        await eventually(
            handle.status,
            lambda i: i.status is InstanceStatus.WAITING and i.current_step == "y",
            what="past x, sleeping in y",
        )
    # The same (unversioned) build deployed again with changed code: its replay meets "x".
    async with Worker(client, workflows=[changed("do")]):
        info = await eventually(
            handle.status, lambda i: i.blocked is not None, what="blocked by non-determinism"
        )
    assert info.status is InstanceStatus.WAITING and info.error is None
    assert info.blocked is not None
    assert (info.blocked.step_name, info.blocked.step_seq) == ("x", 1)
    assert (info.blocked.recorded_kind, info.blocked.requested_kind) == ("sleep", "do")
    history = await client.history("changing", "nd")
    found = [e for e in history if e.type == "non_determinism"]
    assert found and found[0].non_determinism is not None
    assert found[0].step_name == "x" and found[0].error is not None
    assert found[0].error.type == "NonDeterminismError"
    assert (await builds_of(client, "changing"))[""] == {InstanceStatus.WAITING: 1}
    # A newer build with the first version's steps registers: the instance runs there.
    async with Worker(client, workflows=[changed("sleep")], build_id="fixed"):
        assert await handle.result(timeout=30) == {"x": "sleep"}
    final = await handle.status()
    assert final.status is InstanceStatus.COMPLETE and final.build_id == "fixed"
    assert final.blocked is None


async def test_versions_command_counts_instances_per_build_and_move_build_moves_them(
    client: Client, cli: Cli
) -> None:
    async with Worker(client, workflows=[versioned("A")], build_id="A"):
        batch = [NewInstance(id=f"v-{n}", params={"nap": 600}) for n in range(3)]
        await client.create_batch("versioned", batch)
        for n in range(3):
            await until_waiting(client, "versioned", f"v-{n}")
    # No worker polls now: on no build yet. (The worker's last poll may still be open at the
    # shard when it is created: its claim is given back, on no build, once the poll's
    # cancellation arrives.)
    await client.create("versioned", id="v-new")
    await eventually(
        lambda: client.workflow_builds("versioned"),
        lambda builds: (
            [(b.build_id, b.unassigned, b.instances) for b in builds]
            == [("A", False, {InstanceStatus.WAITING: 3}), ("", True, {InstanceStatus.QUEUED: 1})]
        ),
        what="v-new on no build",
    )
    shown = await cli("workflows", "versions", "versioned")
    assert shown.code == 0, shown.err
    assert rows(shown) == [
        ["A", "yes", "no", rows(shown)[0][3], "0", "3 waiting"],
        ["(none yet)", "-", "0", "1 queued"],
    ]
    documents = (await cli("workflows", "versions", "versioned", "--json")).json()
    assert [(d["build_id"], d["unassigned"], d["instances"]) for d in documents] == [
        ("A", False, {"waiting": 3}),
        ("", True, {"queued": 1}),
    ]
    moved = await cli("workflows", "move-build", "versioned", "--from", "A", "--to", "B", "--json")
    assert moved.code == 0, moved.err
    assert moved.json() == {"moved": 3}
    after = {b.build_id: b.instances for b in await client.workflow_builds("versioned")}
    assert after["B"] == {InstanceStatus.WAITING: 3} and "A" in after
    refused = await cli("workflows", "move-build", "versioned", "--from", "B", "--to", "B")
    assert refused.code != 0 and "to_build_id" in refused.err
