"""The rules the engine asks shards/core about besides each command's transition: which ready
keys a claim takes, whether a lease holds for a heartbeat or a release, the step limit, that an
instance that ends drops its step tasks, and that a call's change says when an attempt failed."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shards.core import calls, control, limits, machine, steps
from shards.core.model import (
    FINAL,
    LEASED,
    Backoff,
    Failure,
    HistoryKind,
    Instance,
    Lease,
    RetryPolicy,
    Status,
    Step,
    StepKind,
    StepState,
    Transition,
)
from shards.errors import LeaseLost
from tests.core.test_machine import LEASE, LEASE_US, T0, WORKER, in_status, queued, running

ERROR = Failure("Boom", "it broke")


# ------------------------------------------------------------------------------ claim


@given(
    picks=st.lists(st.integers(0, 5), max_size=12),
    statuses=st.lists(st.sampled_from(list(Status)), min_size=6, max_size=6),
)
def test_a_claim_takes_each_queued_key_once_in_order_and_nothing_else(
    picks: list[int], statuses: list[Status]
) -> None:
    found = {n: replace(in_status(status), uid=str(n)) for n, status in enumerate(statuses)}
    del found[5]  # deleted meanwhile
    taken = machine.claimable(picks, found)
    assert taken == [k for k in dict.fromkeys(picks) if k != 5 and statuses[k] is Status.QUEUED]


# ------------------------------------------------------------------------------ leases


def test_a_heartbeat_under_the_current_lease_is_heard_and_writes_nothing() -> None:
    inst = running()
    machine.heartbeat(inst, LEASE)  # raises nothing, returns no Transition: nothing to write


def test_a_lease_due_with_a_heartbeat_heard_within_the_lease_timeout_is_renewed_from_it() -> None:
    inst = running()
    assert inst.due_at is not None
    heard_at = inst.due_at - LEASE_US // 2
    tr = machine.fire_due(inst, None, inst.due_at, (LEASE, heard_at), LEASE_US)
    assert tr is not None
    assert tr.instance == replace(inst, due_at=heard_at + LEASE_US)
    assert not tr.history and not tr.steps and not tr.dispatch


def test_a_renewal_from_a_heartbeat_moves_the_due_time_alone_and_an_expiry_does_more() -> None:
    inst = running()
    assert inst.due_at is not None
    renewed = machine.fire_due(inst, None, inst.due_at, (LEASE, inst.due_at - 1), LEASE_US)
    expired = machine.fire_due(inst, None, inst.due_at, None, LEASE_US)
    assert renewed is not None and renewed.moves_due_only(inst)
    assert expired is not None and not expired.moves_due_only(inst)
    assert not Transition(replace(inst, due_at=1, current_step="s")).moves_due_only(inst)
    assert not Transition(replace(inst, due_at=1), dispatch=True).moves_due_only(inst)
    assert Transition(replace(inst, due_at=None)).moves_due_only(inst)


def test_a_heartbeat_keeps_a_pause_waiting_for_the_steps_report() -> None:
    asked = control.pause(running(), T0 + 2_000).instance
    assert asked.due_at is not None
    tr = machine.fire_due(asked, None, asked.due_at, (LEASE, asked.due_at - 1), LEASE_US)
    assert tr is not None
    assert tr.instance.status is Status.WAITING_FOR_PAUSE and not tr.task_ended


@pytest.mark.parametrize(
    "heard",
    [None, (LEASE + 1, "recent"), (LEASE, "a lease timeout ago")],
    ids=["none heard", "under another lease", "too old"],
)
def test_a_lease_due_without_a_heartbeat_that_keeps_it_expires(
    heard: tuple[int, str] | None,
) -> None:
    inst = running()
    assert inst.due_at is not None
    at = {"recent": inst.due_at - 1, "a lease timeout ago": inst.due_at - LEASE_US}
    kept = None if heard is None else (heard[0], at[heard[1]])
    tr = machine.fire_due(inst, None, inst.due_at, kept, LEASE_US)
    assert tr is not None and [h.kind for h in tr.history] == ["lease_expired"]
    assert tr.instance.status is Status.QUEUED and tr.dispatch


@pytest.mark.parametrize("status", [s for s in Status if s not in LEASED])
def test_a_heartbeat_for_an_instance_no_worker_holds_is_lost(status: Status) -> None:
    with pytest.raises(LeaseLost):
        machine.heartbeat(in_status(status), LEASE)


def test_a_heartbeat_under_a_stale_lease_is_lost() -> None:
    with pytest.raises(LeaseLost):
        machine.heartbeat(running(lease=LEASE + 1), LEASE)


@given(status=st.sampled_from(list(Status)), lease=st.sampled_from([LEASE, LEASE + 1]))
def test_a_lease_holds_exactly_when_the_worker_may_write_under_it(
    status: Status, lease: int
) -> None:
    inst = replace(running(), status=status)
    may_write = True
    try:
        machine.check_lease(inst, lease)
    except LeaseLost:
        may_write = False
    assert machine.holds(inst, lease) is may_write


@given(status=st.sampled_from(list(Status)), lease=st.sampled_from([LEASE, LEASE + 1]))
def test_a_heartbeat_checks_the_lease_columns_alone_as_it_checks_the_whole_instance(
    status: Status, lease: int
) -> None:
    inst = replace(running(), status=status)
    columns = Lease(inst.account_id, inst.status, inst.lease_token)
    outcomes = []
    for held in (inst, columns):
        try:
            machine.heartbeat(held, lease)
            outcomes.append("heard")
        except LeaseLost as exc:
            outcomes.append(str(exc))
    assert outcomes[0] == outcomes[1]


@given(status=st.sampled_from(list(Status)), worker=st.sampled_from([WORKER, "other"]))
def test_a_disconnected_worker_gives_back_only_the_tasks_it_holds(
    status: Status, worker: str
) -> None:
    inst = replace(running(), status=status)
    lease = machine.held_by(inst, worker)
    if status in LEASED and worker == WORKER:
        assert lease == LEASE
        assert machine.release(inst, lease, T0 + 5_000, "worker disconnected").dispatch or (
            status is Status.WAITING_FOR_PAUSE
        )
    else:
        assert lease is None


# ------------------------------------------------------------------------------ step limit


@given(recorded=st.integers(0, 50), limit=st.integers(0, 50), replayed=st.booleans())
def test_a_new_step_past_the_step_limit_errors_the_instance_and_ends_the_task(
    recorded: int, limit: int, replayed: bool
) -> None:
    inst = running()
    existing = Step("charge", 1, StepKind.DO, StepState.PENDING, T0) if replayed else None
    tr = limits.past_step_limit(
        inst,
        existing,
        lease=LEASE,
        name="charge",
        seq=1,
        recorded=recorded,
        limit=limit,
        now=T0 + 5_000,
    )
    if replayed or recorded < limit:
        assert tr is None
        return
    assert tr is not None
    assert tr.instance.status is Status.ERRORED and tr.finished and tr.drops_step_tasks
    assert tr.instance.error_type == "StepLimitExceeded"
    assert f"would be step {recorded + 1:,}" in (tr.instance.error_message or "")
    assert limits.STEP_QUOTA in (tr.instance.error_message or "")


def test_the_step_limit_refuses_a_stale_lease_before_it_errors_anything() -> None:
    with pytest.raises(LeaseLost):
        limits.past_step_limit(
            running(lease=LEASE + 1),
            None,
            lease=LEASE,
            name="charge",
            seq=1,
            recorded=5,
            limit=5,
            now=T0 + 5_000,
        )


# ------------------------------------------------------------------------------ ends


def _ends(inst: Instance) -> list[bool]:
    """Whether each way an instance ends drops its step tasks."""
    at = T0 + 5_000
    over = limits.count_state(inst, Transition(machine.renew(inst, at, LEASE_US)), 10, 0, at)
    return [
        machine.complete(inst, lease=LEASE, output=b"1", now=at).drops_step_tasks,
        machine.fail(inst, lease=LEASE, error=ERROR, now=at).drops_step_tasks,
        control.terminate(inst, "", at).drops_step_tasks,
        over.drops_step_tasks,
    ]


def test_every_way_an_instance_ends_drops_its_step_tasks() -> None:
    assert _ends(running()) == [True, True, True, True]


def test_a_write_that_does_not_end_the_instance_keeps_its_step_tasks() -> None:
    inst = running()
    assert inst.due_at is not None
    renewed = machine.fire_due(inst, None, inst.due_at, (LEASE, inst.due_at - 1), LEASE_US)
    assert renewed is not None and not renewed.drops_step_tasks
    assert not machine.release(inst, LEASE, T0 + 5_000, "x").drops_step_tasks
    assert not control.pause(queued(), T0 + 5_000).drops_step_tasks
    done = machine.complete(inst, lease=LEASE, output=b"1", now=T0 + 5_000).instance
    assert done.status in FINAL
    assert not control.restart(done, [], None, T0 + 6_000).drops_step_tasks


def _report(inst: Instance, existing: Step | None, result: bytes) -> Transition:
    return steps.complete_step(
        inst,
        existing,
        lease=LEASE,
        name="big",
        seq=1,
        attempt=1,
        result=result,
        started_at=T0 + 2_000,
        now=T0 + 3_000,
        lease_timeout_us=LEASE_US,
    )


def test_a_report_refused_for_the_state_quota_still_records_a_new_entrys_start() -> None:
    inst, now = running(), T0 + 3_000
    report = _report(inst, None, b"x" * 100)
    refused = limits.count_journal(inst, report, None, 50, now)
    assert refused.instance.status is Status.ERRORED
    assert refused.instance.error_type == "StateLimitExceeded"
    [start] = refused.steps
    assert (start.name, start.seq, start.state, start.attempts) == ("big", 1, StepState.RUNNING, 0)
    assert (start.result, start.ended_at, start.attempt_lease) == (None, None, LEASE)
    assert limits.step_bytes(start) == 0
    # An entry already in the journal (its start recorded) is left as it was.
    started = replace(start, attempt_started_at=T0 + 2_000)
    again = limits.count_journal(inst, _report(inst, started, b"x" * 100), started, 50, now)
    assert again.instance.status is Status.ERRORED and again.steps == []
    # Within the quota, the report is recorded as it is.
    fits = _report(inst, None, b"x" * 10)
    assert limits.count_journal(inst, fits, None, 50, now) is fits
    assert fits.steps[0].result == b"x" * 10


# ------------------------------------------------------------------------------ calls


def _call(limit: int, delay_us: int) -> tuple[Instance, Step, calls.StepTask]:
    spec = calls.CallSpec("q", "t", b"1", RetryPolicy(limit, delay_us, Backoff.CONSTANT))
    scheduled = calls.schedule(running(), None, lease=LEASE, name="c", seq=1, spec=spec, now=T0)
    assert scheduled.task is not None
    claimed = calls.claim(scheduled.transition.instance, scheduled.task, "sw", 7, T0 + 1)
    assert claimed.task is not None
    return scheduled.transition.instance, scheduled.transition.steps[0], claimed.task


@given(non_retryable=st.booleans(), limit=st.integers(0, 2), delay_us=st.integers(0, 10))
def test_a_calls_change_says_an_attempt_failed_exactly_when_the_history_records_it(
    non_retryable: bool, limit: int, delay_us: int
) -> None:
    inst, step, task = _call(limit, delay_us)
    failed = calls.fail(
        inst, step, task, lease=7, error=ERROR, non_retryable=non_retryable, now=T0 + 2
    )
    timed_out = calls.fire_due(inst, step, task, T0 + 1 + task.timeout_us)
    done = calls.complete(inst, step, task, lease=7, result=b"1", now=T0 + 2)
    for change in (failed, timed_out, done):
        assert change is not None
        recorded = [h.kind for h in change.transition.history]
        assert change.attempt_failed == (HistoryKind.STEP_ATTEMPT_FAILED in recorded)
    assert failed.attempt_failed and not done.attempt_failed


def test_a_step_workers_heartbeat_moves_its_deadline_on_and_leaves_the_instance_as_it_was() -> None:
    inst, _, task = _call(0, 0)
    beat = calls.heartbeat(inst, task, 7, b"half", T0 + 10)
    assert beat.transition.instance == inst and not beat.transition.history
    assert beat.task is not None and beat.task.details == b"half"
    assert beat.task.due_at == T0 + 1 + task.timeout_us  # no heartbeat timeout: the timeout
    assert beat.due_at is None and not beat.ready and not beat.created


def test_a_heartbeat_for_an_attempt_already_over_is_lost() -> None:
    inst, _, task = _call(0, 0)
    with pytest.raises(LeaseLost):
        calls.heartbeat(inst, task, 8, None, T0 + 10)
    with pytest.raises(LeaseLost):
        calls.heartbeat(inst, None, 7, None, T0 + 10)
