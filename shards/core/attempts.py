"""The attempts of a retried journal entry, as pure functions: a DO step's and a step's
rollback's.

Both record an attempt the same way. A start is optional: the entry shows RUNNING under the
attempt's lease, and a start that comes late or twice changes nothing. A report then records
the attempt's result, or its failure, which schedules the next attempt or, with none left (or
a non-retryable error), fails the entry for good; a report whose start was not recorded
records that start first. A recorded result never changes.

What differs between the two is passed in as `Attempts`: the journal's kind, the history
kinds, and how messages name the entry. The row's key is the caller's (a rollback lives at
(name, -seq)), and so is what the outcome does to the instance: a DO step's final failure goes
back to the run, a rollback's ends the instance. Nothing here does I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from shards.core.model import (
    UNFINISHED,
    Failure,
    HistoryEntry,
    HistoryKind,
    RetryPolicy,
    Step,
    StepKind,
    StepState,
)
from shards.errors import FailedPrecondition


@dataclass(frozen=True, slots=True)
class Attempts:
    """What the attempts of one kind of journal entry record."""

    kind: StepKind
    started: HistoryKind
    succeeded: HistoryKind
    attempt_failed: HistoryKind
    failed: HistoryKind
    retry_scheduled: HistoryKind
    # How a message names the entry: "step 'charge' #1", "the rollback of step 'charge' #1".
    what: str


DO = Attempts(
    StepKind.DO,
    HistoryKind.STEP_ATTEMPT_STARTED,
    HistoryKind.STEP_SUCCEEDED,
    HistoryKind.STEP_ATTEMPT_FAILED,
    HistoryKind.STEP_FAILED,
    HistoryKind.STEP_RETRY_SCHEDULED,
    "step",
)
ROLLBACK = Attempts(
    StepKind.ROLLBACK,
    HistoryKind.ROLLBACK_ATTEMPT_STARTED,
    HistoryKind.ROLLBACK_SUCCEEDED,
    HistoryKind.ROLLBACK_ATTEMPT_FAILED,
    HistoryKind.ROLLBACK_FAILED,
    HistoryKind.ROLLBACK_RETRY_SCHEDULED,
    "the rollback of step",
)

Row = tuple[str, int]
"""Where the entry is journaled: (name, seq)."""


def start(
    a: Attempts, existing: Step | None, *, lease: int, row: Row, attempt: int, now: int
) -> tuple[Step, HistoryEntry] | None:
    """The RUNNING entry and the history of an attempt's start, stamped with the shard's time.
    None for a start that comes late (its attempt was already reported, or the entry is
    finished) or twice under the same lease: starts travel batched, and a fast attempt's report
    may overtake its start."""
    done = existing.attempts if existing is not None else 0
    late = attempt != done + 1 or (existing is not None and existing.state not in UNFINISHED)
    again = (
        existing is not None
        and existing.state is StepState.RUNNING
        and existing.attempt_lease == lease
    )
    if late or again:
        return None
    entry = Step(
        name=row[0],
        seq=row[1],
        kind=a.kind,
        state=StepState.RUNNING,
        started_at=existing.started_at if existing else now,
        attempts=done,
        error_type=existing.error_type if existing else None,
        error_message=existing.error_message if existing else None,
        attempt_started_at=now,
        attempt_lease=lease,
    )
    return entry, HistoryEntry(a.started, now, row[0], row[1], attempt)


def unrecorded_start(
    a: Attempts,
    existing: Step | None,
    *,
    lease: int,
    row: Row,
    attempt: int,
    started_at: int,
    now: int,
) -> list[HistoryEntry]:
    """The start a report of an attempt records when no start did (a worker that does not send
    starts, or a start overtaken by its report). It is stamped with the shard's time, as every
    entry is, so history times never go backwards; the worker's start time stays in the
    detail."""
    if (
        existing is not None
        and existing.state is StepState.RUNNING
        and existing.attempt_lease == lease
        and existing.attempts + 1 == attempt
    ):
        return []
    detail = {"started_at": started_at}
    return [HistoryEntry(a.started, now, row[0], row[1], attempt, detail)]


def finished_already(a: Attempts, existing: Step | None, name: str, seq: int) -> None:
    """A finished entry takes no other report."""
    if existing is not None and existing.state not in UNFINISHED:
        raise FailedPrecondition(f"{a.what} {name!r} #{seq} is already {existing.state}")


def succeeded(
    a: Attempts,
    existing: Step | None,
    *,
    lease: int,
    row: Row,
    attempt: int,
    result: bytes,
    started_at: int,
    now: int,
) -> tuple[Step, list[HistoryEntry]]:
    """The SUCCEEDED entry and the history of an attempt's result (the caller has checked the
    entry is unfinished)."""
    entry = Step(
        name=row[0],
        seq=row[1],
        kind=a.kind,
        state=StepState.SUCCEEDED,
        started_at=existing.started_at if existing else started_at,
        attempts=attempt,
        result=result,
        ended_at=now,
    )
    history = [
        *unrecorded_start(
            a, existing, lease=lease, row=row, attempt=attempt, started_at=started_at, now=now
        ),
        HistoryEntry(a.succeeded, now, row[0], row[1], attempt),
    ]
    return entry, history


@dataclass(frozen=True, slots=True)
class FailedAttempt:
    """A failed attempt recorded: the entry (FAILED for good, or PENDING with the next
    attempt's time as wake_at) and its history."""

    entry: Step
    history: list[HistoryEntry]
    retry_at: int | None


def failed(
    a: Attempts,
    existing: Step | None,
    *,
    lease: int,
    row: Row,
    attempt: int,
    error: Failure,
    policy: RetryPolicy,
    non_retryable: bool,
    started_at: int,
    now: int,
) -> FailedAttempt:
    """A failed attempt: the next one is due after the policy's delay, or, when the error is
    non-retryable or the policy's retries are used, the entry fails for good (the caller has
    checked the entry is unfinished)."""
    base = Step(
        name=row[0],
        seq=row[1],
        kind=a.kind,
        state=StepState.PENDING,
        started_at=existing.started_at if existing else started_at,
        attempts=attempt,
        error_type=error.type,
        error_message=error.message,
    )
    failure = {"error_type": error.type, "error_message": error.message}
    history = [
        *unrecorded_start(
            a, existing, lease=lease, row=row, attempt=attempt, started_at=started_at, now=now
        ),
        HistoryEntry(a.attempt_failed, now, row[0], row[1], attempt, dict(failure)),
    ]
    if non_retryable or attempt > policy.limit:
        reason = "non-retryable error" if non_retryable else f"{policy.limit} retries used"
        detail = {**failure, "reason": reason}
        history.append(HistoryEntry(a.failed, now, row[0], row[1], attempt, detail))
        return FailedAttempt(replace(base, state=StepState.FAILED, ended_at=now), history, None)
    retry_at = now + policy.delay_after(attempt)
    detail_retry = {"retry_at": retry_at}
    history.append(HistoryEntry(a.retry_scheduled, now, row[0], row[1], attempt + 1, detail_retry))
    return FailedAttempt(replace(base, wake_at=retry_at), history, retry_at)
