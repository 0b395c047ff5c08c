"""Schedules: the commands of ScheduleService and the timer that fires due schedules.

A schedule lives in its own partition (shards.partitioning.schedule_partition); each fire
creates an instance whose id is derived from the scheduled time (shards.core.schedules). When
this server owns the partitions of the schedule, of the fire's instance and of the previous
instance (always so with one shard server), the fire is one transaction: the instance is
created through the engine's create path (Instances.create_op) and the schedule advanced with
it. Otherwise the owner creates the instance first (`Elsewhere`, a call to the owning shard
server) and the schedule is advanced after: a crash in between fires again, and the second
creation finds the instance and creates nothing. Either way no fire is lost or doubled.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Protocol

import sqlalchemy as sa

from shards import store
from shards.clock import Clock
from shards.committer import After, payload_cost
from shards.config import ShardConfig
from shards.core import control
from shards.core import schedules as rules
from shards.core.model import FINAL, Status
from shards.core.schedules import Action, Overlap, Policy, Schedule, Spec, Tick
from shards.engine.admission import Admission
from shards.engine.effects import Effects
from shards.engine.instances import Instances
from shards.engine.ownership import Partitions
from shards.engine.timers import NextDue
from shards.engine.types import NewInstance
from shards.errors import (
    FailedPrecondition,
    QuotaExceeded,
    ScheduleExists,
    ScheduleNotFound,
    StepwayError,
    WorkflowNotFound,
)
from shards.metrics import Metrics
from shards.partitioning import partition_of, schedule_partition

log = logging.getLogger(__name__)

# Due schedules fired per pass of the timer.
FIRE_BATCH = 100
# A trigger reads the schedule again this many times when it changes under it.
TRIGGER_TRIES = 5
TERMINATE_REASON = "terminated by its schedule's next fire (overlap policy terminatePrevious)"


class Elsewhere(Protocol):
    """Calls to the shard server that owns an instance's partition, for fires whose instance
    this server does not own."""

    async def create(self, account_id: str, item: NewInstance) -> bool | None:
        """Creates the instance on its owner: True, False when it existed already, None when
        the owner refused it for good (an unregistered workflow, a quota)."""
        ...

    async def terminate(self, account_id: str, workflow: str, instance_id: str) -> None:
        """Terminates the instance on its owner (nothing when it is finished or gone)."""
        ...


@dataclass(frozen=True)
class ScheduleView:
    """A schedule as GetSchedule answers: its next fire times and its recent runs' statuses
    (None: the instance was deleted)."""

    schedule: Schedule
    next_fires: list[int]
    statuses: dict[tuple[str, str], Status | None]


@dataclass(frozen=True)
class BackfillCounts:
    """What a backfill did."""

    created: int = 0
    existing: int = 0
    skipped: int = 0


class Stale(Exception):
    """The schedule changed between the timer's read and its operation: read again."""


class Schedules:
    """The commands of ScheduleService and the firing of due schedules."""

    def __init__(
        self,
        config: ShardConfig,
        clock: Clock,
        partitions: Partitions,
        effects: Effects,
        admission: Admission,
        instances: Instances,
        metrics: Metrics,
    ) -> None:
        self.config = config
        self.clock = clock
        self.partitions = partitions
        self.effects = effects
        self.admission = admission
        self.instances = instances
        self.metrics = metrics
        self.due = NextDue()
        # Set by the shard server: how fires reach the owners of partitions not owned here.
        self.elsewhere: Elsewhere | None = None

    def partition(self, account_id: str, schedule_id: str) -> int:
        return schedule_partition(account_id, schedule_id, self.config.partitions)

    def _instance_partition(self, account_id: str, workflow: str, instance_id: str) -> int:
        return partition_of(account_id, workflow, instance_id, self.config.partitions)

    def _noted(self, after: After, s: Schedule) -> None:
        if s.due_us is not None:
            due = s.due_us
            after.append(lambda: self.due.note(due))

    # ------------------------------------------------------------------ commands

    async def create(
        self,
        account_id: str,
        schedule_id: str,
        spec: Spec,
        action: Action,
        policy: Policy,
        paused: bool,
    ) -> Schedule:
        """Creates a schedule: ScheduleExists when the account has one of that id,
        QuotaExceeded past max_schedules, WorkflowNotFound for an unregistered workflow when
        no task queue is named."""
        now = self.clock.now_us()
        rules.check_spec(spec, now)
        rules.check_policy(policy)
        partition = self.partition(account_id, schedule_id)

        def op(conn: sa.Connection, after: After) -> Schedule:
            if store.load_schedule(conn, partition, account_id, schedule_id) is not None:
                raise ScheduleExists(schedule_id)
            limit = self.admission.quotas.read(conn, account_id).max_schedules
            if store.count_schedules(conn, account_id) >= limit:
                after.append(lambda: self.admission.reject(account_id, "max_schedules"))
                raise QuotaExceeded("max_schedules", limit, retry_after=60.0)
            self._check_action(conn, after, account_id, action)
            s = Schedule(
                account_id=account_id,
                schedule_id=schedule_id,
                partition=partition,
                spec=spec,
                action=action,
                policy=policy,
                created_us=now,
                updated_us=now,
                paused=paused,
                next_us=None if paused else rules.next_fire(spec, now),
            )
            s = rules.with_due(s, now)
            store.insert_schedule(conn, s)
            self._noted(after, s)
            return s

        return await self.effects.run(op, [partition])

    def _check_action(
        self, conn: sa.Connection, after: After, account_id: str, action: Action
    ) -> None:
        if not action.task_queue and (
            store.workflow_task_queue(conn, account_id, action.workflow) is None
        ):
            raise WorkflowNotFound(action.workflow)
        self.admission.check_payload(conn, after, account_id, "action.params", action.params)

    async def get(self, account_id: str, schedule_id: str, next_count: int) -> ScheduleView:
        """A schedule, its next next_count fire times and its recent runs' statuses."""
        partition = self.partition(account_id, schedule_id)

        def read(conn: sa.Connection) -> ScheduleView:
            s = store.load_schedule(conn, partition, account_id, schedule_id)
            if s is None:
                raise ScheduleNotFound(schedule_id)
            keys = [(r.workflow, r.instance_id) for r in s.recent_runs]
            found = store.find_instances(conn, account_id, keys)
            statuses = {key: (found[key].status if key in found else None) for key in keys}
            return ScheduleView(s, _next_fires(s, next_count), statuses)

        return await self.effects.read(read)

    async def list_schedules(
        self, account_id: str, after: str, limit: int
    ) -> list[tuple[Schedule, list[int]]]:
        """A page of the account's schedules by id, after `after`, each with its next fire time
        (every server reads the same database: any one lists every partition)."""

        def read(conn: sa.Connection) -> list[tuple[Schedule, list[int]]]:
            found = store.list_schedules(conn, account_id, None, after, limit)
            return [(s, _next_fires(s, 1)) for s in found]

        return await self.effects.read(read)

    async def _change(
        self, account_id: str, schedule_id: str, change: Callable[[Schedule, int], Schedule]
    ) -> Schedule:
        partition = self.partition(account_id, schedule_id)

        def op(conn: sa.Connection, after: After) -> Schedule:
            s = store.load_schedule(conn, partition, account_id, schedule_id)
            if s is None:
                raise ScheduleNotFound(schedule_id)
            new = change(s, self.clock.now_us())
            store.save_schedules(conn, [new])
            self._noted(after, new)
            return new

        return await self.effects.run(op, [partition])

    async def update(
        self, account_id: str, schedule_id: str, spec: Spec, action: Action, policy: Policy
    ) -> Schedule:
        """Replaces a schedule's spec, action and policy."""
        rules.check_spec(spec, self.clock.now_us())
        rules.check_policy(policy)
        partition = self.partition(account_id, schedule_id)

        def op(conn: sa.Connection, after: After) -> Schedule:
            s = store.load_schedule(conn, partition, account_id, schedule_id)
            if s is None:
                raise ScheduleNotFound(schedule_id)
            self._check_action(conn, after, account_id, action)
            new = rules.updated(s, spec, action, policy, self.clock.now_us())
            store.save_schedules(conn, [new])
            self._noted(after, new)
            return new

        return await self.effects.run(op, [partition])

    async def pause(self, account_id: str, schedule_id: str, note: str) -> Schedule:
        """Pauses a schedule (a paused one changes only its note)."""
        return await self._change(
            account_id, schedule_id, lambda s, now: rules.paused(s, note, now)
        )

    async def resume(self, account_id: str, schedule_id: str, note: str) -> Schedule:
        """Resumes a paused schedule from now (a running one changes nothing)."""
        return await self._change(
            account_id, schedule_id, lambda s, now: rules.resumed(s, note, now)
        )

    async def delete(self, account_id: str, schedule_id: str) -> None:
        """Deletes a schedule; the instances it created stay."""
        partition = self.partition(account_id, schedule_id)

        def op(conn: sa.Connection, after: After) -> None:
            if not store.delete_schedule(conn, partition, account_id, schedule_id):
                raise ScheduleNotFound(schedule_id)

        await self.effects.run(op, [partition])

    async def trigger(self, account_id: str, schedule_id: str, overlap: Overlap | None) -> str:
        """Fires a schedule now under overlap (None: its own policy): the id of the instance
        created, or of the instance a buffered fire will create; empty when skipped."""
        partition = self.partition(account_id, schedule_id)
        now = self.clock.now_us()
        for _ in range(TRIGGER_TRIES):
            s = await self._read(partition, account_id, schedule_id)
            try:
                t = await self._fire(
                    s, lambda cur, previous: rules.trigger(cur, now, previous, overlap), now
                )
                break
            except Stale:
                continue
        else:
            raise FailedPrecondition(
                f"schedule {schedule_id!r} kept changing while it fired; try again"
            )
        if t.outcome == "buffered" and t.schedule.buffered_us is not None:
            return rules.instance_id(schedule_id, t.schedule.buffered_us)
        if t.fire_us is None:
            return ""
        return rules.instance_id(schedule_id, t.fire_us)

    async def backfill(
        self, account_id: str, schedule_id: str, start_us: int, end_us: int, overlap: Overlap
    ) -> BackfillCounts:
        """Fires a schedule at every time its spec gives in [start_us, end_us), as if on time:
        instances that exist already are counted, not created again. Between the backfilled
        fires, overlap applies: each fire's previous instance is the one before it."""
        partition = self.partition(account_id, schedule_id)
        s = await self._read(partition, account_id, schedule_id)
        times = rules.backfill_times(s.spec, start_us, end_us)
        if overlap is Overlap.ALLOW_ALL:
            items = [self._item(s, at) for at in times]
            outcomes = await self.instances.create_many(account_id, items) if items else []
            for outcome in outcomes:
                if isinstance(outcome, StepwayError):
                    raise outcome
            made = sum(1 for o in outcomes if not isinstance(o, StepwayError) and o[1])
            return BackfillCounts(created=made, existing=len(outcomes) - made)
        counts = BackfillCounts()
        previous: tuple[str, str] | None = None
        for at in times:
            decision = rules.decide(overlap, await self._status(account_id, previous), True)
            if decision is rules.Decision.SKIP:
                counts = replace(counts, skipped=counts.skipped + 1)
                continue
            if decision is rules.Decision.TERMINATE_THEN_CREATE and previous is not None:
                await self._terminate(account_id, previous)
            created = await self._create_one(s, at)
            if created is None:
                raise FailedPrecondition(
                    f"creating {rules.instance_id(schedule_id, at)!r} was refused by the shard "
                    "server that owns it (see its log)"
                )
            if created:
                counts = replace(counts, created=counts.created + 1)
            else:
                counts = replace(counts, existing=counts.existing + 1)
            previous = (s.action.workflow, rules.instance_id(schedule_id, at))
        return counts

    async def _read(self, partition: int, account_id: str, schedule_id: str) -> Schedule:
        def read(conn: sa.Connection) -> Schedule:
            s = store.load_schedule(conn, partition, account_id, schedule_id)
            if s is None:
                raise ScheduleNotFound(schedule_id)
            return s

        return await self.effects.read(read)

    async def _status(self, account_id: str, key: tuple[str, str] | None) -> Status | None:
        if key is None:
            return None
        inst = await self.effects.read(
            lambda conn: store.find_instance(conn, account_id, key[0], key[1])
        )
        return None if inst is None else inst.status

    async def _terminate(self, account_id: str, key: tuple[str, str]) -> None:
        """Terminates an instance unless it is finished or gone, here or on its owner."""
        workflow, instance_id = key
        if self._instance_partition(account_id, workflow, instance_id) in self.partitions.owned:
            partition = self._instance_partition(account_id, workflow, instance_id)
            await self.effects.run(
                lambda conn, after: self._terminate_in(conn, after, account_id, key), [partition]
            )
        elif self.elsewhere is not None:
            await self.elsewhere.terminate(account_id, workflow, instance_id)

    def _terminate_in(
        self, conn: sa.Connection, after: After, account_id: str, key: tuple[str, str]
    ) -> None:
        inst = store.find_instance(conn, account_id, key[0], key[1])
        if inst is None or inst.status in FINAL:
            return
        tr = control.terminate(inst, TERMINATE_REASON, self.clock.now_us())
        self.effects.apply(conn, after, inst, tr, known=tr.steps)

    async def _create_one(self, s: Schedule, at: int) -> bool | None:
        """Creates the instance of the fire at `at`: here (a refusal raises its error) or on
        its owner; False when it existed already, None when its owner refused it."""
        item = self._item(s, at)
        p = self._instance_partition(s.account_id, item.workflow, item.instance_id)
        if p in self.partitions.owned or self.elsewhere is None:
            _, created = await self.instances.create(
                s.account_id,
                item.workflow,
                item.instance_id,
                item.params,
                item.retention_us,
                task_queue=item.task_queue,
            )
            return created
        return await self.elsewhere.create(s.account_id, item)

    def _item(self, s: Schedule, at: int) -> NewInstance:
        return NewInstance(
            s.action.workflow,
            rules.instance_id(s.schedule_id, at),
            s.action.params,
            s.action.retention_us,
            task_queue=s.action.task_queue or None,
        )

    # ------------------------------------------------------------------ firing

    async def loop(self) -> None:
        """Sleeps until the earliest due schedule, then fires every schedule due."""
        due = self.due
        while True:
            now = self.clock.now_us()
            if due.at is not None and due.at <= now:
                due.at = None
                try:
                    await self.fire_due(now)
                except Exception:
                    log.exception("firing schedules failed; trying again in a second")
                    due.note(self.clock.now_us() + rules.SECOND_US)
                continue
            due.wake.clear()
            timeout = None if due.at is None else (due.at - now) / 1_000_000
            await self.clock.wait(due.wake, timeout)

    async def fire_due(self, now: int) -> None:
        """Fires the schedules of the owned partitions due at now, then notes the next due
        time."""
        owned = list(self.partitions.owned)
        if not owned:
            return
        found = await self.effects.read(
            lambda conn: store.due_schedules(conn, owned, now, FIRE_BATCH)
        )
        await asyncio.gather(*(self._fire_until_idle(s, now) for s in found))
        if len(found) >= FIRE_BATCH:
            self.due.note(now)
            return
        nxt = await self.effects.read(lambda conn: store.next_schedule_due(conn, owned))
        if nxt is not None:
            self.due.note(nxt)

    async def _fire_until_idle(self, s: Schedule, now: int) -> None:
        """Ticks a due schedule until nothing is left due at now (fires, catch-up)."""
        try:
            while s.due_us is not None and s.due_us <= now and not s.paused:
                t = await self._fire(s, lambda cur, previous: rules.tick(cur, now, previous))
                if t.outcome in ("idle", "waiting"):
                    return
                s = t.schedule
        except Stale:
            self.due.note(now)
        except StepwayError as exc:
            log.warning("schedule %s could not fire: %s", s.schedule_id, exc.message)
            self.due.note(self.clock.now_us() + rules.SECOND_US)

    async def load(self, partitions: set[int]) -> None:
        """Notes the earliest due schedule of partitions taken over."""
        nxt = await self.effects.read(
            lambda conn: store.next_schedule_due(conn, sorted(partitions))
        )
        if nxt is not None:
            self.due.note(nxt)

    async def _fire(
        self,
        s: Schedule,
        step: Callable[[Schedule, Status | None], Tick],
        trigger_us: int | None = None,
    ) -> Tick:
        """One step of a schedule as read (`step` of it and its previous instance's status; a
        trigger's fires at trigger_us): in one transaction when this server owns every
        partition it writes, else the instance is created on its owner first. Stale when the
        schedule changed since it was read."""
        times = [t for t in (s.buffered_us, s.next_us, trigger_us) if t is not None]
        candidates = {
            self._instance_partition(
                s.account_id, s.action.workflow, rules.instance_id(s.schedule_id, t)
            )
            for t in times
        }
        if s.last_instance is not None:
            candidates.add(self._instance_partition(s.account_id, *s.last_instance))
        owned = self.partitions.owned
        if self.elsewhere is None or all(p in owned for p in candidates):
            return await self._fire_here(s, step, times, candidates)
        return await self._fire_elsewhere(s, step)

    async def _fire_here(
        self,
        s: Schedule,
        step: Callable[[Schedule, Status | None], Tick],
        times: list[int],
        candidates: set[int],
    ) -> Tick:
        creates = {at: self.instances.create_op(s.account_id, [self._item(s, at)]) for at in times}

        def op(conn: sa.Connection, after: After) -> Tick:
            cur = store.load_schedule(conn, s.partition, s.account_id, s.schedule_id)
            if cur is None:
                raise ScheduleNotFound(s.schedule_id)
            if cur != s:
                raise Stale()  # the partitions to write were chosen from s
            previous = _previous_status(conn, cur)
            t = step(cur, previous)
            new = t.schedule
            if t.fire_us is not None:
                create = creates.get(t.fire_us)
                if create is None:
                    raise Stale()
                if t.terminate is not None:
                    self._terminate_in(conn, after, cur.account_id, t.terminate)
                [outcome] = create(conn, after)
                if isinstance(outcome, StepwayError):
                    log.warning(
                        "schedule %s: fire %s refused: %s",
                        cur.schedule_id,
                        rules.instance_id(cur.schedule_id, t.fire_us),
                        outcome.message,
                    )
                    after.append(lambda: self._count(cur, "refused", t.fire_us, None))
                else:
                    inst, created = outcome
                    new = rules.fired(new, t.fire_us, inst.created_at)
                    kind = "created" if created else "existing"
                    at, made = t.fire_us, inst.created_at
                    after.append(lambda: self._count(cur, kind, at, made))
            elif t.outcome in ("skipped", "missed"):
                kind, n = t.outcome, max(new.missed - cur.missed, 1)
                after.append(lambda: self._count(cur, kind, None, None, n))
            store.save_schedules(conn, [new])
            self._noted(after, new)
            return replace(t, schedule=new)

        # The schedule's row, the instance's with its params, the previous instance's.
        cost = 2 + payload_cost(len(s.action.params))
        return await self.effects.run(op, {s.partition, *candidates}, cost=cost)

    async def _fire_elsewhere(
        self, s: Schedule, step: Callable[[Schedule, Status | None], Tick]
    ) -> Tick:
        """A fire whose instance another server owns: decide, create it on its owner, then
        advance the schedule if it is still as it was decided on."""
        assert self.elsewhere is not None

        def decide(conn: sa.Connection) -> tuple[Schedule, Tick]:
            cur = store.load_schedule(conn, s.partition, s.account_id, s.schedule_id)
            if cur is None:
                raise ScheduleNotFound(s.schedule_id)
            return cur, step(cur, _previous_status(conn, cur))

        cur, t = await self.effects.read(decide)
        created: bool | None = None
        if t.fire_us is not None:
            if t.terminate is not None:
                await self._terminate(cur.account_id, t.terminate)
            created = await self._create_one(cur, t.fire_us)
        now = self.clock.now_us()

        def op(conn: sa.Connection, after: After) -> Tick:
            again = store.load_schedule(conn, s.partition, s.account_id, s.schedule_id)
            if again != cur:
                raise Stale()  # changed meanwhile: the next tick decides again
            new = t.schedule
            if t.fire_us is not None and created is not None:
                new = rules.fired(new, t.fire_us, now)
                kind, at = ("created" if created else "existing"), t.fire_us
                after.append(lambda: self._count(cur, kind, at, now))
            elif t.fire_us is not None:
                after.append(lambda: self._count(cur, "refused", None, None))
            elif t.outcome in ("skipped", "missed"):
                kind, n = t.outcome, max(new.missed - cur.missed, 1)
                after.append(lambda: self._count(cur, kind, None, None, n))
            store.save_schedules(conn, [new])
            self._noted(after, new)
            return replace(t, schedule=new)

        return await self.effects.run(op, [s.partition])

    def _count(
        self,
        s: Schedule,
        outcome: str,
        scheduled_us: int | None,
        created_us: int | None,
        count: int = 1,
    ) -> None:
        """After a commit: the fire's outcome and, for a creation, its lag."""
        self.metrics.schedule_fires.labels(s.account_id, outcome).inc(count)
        if scheduled_us is not None and created_us is not None:
            self.metrics.schedule_lag.observe(max(created_us - scheduled_us, 0) / 1_000_000)


def _next_fires(s: Schedule, count: int) -> list[int]:
    if s.paused or s.next_us is None or count <= 0:
        return []
    return [s.next_us, *rules.next_fires(s.spec, s.next_us, count - 1)]


def _previous_status(conn: sa.Connection, s: Schedule) -> Status | None:
    if s.last_instance is None:
        return None
    inst = store.find_instance(conn, s.account_id, *s.last_instance)
    return None if inst is None else inst.status
