"""The clients' commands: create, get, wait, send an event, pause, resume, terminate, restart,
delete, and the reads (list, history, watch, workflows).

Each write reads its rows in the writer thread, calls one rule of shards.core (machine, steps,
control, limits) and hands the Transition to Effects.apply. Reads run in reader threads.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterable, Mapping, Sequence

import sqlalchemy as sa

from shards import store
from shards.clock import Clock
from shards.committer import MAX_OPERATION_COST, After, Prepared, payload_cost, split
from shards.config import ShardConfig
from shards.core import control, limits, machine, steps
from shards.core import retention as retention_rule
from shards.core.model import FINAL, HistoryEntry, Instance, Status, Transition
from shards.core.retention import UNSET, Retentions
from shards.engine import journal
from shards.engine.admission import Admission
from shards.engine.effects import Effects
from shards.engine.handoffs import Handoffs, Reserved
from shards.engine.retention import Retention
from shards.engine.types import HistoryPage, InstanceView, NewInstance, WorkflowInfo
from shards.errors import (
    InstanceNotFound,
    InvalidArgument,
    NotOwner,
    StepwayError,
    WorkflowNotFound,
)
from shards.partitioning import partition_of

# The children GetInstance shows with the steps.
MAX_CHILDREN_SHOWN = 100
# A watch re-reads the history at least this often, for writes made by another process.
WATCH_POLL_SECONDS = 2.0

Created = tuple[Instance, bool] | StepwayError


class Gathering:
    """Single creations of one account that wait together for the writer: one operation writes
    them all when its batch is formed (shards.committer.submit_prepared), at most
    MAX_OPERATION_COST of them. Read and changed on the event loop only."""

    __slots__ = ("closed", "cost", "done", "items")

    def __init__(self) -> None:
        self.items: list[NewInstance] = []
        self.cost = 0
        self.closed = False
        self.done: asyncio.Future[list[Created]] | None = None


class TaskQueueNames:
    """The task queue each (account, workflow) is registered on, as far as this server read or
    wrote it. Read and changed on the event loop only: an operation gets the names it needs as
    a copy (`of`), and what it read is remembered after its commit."""

    def __init__(self) -> None:
        self.known: dict[tuple[str, str], str] = {}

    def of(self, account_id: str, workflows: Iterable[str]) -> dict[str, str]:
        """The known task queues of these workflows of the account."""
        known = ((w, self.known.get((account_id, w))) for w in workflows)
        return {w: q for w, q in known if q is not None}

    def remember(self, account_id: str, task_queues: Mapping[str, str]) -> None:
        for workflow, task_queue in task_queues.items():
            self.known[(account_id, workflow)] = task_queue


def _resolve(outcome: Created | int, outcomes: list[Created | int]) -> Created:
    """An item's outcome; an int points at the earlier item of the same id, created by it."""
    if isinstance(outcome, int):
        created = outcomes[outcome]
        assert isinstance(created, tuple)
        return created[0], False
    return outcome


def find(conn: sa.Connection, account_id: str, workflow: str, instance_id: str) -> Instance:
    inst = store.find_instance(conn, account_id, workflow, instance_id)
    if inst is None:
        raise InstanceNotFound(workflow, instance_id)
    return inst


class Instances:
    """The clients' commands and reads."""

    def __init__(
        self,
        config: ShardConfig,
        clock: Clock,
        effects: Effects,
        admission: Admission,
        retention: Retention,
        task_queues: TaskQueueNames,
        handoffs: Handoffs | None = None,
    ) -> None:
        self.config = config
        self.clock = clock
        self.effects = effects
        self.admission = admission
        self.retention = retention
        self.task_queues = task_queues
        self.handoffs = handoffs
        # Per account, the single creations gathering for the next operation.
        self.gathering: dict[str, Gathering] = {}

    def partition(self, account_id: str, workflow: str, instance_id: str) -> int:
        return partition_of(account_id, workflow, instance_id, self.config.partitions)

    # ------------------------------------------------------------------ create

    async def create(
        self,
        account_id: str,
        workflow: str,
        instance_id: str,
        params: bytes,
        retention_us: int | None = None,
        *,
        trace_parent: str | None = None,
        task_queue: str | None = None,
        by_outcome: Retentions = UNSET,
    ) -> tuple[Instance, bool]:
        """Creates an instance, or returns the existing one with created = False.

        Creations of an account that arrive while the writer is busy are written together, as
        one operation (Gathering): the same rows and outcomes as one by one, in a few
        statements instead of a few per creation. Two creations of one id so gathered answer
        as if one came first: it creates, the other finds it. A creation that finds the writer
        idle goes alone, and may hand its instance to a parked poll (shards.engine.handoffs)."""
        item = NewInstance(
            workflow, instance_id, params, retention_us, trace_parent, task_queue, by_outcome
        )
        if self.handoffs is not None and self.effects.committer.idle():
            [outcome] = await self._create_part(account_id, [item])
        else:
            outcome = await self._gathered(account_id, item)
        if isinstance(outcome, StepwayError):
            raise outcome
        return outcome

    async def _gathered(self, account_id: str, item: NewInstance) -> Created:
        """Creates one instance in the account's gathering operation."""
        cost = payload_cost(len(item.params))
        g = self.gathering.get(account_id)
        if g is None or g.closed or g.cost + cost > MAX_OPERATION_COST:
            g = self.gathering[account_id] = Gathering()
            prepare = functools.partial(self._prepare_gathered, account_id, g)
            g.done = self.effects.committer.submit_prepared(prepare, account=account_id)
        index = len(g.items)
        g.items.append(item)
        g.cost += cost
        assert g.done is not None
        try:
            # Shielded: one caller that goes away does not cancel the others' operation.
            outcomes = await asyncio.shield(g.done)
        except NotOwner:
            # A partition of another item moved: this one goes alone, refused only if its own.
            [outcome] = await self._create_part(account_id, [item])
            return outcome
        return outcomes[index]

    def _prepare_gathered(self, account_id: str, g: Gathering) -> Prepared:
        """Closes a gathering when its batch is formed, and builds its operation."""
        g.closed = True
        if self.gathering.get(account_id) is g:
            del self.gathering[account_id]
        items = g.items
        partitions = frozenset(self.partition(account_id, i.workflow, i.instance_id) for i in items)
        return self.create_op(account_id, items), partitions, g.cost

    async def create_many(self, account_id: str, items: list[NewInstance]) -> list[Created]:
        """Creates instances; each item has its own outcome, in order.

        An id that exists (already, or earlier in the same list) answers the existing instance
        with created = False; an unknown workflow answers its error; the others are created.
        An item whose partition this server does not own answers NotOwner, and the rest are
        created without it. A long list is written as one operation per part (see
        shards.committer.split), in order.
        """
        parts = split(items, lambda item: payload_cost(len(item.params)))
        if len(parts) == 1:
            return await self._create_part(account_id, items)
        done = await asyncio.gather(*(self._create_part(account_id, part) for part in parts))
        return [outcome for part in done for outcome in part]

    async def _create_part(self, account_id: str, items: list[NewInstance]) -> list[Created]:
        outcomes: dict[int, Created] = {}
        left = list(range(len(items)))
        while left:
            try:
                done = await self._create(account_id, [items[n] for n in left])
            except NotOwner as exc:
                # Each pass drops the partitions refused, so this ends.
                for n in left:
                    p = self.partition(account_id, items[n].workflow, items[n].instance_id)
                    if p in exc.partitions:
                        outcomes[n] = NotOwner({p}, exc.owners)
                left = [n for n in left if n not in outcomes]
                continue
            outcomes.update(zip(left, done, strict=True))
            break
        return [outcomes[n] for n in range(len(items))]

    async def _create(self, account_id: str, items: list[NewInstance]) -> list[Created]:
        partitions = [self.partition(account_id, i.workflow, i.instance_id) for i in items]
        cost = sum(payload_cost(len(i.params)) for i in items)
        if self.handoffs is None or not self.effects.committer.idle():
            # A busy writer commits the claims of many creates together: no handoff then.
            return await self.effects.run(self.create_op(account_id, items), partitions, cost=cost)
        # Parked polls that would take these instances get them in this transaction
        # (shards.engine.handoffs); an item's task queue must be known here to be handed.
        known = self.task_queues.of(account_id, {i.workflow for i in items})
        reserved = self.handoffs.reserve(
            account_id,
            [
                (tq, i.workflow, i.instance_id)
                for i in items
                if (tq := i.task_queue or known.get(i.workflow)) is not None
            ],
        )
        if not reserved:
            return await self.effects.run(self.create_op(account_id, items), partitions, cost=cost)
        done = self.effects.committer.submit(
            self.create_op(account_id, items, reserved), frozenset(partitions), cost=cost
        )
        done.add_done_callback(functools.partial(self.handoffs.settle, reserved))
        # Shielded: a caller gone does not settle the polls before the transaction is over.
        return await asyncio.shield(done)

    def create_op(
        self, account_id: str, items: list[NewInstance], reserved: Sequence[Reserved] = ()
    ) -> Callable[[sa.Connection, After], list[Created]]:
        """The operation that creates these instances (an existing id answers the existing
        instance), built on the event loop from its caches and counts; it runs in the writer
        thread as its own operation or inside another one (a schedule's fire) whose partitions
        include the instances'. The instances reserved for parked polls are claimed for them
        in the same transaction (shards.engine.handoffs)."""
        partitions = [self.partition(account_id, i.workflow, i.instance_id) for i in items]
        admission, retention = self.admission, self.retention
        # What the operation needs of the event loop's caches and counts, read now: the writer
        # thread reads none of them.
        workflows = {i.workflow for i in items}
        task_queues = self.task_queues.of(account_id, workflows)
        queued_now = {w: admission.occupancy.queued[(account_id, w)] for w in workflows}
        cached_retention = retention.cached(account_id)

        def op(conn: sa.Connection, after: After) -> list[Created]:
            keys = [(i.workflow, i.instance_id) for i in items]
            existing = store.find_instances(conn, account_id, keys)
            outcomes: list[Created | int] = []
            first: dict[tuple[str, str], int] = {}
            fresh: list[tuple[int, Transition, bytes]] = []
            now = self.clock.now_us()
            default_retention = cached_retention
            if default_retention is None:
                default_retention = retention.read(conn, account_id)
                read_retention = default_retention
                after.append(lambda: retention.remember(account_id, read_retention))
            read_queues: dict[str, str] = {}
            workflow_retentions = store.workflow_retentions(conn, account_id, workflows)
            queue_limit = admission.share(
                admission.quotas.read(conn, account_id).max_queued_per_workflow
            )
            adding: Counter[str] = Counter()
            for n, (item, key) in enumerate(zip(items, keys, strict=True)):
                if key in existing:
                    outcomes.append((existing[key], False))
                    continue
                if key in first:
                    outcomes.append(first[key])  # resolved below to that item's instance
                    continue
                task_queue = item.task_queue or task_queues.get(item.workflow)
                if task_queue is None:
                    task_queue = store.workflow_task_queue(conn, account_id, item.workflow)
                    if task_queue is None:
                        outcomes.append(WorkflowNotFound(item.workflow))
                        continue
                    task_queues[item.workflow] = read_queues[item.workflow] = task_queue
                try:
                    admission.check_payload(conn, after, account_id, "params", item.params)
                except InvalidArgument as err:
                    outcomes.append(err)
                    continue
                queued = queued_now[item.workflow] + adding[item.workflow]
                if queued >= queue_limit:
                    outcomes.append(admission.queue_full(after, account_id, item.workflow, queued))
                    continue
                adding[item.workflow] += 1
                success_us, error_us = retention_rule.pick(
                    item.by_outcome,
                    item.retention_us,
                    workflow_retentions.get(item.workflow, UNSET),
                    default_retention,
                )
                inst = Instance(
                    partition=partitions[n],
                    uid=store.new_uid(),
                    account_id=account_id,
                    workflow=item.workflow,
                    instance_id=item.instance_id,
                    task_queue=task_queue,
                    status=Status.QUEUED,
                    created_at=now,
                    retention_us=success_us,
                    error_retention_us=error_us,
                    trace_parent=item.trace_parent,
                    state_bytes=len(item.params),
                    parent=item.parent,
                )
                first[key] = n
                fresh.append((n, machine.create(inst, now), item.params))
                outcomes.append(n)
            after.append(lambda: self.task_queues.remember(account_id, read_queues))
            held = {name for r in reserved for name in r.items}
            written = self.effects.create(
                conn, after, [(tr, params) for _, tr, params in fresh], held=held
            )
            for (n, _, _), inst in zip(fresh, written, strict=True):
                outcomes[n] = (inst, True)
            if reserved and self.handoffs is not None:
                created = [(inst, p) for (_, _, p), inst in zip(fresh, written, strict=True)]
                self.handoffs.claim(conn, after, reserved, created)
            return [_resolve(o, outcomes) for o in outcomes]

        return op

    # ------------------------------------------------------------------ reads

    async def get(
        self,
        account_id: str,
        workflow: str,
        instance_id: str,
        *,
        steps: bool = False,
        steps_from: int = 0,
    ) -> InstanceView:
        """Reads an instance and its params (in a reader thread, beside the writer); with
        steps, one page of its journal in run order, from position steps_from."""
        budget = self.config.journal_page_bytes

        def read(conn: sa.Connection) -> InstanceView:
            inst = find(conn, account_id, workflow, instance_id)
            key = (inst.partition, inst.uid)
            params = store.load_params_of(conn, key)
            if not steps:
                return InstanceView(inst, params)
            kids = store.load_links(conn, key, MAX_CHILDREN_SHOWN) if inst.children else []
            entries = store.run_order_sizes(conn, key)
            if steps_from >= len(entries):
                return InstanceView(inst, params, [], children=kids)
            entries_page, more = journal.page(conn, key, entries, steps_from, budget)
            return InstanceView(inst, params, entries_page, more, children=kids)

        return await self.effects.read(read)

    async def wait(
        self, account_id: str, workflow: str, instance_id: str, timeout: float
    ) -> InstanceView:
        """Reads an instance once it is finished, or when timeout seconds have passed."""
        waiting = self.effects.result_waiters
        rkey = (account_id, workflow, instance_id)
        fut: asyncio.Future[Instance] = asyncio.get_running_loop().create_future()
        waiting[rkey].append(fut)
        try:
            view = await self.get(account_id, workflow, instance_id)
            if view.instance.status in FINAL or timeout <= 0:
                return view
            try:
                # The commit that finished the instance hands it over: no second read.
                return InstanceView(await asyncio.wait_for(fut, timeout), view.params)
            except TimeoutError:
                return await self.get(account_id, workflow, instance_id)
        finally:
            waiters = waiting.get(rkey)
            if waiters is not None:
                if fut in waiters:
                    waiters.remove(fut)
                if not waiters:
                    del waiting[rkey]

    def awaits_results(self) -> bool:
        """Whether a client waits for an instance's end now (stepway.testing skips time then)."""
        return bool(self.effects.result_waiters)

    async def list_instances(
        self,
        account_id: str,
        *,
        workflow: str | None,
        statuses: list[Status],
        created_after: int | None,
        created_before: int | None,
        cursor: tuple[int, str] | None,
        limit: int,
    ) -> list[Instance]:
        """A page of the account's instances, newest first, after a cursor."""
        return await self.effects.read(
            lambda conn: store.list_instances(
                conn,
                account_id,
                workflow=workflow,
                statuses=statuses,
                created_after=created_after,
                created_before=created_before,
                cursor=cursor,
                limit=limit,
            )
        )

    async def history(
        self, account_id: str, workflow: str, instance_id: str, after_seq: int, limit: int
    ) -> HistoryPage:
        """A page of an instance's history, after a seq."""

        def read(conn: sa.Connection) -> HistoryPage:
            inst = find(conn, account_id, workflow, instance_id)
            rows = store.load_history(conn, (inst.partition, inst.uid), after_seq, limit + 1)
            return HistoryPage(rows[:limit], len(rows) > limit, inst.status)

        return await self.effects.read(read)

    async def watch(
        self, account_id: str, workflow: str, instance_id: str, after_seq: int
    ) -> AsyncIterator[tuple[int, HistoryEntry]]:
        """The history after a seq, then each entry as it is recorded, until the instance ends."""
        first = await self.get(account_id, workflow, instance_id)
        key = (first.instance.partition, first.instance.uid)
        watchers = self.effects.history_watchers
        changed = asyncio.Event()
        watchers[key].add(changed)
        try:
            while True:
                changed.clear()
                page = await self.history(account_id, workflow, instance_id, after_seq, 1000)
                for seq, entry in page.entries:
                    after_seq = seq
                    yield seq, entry
                if page.more:
                    continue
                if page.status in FINAL:
                    return
                # Woken by the commit that records the next entry; the timeout is a safety net
                # for a commit made by another process.
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(changed.wait(), WATCH_POLL_SECONDS)
        finally:
            events = watchers.get(key)
            if events is not None:
                events.discard(changed)
                if not events:
                    del watchers[key]

    async def workflows(self, account_id: str) -> list[WorkflowInfo]:
        """The account's registered workflows with their instance counts by status."""

        def read(conn: sa.Connection) -> list[WorkflowInfo]:
            return [
                WorkflowInfo(
                    row.name,
                    row.task_queue,
                    row.registered_at,
                    {Status(k): n for k, n in counts.items()},
                )
                for row, counts in store.workflow_summaries(conn, account_id)
            ]

        return await self.effects.read(read)

    # ------------------------------------------------------------------ events

    async def send_event(
        self, account_id: str, workflow: str, instance_id: str, event_type: str, payload: bytes
    ) -> bool:
        """Delivers an event to a waiting step, or buffers it. True when a step took it."""
        admission, effects = self.admission, self.effects

        def op(conn: sa.Connection, after: After) -> bool:
            admission.check_payload(conn, after, account_id, "payload", payload)
            inst = find(conn, account_id, workflow, instance_id)
            key = (inst.partition, inst.uid)
            pending = (store.load_pending_steps(conn, [key])).get(key)
            event_id, now = uuid.uuid4().hex, self.clock.now_us()
            tr = steps.deliver_event(
                inst,
                pending,
                event_type=event_type,
                payload=payload,
                received_at=now,
                event_id=event_id,
            )
            growth = len(payload) + limits.journal_growth(tr.steps, [pending])
            checked = admission.within_state_quota(conn, after, inst, tr, growth)
            if checked is not tr:
                effects.apply(conn, after, inst, checked)
                return False
            seq = steps.event_seq(inst)
            store.insert_event(conn, key, event_id, event_type, payload, now, seq)
            effects.apply(conn, after, inst, tr, known=[pending])
            return tr.consumed_event is not None

        partition = self.partition(account_id, workflow, instance_id)
        return await effects.run(op, [partition], cost=payload_cost(len(payload)))

    # ------------------------------------------------------------------ control

    async def _control(
        self,
        account_id: str,
        workflow: str,
        instance_id: str,
        command: Callable[[sa.Connection, Instance, int], Transition],
    ) -> tuple[Instance, Transition]:
        """Runs a client's command on an instance: read it, transition it, write it."""

        def op(conn: sa.Connection, after: After) -> tuple[Instance, Transition]:
            inst = find(conn, account_id, workflow, instance_id)
            tr = command(conn, inst, self.clock.now_us())
            # A client's command only ever ends a step the journal already holds (resume ends
            # the pending step whose time passed), so every step it writes is an update.
            return self.effects.apply(conn, after, inst, tr, known=tr.steps), tr

        partition = self.partition(account_id, workflow, instance_id)
        return await self.effects.run(op, [partition])

    async def pause(self, account_id: str, workflow: str, instance_id: str) -> Instance:
        """Pauses an instance (after its current step, when one runs)."""
        inst, _ = await self._control(
            account_id, workflow, instance_id, lambda conn, inst, now: control.pause(inst, now)
        )
        return inst

    async def resume(self, account_id: str, workflow: str, instance_id: str) -> Instance:
        """Resumes a paused instance where it was."""

        def command(conn: sa.Connection, inst: Instance, now: int) -> Transition:
            key = (inst.partition, inst.uid)
            pending = store.load_pending_steps(conn, [key]).get(key)
            buffered = (
                pending is not None
                and pending.event_type is not None
                and store.oldest_buffered_event(conn, key, pending.event_type) is not None
            )
            return control.resume(inst, pending, buffered, now)

        inst, _ = await self._control(account_id, workflow, instance_id, command)
        return inst

    async def terminate(
        self, account_id: str, workflow: str, instance_id: str, reason: str
    ) -> Instance:
        """Ends an unfinished instance at once."""
        inst, _ = await self._control(
            account_id,
            workflow,
            instance_id,
            lambda conn, inst, now: control.terminate(inst, reason, now),
        )
        return inst

    async def restart(
        self, account_id: str, workflow: str, instance_id: str, from_step: str | None
    ) -> tuple[Instance, int]:
        """Runs an instance again from the beginning or a step; answers the steps dropped."""

        def command(conn: sa.Connection, inst: Instance, now: int) -> Transition:
            entries = store.journal_in_run_order(conn, (inst.partition, inst.uid))
            tr = control.restart(inst, entries, from_step, now)
            dropped = set(tr.dropped_steps)
            freed = sum(limits.step_bytes(s) for s in entries if (s.name, s.seq) in dropped)
            return limits.count_state(inst, tr, -freed, 0, now)

        inst, tr = await self._control(account_id, workflow, instance_id, command)
        return inst, len(tr.dropped_steps)

    async def delete(self, account_id: str, workflow: str, instance_id: str) -> None:
        """Deletes a finished instance with everything recorded of it."""

        def op(conn: sa.Connection, after: After) -> None:
            inst = find(conn, account_id, workflow, instance_id)
            control.check_deletable(inst)
            store.delete_instances(conn, [(inst.partition, inst.uid)])

        await self.effects.run(op, [self.partition(account_id, workflow, instance_id)])
