"""The commands of an instance's rollback (shards.core.rollbacks): its start, which answers the
rollbacks to run in order, and the start, result and failed attempt of each step's rollback.

Each reads the instance, the DO step concerned and its ROLLBACK entry in the writer thread,
calls one rule of shards.core.rollbacks, counts the bytes it adds against the state quota, and
hands the Transition to Effects.apply.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from shards import store
from shards.clock import Clock
from shards.committer import After, payload_cost
from shards.core import rollbacks
from shards.core.model import Failure, RetryPolicy, Step
from shards.engine.admission import Admission
from shards.engine.effects import Effects
from shards.engine.types import StepFailureOutcome
from shards.engine.workflow_tasks import load_task_instance
from shards.tokens import TaskRef


class RollbackCommands:
    """A run's rollback commands."""

    def __init__(self, clock: Clock, effects: Effects, admission: Admission, lease_us: int) -> None:
        self.clock = clock
        self.effects = effects
        self.admission = admission
        self.lease_us = lease_us

    def _load(
        self, conn: sa.Connection, ref: TaskRef, name: str, seq: int
    ) -> tuple[Step | None, Step | None]:
        """The DO step (name, seq) and its ROLLBACK entry."""
        found = store.load_steps(conn, ref.key, [(name, seq), rollbacks.key(name, seq)])
        by_key = {(s.name, s.seq): s for s in found}
        return by_key.get((name, seq)), by_key.get(rollbacks.key(name, seq))

    async def start_rollback(
        self, account_id: str, ref: TaskRef, *, error: Failure, steps: Sequence[tuple[str, int]]
    ) -> list[tuple[str, int, Step | None]]:
        """Starts the instance's rollback (or finds it started); answers the rollbacks to run,
        in order: each step's (name, seq) and its ROLLBACK entry, None when it has not run."""

        def op(conn: sa.Connection, after: After) -> list[tuple[str, int, Step | None]]:
            inst = load_task_instance(conn, account_id, ref)
            wanted = [*steps, *(rollbacks.key(n, s) for n, s in steps)]
            found = {(s.name, s.seq): s for s in store.load_steps(conn, ref.key, wanted)}
            # The lease first: a run that lost it hears so, whatever steps it names.
            tr = rollbacks.start_rollback(
                inst, lease=ref.lease, error=error, now=self.clock.now_us()
            )
            order = rollbacks.plan({k: found.get(k) for k in steps}, list(steps))
            self.effects.apply(conn, after, inst, tr)
            return [(n, s, found.get(rollbacks.key(n, s))) for n, s in order]

        return await self.effects.run(op, [ref.partition])

    async def start_attempt(
        self, account_id: str, ref: TaskRef, *, name: str, seq: int, attempt: int
    ) -> None:
        """Records that an attempt of a step's rollback starts."""

        def op(conn: sa.Connection, after: After) -> None:
            inst = load_task_instance(conn, account_id, ref)
            step, existing = self._load(conn, ref, name, seq)
            tr = rollbacks.start_attempt(
                inst,
                step,
                existing,
                lease=ref.lease,
                name=name,
                seq=seq,
                attempt=attempt,
                now=self.clock.now_us(),
            )
            self.effects.apply(conn, after, inst, tr, known=[existing])

        await self.effects.run(op, [ref.partition])

    async def complete(
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
        """Records a rollback's result; True when the task ends with it."""

        def op(conn: sa.Connection, after: After) -> bool:
            self.admission.check_payload(conn, after, account_id, "result", result)
            inst = load_task_instance(conn, account_id, ref)
            step, existing = self._load(conn, ref, name, seq)
            tr = rollbacks.complete(
                inst,
                step,
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
            return tr.task_ended

        return await self.effects.run(op, [ref.partition], cost=payload_cost(len(result)))

    async def fail_attempt(
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
        """Records a rollback's failed attempt; answers the retry time, or the rollback's final
        failure (the instance ended ROLLBACK_FAILED)."""

        def op(conn: sa.Connection, after: After) -> StepFailureOutcome:
            inst = load_task_instance(conn, account_id, ref)
            step, existing = self._load(conn, ref, name, seq)
            tr = rollbacks.fail_attempt(
                inst,
                step,
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
            )
            tr = self.admission.within_journal_quota(conn, after, inst, tr, existing)
            self.effects.apply(conn, after, inst, tr, known=[existing])
            return StepFailureOutcome.of(tr, error)

        return await self.effects.run(op, [ref.partition])
