"""A worker killed in the middle of a rollback: the next one goes on with the rollbacks not
yet done, and never runs a finished one again (docs/rollbacks.md)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
from pathlib import Path

import pytest

from gateway.dev import DevServer
from stepway import Client, Worker, WorkflowFailedError
from tests.cluster.test_faults import _create_when_registered, _spawn, procs
from tests.fault_workflows import executions, fault_saga
from tests.helpers import eventually

# procs is test_faults's fixture: the worker processes a test starts, killed at its end.
__all__ = ["procs"]


@pytest.fixture
def lease_timeout() -> float:
    # Far longer than the test may take: the killed worker's dropped connection gives its
    # task back.
    return 120.0


async def test_a_worker_killed_mid_rollback_leaves_finished_rollbacks_done(
    dev_server: DevServer,
    client: Client,
    tmp_path: Path,
    procs: list[subprocess.Popen[bytes]],
) -> None:
    log = str(tmp_path / "steps.log")
    env = {
        "STEPWAY_TEST_LOG": log,
        "STEPWAY_TEST_HANG_IN_UNDO_A": "1",
        "STEPWAY_ADDRESS": dev_server.address,
        "STEPWAY_API_KEY": dev_server.api_key,
    }
    doomed = _spawn(["worker", "tests.fault_workflows"], env)
    procs.append(doomed)
    handle = await _create_when_registered(client, "fault_saga", "s1")
    await eventually(
        lambda: asyncio.to_thread(executions, log),
        lambda counts: counts.get(("s1", "undo-a"), 0) == 1,
        what="the rollback of a started on the first worker",
    )
    doomed.send_signal(signal.SIGKILL)
    doomed.wait(timeout=10)

    os.environ["STEPWAY_TEST_LOG"] = log
    try:
        async with Worker(client, workflows=[fault_saga]):
            with pytest.raises(WorkflowFailedError):
                await handle.result(timeout=60)
    finally:
        del os.environ["STEPWAY_TEST_LOG"]
    counts = executions(log)
    assert (counts[("s1", "a")], counts[("s1", "b")]) == (1, 1)  # steps: never run again
    assert counts[("s1", "undo-b")] == 1  # finished before the kill: never run again
    assert counts[("s1", "undo-a")] == 2  # in flight at the kill: run again, recorded once
    info = await handle.describe()
    assert info.rollback == "rolled_back"
    history = await handle.history()
    assert [e.step_name for e in history if e.type == "rollback_succeeded"] == ["b", "a"]
