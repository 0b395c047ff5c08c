"""The rules of worker builds (shards/core/versions.py): which build is newest, which build an
instance's task goes to, a non-determinism blocking an instance, and moves."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shards.core import control, versions
from shards.core.model import FINAL, HistoryKind, Status
from shards.errors import LeaseLost
from tests.core.test_machine import LEASE, LEASE_US, T0, WORKER, in_status, queued, running

FOUND = versions.NonDeterminism("charge", 1, "sleep", "do", "", "A")


@given(
    st.lists(
        st.tuples(st.sampled_from(["", "A", "B", "C"]), st.integers(0, 5)),
        unique_by=lambda b: b[0],
    )
)
def test_the_newest_build_is_the_latest_first_registration_whatever_the_later_ones(
    seen: list[tuple[str, int]],
) -> None:
    builds = [versions.Build(b, first, first + 100) for b, first in seen]
    newest = versions.newest(builds)
    if not builds:
        assert newest == versions.UNVERSIONED
    else:
        assert (max(f for _, f in seen), newest) == max((f, b) for b, f in seen)


def test_an_instance_goes_to_the_newest_build_until_a_task_pins_it_to_its_own() -> None:
    inst = queued()
    assert inst.build_id is None and versions.target(inst, "B") == "B"
    claimed = versions.claim(inst, WORKER, "B", LEASE, T0 + 1, LEASE_US)
    assert claimed.instance.build_id == "B" and claimed.instance.status is Status.RUNNING
    assert claimed.history[0].detail == {"worker": WORKER, "build_id": "B"}
    assert versions.target(claimed.instance, "C") == "B"


def test_a_poll_of_another_build_sends_the_instance_to_its_own_build() -> None:
    routed = versions.route_elsewhere(queued(), "B")
    assert routed.instance.build_id == "B" and routed.dispatch and not routed.history
    pinned = replace(queued(), build_id="A")
    assert versions.route_elsewhere(pinned, "B").instance.build_id == "A"


def test_a_non_determinism_blocks_the_instance_waiting_and_never_errors_it() -> None:
    inst = replace(running(), build_id="A")
    tr = versions.block(inst, LEASE, FOUND, T0 + 5)
    assert tr.instance.status is Status.WAITING and tr.instance.status not in FINAL
    assert tr.instance.due_at is None and tr.instance.lease_token is None and tr.task_ended
    assert tr.instance.error_type is None and not tr.finished
    assert versions.NonDeterminism.from_json(tr.instance.blocked or "") == FOUND
    [entry] = tr.history
    assert entry.kind == HistoryKind.NON_DETERMINISM and entry.step_name == "charge"
    assert entry.detail is not None and entry.detail["error_type"] == "NonDeterminismError"
    with pytest.raises(LeaseLost):
        versions.block(inst, LEASE + 1, FOUND, T0 + 5)


def test_a_block_asked_to_pause_pauses_the_instance() -> None:
    asked = control.pause(replace(running(), build_id="A"), T0 + 2).instance
    tr = versions.block(asked, LEASE, FOUND, T0 + 5)
    assert tr.instance.status is Status.PAUSED


def test_the_newest_build_registering_queues_a_blocked_instance_on_it() -> None:
    blocked = versions.block(replace(running(), build_id="A"), LEASE, FOUND, T0 + 5).instance
    tr = versions.unblock(blocked, "B", T0 + 9)
    assert tr is not None and tr.dispatch
    assert tr.instance.status is Status.QUEUED and tr.instance.build_id == "B"
    assert tr.instance.blocked is None
    assert [h.kind for h in tr.history] == [HistoryKind.BUILD_MOVED, HistoryKind.QUEUED]
    assert versions.unblock(replace(running(), build_id="A"), "B", T0 + 9) is None


@pytest.mark.parametrize("status", list(Status))
def test_a_move_changes_the_build_of_unfinished_instances_only(status: Status) -> None:
    inst = replace(in_status(status), build_id="A")
    tr = versions.move(inst, "A", "B", T0 + 10**10)
    if status in FINAL:
        assert tr is None
        return
    assert tr is not None and tr.instance.build_id == "B"
    assert tr.instance.status is status
    # A queued instance goes to the new build's queue; a running one keeps its lease.
    assert tr.dispatch is (status is Status.QUEUED)
    assert tr.instance.lease_token == inst.lease_token
    assert versions.move(inst, "C", "B", T0) is None


def test_a_blocked_instance_paused_and_resumed_is_queued_on_its_build_unblocked() -> None:
    blocked = versions.block(replace(running(), build_id="A"), LEASE, FOUND, T0 + 5).instance
    paused = control.pause(blocked, T0 + 6).instance
    tr = control.resume(paused, None, False, T0 + 7)
    assert tr.instance.status is Status.QUEUED and tr.dispatch
    assert tr.instance.build_id == "A" and tr.instance.blocked is None
