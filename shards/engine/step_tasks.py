"""CALL steps served by step workers: a run schedules a call, step workers poll for its
tasks, and complete, fail or heartbeat their attempts (shards.core.calls holds the rules).

Each command reads the instance, the CALL step and its step task in the writer thread, calls
one rule of shards.core.calls, and hands the CallChange to Effects.apply_call, which writes the
instance's Transition and the step task together.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable

import sqlalchemy as sa

from shards import store
from shards.clock import Clock
from shards.committer import After, payload_cost
from shards.core import calls, limits
from shards.core.calls import CallChange, CallSpec, StepKey, StepTask
from shards.core.model import Failure, Instance, Status, Step
from shards.engine.admission import Admission
from shards.engine.effects import Effects
from shards.engine.ownership import Partitions
from shards.engine.step_commands import past_step_limit
from shards.engine.types import ClaimedStepTask, StepFailureOutcome
from shards.engine.workflow_tasks import load_task_step, new_lease
from shards.errors import LeaseLost, TaskNotFound
from shards.tokens import StepTaskRef, TaskRef


class StepTasks:
    """Calls and their step tasks."""

    def __init__(
        self, clock: Clock, partitions: Partitions, effects: Effects, admission: Admission
    ) -> None:
        self.clock = clock
        self.partitions = partitions
        self.effects = effects
        self.admission = admission

    def _within_state_quota(
        self,
        conn: sa.Connection,
        after: After,
        inst: Instance,
        change: CallChange,
        step: Step | None,
    ) -> CallChange:
        """A call's outcome, counted in the instance's recorded state: past the quota the
        instance errors instead, and the call's task goes."""
        tr = change.transition
        growth = limits.journal_growth(tr.steps, [step])
        checked = self.admission.within_state_quota(conn, after, inst, tr, growth)
        return change if checked is tr else CallChange(checked, None)

    async def schedule_call(
        self, account_id: str, ref: TaskRef, *, name: str, seq: int, spec: CallSpec
    ) -> Step | None:
        """Starts a CALL step: None when the instance now waits for it (or the task ended);
        the journal entry when the call had already finished."""
        effects, admission = self.effects, self.admission
        counted = admission.step_count(ref.key)

        def op(conn: sa.Connection, after: After) -> Step | None:
            admission.check_payload(conn, after, account_id, "input", spec.input)
            inst, existing = load_task_step(conn, account_id, ref, name, seq)
            if past_step_limit(
                effects, admission, conn, after, inst, existing, ref, name, seq, counted
            ):
                return None
            change = calls.schedule(
                inst,
                existing,
                lease=ref.lease,
                name=name,
                seq=seq,
                spec=spec,
                now=self.clock.now_us(),
            )
            new = effects.apply_call(
                conn, after, inst, change, (ref.partition, ref.uid, name, seq), [existing]
            )
            if new.status in (Status.WAITING, Status.PAUSED) or existing is None:
                return None
            return existing

        return await admission.step_in_flight(ref.key, effects.run(op, [ref.partition]))

    async def poll_steps(
        self,
        account_id: str,
        worker_id: str,
        task_queue: str,
        max_tasks: int,
        wait: float,
    ) -> list[ClaimedStepTask]:
        """Long-polls for up to max_tasks step tasks of a step task queue.

        Unlike a workflow poll, a dropped connection gives nothing back: the step may still be
        running on the lost worker, and its attempt ends by its heartbeat timeout or timeout.
        A poll cancelled before it answered gives back what it had claimed.
        """
        step_queues = self.effects.step_queues
        queue = (account_id, task_queue)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait
        while True:
            keys = await step_queues.take(queue, max_tasks, max(deadline - loop.time(), 0))
            if not keys:
                return []
            keys = [k for k in keys if k[0] in self.partitions.owned]
            if not keys:
                continue
            claim = self.effects.claim_in_parts(
                functools.partial(self._claim_op, worker_id),
                keys,
                functools.partial(step_queues.push_front, queue),
            )
            try:
                claimed = await asyncio.shield(claim)
            except asyncio.CancelledError:
                claim.add_done_callback(functools.partial(self._release_unsent, queue, keys))
                raise
            except Exception:
                step_queues.push_front(queue, keys)
                raise
            if claimed or loop.time() >= deadline:
                return claimed

    def _claim_op(
        self, worker_id: str, keys: list[StepKey]
    ) -> Callable[[sa.Connection, After], list[ClaimedStepTask]]:
        def op(conn: sa.Connection, after: After) -> list[ClaimedStepTask]:
            tasks = store.load_step_tasks(conn, keys)
            ready = [
                tasks[k]
                for k in dict.fromkeys(keys)
                if k in tasks and tasks[k].state is calls.TaskState.READY
            ]
            found = store.load_instances(conn, list({t.instance_key for t in ready}))
            now = self.clock.now_us()
            claimed = []
            for task in ready:
                inst = found.get(task.instance_key)
                if inst is None:
                    continue
                lease = new_lease()
                change = calls.claim(inst, task, worker_id, lease, now)
                found[task.instance_key] = self.effects.apply_call(
                    conn, after, inst, change, task.key
                )
                assert change.task is not None
                ref = StepTaskRef(task.partition, task.uid, task.name, task.seq, lease)
                claimed.append(ClaimedStepTask(ref, change.task, found[task.instance_key]))
            return claimed

        return op

    def _release_unsent(
        self,
        queue: tuple[str, str],
        keys: list[StepKey],
        claim: asyncio.Future[list[ClaimedStepTask]],
    ) -> None:
        """After a step poll was cancelled: gives back what its claim took."""
        if claim.cancelled() or claim.exception() is not None:
            self.effects.step_queues.push_front(queue, keys)
            return
        claimed = claim.result()
        if claimed:
            account_id = claimed[0].task.account_id
            self.effects.spawn(self.release_steps(account_id, [c.ref for c in claimed]))

    async def release_steps(self, account_id: str, refs: list[StepTaskRef]) -> None:
        """Gives step tasks back before they were worked on: the same attempt is queued again.
        Tasks whose attempt already ended are skipped."""

        def op_for(part: list[StepTaskRef]) -> Callable[[sa.Connection, After], None]:
            def op(conn: sa.Connection, after: After) -> None:
                tasks = store.load_step_tasks(conn, [r.key for r in part])
                found = store.load_instances(conn, list({r.instance_key for r in part}))
                now = self.clock.now_us()
                for ref in part:
                    task, inst = tasks.get(ref.key), found.get(ref.instance_key)
                    if inst is None or inst.account_id != account_id:
                        continue
                    try:
                        change = calls.release(inst, task, ref.lease, now)
                    except LeaseLost:
                        continue
                    found[ref.instance_key] = self.effects.apply_call(
                        conn, after, inst, change, ref.key
                    )

            return op

        await self.effects.run_parts(refs, op_for, lambda r: r.partition)

    @staticmethod
    def _load_call(
        conn: sa.Connection, account_id: str, ref: StepTaskRef
    ) -> tuple[Instance, Step, StepTask | None]:
        """The instance, CALL step and task a step task token names (the task is None once
        the call is over)."""
        inst = store.load_instance(conn, ref.instance_key)
        if inst is not None and inst.account_id != account_id:
            raise TaskNotFound()
        step = store.load_step(conn, ref.instance_key, ref.name, ref.seq)
        if inst is None or step is None:
            raise LeaseLost("the call is over: its instance was deleted or restarted")
        return inst, step, store.load_step_task(conn, ref.key)

    async def complete_step_task(self, account_id: str, ref: StepTaskRef, result: bytes) -> None:
        """Records a step task's result: the CALL step succeeds."""
        effects = self.effects

        def op(conn: sa.Connection, after: After) -> None:
            self.admission.check_payload(conn, after, account_id, "result", result)
            inst, step, task = self._load_call(conn, account_id, ref)
            change = calls.complete(
                inst, step, task, lease=ref.lease, result=result, now=self.clock.now_us()
            )
            change = self._within_state_quota(conn, after, inst, change, step)
            effects.apply_call(conn, after, inst, change, ref.key, [step])
            started = task.attempt_started_at if task else 0
            after.append(lambda: effects.attempt(inst, "succeeded", started or 0))

        await effects.run(op, [ref.partition], cost=payload_cost(len(result)))

    async def fail_step_task(
        self, account_id: str, ref: StepTaskRef, error: Failure, non_retryable: bool
    ) -> StepFailureOutcome:
        """Records a failed attempt: the next one is scheduled, or the CALL step fails."""
        effects = self.effects

        def op(conn: sa.Connection, after: After) -> StepFailureOutcome:
            inst, step, task = self._load_call(conn, account_id, ref)
            change = calls.fail(
                inst,
                step,
                task,
                lease=ref.lease,
                error=error,
                non_retryable=non_retryable,
                now=self.clock.now_us(),
            )
            change = self._within_state_quota(conn, after, inst, change, step)
            effects.apply_call(conn, after, inst, change, ref.key, [step])
            started = task.attempt_started_at if task else 0
            after.append(lambda: effects.attempt(inst, "failed", started or 0))
            if change.task is None:
                return StepFailureOutcome(None, error)
            nxt = change.task
            return StepFailureOutcome(nxt.due_at if nxt.due_at is not None else nxt.ready_at, None)

        return await effects.run(op, [ref.partition])

    async def heartbeat_step_task(
        self, account_id: str, ref: StepTaskRef, details: bytes | None
    ) -> int:
        """Extends a step task's heartbeat deadline; answers when the attempt now times out."""

        def op(conn: sa.Connection, after: After) -> int:
            if details is not None:
                self.admission.check_payload(conn, after, account_id, "details", details)
            inst, _, task = self._load_call(conn, account_id, ref)
            change = calls.heartbeat(inst, task, ref.lease, details, self.clock.now_us())
            self.effects.apply_call(conn, after, inst, change, ref.key)
            assert change.task is not None and change.task.due_at is not None
            return change.task.due_at

        return await self.effects.run(op, [ref.partition])
