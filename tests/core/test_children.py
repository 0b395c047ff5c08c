"""The rules of child workflows (shards/core/children.py): a CHILD step starts one child per
step, the depth limit and the children quota refuse before anything is written, a child's end
settles the parent's step once, and a parent's end terminates only its TERMINATE children
still running."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shards.core import children, control
from shards.core.children import ChildSpec, MessageKind, ParentClose, ParentRef
from shards.core.model import Status, StepState
from shards.errors import FailedPrecondition, QuotaExceeded
from tests.core.test_machine import LEASE, LEASE_US, T0, running

SPEC = ChildSpec("kid", "", b'{"n": 1}', None, None, wait=True)


def start(inst: object = None, existing: object = None, **spec: object) -> children.ChildStart:
    return children.start(
        running() if inst is None else inst,  # type: ignore[arg-type]
        existing,  # type: ignore[arg-type]
        lease=LEASE,
        name="kid",
        seq=1,
        spec=replace(SPEC, **spec),  # type: ignore[arg-type]
        max_children=1_000,
        now=T0 + 5_000,
        lease_timeout_us=LEASE_US,
    )


def test_a_waiting_start_suspends_the_parent_and_writes_one_start_message() -> None:
    change = start()
    assert change.transition.instance.status is Status.WAITING
    assert change.transition.instance.children == 1
    assert change.message is not None and change.message.kind is MessageKind.START
    assert change.link is not None and change.link.close is ParentClose.TERMINATE
    assert change.done is None
    order = children.read_start(change.message.body)
    assert order.parent.depth == 1 and order.params == b'{"n": 1}'


def test_the_same_start_replayed_starts_no_second_child() -> None:
    first = start()
    [pending] = first.transition.steps
    replayed = start(running(lease=LEASE), pending)
    assert replayed.message is None and replayed.link is None
    assert replayed.instance_id == first.instance_id
    assert replayed.transition.instance.status is Status.WAITING


def test_a_start_without_waiting_succeeds_at_once_with_the_childs_id() -> None:
    change = start(wait=False, instance_id="k-1")
    assert change.done is not None and change.done.state is StepState.SUCCEEDED
    assert change.done.result == b'{"workflow":"kid","instance_id":"k-1"}'
    assert change.link is not None and change.link.close is ParentClose.ABANDON
    assert change.transition.instance.status is Status.RUNNING


@given(st.text(min_size=1, max_size=200), st.integers(1, 10_000))
def test_a_derived_child_id_is_a_valid_instance_id(name: str, seq: int) -> None:
    inst = replace(running(), instance_id="p" * 100)
    assert children.child_id(inst, name, seq) == children.child_id(inst, name, seq)
    assert len(children.child_id(inst, name, seq)) <= 100


def test_the_depth_limit_and_the_quota_refuse_before_anything_is_written() -> None:
    ref = ParentRef(1, "u", "w", "i", "s", 1, children.MAX_DEPTH, ParentClose.TERMINATE, True)
    with pytest.raises(FailedPrecondition, match="depth limit of child workflows is 8 levels"):
        start(replace(running(), parent=ref.dumps()))
    with pytest.raises(QuotaExceeded, match="max_children_per_instance"):
        start(replace(running(), children=1_000))


def test_a_childs_end_settles_the_waiting_step_once() -> None:
    change = start()
    parent, [pending] = change.transition.instance, change.transition.steps
    ending = children.Ending("errored", None, "ValueError", "no", "kid", "k-1")
    tr, link = children.child_ended(
        parent, pending, change.link, name="kid", seq=1, ending=ending, now=T0 + 9_000
    )
    assert tr.instance.status is Status.QUEUED and tr.dispatch
    [failed] = tr.steps
    assert (failed.state, failed.error_type) == (StepState.FAILED, children.CHILD_FAILED)
    assert failed.error_message == "errored: ValueError: no"
    assert link is not None and link.status == "errored"
    again, _ = children.child_ended(
        tr.instance, failed, link, name="kid", seq=1, ending=ending, now=T0 + 9_500
    )
    assert again.instance == tr.instance and not again.steps and not again.history


def test_a_parents_end_terminates_only_its_terminate_children_still_running() -> None:
    link = start().link
    assert link is not None
    links = [
        link,
        replace(link, name="b", close=ParentClose.ABANDON),
        replace(link, name="c", status="complete"),
    ]
    parent = running()
    [message] = children.closing(parent, links)
    assert (message.kind, message.instance_id) == (MessageKind.TERMINATE, link.instance_id)
    child = replace(running(), parent=_ref(parent.uid).dumps())
    tr = children.terminate_child(child, parent.uid, T0 + 9_000)
    assert tr is not None and tr.instance.status is Status.TERMINATED
    assert children.terminate_child(child, "another parent", T0 + 9_000) is None
    ended = control.terminate(child, "", T0 + 8_000).instance
    assert children.terminate_child(ended, parent.uid, T0 + 9_000) is None


def _ref(uid: str) -> ParentRef:
    return ParentRef(1, uid, "w", "i", "kid", 1, 1, ParentClose.TERMINATE, True)
