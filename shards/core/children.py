"""Child workflows, as pure functions: what a CHILD step's start does to its parent, what the
child's owner does with the start, what the child's end does to the parent, and what the
parent's end does to its children.

A CHILD step starts one child instance per (name, seq): the parent's transaction journals the
step, links the child (a child_links row) and writes a "start" message to the outbox, all in
the parent's partition. The engine's relay (shards.engine.children) delivers each message to
the shard server owning the target's partition and deletes it once answered; the child's id
is fixed by the message, so a message delivered twice creates nothing more. The child's end
writes an "ended" message to its parent the same way, and a parent's end writes a "terminate"
message to each child it must take with it (ParentClose.TERMINATE).

Like shards.core.machine, every function here takes rows as read in the current transaction and
returns what to write, or raises a domain error before anything is written; nothing does I/O.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, replace
from enum import StrEnum
from typing import Any

from shards.core import control
from shards.core.machine import check_kind, check_lease, renew, settle_pause, suspend
from shards.core.model import (
    FINAL,
    HistoryEntry,
    HistoryKind,
    Instance,
    Status,
    Step,
    StepKind,
    StepState,
    Transition,
)
from shards.errors import FailedPrecondition, QuotaExceeded

# Levels of children under a top-level instance: a top-level instance is at depth 0, its
# children at 1, and a child at MAX_DEPTH starts none.
MAX_DEPTH = 8
# The error type of a CHILD step whose child did not complete (or could not start).
CHILD_FAILED = "ChildWorkflowFailed"
# The reason a child terminated by its parent's end records.
PARENT_CLOSED = "parent closed"
# How long a refusal by the children quota asks to wait: the count never goes down while the
# instance runs, so waiting helps only after an admin raised the quota.
QUOTA_RETRY_SECONDS = 60.0


class ParentClose(StrEnum):
    """What a child still running does when its parent ends."""

    TERMINATE = "terminate"
    ABANDON = "abandon"


class MessageKind(StrEnum):
    START = "start"
    ENDED = "ended"
    TERMINATE = "terminate"


@dataclass(frozen=True)
class ParentRef:
    """A child's link to its parent, as the child's row holds it (JSON)."""

    partition: int
    uid: str
    workflow: str
    instance_id: str
    step: str
    seq: int
    depth: int
    close: ParentClose
    wait: bool

    def dumps(self) -> str:
        return json.dumps(asdict(self), separators=(",", ":"))

    @classmethod
    def loads(cls, text: str) -> ParentRef:
        doc = json.loads(text)
        doc["close"] = ParentClose(doc["close"])
        return cls(**doc)

    def same_step(self, other: ParentRef) -> bool:
        return (self.uid, self.step, self.seq) == (other.uid, other.step, other.seq)


def parent_of(inst: Instance) -> ParentRef | None:
    return None if inst.parent is None else ParentRef.loads(inst.parent)


def depth_of(inst: Instance) -> int:
    """0 for a top-level instance, 1 for its child, ..."""
    ref = parent_of(inst)
    return 0 if ref is None else ref.depth


def child_id(parent: Instance, name: str, seq: int) -> str:
    """The id of the child a step starts when it names none: the parent's id and a digest of
    the parent's internal id, the step's name and its occurrence, the same on every replay
    and unique per step. At most 97 characters, of the instance id pattern."""
    digest = hashlib.sha256(f"{parent.uid}/{name}/{seq}".encode()).hexdigest()[:16]
    return f"{parent.instance_id[:80]}-{digest}"


@dataclass(frozen=True)
class ChildSpec:
    """What a workflow asked for: the child's workflow, id (empty: child_id), params, task
    queue, parent-close policy (None: the default for wait) and whether it waits."""

    workflow: str
    instance_id: str
    params: bytes
    task_queue: str | None
    close: ParentClose | None
    wait: bool
    trace_parent: str | None = None


@dataclass(frozen=True)
class ChildLink:
    """A child as its parent's child_links row holds it."""

    partition: int
    uid: str
    name: str
    seq: int
    workflow: str
    instance_id: str
    close: ParentClose
    wait: bool
    started_at: int
    # The child's final status once its end reached the parent ("refused": it never
    # started); None before.
    status: str | None = None


@dataclass(frozen=True)
class Message:
    """A message to the owner of the target instance's partition."""

    kind: MessageKind
    account_id: str
    workflow: str
    instance_id: str
    body: bytes


@dataclass
class ChildStart:
    """What a CHILD step's start does: the parent's transition, the link and message to write
    (None when the step was started before), and the finished journal entry to answer (None
    when the parent now waits)."""

    transition: Transition
    instance_id: str
    link: ChildLink | None = None
    message: Message | None = None
    done: Step | None = None


def default_close(wait: bool) -> ParentClose:
    """A child the parent waits for goes with it; one started without waiting runs on."""
    return ParentClose.TERMINATE if wait else ParentClose.ABANDON


def start(
    inst: Instance,
    existing: Step | None,
    *,
    lease: int,
    name: str,
    seq: int,
    spec: ChildSpec,
    max_children: int,
    now: int,
    lease_timeout_us: int,
) -> ChildStart:
    """A workflow run starts a child. A step started before answers its entry when finished,
    or suspends the parent on it again when it still waits; it never starts a second child.
    Refused past MAX_DEPTH (FailedPrecondition) and past the account's children per instance
    (QuotaExceeded, quota max_children_per_instance)."""
    check_lease(inst, lease)
    check_kind(existing, StepKind.CHILD)
    if existing is not None:
        known_id = existing.event_type or spec.instance_id
        if existing.state is not StepState.PENDING:
            return ChildStart(Transition(inst), known_id, done=existing)
        tr = Transition(suspend(inst, None, name))
        return ChildStart(settle_pause(inst, tr, now), known_id)
    depth = depth_of(inst) + 1
    if depth > MAX_DEPTH:
        raise FailedPrecondition(
            f"step {name!r} would start a child at depth {depth}: the depth limit of child "
            f"workflows is {MAX_DEPTH} levels"
        )
    if inst.children >= max_children:
        raise QuotaExceeded(
            "max_children_per_instance",
            max_children,
            QUOTA_RETRY_SECONDS,
            detail=f"instance {inst.instance_id!r} started {inst.children} children",
        )
    instance_id = spec.instance_id or child_id(inst, name, seq)
    close = spec.close or default_close(spec.wait)
    ref = ParentRef(
        inst.partition,
        inst.uid,
        inst.workflow,
        inst.instance_id,
        name,
        seq,
        depth,
        close,
        spec.wait,
    )
    header: dict[str, Any] = {
        "parent": json.loads(ref.dumps()),
        "task_queue": spec.task_queue,
        "trace_parent": spec.trace_parent or inst.trace_parent,
    }
    message = Message(
        MessageKind.START, inst.account_id, spec.workflow, instance_id, pack(header, spec.params)
    )
    link = ChildLink(
        inst.partition, inst.uid, name, seq, spec.workflow, instance_id, close, spec.wait, now
    )
    detail = {"child_workflow": spec.workflow, "child_instance_id": instance_id}
    history = [HistoryEntry(HistoryKind.CHILD_STARTED, now, name, seq, detail=detail)]
    counted = replace(inst, children=inst.children + 1)
    if spec.wait:
        step = Step(
            name, seq, StepKind.CHILD, StepState.PENDING, started_at=now, event_type=instance_id
        )
        tr = Transition(suspend(counted, None, name), steps=[step], history=history)
        return ChildStart(settle_pause(inst, tr, now), instance_id, link, message)
    result = _dumps({"workflow": spec.workflow, "instance_id": instance_id})
    step = Step(
        name,
        seq,
        StepKind.CHILD,
        StepState.SUCCEEDED,
        started_at=now,
        attempts=1,
        result=result,
        event_type=instance_id,
        ended_at=now,
    )
    tr = Transition(
        renew(counted, now, lease_timeout_us, current_step=name), steps=[step], history=history
    )
    return ChildStart(settle_pause(inst, tr, now), instance_id, link, message, done=step)


# ---------------------------------------------------------------------- at the child's owner


@dataclass(frozen=True)
class StartOrder:
    """A "start" message read: the child's parent, params, task queue and trace."""

    parent: ParentRef
    params: bytes
    task_queue: str | None
    trace_parent: str | None


def read_start(body: bytes) -> StartOrder:
    doc, params = unpack(body)
    parent = dict(doc["parent"])
    parent["close"] = ParentClose(parent["close"])
    return StartOrder(
        ParentRef(**parent), params or b"null", doc.get("task_queue"), doc.get("trace_parent")
    )


# What the target's owner answers for a start: the child runs (or ran), or it cannot start.
STARTED: dict[str, Any] = {"outcome": "started"}
# What it answers for the other messages.
DONE: dict[str, Any] = {"outcome": "done"}
# The error type of a child that could not start.
START_REFUSED = "StartRefused"


def refused(message: str) -> dict[str, Any]:
    return {"outcome": "refused", "error_message": message}


def answer_existing(child: Instance, parent: ParentRef) -> tuple[dict[str, Any], Message | None]:
    """The answer to a start whose id names an instance already there. The child itself (the
    start delivered again, or sent again by a restarted parent) answers STARTED, and when it
    has ended its end goes to the parent again (the message returned); any other instance of
    that id refuses the start."""
    ref = parent_of(child)
    if ref is None or not ref.same_step(parent):
        return (
            refused(
                f"an instance {child.instance_id!r} of workflow {child.workflow!r} exists "
                "already and is not this step's child"
            ),
            None,
        )
    return STARTED, on_end(child) if child.status in FINAL else None


@dataclass(frozen=True)
class Ending:
    """How a child ended, as its parent takes it: its final status ("refused": it never
    started), its output, or its error."""

    status: str
    output: bytes | None = None
    error_type: str = ""
    error_message: str = ""
    child_workflow: str = ""
    child_instance_id: str = ""


def ending_of(child: Instance) -> Ending:
    error_type, error_message = child.error_type or "", child.error_message or ""
    if child.status is Status.TERMINATED and not error_type:
        error_type, error_message = "Terminated", "the child instance was terminated"
    return Ending(
        child.status.value,
        child.output,
        error_type,
        error_message,
        child.workflow,
        child.instance_id,
    )


def on_end(child: Instance) -> Message | None:
    """The message an instance's end sends its parent, if it is a child."""
    ref = parent_of(child)
    if ref is None:
        return None
    end = ending_of(child)
    header = {
        "parent_uid": ref.uid,
        "step": ref.step,
        "seq": ref.seq,
        "status": end.status,
        "error_type": end.error_type,
        "error_message": end.error_message,
        "child_workflow": end.child_workflow,
        "child_instance_id": end.child_instance_id,
    }
    body = pack(header, end.output)
    return Message(MessageKind.ENDED, child.account_id, ref.workflow, ref.instance_id, body)


@dataclass(frozen=True)
class EndNotice:
    """An "ended" message read: the parent's uid and step, and how the child ended."""

    parent_uid: str
    step: str
    seq: int
    ending: Ending


def read_end(body: bytes) -> EndNotice:
    doc, output = unpack(body)
    ending = Ending(
        doc["status"],
        output,
        doc["error_type"],
        doc["error_message"],
        doc["child_workflow"],
        doc["child_instance_id"],
    )
    return EndNotice(doc["parent_uid"], doc["step"], int(doc["seq"]), ending)


def closing(parent: Instance, links: list[ChildLink]) -> list[Message]:
    """The messages a parent's end sends: terminate each child still running (as far as the
    parent knows) whose policy is TERMINATE."""
    body = pack({"parent_uid": parent.uid}, None)
    return [
        Message(MessageKind.TERMINATE, parent.account_id, link.workflow, link.instance_id, body)
        for link in links
        if link.close is ParentClose.TERMINATE and link.status is None
    ]


def read_terminate(body: bytes) -> str:
    """The parent's uid a "terminate" message names."""
    return str(unpack(body)[0]["parent_uid"])


def terminate_child(child: Instance, parent_uid: str, now: int) -> Transition | None:
    """A "terminate" message at the child: the child ends TERMINATED unless it has ended or is
    not that parent's child."""
    ref = parent_of(child)
    if child.status in FINAL or ref is None or ref.uid != parent_uid:
        return None
    return control.terminate(child, PARENT_CLOSED, now)


# ---------------------------------------------------------------------- at the parent's owner


def child_ended(
    parent: Instance,
    step: Step | None,
    link: ChildLink | None,
    *,
    name: str,
    seq: int,
    ending: Ending,
    now: int,
) -> tuple[Transition, ChildLink | None]:
    """A child's end (or its refused start) reaches the parent: the link records its status,
    and a CHILD step still waiting is settled (SUCCEEDED with the child's output when it
    completed, else FAILED as ChildWorkflowFailed) and the parent queued again. Delivered
    twice, it changes nothing the second time."""
    if link is not None and link.status is not None:
        return Transition(parent), None
    new_link = None if link is None else replace(link, status=ending.status)
    if parent.status in FINAL:
        return Transition(parent), new_link
    detail: dict[str, Any] = {
        "child_workflow": link.workflow if link else ending.child_workflow,
        "child_instance_id": link.instance_id if link else ending.child_instance_id,
        "reason": ending.status,
    }
    completed = ending.status == Status.COMPLETE.value
    if not completed:
        detail["error_type"] = ending.error_type
        detail["error_message"] = ending.error_message
    history = [HistoryEntry(HistoryKind.CHILD_ENDED, now, name, seq, detail=detail)]
    if step is None or step.kind is not StepKind.CHILD or step.state is not StepState.PENDING:
        return Transition(parent, history=history), new_link
    if completed:
        done = replace(
            step,
            state=StepState.SUCCEEDED,
            attempts=1,
            result=ending.output if ending.output is not None else b"null",
            ended_at=now,
        )
    else:
        done = replace(
            step,
            state=StepState.FAILED,
            attempts=1,
            error_type=CHILD_FAILED,
            error_message=failure_text(ending.status, ending.error_type, ending.error_message),
            ended_at=now,
        )
    if parent.status is Status.WAITING and parent.current_step == name:
        history.append(HistoryEntry(HistoryKind.QUEUED, now))
        queued = replace(
            parent,
            status=Status.QUEUED,
            ready_at=now,
            due_at=None,
            lease_token=None,
            lease_worker=None,
        )
        return Transition(queued, steps=[done], history=history, dispatch=True), new_link
    # Paused meanwhile: resume finds the step done and queues the parent.
    return Transition(parent, steps=[done], history=history), new_link


def failure_text(status: str, error_type: str, error_message: str) -> str:
    """A failed CHILD step's error message: "<status>: <type>: <message>", which the SDKs read
    back into ChildWorkflowFailed."""
    return f"{status}: {error_type}: {error_message}"


def _dumps(doc: dict[str, Any]) -> bytes:
    return json.dumps(doc, separators=(",", ":")).encode()


def pack(header: dict[str, Any], payload: bytes | None) -> bytes:
    """A message's body: its header as one line of JSON, then the payload's bytes as stored
    (params or output), so that a payload travels unescaped."""
    doc = {**header, "payload": payload is not None}
    return _dumps(doc) + b"\n" + (payload or b"")


def unpack(body: bytes) -> tuple[dict[str, Any], bytes | None]:
    head, _, payload = body.partition(b"\n")
    doc: dict[str, Any] = json.loads(head)
    return doc, payload if doc.pop("payload") else None
