"""Workflows for the fault tests, run by worker subprocesses (`python -m stepway worker`).

Every step execution appends a line to the file named by STEPWAY_TEST_LOG, so a test can count
how often each step of each instance ran, across processes.
"""

from __future__ import annotations

import os
import time
from typing import Any

from stepway import Step, WorkflowEvent, workflow


def record(instance_id: str, step: str) -> None:
    with open(os.environ["STEPWAY_TEST_LOG"], "a") as log:
        log.write(f"{instance_id} {step}\n")


def run_step(instance_id: str, step: str, seconds: float = 0.0) -> str:
    record(instance_id, step)
    if step == "b" and os.environ.get("STEPWAY_TEST_HANG_IN_B"):
        time.sleep(3600)  # this worker gets killed here
    if seconds:
        time.sleep(seconds)
    return f"{step}-done"


@workflow("fault")
async def fault(event: WorkflowEvent, step: Step) -> Any:
    pause = (event.params or {}).get("step_seconds", 0.0)
    nap = (event.params or {}).get("sleep", 0.0)
    a = await step.do("a", run_step, event.instance_id, "a", pause)
    if nap:
        await step.sleep("nap", nap)
    b = await step.do("b", run_step, event.instance_id, "b", pause)
    c = await step.do("c", run_step, event.instance_id, "c", pause)
    return [a, b, c]


def executions(log_path: str) -> dict[tuple[str, str], int]:
    """(instance id, step) -> how many times the step body ran."""
    counts: dict[tuple[str, str], int] = {}
    if not os.path.exists(log_path):
        return counts
    with open(log_path) as log:
        for line in log:
            instance_id, step = line.split()
            counts[(instance_id, step)] = counts.get((instance_id, step), 0) + 1
    return counts


def undo_step(booked: dict[str, str]) -> None:
    """A saga step's rollback; the rollback of "a" hangs when STEPWAY_TEST_HANG_IN_UNDO_A is
    set, so that its worker is killed mid-rollback."""
    record(booked["instance_id"], f"undo-{booked['step']}")
    if booked["step"] == "a" and os.environ.get("STEPWAY_TEST_HANG_IN_UNDO_A"):
        time.sleep(3600)  # this worker gets killed here


def book_step(instance_id: str, step: str) -> dict[str, str]:
    """A saga step: what its rollback receives."""
    record(instance_id, step)
    return {"instance_id": instance_id, "step": step}


@workflow("fault_saga")
async def fault_saga(event: WorkflowEvent, step: Step) -> Any:
    await step.do("a", book_step, event.instance_id, "a", rollback=undo_step)
    await step.do("b", book_step, event.instance_id, "b", rollback=undo_step)
    raise RuntimeError("payment declined")
