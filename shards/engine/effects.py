"""The engine's one interpreter of Transitions, and its way to the database.

`Effects.apply` alone writes what a core function decided (shards.core): the Transition through
shards.store in the operation's transaction, and the in-memory effects it implies (dispatch,
wake clients waiting for the result, wake history watchers, re-arm the timer, count the change
of status) registered as after-commit callbacks, which the committer runs on the event loop
once the transaction committed. `apply_call` does the same for a CALL step's change and its
step task.

It also runs the engine's operations: `run` and `run_parts` hand write operations to the
committer (its writer thread), `read` runs reads in a pool of reader threads, and `spawn` keeps
background work referenced until it is done.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable, Collection, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Any, TypeVar

import sqlalchemy as sa

from shards import store
from shards.clock import Clock
from shards.committer import After, Committer, split
from shards.core import children, limits
from shards.core.calls import CallChange, StepKey
from shards.core.model import FINAL, LEASED, Instance, Step, Transition
from shards.db import log_failure, run_tx
from shards.dispatch import TaskQueues, route
from shards.engine.admission import Admission
from shards.engine.types import Key, ResultKey
from shards.errors import StepwayError
from shards.metrics import Metrics
from shards.ready import ReadyNotices

log = logging.getLogger(__name__)

T = TypeVar("T")
Item = TypeVar("Item")
# A key led by its partition: an instance's or a step task's.
Keyed = TypeVar("Keyed", bound=tuple[Any, ...])


class Effects:
    """Applies Transitions and runs their after-commit effects; runs operations."""

    def __init__(
        self,
        db: sa.Engine,
        committer: Committer,
        clock: Clock,
        metrics: Metrics,
        admission: Admission,
        note_due: Callable[[int], None],
    ) -> None:
        self.db = db
        self.committer = committer
        self.clock = clock
        self.metrics = metrics
        self.admission = admission
        self.note_due = note_due
        # The gateways watching which queues have tasks (InternalService.WatchReady).
        self.ready = ReadyNotices()
        self.queues: TaskQueues[Key] = TaskQueues(
            capacity=admission.slots_left, notices=self.ready, kind="workflow"
        )
        # Ready tasks of CALL steps, per (account, step task queue).
        self.step_queues: TaskQueues[StepKey] = TaskQueues(notices=self.ready, kind="step")
        self.result_waiters: dict[ResultKey, list[asyncio.Future[Instance]]] = defaultdict(list)
        self.history_watchers: dict[Key, set[asyncio.Event]] = defaultdict(set)
        # The instances each worker holds a lease of, to give back when it disconnects.
        self.worker_keys: dict[str, set[Key]] = defaultdict(set)
        self._background: set[asyncio.Future[object]] = set()
        self._readers = ThreadPoolExecutor(max_workers=4, thread_name_prefix="shard-reader")
        # Wakes the relay of messages about child workflows (shards.engine.children).
        self.wake_relay: Callable[[], None] = lambda: None

    def close(self) -> None:
        """Stops the readers, empties the queues and cancels the clients still waiting."""
        self._readers.shutdown(wait=True)
        self.queues.clear()
        self.step_queues.clear()
        for waiters in self.result_waiters.values():
            for fut in waiters:
                if not fut.done():
                    fut.cancel()

    # ------------------------------------------------------------------ running operations

    def spawn(self, work: Awaitable[object]) -> None:
        """Runs work in the background, holding a reference until it is done."""
        task = asyncio.ensure_future(work)
        self._background.add(task)
        task.add_done_callback(self._background.discard)
        task.add_done_callback(_log_background_failure)

    async def run(
        self,
        op: Callable[[sa.Connection, After], T],
        partitions: Iterable[int] = (),
        *,
        cost: int = 1,
    ) -> T:
        """Runs a write operation for these partitions in the next group commit."""
        return await self.committer.run(op, frozenset(partitions), cost=cost)

    async def run_parts(
        self,
        items: Sequence[Item],
        op_for: Callable[[list[Item]], Callable[[sa.Connection, After], T]],
        partitions: Callable[[Item], int | None] = lambda _: None,
        cost: Callable[[Item], int] = lambda _: 1,
    ) -> list[T]:
        """Runs a request too large for one operation as one operation per part of its items
        (shards.committer.split), queued in order, so that other accounts' operations take
        turns between them. Each part commits on its own; the first part's error is raised
        once every part has its outcome."""
        futures = []
        for part in split(items, cost):
            written = frozenset(p for p in map(partitions, part) if p is not None)
            futures.append(self.committer.submit(op_for(part), written, cost=sum(map(cost, part))))
        outcomes = await asyncio.gather(*futures, return_exceptions=True)
        for outcome in outcomes:
            if isinstance(outcome, BaseException):
                raise outcome
        return [o for o in outcomes if not isinstance(o, BaseException)]

    def claim_in_parts(
        self,
        make_op: Callable[[list[Keyed]], Callable[[sa.Connection, After], list[T]]],
        keys: list[Keyed],
        put_back: Callable[[list[Keyed]], None],
    ) -> asyncio.Future[list[T]]:
        """Claims ready keys (each led by its partition) in parts of at most
        MAX_OPERATION_COST keys, one writer operation each. The future holds what every part
        claimed; a part that failed puts its keys back in line, and only when every part
        failed does the future fail, with the first part's error (its keys not put back)."""
        chunks = split(keys)
        parts = [
            self.committer.submit(
                make_op(part),
                frozenset(k[0] for k in part),
                cost=len(part),
            )
            for part in chunks
        ]
        if len(parts) == 1:
            return parts[0]
        claimed: asyncio.Future[list[T]] = asyncio.get_running_loop().create_future()

        def settle(_: object) -> None:
            if claimed.done() or not all(p.done() for p in parts):
                return
            failed = [n for n, p in enumerate(parts) if p.cancelled() or p.exception()]
            if len(failed) == len(parts):
                first = parts[0]
                error = first.exception() if not first.cancelled() else None
                claimed.set_exception(error or asyncio.CancelledError())
                return
            for n in failed:
                put_back(chunks[n])
            ok = [p for n, p in enumerate(parts) if n not in failed]
            claimed.set_result([t for p in ok for t in p.result()])

        for part_future in parts:
            part_future.add_done_callback(settle)
        return claimed

    async def read(self, fn: Callable[[sa.Connection], T]) -> T:
        """Runs a read in a reader thread, on its own connection."""

        def run() -> T:
            # A read in a SERIALIZABLE transaction may be chosen to fail too: retried whole.
            return run_tx(self.db, fn)

        return await asyncio.get_running_loop().run_in_executor(self._readers, run)

    # ------------------------------------------------------------------ the interpreter

    def apply(
        self,
        conn: sa.Connection,
        after: After,
        old: Instance,
        tr: Transition,
        *,
        known: Sequence[Step | None] | None = None,
        new_params: bytes | None = None,
    ) -> Instance:
        """Writes a transition and registers its in-memory effects for after the commit."""
        known_steps = [(s.name, s.seq) for s in known or [] if s is not None]
        if not tr.state_counted:
            # Writes no quota refuses (timers, calls timing out) are counted all the same.
            growth = limits.journal_growth(tr.steps, list(known or []))
            if growth:
                tr.instance = replace(tr.instance, state_bytes=max(old.state_bytes + growth, 0))
        new = store.apply(conn, old, tr, known_steps=known_steps, new_params=new_params)
        key = (new.partition, new.uid)
        if old.status is not new.status:
            after.append(lambda: self.count(old, new))
        if tr.dispatch:
            queue = (new.account_id, route(new.task_queue, new.build_id))
            fresh = new.started_at is None
            after.append(lambda: self.queues.push(queue, key, fresh=fresh))
        if tr.finished:
            after.append(lambda: self._wake_result_waiters(new))
            if new.parent is not None or new.children:
                self.tell_children(conn, after, new)
        if tr.due_at is not None:
            due = tr.due_at
            after.append(lambda: self.note_due(due))
        if old.lease_worker and old.lease_worker != new.lease_worker:
            worker = old.lease_worker
            after.append(lambda: self.worker_keys[worker].discard(key))
        if tr.history:
            after.append(lambda: self._notify_history(key))
        return new

    def tell_children(self, conn: sa.Connection, after: After, new: Instance) -> None:
        """An instance ended: its parent hears of it, and its children that go with it are
        terminated, through the outbox (shards.core.children)."""
        messages = []
        ended = children.on_end(new)
        if ended is not None:
            messages.append(ended)
        if new.children:
            links = store.load_links(conn, (new.partition, new.uid))
            messages.extend(children.closing(new, links))
        if messages:
            store.add_messages(conn, new.partition, messages, self.clock.now_us())
            after.append(self.wake_relay)

    def create(
        self,
        conn: sa.Connection,
        after: After,
        created: Sequence[tuple[Transition, bytes]],
        *,
        held: Collection[tuple[str, str]] = (),
    ) -> list[Instance]:
        """Writes the Transitions that create instances (shards.core.machine.create), with their
        params, in two statements; after the commit each is counted and dispatched, but for
        those held, named (workflow, instance id), which the transaction claims for a parked
        poll (shards.engine.handoffs)."""
        written = store.create_many(conn, created)

        def dispatch() -> None:
            for inst in written:
                self.count(None, inst)
            for inst in written:
                if (inst.workflow, inst.instance_id) in held:
                    continue
                queue = (inst.account_id, route(inst.task_queue, inst.build_id))
                self.queues.push(queue, (inst.partition, inst.uid), fresh=True)

        after.append(dispatch)
        return written

    def apply_call(
        self,
        conn: sa.Connection,
        after: After,
        inst: Instance,
        change: CallChange,
        key: StepKey,
        known: Sequence[Step | None] = (),
    ) -> Instance:
        """Writes what a command did to a call: the instance's transition and the step task."""
        new = self.apply(conn, after, inst, change.transition, known=known)
        if change.task is None:
            if not change.created:
                store.delete_step_task(conn, key)
        else:
            store.write_step_task(conn, change.task, created=change.created)
        if change.ready and change.task is not None:
            queue, ready_key = (change.task.account_id, change.task.task_queue), change.task.key
            after.append(lambda: self.step_queues.push(queue, ready_key))
        if change.due_at is not None:
            due = change.due_at
            after.append(lambda: self.note_due(due))
        return new

    # ------------------------------------------------------------------ after the commit

    def count(self, old: Instance | None, new: Instance) -> None:
        """After a commit: counts an instance's change of status; a freed running slot wakes
        a poll of the account waiting for one (and the task's step count is forgotten)."""
        if new.status not in LEASED:
            self.admission.forget_steps((new.partition, new.uid))
        if old is None:
            self.metrics.instances_created.labels(new.account_id, new.workflow).inc()
        elif new.status in FINAL and old.status not in FINAL:
            self.metrics.instances_finished.labels(
                new.account_id, new.workflow, new.status.value
            ).inc()
        if self.admission.occupancy.change(
            new.partition,
            new.account_id,
            new.workflow,
            None if old is None else old.status,
            new.status,
        ):
            self.queues.wake_account(new.account_id)

    def attempt(self, inst: Instance, outcome: str, started_at: int) -> None:
        """After a commit: counts a step attempt and how long it took."""
        self.metrics.step_attempts.labels(inst.account_id, inst.workflow, outcome).inc()
        if started_at:
            self.metrics.step_seconds.labels(inst.workflow).observe(
                max(self.clock.now_us() - started_at, 0) / 1_000_000
            )

    def _notify_history(self, key: Key) -> None:
        for event in self.history_watchers.get(key, ()):
            event.set()

    def _wake_result_waiters(self, inst: Instance) -> None:
        for fut in self.result_waiters.get((inst.account_id, inst.workflow, inst.instance_id), []):
            if not fut.done():
                fut.set_result(inst)


def _log_background_failure(task: asyncio.Future[object]) -> None:
    """Background work that failed (a release while the database is away, or after a partition
    moved) is only logged: what it would have done happens anyway when the leases involved
    run out."""
    if task.cancelled() or task.exception() is None:
        return
    exc = task.exception()
    assert exc is not None
    if isinstance(exc, StepwayError):
        log.warning("background work refused: %s", exc)
    else:
        log_failure(log, "background work failed", exc)
