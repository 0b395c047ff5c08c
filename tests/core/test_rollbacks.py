"""Saga rollbacks in the core (shards/core/rollbacks.py): the order rollbacks run in, which
commands are legal while an instance rolls back, and the outcome it ends with."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest

from shards.core import calls, control, machine, rollbacks, steps
from shards.core.model import (
    Backoff,
    Failure,
    Instance,
    RetryPolicy,
    RollbackOutcome,
    Status,
    Step,
    StepKind,
    StepState,
)
from shards.errors import FailedPrecondition
from tests.core.test_machine import LEASE, LEASE_US, T0, running

CAUSE = Failure("PaymentDeclined", "card refused", "Traceback ...")
NO_RETRY = RetryPolicy(limit=0, delay_us=0)


def done(name: str, seq: int, ended_at: int, kind: StepKind = StepKind.DO) -> Step:
    return Step(
        name,
        seq,
        kind,
        StepState.SUCCEEDED,
        started_at=T0,
        attempts=1,
        result=b"1",
        ended_at=ended_at,
    )


def rolling(now: int = T0 + 10_000) -> Instance:
    return rollbacks.start_rollback(running(), lease=LEASE, error=CAUSE, now=now).instance


def test_the_plan_runs_rollbacks_in_reverse_completion_order() -> None:
    journal = {
        ("reserve", 1): done("reserve", 1, T0 + 100),
        ("charge", 1): done("charge", 1, T0 + 300),
        ("reserve", 2): done("reserve", 2, T0 + 200),
    }
    refs = [("reserve", 1), ("reserve", 2), ("charge", 1)]
    assert rollbacks.plan(journal, refs) == [("charge", 1), ("reserve", 2), ("reserve", 1)]


@pytest.mark.parametrize(
    "step",
    [
        None,
        done("x", 1, T0, StepKind.SLEEP),
        replace(done("x", 1, T0), state=StepState.FAILED),
        replace(done("x", 1, T0), state=StepState.PENDING),
    ],
)
def test_only_a_succeeded_do_step_can_be_rolled_back(step: Step | None) -> None:
    with pytest.raises(FailedPrecondition, match="only a succeeded do step"):
        rollbacks.plan({("x", 1): step}, [("x", 1)])


def test_starting_a_rollback_keeps_its_cause_and_a_second_start_changes_nothing() -> None:
    tr = rollbacks.start_rollback(running(), lease=LEASE, error=CAUSE, now=T0 + 5)
    assert tr.instance.rollback is RollbackOutcome.ROLLING_BACK
    assert tr.instance.status is Status.RUNNING
    assert (tr.instance.error_type, tr.instance.error_message) == (
        "PaymentDeclined",
        "card refused",
    )
    assert [h.kind for h in tr.history] == ["rollback_started"]
    other = Failure("Other", "another failure")
    again = rollbacks.start_rollback(tr.instance, lease=LEASE, error=other, now=T0 + 6)
    assert again.instance == tr.instance and not again.history


def test_while_rolling_back_no_new_step_sleep_call_or_completion_is_recorded() -> None:
    inst = rolling()
    now = T0 + 20_000
    refused: list[Callable[[], object]] = [
        lambda: steps.start_step(inst, None, lease=LEASE, name="n", seq=1, attempt=1, now=now),
        lambda: steps.complete_step(
            inst,
            None,
            lease=LEASE,
            name="n",
            seq=1,
            attempt=1,
            result=b"1",
            started_at=now,
            now=now,
            lease_timeout_us=LEASE_US,
        ),
        lambda: steps.start_sleep(
            inst, None, lease=LEASE, name="n", seq=1, wake_at=now + 9, now=now, lease_timeout_us=1
        ),
        lambda: calls.schedule(
            inst,
            None,
            lease=LEASE,
            name="n",
            seq=1,
            spec=calls.CallSpec("q", "t", b"1", RetryPolicy(0, 0, Backoff.CONSTANT)),
            now=now,
        ),
        lambda: machine.complete(inst, lease=LEASE, output=b"1", now=now),
    ]
    for command in refused:
        with pytest.raises(FailedPrecondition, match="rolling back"):
            command()


def test_a_rollback_attempt_is_legal_only_while_rolling_back() -> None:
    step = done("charge", 1, T0 + 100)
    with pytest.raises(FailedPrecondition, match="not rolling back"):
        rollbacks.start_attempt(
            running(), step, None, lease=LEASE, name="charge", seq=1, attempt=1, now=T0 + 1
        )


def test_rollbacks_succeed_and_fail_workflow_ends_the_instance_rolled_back() -> None:
    step = done("charge", 1, T0 + 100)
    inst = rolling()
    tr = rollbacks.complete(
        inst,
        step,
        None,
        lease=LEASE,
        name="charge",
        seq=1,
        attempt=1,
        result=b'"refunded"',
        started_at=T0 + 20_000,
        now=T0 + 21_000,
        lease_timeout_us=LEASE_US,
    )
    [entry] = tr.steps
    assert (entry.name, entry.seq, entry.kind) == ("charge", -1, StepKind.ROLLBACK)
    assert [h.kind for h in tr.history] == ["rollback_attempt_started", "rollback_succeeded"]
    end = rollbacks.fail_workflow(
        tr.instance, lease=LEASE, error=Failure("X", "ignored"), unfinished=[], now=T0 + 22_000
    )
    assert end.instance.status is Status.ERRORED
    assert end.instance.rollback is RollbackOutcome.ROLLED_BACK
    assert end.instance.error_type == "PaymentDeclined"  # the cause, not the last report
    assert end.finished and end.history[-1].detail == {
        "error_type": "PaymentDeclined",
        "error_message": "card refused",
        "reason": "rolled back",
    }


def test_fail_workflow_is_refused_while_a_rollback_is_unfinished() -> None:
    pending = Step("charge", -1, StepKind.ROLLBACK, StepState.PENDING, started_at=T0, attempts=1)
    with pytest.raises(FailedPrecondition, match="rollback of step 'charge' #1 is not finished"):
        rollbacks.fail_workflow(
            rolling(), lease=LEASE, error=CAUSE, unfinished=[pending], now=T0 + 30_000
        )


def test_a_rollback_out_of_retries_ends_the_instance_naming_the_step() -> None:
    step = done("charge", 2, T0 + 100)
    error = Failure("ConnectionError", "refund service down")
    policy = RetryPolicy(limit=1, delay_us=5_000)
    first = rollbacks.fail_attempt(
        rolling(),
        step,
        None,
        lease=LEASE,
        name="charge",
        seq=2,
        attempt=1,
        error=error,
        policy=policy,
        non_retryable=False,
        started_at=T0 + 20_000,
        now=T0 + 20_000,
    )
    assert first.instance.status is Status.WAITING and first.due_at == T0 + 25_000
    woke = machine.fire_due(first.instance, first.steps[0], T0 + 25_000)
    assert woke is not None and woke.history[0].kind == "rollback_retry_due"
    claimed = machine.claim(woke.instance, "w", LEASE + 1, T0 + 26_000, LEASE_US).instance
    last = rollbacks.fail_attempt(
        claimed,
        step,
        first.steps[0],
        lease=LEASE + 1,
        name="charge",
        seq=2,
        attempt=2,
        error=error,
        policy=policy,
        non_retryable=False,
        started_at=T0 + 27_000,
        now=T0 + 27_000,
    )
    inst = last.instance
    assert inst.status is Status.ERRORED and last.finished and last.task_ended
    assert inst.rollback is RollbackOutcome.ROLLBACK_FAILED
    assert (inst.rollback_step, inst.rollback_step_seq) == ("charge", 2)
    assert (inst.rollback_error_type, inst.rollback_error_message) == (
        "ConnectionError",
        "refund service down",
    )
    assert inst.error_type == "PaymentDeclined"
    assert [h.kind for h in last.history][-2:] == ["rollback_failed", "errored"]


def test_a_restart_clears_the_rollback_and_drops_its_entries() -> None:
    inst = rollbacks.fail_workflow(
        rolling(), lease=LEASE, error=CAUSE, unfinished=[], now=T0 + 40_000
    ).instance
    journal = [
        done("charge", 1, T0 + 100),
        replace(done("charge", -1, T0 + 200), kind=StepKind.ROLLBACK),
    ]
    tr = control.restart(inst, journal, None, T0 + 50_000)
    assert tr.instance.rollback is None and tr.instance.error_type is None
    assert tr.dropped_steps == [("charge", 1), ("charge", -1)]


def test_a_pause_asked_mid_rollback_takes_effect_with_the_rollbacks_report() -> None:
    asked = control.pause(rolling(), T0 + 15_000).instance
    assert asked.status is Status.WAITING_FOR_PAUSE
    tr = rollbacks.complete(
        asked,
        done("charge", 1, T0 + 100),
        None,
        lease=LEASE,
        name="charge",
        seq=1,
        attempt=1,
        result=b"1",
        started_at=T0 + 16_000,
        now=T0 + 17_000,
        lease_timeout_us=LEASE_US,
    )
    assert tr.instance.status is Status.PAUSED and tr.task_ended
    assert tr.instance.rollback is RollbackOutcome.ROLLING_BACK
    assert tr.steps[0].state is StepState.SUCCEEDED
