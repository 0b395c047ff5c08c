"""The attempts of a DO step and of a step's rollback are recorded the same way
(shards/core/attempts.py): only the entry's kind, its history kinds and its row differ."""

from __future__ import annotations

import pytest

from shards.core import attempts
from shards.core.model import Failure, HistoryKind, RetryPolicy, Step, StepState
from shards.errors import FailedPrecondition

NOW = 5_000_000
LEASE = 7
ROWS = {attempts.DO: ("charge", 1), attempts.ROLLBACK: ("charge", -1)}
KINDS = pytest.mark.parametrize("a", [attempts.DO, attempts.ROLLBACK], ids=["do", "rollback"])
ERROR = Failure("Declined", "card refused")


def running(a: attempts.Attempts, attempt: int = 1, lease: int = LEASE) -> Step:
    """The entry while its attempt runs, the attempts before it failed."""
    before = None
    if attempt > 1:
        before = Step(*ROWS[a], a.kind, StepState.PENDING, started_at=1, attempts=attempt - 1)
    started = attempts.start(a, before, lease=lease, row=ROWS[a], attempt=attempt, now=NOW - 10)
    assert started is not None
    return started[0]


@KINDS
def test_a_start_shows_the_entry_running_under_its_lease_with_the_kinds_start_history(
    a: attempts.Attempts,
) -> None:
    started = attempts.start(a, None, lease=LEASE, row=ROWS[a], attempt=1, now=NOW)
    assert started is not None
    entry, history = started
    assert (entry.name, entry.seq, entry.kind) == (*ROWS[a], a.kind)
    assert entry.state is StepState.RUNNING and entry.attempt_lease == LEASE
    assert (history.kind, history.step_seq, history.attempt) == (a.started, ROWS[a][1], 1)


@KINDS
def test_a_start_that_comes_late_or_twice_changes_nothing(a: attempts.Attempts) -> None:
    entry = running(a)
    assert attempts.start(a, entry, lease=LEASE, row=ROWS[a], attempt=1, now=NOW) is None
    assert attempts.start(a, None, lease=LEASE, row=ROWS[a], attempt=2, now=NOW) is None


@KINDS
def test_a_report_whose_start_was_not_recorded_records_it_with_the_workers_start_time(
    a: attempts.Attempts,
) -> None:
    entry, history = attempts.succeeded(
        a, None, lease=LEASE, row=ROWS[a], attempt=1, result=b"1", started_at=123, now=NOW
    )
    assert [h.kind for h in history] == [a.started, a.succeeded]
    assert history[0].detail == {"started_at": 123} and history[0].at == NOW
    assert entry.state is StepState.SUCCEEDED and entry.ended_at == NOW


@KINDS
def test_a_report_after_its_recorded_start_records_only_the_outcome(a: attempts.Attempts) -> None:
    _, history = attempts.succeeded(
        a, running(a), lease=LEASE, row=ROWS[a], attempt=1, result=b"1", started_at=1, now=NOW
    )
    assert [h.kind for h in history] == [a.succeeded]


@KINDS
def test_a_failed_attempt_with_retries_left_is_due_again_after_the_policys_delay(
    a: attempts.Attempts,
) -> None:
    policy = RetryPolicy(limit=2, delay_us=1_000_000)
    out = attempts.failed(
        a,
        running(a),
        lease=LEASE,
        row=ROWS[a],
        attempt=1,
        error=ERROR,
        policy=policy,
        non_retryable=False,
        started_at=1,
        now=NOW,
    )
    assert out.retry_at == NOW + policy.delay_after(1) == out.entry.wake_at
    assert out.entry.state is StepState.PENDING
    assert [h.kind for h in out.history] == [a.attempt_failed, a.retry_scheduled]
    assert out.history[-1].attempt == 2


@KINDS
@pytest.mark.parametrize("non_retryable, attempt", [(True, 1), (False, 3)])
def test_a_failed_attempt_fails_the_entry_for_good_when_non_retryable_or_out_of_retries(
    a: attempts.Attempts, non_retryable: bool, attempt: int
) -> None:
    out = attempts.failed(
        a,
        running(a, attempt),
        lease=LEASE,
        row=ROWS[a],
        attempt=attempt,
        error=ERROR,
        policy=RetryPolicy(limit=2, delay_us=1_000_000),
        non_retryable=non_retryable,
        started_at=1,
        now=NOW,
    )
    assert out.retry_at is None and out.entry.state is StepState.FAILED
    assert [h.kind for h in out.history][-1] == a.failed
    reason = "non-retryable error" if non_retryable else "2 retries used"
    assert (out.history[-1].detail or {}).get("reason") == reason


@KINDS
def test_a_finished_entry_takes_no_other_report_and_the_refusal_names_it(
    a: attempts.Attempts,
) -> None:
    entry, _ = attempts.succeeded(
        a, None, lease=LEASE, row=ROWS[a], attempt=1, result=b"1", started_at=1, now=NOW
    )
    with pytest.raises(FailedPrecondition, match=f"^{a.what} 'charge' #1 is already succeeded"):
        attempts.finished_already(a, entry, "charge", 1)


def test_the_two_kinds_record_distinct_history() -> None:
    do = {attempts.DO.started, attempts.DO.succeeded, attempts.DO.failed}
    assert not do & {
        attempts.ROLLBACK.started,
        attempts.ROLLBACK.succeeded,
        HistoryKind.ROLLBACK_FAILED,
    }
