"""The step commands a workflow run records under its task's lease: a DO step's start, result
and failed attempt, a sleep, and a wait for an event.

Each reads the instance and the journal entry in the writer thread (in one query), checks the
account's step limit (a new step past it errors the instance instead), calls one rule of
shards.core.steps, counts the bytes the write adds against the state quota (shards.core.limits),
and hands the Transition to Effects.apply.
"""

from __future__ import annotations

import sqlalchemy as sa

from shards import store
from shards.clock import Clock
from shards.committer import After, payload_cost
from shards.core import steps
from shards.core.model import Failure, Instance, RetryPolicy, Status, Step
from shards.engine.admission import Admission
from shards.engine.effects import Effects
from shards.engine.types import StepFailureOutcome
from shards.engine.workflow_tasks import load_task_step
from shards.tokens import TaskRef


def past_step_limit(
    effects: Effects,
    admission: Admission,
    conn: sa.Connection,
    after: After,
    inst: Instance,
    existing: Step | None,
    ref: TaskRef,
    name: str,
    seq: int,
    counted: int | None,
) -> bool:
    """True when the step would pass the account's step limit: the instance errored
    instead, and the task ends."""
    limited = admission.over_step_limit(conn, after, inst, existing, ref, name, seq, counted)
    if limited is None:
        return False
    effects.apply(conn, after, inst, limited)
    return True


class StepCommands:
    """A run's step commands."""

    def __init__(self, clock: Clock, effects: Effects, admission: Admission, lease_us: int) -> None:
        self.clock = clock
        self.effects = effects
        self.admission = admission
        self.lease_us = lease_us

    def _past_limit(
        self,
        conn: sa.Connection,
        after: After,
        inst: Instance,
        existing: Step | None,
        ref: TaskRef,
        name: str,
        seq: int,
        counted: int | None,
    ) -> bool:
        return past_step_limit(
            self.effects, self.admission, conn, after, inst, existing, ref, name, seq, counted
        )

    async def start_step(
        self, account_id: str, ref: TaskRef, *, name: str, seq: int, attempt: int
    ) -> None:
        """Records that an attempt of a DO step starts, so that clients see it running."""

        counted = self.admission.step_count(ref.key)

        def op(conn: sa.Connection, after: After) -> None:
            inst, existing = load_task_step(conn, account_id, ref, name, seq)
            if self._past_limit(conn, after, inst, existing, ref, name, seq, counted):
                return
            tr = steps.start_step(
                inst,
                existing,
                lease=ref.lease,
                name=name,
                seq=seq,
                attempt=attempt,
                now=self.clock.now_us(),
            )
            self.effects.apply(conn, after, inst, tr, known=[existing])

        await self.admission.step_in_flight(ref.key, self.effects.run(op, [ref.partition]))

    async def complete_step(
        self,
        account_id: str,
        ref: TaskRef,
        *,
        name: str,
        seq: int,
        attempt: int,
        result: bytes,
        started_at: int,
    ) -> bool:
        """Records a step's result under the task's lease; True when the task ends with it."""

        counted = self.admission.step_count(ref.key)

        def op(conn: sa.Connection, after: After) -> bool:
            self.admission.check_payload(conn, after, account_id, "result", result)
            inst, existing = load_task_step(conn, account_id, ref, name, seq)
            if self._past_limit(conn, after, inst, existing, ref, name, seq, counted):
                return True
            tr = steps.complete_step(
                inst,
                existing,
                lease=ref.lease,
                name=name,
                seq=seq,
                attempt=attempt,
                result=result,
                started_at=started_at,
                now=self.clock.now_us(),
                lease_timeout_us=self.lease_us,
            )
            tr = self.admission.within_journal_quota(conn, after, inst, tr, existing)
            self.effects.apply(conn, after, inst, tr, known=[existing])
            if tr.steps:
                after.append(lambda: self.effects.attempt(inst, "succeeded", started_at))
            return tr.task_ended

        return await self.admission.step_in_flight(
            ref.key, self.effects.run(op, [ref.partition], cost=payload_cost(len(result)))
        )

    async def fail_step(
        self,
        account_id: str,
        ref: TaskRef,
        *,
        name: str,
        seq: int,
        attempt: int,
        error: Failure,
        policy: RetryPolicy,
        non_retryable: bool,
        started_at: int,
    ) -> StepFailureOutcome:
        """Records a failed attempt; answers the retry time or the step's final failure."""

        counted = self.admission.step_count(ref.key)

        def op(conn: sa.Connection, after: After) -> StepFailureOutcome:
            inst, existing = load_task_step(conn, account_id, ref, name, seq)
            if self._past_limit(conn, after, inst, existing, ref, name, seq, counted):
                return StepFailureOutcome(None, None, True)
            tr = steps.fail_step(
                inst,
                existing,
                lease=ref.lease,
                name=name,
                seq=seq,
                attempt=attempt,
                error=error,
                policy=policy,
                non_retryable=non_retryable,
                started_at=started_at,
                now=self.clock.now_us(),
                lease_timeout_us=self.lease_us,
            )
            tr = self.admission.within_journal_quota(conn, after, inst, tr, existing)
            self.effects.apply(conn, after, inst, tr, known=[existing])
            after.append(lambda: self.effects.attempt(inst, "failed", started_at))
            return StepFailureOutcome.of(tr, error)

        return await self.admission.step_in_flight(ref.key, self.effects.run(op, [ref.partition]))

    async def start_sleep(
        self, account_id: str, ref: TaskRef, *, name: str, seq: int, wake_at: int
    ) -> bool:
        """Suspends the instance until wake_at; False when that time has already passed (and
        no pause took effect: a pause suspends the instance too)."""

        counted = self.admission.step_count(ref.key)

        def op(conn: sa.Connection, after: After) -> bool:
            inst, existing = load_task_step(conn, account_id, ref, name, seq)
            if self._past_limit(conn, after, inst, existing, ref, name, seq, counted):
                return True
            tr = steps.start_sleep(
                inst,
                existing,
                lease=ref.lease,
                name=name,
                seq=seq,
                wake_at=wake_at,
                now=self.clock.now_us(),
                lease_timeout_us=self.lease_us,
            )
            new = self.effects.apply(conn, after, inst, tr, known=[existing])
            return new.status in (Status.WAITING, Status.PAUSED)

        return await self.admission.step_in_flight(ref.key, self.effects.run(op, [ref.partition]))

    async def wait_for_event(
        self,
        account_id: str,
        ref: TaskRef,
        *,
        name: str,
        seq: int,
        event_type: str,
        timeout_at: int,
    ) -> Step | None:
        """The finished wait: its step, with the event as JSON result or its timeout failure.
        None when the instance now waits for the event."""

        counted = self.admission.step_count(ref.key)

        def op(conn: sa.Connection, after: After) -> Step | None:
            inst, existing = load_task_step(conn, account_id, ref, name, seq)
            if self._past_limit(conn, after, inst, existing, ref, name, seq, counted):
                return None
            found = store.oldest_buffered_event(conn, ref.key, event_type)
            tr = steps.wait_for_event(
                inst,
                existing,
                lease=ref.lease,
                name=name,
                seq=seq,
                event_type=event_type,
                timeout_at=timeout_at,
                buffered=found[1] if found else None,
                buffered_id=found[0] if found else None,
                now=self.clock.now_us(),
                lease_timeout_us=self.lease_us,
            )
            tr = self.admission.within_journal_quota(conn, after, inst, tr, existing)
            new = self.effects.apply(conn, after, inst, tr, known=[existing])
            if new.status in (Status.WAITING, Status.PAUSED, Status.ERRORED):
                return None
            return tr.steps[0] if tr.steps else existing

        return await self.admission.step_in_flight(ref.key, self.effects.run(op, [ref.partition]))
