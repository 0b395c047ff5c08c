"""Builds of worker code: which build an instance's tasks go to, what blocks an instance whose
run could not follow its journal, and moving instances between builds. Pure functions.

An instance's build is fixed when it is first dispatched: to the newest build registered for
its workflow then (the build id whose first registration is the latest, "" for unversioned
workers). From then on its tasks go only to workers polling with that build id, for as long as
it runs: when none is live it waits, queued, and `ListWorkflowBuilds` shows it there, until a
worker of its build polls again or `move` sends it to another build. Nothing moves an instance
by itself but a non-determinism: a run that asked for another kind of step than the journal
holds `block`s the instance (WAITING, never ERRORED), and the next registration of the newest
build of its workflow (`unblock`) or a `move` queues it again on that build.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace

from shards.core.machine import check_lease, queue, settle_pause
from shards.core.machine import claim as claim_task
from shards.core.model import FINAL, HistoryEntry, HistoryKind, Instance, Status, Transition

UNVERSIONED = ""


@dataclass(frozen=True)
class Build:
    """A build registered for a workflow, with its first and latest registration times."""

    build_id: str
    first_registered_at: int
    last_registered_at: int


def newest(builds: list[Build]) -> str:
    """The build new instances start on: the latest first registration (ties: the greater id),
    unversioned when none registered."""
    if not builds:
        return UNVERSIONED
    return max(builds, key=lambda b: (b.first_registered_at, b.build_id)).build_id


def target(inst: Instance, newest_build: str) -> str:
    """The build the instance's next task goes to: its own, or the newest while it has none."""
    return newest_build if inst.build_id is None else inst.build_id


@dataclass(frozen=True)
class NonDeterminism:
    """A run met a journal it cannot follow: at a step's name and occurrence, the code asked
    for another kind of step than the recorded one. Kinds are StepKind values ("" unknown)."""

    step_name: str
    step_seq: int
    recorded_kind: str
    requested_kind: str
    message: str
    build_id: str

    def to_json(self) -> str:
        return json.dumps(asdict(self), separators=(",", ":"))

    @staticmethod
    def from_json(text: str) -> NonDeterminism:
        doc = json.loads(text)
        return NonDeterminism(
            step_name=str(doc.get("step_name", "")),
            step_seq=int(doc.get("step_seq", 0)),
            recorded_kind=str(doc.get("recorded_kind", "")),
            requested_kind=str(doc.get("requested_kind", "")),
            message=str(doc.get("message", "")),
            build_id=str(doc.get("build_id", "")),
        )

    def describe(self) -> str:
        return (
            f"step {self.step_name!r} #{self.step_seq} is recorded as a {self.recorded_kind} "
            f"step, but the code asked for a {self.requested_kind} step"
        )


def claim(
    inst: Instance, worker: str, build: str, lease: int, now: int, lease_timeout_us: int
) -> Transition:
    """A worker of this build takes the instance's task: the instance is on this build from
    now on (shards.core.machine.claim, with the build in the history)."""
    tr = claim_task(inst, worker, lease, now, lease_timeout_us)
    tr.instance = replace(tr.instance, build_id=build, blocked=None)
    tr.history = [replace(h, detail={**(h.detail or {}), "build_id": build}) for h in tr.history]
    return tr


def route_elsewhere(inst: Instance, newest_build: str) -> Transition:
    """A poll of another build took the instance: it goes to its own build's queue, an
    instance without one to the newest build, which it is on from now on."""
    return Transition(replace(inst, build_id=target(inst, newest_build)), dispatch=True)


def block(inst: Instance, lease: int, found: NonDeterminism, now: int) -> Transition:
    """The run could not follow the journal: the task ends and the instance waits, blocked,
    for another build (or its own, registered again); it is not errored."""
    check_lease(inst, lease)
    new = replace(
        inst,
        status=Status.WAITING,
        due_at=None,
        lease_token=None,
        lease_worker=None,
        blocked=found.to_json(),
    )
    detail = {
        "error_type": "NonDeterminismError",
        "error_message": found.message or found.describe(),
        "build_id": found.build_id,
        "non_determinism": asdict(found),
    }
    history = [
        HistoryEntry(
            HistoryKind.NON_DETERMINISM, now, found.step_name, found.step_seq, detail=detail
        )
    ]
    return settle_pause(inst, Transition(new, history=history, task_ended=True), now)


def is_blocked(inst: Instance) -> bool:
    return inst.blocked is not None and inst.status is Status.WAITING


def unblock(inst: Instance, build: str, now: int) -> Transition | None:
    """The newest build of the instance's workflow registered: a blocked instance is queued
    on it. None for an instance not blocked."""
    if not is_blocked(inst):
        return None
    return _moved(inst, build, now)


def move(inst: Instance, from_build: str, to_build: str, now: int) -> Transition | None:
    """Moves an unfinished instance of from_build to to_build: its next task goes there (a
    task running now finishes on its worker); a blocked one is queued there at once, a queued
    one goes to the new build's queue. None for an instance not on from_build, or finished."""
    if inst.status in FINAL or inst.build_id != from_build or from_build == to_build:
        return None
    return _moved(inst, to_build, now)


def _moved(inst: Instance, build: str, now: int) -> Transition:
    detail = {"build_id": build, "reason": f"from build {inst.build_id!r}"}
    history = [HistoryEntry(HistoryKind.BUILD_MOVED, now, detail=detail)]
    new = replace(inst, build_id=build)
    if is_blocked(inst):
        new = queue(new, now)
        history.append(HistoryEntry(HistoryKind.QUEUED, now))
        return Transition(new, history=history, dispatch=True)
    return Transition(new, history=history, dispatch=inst.status is Status.QUEUED)
