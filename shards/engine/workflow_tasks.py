"""Workflow tasks: registration, long polls and their claims, journal pages, heartbeats,
releases, a disconnected worker's tasks given back, and the end of the workflow function.

A poll takes ready keys from the in-memory queues (shards.dispatch) and claims them in the
writer thread (shards.core.machine.claim), loading each task's params and first journal page;
a parked poll may instead answer with what a create claimed for it in the create's own
transaction (shards.engine.handoffs), through the same `claim`.
Every write under a task's lease reads the instance, calls one rule of shards.core and hands
the Transition to Effects.apply. The step commands a run records are in step_commands.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import random
from collections import defaultdict
from collections.abc import Callable, Mapping

import sqlalchemy as sa

from shards import store
from shards.caps import check_workflows
from shards.clock import Clock
from shards.committer import After, payload_cost
from shards.config import ShardConfig
from shards.core import machine, rollbacks, versions
from shards.core.model import Failure, Instance, Step
from shards.core.retention import Retentions
from shards.dispatch import Handoff, route
from shards.engine import journal
from shards.engine.admission import Admission
from shards.engine.effects import Effects
from shards.engine.handoffs import Handoffs, PollOffer
from shards.engine.heartbeats import AccountLanes, Heartbeats
from shards.engine.instances import TaskQueueNames
from shards.engine.ownership import Partitions
from shards.engine.types import Key, Task
from shards.errors import LeaseLost, TaskNotFound
from shards.tokens import TaskRef

log = logging.getLogger(__name__)

# A heartbeat's leases are read this many a query.
HEARTBEAT_READ = 500


def new_lease() -> int:
    return random.getrandbits(63) or 1


def load_task_instance(conn: sa.Connection, account_id: str, ref: TaskRef) -> Instance:
    """The instance a task token names; TaskNotFound for another account's token."""
    inst = store.load_instance(conn, ref.key)
    if inst is not None and inst.account_id != account_id:
        # Another account's token: to this caller, there is no such task.
        raise TaskNotFound()
    if inst is None:
        raise LeaseLost("the instance no longer exists")
    return inst


def load_task_step(
    conn: sa.Connection, account_id: str, ref: TaskRef, name: str, seq: int
) -> tuple[Instance, Step | None]:
    """The instance a task token names (as load_task_instance) and its journal entry (name,
    seq), in one query."""
    inst, existing = store.load_instance_and_step(conn, ref.key, name, seq)
    if inst is not None and inst.account_id != account_id:
        raise TaskNotFound()
    if inst is None:
        raise LeaseLost("the instance no longer exists")
    return inst, existing


class WorkflowTasks:
    """Polls, claims, leases and the workflow's end."""

    def __init__(
        self,
        config: ShardConfig,
        clock: Clock,
        partitions: Partitions,
        effects: Effects,
        admission: Admission,
        task_queues: TaskQueueNames,
        heartbeats: Heartbeats,
    ) -> None:
        self.config = config
        self.heartbeats = heartbeats
        self.heartbeat_lanes = AccountLanes()
        self.clock = clock
        self.partitions = partitions
        self.effects = effects
        self.admission = admission
        self.task_queues = task_queues
        self.lease_us = int(config.lease_timeout * 1_000_000)
        # Polls open now, per worker: its last one cancelled means its connection dropped.
        self.open_polls: dict[str, int] = defaultdict(int)
        # Polls open now, per (account, task queue, build): which builds have a worker polling.
        self.polling: dict[tuple[str, str, str], int] = defaultdict(int)
        # Parked polls a create claims for in its own transaction.
        self.handoffs = Handoffs(effects, admission, self.claim, self.give_back)

    async def register(
        self,
        account_id: str,
        task_queue: str,
        workflows: list[str],
        options: Mapping[str, Retentions] | None = None,
        build_id: str = versions.UNVERSIONED,
    ) -> None:
        """Registers the workflows a worker of a build runs on a task queue, with their
        retentions (a workflow not in options has none), a part per operation. Where the build
        is its workflow's newest, the workflow's blocked instances in the partitions owned here
        are queued on it (shards.core.versions.unblock). A call
        that would take the account past its cap of registered workflows is refused before it
        writes; each part checks the cap again in its transaction, so that registrations racing
        each other never pass it."""
        names = list(dict.fromkeys(workflows))
        registered, new = await self.effects.read(
            lambda conn: store.unregistered_workflows(conn, account_id, names)
        )
        check_workflows(account_id, registered, len(new))

        def op_for(part: list[str]) -> Callable[[sa.Connection, After], None]:
            def op(conn: sa.Connection, after: After) -> None:
                registered, new = store.unregistered_workflows(conn, account_id, part)
                check_workflows(account_id, registered, len(new))
                now = self.clock.now_us()
                store.register_workflows(conn, account_id, task_queue, part, now, options or {})
                store.register_builds(conn, account_id, part, build_id, now)
                self._unblock(conn, after, account_id, part, build_id, now)

                names = dict.fromkeys(part, task_queue)
                after.append(lambda: self.task_queues.remember(account_id, names))

            return op

        await self.effects.run_parts(names, op_for)

    def _unblock(
        self,
        conn: sa.Connection,
        after: After,
        account_id: str,
        names: list[str],
        build_id: str,
        now: int,
    ) -> None:
        """Queues on this build the blocked instances of the workflows it is the newest of."""
        builds = store.workflow_builds(conn, account_id, names)
        newest = [n for n in names if versions.newest(builds.get(n, [])) == build_id]
        if not newest:
            return
        # Found first among the owned partitions, whose leases are then read only when there
        # are some: a registration of many workflows with nothing blocked reads no lease.
        blocked = store.blocked_instances(conn, account_id, newest, self.partitions.owned)
        if not blocked:
            return
        writable = self.partitions.writable(conn, {inst.partition for inst in blocked})
        for inst in blocked:
            if inst.partition not in writable:
                continue
            tr = versions.unblock(inst, build_id, now)
            if tr is not None:
                self.effects.apply(conn, after, inst, tr)

    async def poll(
        self,
        account_id: str,
        worker_id: str,
        task_queue: str,
        max_tasks: int,
        wait: float,
        *,
        fanout: bool = False,
        build_id: str = versions.UNVERSIONED,
    ) -> list[Task]:
        """Long-polls for up to max_tasks workflow tasks of a task queue for a worker of a
        build: tasks of instances on the build, and first tasks of instances whose workflow's
        newest build it is (shards.core.versions).

        A poll cancelled because the worker's connection dropped gives back every task the
        worker holds, so its instances move to another worker at once. A fan-out poll (a
        gateway's, sent to every shard) is cancelled by the gateway when another shard answered
        first: that gives back only what the poll itself claimed.
        """
        queues, occupancy = self.effects.queues, self.admission.occupancy
        own = (account_id, route(task_queue, build_id))
        unassigned = (account_id, route(task_queue, None))
        if not self.admission.quotas.has(account_id):
            # The running limit of an account never seen must be known before its first claim.
            await asyncio.to_thread(self.admission.read_quotas, account_id)
        self.open_polls[worker_id] += 1
        polling = (account_id, task_queue, build_id)
        self.polling[polling] += 1
        disconnected = False
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait
        offer = PollOffer(worker_id, build_id, max_tasks)
        try:
            while True:
                taken = await queues.take_any(
                    [own, unassigned], max_tasks, max(deadline - loop.time(), 0), offer=offer
                )
                if isinstance(taken, Handoff):
                    tasks = await self._handed(taken)
                    if tasks or loop.time() >= deadline:
                        return tasks
                    continue
                if not taken:
                    return []
                # Keys of partitions that moved away meanwhile are another server's now.
                taken = {
                    q: [k for k in ks if k[0] in self.partitions.owned] for q, ks in taken.items()
                }
                keys = [k for ks in taken.values() for k in ks]
                if not keys:
                    continue
                claim = self.effects.claim_in_parts(
                    functools.partial(self._claim_op, worker_id, build_id),
                    keys,
                    functools.partial(self._put_back, taken),
                )
                # Until the claim commits, its instances hold running slots of the account.
                occupancy.claiming[account_id] += len(keys)
                claim.add_done_callback(functools.partial(self._claimed, account_id, len(keys)))
                try:
                    tasks = await asyncio.shield(claim)
                except asyncio.CancelledError:
                    claim.add_done_callback(functools.partial(self._release_unsent, taken))
                    raise
                except Exception:
                    # Nothing was claimed: the instances are still queued, back in line they go.
                    self._put_back(taken, keys)
                    raise
                # Keys of instances paused, terminated or claimed meanwhile are dropped.
                if tasks or loop.time() >= deadline:
                    return tasks
        except asyncio.CancelledError:
            disconnected = not fanout
            raise
        finally:
            self.polling[polling] -= 1
            if self.polling[polling] <= 0:
                del self.polling[polling]
            self.open_polls[worker_id] -= 1
            if self.open_polls[worker_id] <= 0:
                del self.open_polls[worker_id]
                if disconnected:
                    self.worker_disconnected(worker_id)

    async def _handed(self, handoff: Handoff) -> list[Task]:
        """The tasks a transaction claimed for this parked poll (shards.engine.handoffs); a
        poll cancelled meanwhile gives them back."""
        try:
            return await asyncio.shield(handoff.tasks)
        except asyncio.CancelledError:
            if handoff.tasks.done():
                self.give_back(handoff.tasks.result())
            else:
                handoff.abandoned = True
            raise

    def give_back(self, tasks: list[Task]) -> None:
        """Releases tasks claimed for a poll that can no longer answer with them."""
        if tasks:
            self.effects.spawn(
                self.release(
                    tasks[0].instance.account_id,
                    tasks[0].instance.lease_worker or "",
                    [t.ref for t in tasks],
                    reason="poll cancelled",
                    delivered=False,
                )
            )

    def _put_back(self, taken: dict[tuple[str, str], list[Key]], keys: list[Key]) -> None:
        """Puts keys a poll took back at the front of the queues they came from."""
        wanted = set(keys)
        for queue, queue_keys in taken.items():
            back = [k for k in queue_keys if k in wanted]
            if back:
                self.effects.queues.push_front(queue, back)

    def _claim_op(
        self, worker_id: str, build_id: str, keys: list[Key]
    ) -> Callable[[sa.Connection, After], list[Task]]:
        def op(conn: sa.Connection, after: After) -> list[Task]:
            found = store.load_instances(conn, keys)
            return self.claim(conn, after, worker_id, build_id, keys, found)

        return op

    def claim(
        self,
        conn: sa.Connection,
        after: After,
        worker_id: str,
        build_id: str,
        keys: list[Key],
        found: Mapping[Key, Instance],
        created: Mapping[Key, bytes] | None = None,
    ) -> list[Task]:
        """In the writer thread: claims for a worker of a build the instances of these keys
        that are still queued and go to that build (shards.core.versions); one that goes to
        another build is routed there. Instances just created in this transaction come with
        their params (created): their journal is empty, and neither is read back."""
        queued = machine.claimable(keys, found)
        if not queued:
            return []
        unassigned = {found[k].workflow for k in queued if found[k].build_id is None}
        builds = (
            store.workflow_builds(conn, found[queued[0]].account_id, unassigned)
            if unassigned
            else {}
        )
        now = self.clock.now_us()
        claimable = []
        for key in queued:
            newest = versions.newest(builds.get(found[key].workflow, []))
            if versions.target(found[key], newest) == build_id:
                claimable.append(key)
            else:
                tr = versions.route_elsewhere(found[key], newest)
                self.effects.apply(conn, after, found[key], tr)
        journals: Mapping[Key, tuple[list[Step], int | None]]
        if created is not None:
            journals, params = {k: ([], None) for k in claimable}, created
        else:
            journals = journal.first_pages(conn, claimable, self.config.journal_page_bytes)
            params = store.load_params(conn, claimable)
        tasks = []
        for key in claimable:
            lease = new_lease()
            tr = versions.claim(found[key], worker_id, build_id, lease, now, self.lease_us)
            new = self.effects.apply(conn, after, found[key], tr)
            first, more = journals[key]
            tasks.append(Task(TaskRef(key[0], key[1], lease), new, params[key], first, more))
            if more is None:  # the whole journal: its length is the task's step count
                after.append(functools.partial(self.admission.steps_counted, key, len(first)))

        def track() -> None:
            self.effects.worker_keys[worker_id].update(t.ref.key for t in tasks)

        after.append(track)
        return tasks

    async def journal_page(
        self, account_id: str, ref: TaskRef, start: int
    ) -> tuple[list[Step], int | None]:
        """A later page of a task's journal, for the worker that holds its lease (in a reader
        thread: the journal does not change while the lease holds, but for the worker's own
        writes)."""
        budget = self.config.journal_page_bytes

        def read(conn: sa.Connection) -> tuple[list[Step], int | None]:
            inst = load_task_instance(conn, account_id, ref)
            machine.check_lease(inst, ref.lease)
            entries = store.journal_sizes(conn, [ref.key])[ref.key]
            if start >= len(entries):
                return [], None
            return journal.page(conn, ref.key, entries, start, budget)

        return await self.effects.read(read)

    def _claimed(self, account_id: str, count: int, _claim: asyncio.Future[list[Task]]) -> None:
        claiming = self.admission.occupancy.claiming
        claiming[account_id] -= count
        if claiming[account_id] <= 0:
            del claiming[account_id]
        self.effects.queues.wake_account(account_id)  # keys the claim skipped free their slots

    def _release_unsent(
        self, taken: dict[tuple[str, str], list[Key]], claim: asyncio.Future[list[Task]]
    ) -> None:
        """After a poll was cancelled: gives back what its claim took, or, when the claim
        failed, puts the keys it had taken back in line."""
        if claim.cancelled() or claim.exception() is not None:
            self._put_back(taken, [k for ks in taken.values() for k in ks])
            return
        self.give_back(claim.result())

    async def complete_workflow(self, account_id: str, ref: TaskRef, output: bytes) -> None:
        """Ends the instance as complete."""

        def op(conn: sa.Connection, after: After) -> None:
            self.admission.check_payload(conn, after, account_id, "output", output)
            inst = load_task_instance(conn, account_id, ref)
            tr = machine.complete(inst, lease=ref.lease, output=output, now=self.clock.now_us())
            self.effects.apply(conn, after, inst, tr)

        await self.effects.run(op, [ref.partition], cost=payload_cost(len(output)))

    async def fail_workflow(
        self,
        account_id: str,
        ref: TaskRef,
        error: Failure,
        non_determinism: versions.NonDeterminism | None = None,
    ) -> None:
        """Ends the instance as errored (rolled back, when it was rolling back); blocks it
        instead when its run could not follow the journal (shards.core.versions.block)."""

        def op(conn: sa.Connection, after: After) -> None:
            inst = load_task_instance(conn, account_id, ref)
            now = self.clock.now_us()
            if non_determinism is not None:
                tr = versions.block(inst, ref.lease, non_determinism, now)
            else:
                rolling = rollbacks.rolling_back(inst)
                tr = rollbacks.fail_workflow(
                    inst,
                    lease=ref.lease,
                    error=error,
                    unfinished=store.unfinished_rollbacks(conn, ref.key) if rolling else [],
                    now=now,
                )
            self.effects.apply(conn, after, inst, tr)

        await self.effects.run(op, [ref.partition])

    async def heartbeat(
        self, account_id: str, worker_id: str, refs: list[TaskRef]
    ) -> list[TaskRef]:
        """Hears that a worker still runs these tasks; answers the ones whose lease is lost.
        The tasks this shard leased to the worker are heard at once; the leases are checked by
        a read (one query per HEARTBEAT_READ keys), which hears the others found current, and
        nothing is written: the timer renews a lease from its latest heartbeat when it comes
        due (shards.engine.heartbeats)."""
        now = self.clock.now_us()
        leased = self.effects.worker_keys.get(worker_id, set())
        heard = {ref for ref in refs if ref.key in leased}
        for ref in heard:
            self.heartbeats.hear(ref.key, ref.lease, now)

        def read(conn: sa.Connection) -> list[TaskRef]:
            lost = []
            for start in range(0, len(refs), HEARTBEAT_READ):
                part = refs[start : start + HEARTBEAT_READ]
                found = store.load_leases(conn, [r.key for r in part])
                for ref in part:
                    held = found.get(ref.key)
                    if held is None or held.account_id != account_id:
                        lost.append(ref)
                        continue
                    try:
                        machine.heartbeat(held, ref.lease)
                    except LeaseLost:
                        lost.append(ref)
            return lost

        async with self.heartbeat_lanes.hold(account_id):
            lost = await self.effects.read(read)
        gone = set(lost)
        for ref in refs:
            if ref not in gone and ref not in heard:
                self.heartbeats.hear(ref.key, ref.lease, now)
        return lost

    async def release(
        self,
        account_id: str,
        worker_id: str,
        refs: list[TaskRef],
        *,
        reason: str,
        delivered: bool = True,
    ) -> None:
        """Gives tasks back so that they are dispatched again; leases already lost are skipped.
        delivered false: the tasks never reached the worker (machine.release)."""

        def op_for(part: list[TaskRef]) -> Callable[[sa.Connection, After], None]:
            def op(conn: sa.Connection, after: After) -> None:
                found = store.load_instances(conn, [r.key for r in part])
                now = self.clock.now_us()
                for ref in part:
                    inst = found.get(ref.key)
                    # A lease already lost has nothing to give back.
                    if inst is None or inst.account_id != account_id:
                        continue
                    if machine.holds(inst, ref.lease):
                        tr = machine.release(inst, ref.lease, now, reason, delivered=delivered)
                        self.effects.apply(conn, after, inst, tr)

            return op

        await self.effects.run_parts(refs, op_for, lambda r: r.partition)

    def worker_disconnected(self, worker_id: str) -> None:
        """The worker's last open poll was cancelled, or a gateway saw it leave: gives back
        every task it holds, unless it still has a poll open here."""
        if self.open_polls.get(worker_id):
            return
        keys = self.effects.worker_keys.pop(worker_id, set())
        if not keys:
            return
        log.info("worker %s disconnected; releasing %d task(s)", worker_id, len(keys))

        def op_for(part: list[Key]) -> Callable[[sa.Connection, After], None]:
            def op(conn: sa.Connection, after: After) -> None:
                found = store.load_instances(conn, part)
                now = self.clock.now_us()
                for inst in found.values():
                    lease = machine.held_by(inst, worker_id)
                    if lease is not None:
                        tr = machine.release(inst, lease, now, "worker disconnected")
                        self.effects.apply(conn, after, inst, tr)

            return op

        self.effects.spawn(self.effects.run_parts(sorted(keys), op_for, lambda k: k[0]))
