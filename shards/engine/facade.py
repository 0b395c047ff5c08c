"""ShardEngine: the durable engine of one shard server, wired from its parts.

The parts (each its own module) share one Effects, the interpreter that alone writes
Transitions and runs their after-commit effects. ShardEngine builds them, starts and stops the
background tasks (shard-timers, shard-schedules, shard-retention, shard-usage,
shard-children), takes the
partitions the membership hands it, and answers the shard server's calls with the parts'
commands, under the same names.
"""

from __future__ import annotations

import asyncio
import logging

import sqlalchemy as sa

from shards import store
from shards.clock import WALL_CLOCK, Clock
from shards.committer import After, Committer
from shards.config import ShardConfig
from shards.dispatch import task_queue_depths
from shards.engine.admission import Admission
from shards.engine.builds import Builds
from shards.engine.children import Children
from shards.engine.deletes import Deletes
from shards.engine.effects import Effects
from shards.engine.heartbeats import Heartbeats
from shards.engine.instances import Instances, TaskQueueNames
from shards.engine.ownership import Partitions
from shards.engine.retention import Retention
from shards.engine.rollbacks import RollbackCommands
from shards.engine.schedules import Schedules
from shards.engine.step_commands import StepCommands
from shards.engine.step_tasks import StepTasks
from shards.engine.timers import NextDue, Timers
from shards.engine.workflow_tasks import WorkflowTasks
from shards.membership import Ownership
from shards.metrics import Metrics

log = logging.getLogger(__name__)


class ShardEngine:
    """The durable engine of one shard server."""

    def __init__(
        self,
        db: sa.Engine,
        config: ShardConfig,
        metrics: Metrics | None = None,
        clock: Clock = WALL_CLOCK,
    ) -> None:
        self.db = db
        # What the engine's timers, task leases and retention read and wait on.
        self.clock = clock
        self.config = config
        self.metrics = metrics or Metrics()
        self.member_id = config.member_id
        self.partitions = Partitions(config.member_id, self.metrics)
        self.committer = Committer(
            db,
            max_batch=config.max_batch,
            fence=self.partitions.fence,
            stale=self.partitions.lease_clock_ran_out,
            metrics=self.metrics,
        )
        self.admission = Admission(
            db,
            config,
            clock,
            self.metrics,
            self.partitions,
            spawn=lambda work: self.effects.spawn(work),
            wake_account=lambda account_id: self.effects.queues.wake_account(account_id),
        )
        self.due = NextDue()
        self.effects = Effects(
            db, self.committer, clock, self.metrics, self.admission, self.due.note
        )
        self.queues = self.effects.queues
        self.step_queues = self.effects.step_queues
        self.occupancy = self.admission.occupancy
        self.metrics.watch_queues(lambda: task_queue_depths(self.queues.depths()))
        self.metrics.watch_step_queues(self.step_queues.depths)
        self.metrics.watch_backlog(self.admission.backlog)
        self.heartbeats = Heartbeats(int(config.lease_timeout * 1_000_000))
        self.timers = Timers(
            config, clock, self.partitions, self.effects, self.due, self.heartbeats
        )
        self.retention = Retention(config, clock, self.partitions, self.effects)
        task_queues = TaskQueueNames()
        self.workflow_tasks = WorkflowTasks(
            config,
            clock,
            self.partitions,
            self.effects,
            self.admission,
            task_queues,
            self.heartbeats,
        )
        self.instances = Instances(
            config,
            clock,
            self.effects,
            self.admission,
            self.retention,
            task_queues,
            self.workflow_tasks.handoffs,
        )
        self.step_commands = StepCommands(
            clock, self.effects, self.admission, self.workflow_tasks.lease_us
        )
        self.step_tasks = StepTasks(clock, self.partitions, self.effects, self.admission)
        self.rollbacks = RollbackCommands(
            clock, self.effects, self.admission, self.workflow_tasks.lease_us
        )
        self.deletes = Deletes(config, self.partitions, self.effects)
        self.builds = Builds(
            config, clock, self.partitions, self.effects, self.workflow_tasks.polling
        )
        self.schedules = Schedules(
            config,
            clock,
            self.partitions,
            self.effects,
            self.admission,
            self.instances,
            self.metrics,
        )
        self.children = Children(
            config,
            clock,
            self.partitions,
            self.effects,
            self.admission,
            self.instances,
            self.workflow_tasks.lease_us,
        )
        self._tasks: list[asyncio.Task[None]] = []

        # The clients' commands and reads (instances.py).
        self.create = self.instances.create
        self.create_many = self.instances.create_many
        self.get = self.instances.get
        self.wait = self.instances.wait
        self.awaits_results = self.instances.awaits_results
        self.send_event = self.instances.send_event
        self.pause = self.instances.pause
        self.resume = self.instances.resume
        self.terminate = self.instances.terminate
        self.restart = self.instances.restart
        self.delete = self.instances.delete
        # Bulk deletes (deletes.py).
        self.delete_many = self.deletes.delete_many
        self.delete_where = self.deletes.delete_where
        self.list_instances = self.instances.list_instances
        self.history = self.instances.history
        self.watch = self.instances.watch
        self.workflows = self.instances.workflows
        # Workflow tasks (workflow_tasks.py) and the steps their runs record (step_commands.py).
        self.register = self.workflow_tasks.register
        self.poll = self.workflow_tasks.poll
        self.journal_page = self.workflow_tasks.journal_page
        self.heartbeat = self.workflow_tasks.heartbeat
        self.release = self.workflow_tasks.release
        self.worker_disconnected = self.workflow_tasks.worker_disconnected
        self.complete_workflow = self.workflow_tasks.complete_workflow
        self.fail_workflow = self.workflow_tasks.fail_workflow
        self.start_step = self.step_commands.start_step
        self.complete_step = self.step_commands.complete_step
        self.fail_step = self.step_commands.fail_step
        self.start_sleep = self.step_commands.start_sleep
        self.wait_for_event = self.step_commands.wait_for_event
        # Rollbacks (rollbacks.py).
        self.start_rollback = self.rollbacks.start_rollback
        self.start_rollback_attempt = self.rollbacks.start_attempt
        self.complete_rollback = self.rollbacks.complete
        self.fail_rollback = self.rollbacks.fail_attempt
        # CALL steps and their step tasks (step_tasks.py).
        self.schedule_call = self.step_tasks.schedule_call
        self.poll_steps = self.step_tasks.poll_steps
        self.release_steps = self.step_tasks.release_steps
        self.complete_step_task = self.step_tasks.complete_step_task
        self.fail_step_task = self.step_tasks.fail_step_task
        self.heartbeat_step_task = self.step_tasks.heartbeat_step_task
        # Child workflows (children.py).
        self.start_child = self.children.start_child
        self.deliver_child_messages = self.children.deliver
        # Builds of worker code (builds.py).
        self.list_builds = self.builds.list_builds
        self.move_build = self.builds.move
        # Retention (retention.py).
        self.purge_expired = self.retention.purge_expired

    @property
    def owned(self) -> dict[int, int]:
        """The partitions this server owns now (partition → lease epoch)."""
        return self.partitions.owned

    @property
    def fence_refusals(self) -> int:
        return self.partitions.fence_refusals

    @property
    def purged(self) -> int:
        return self.retention.purged

    @property
    def purge_batches(self) -> int:
        return self.retention.purge_batches

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        """Starts the committer and the background tasks. The ready queues and timers of each
        partition are rebuilt from the database when the partition's lease is taken
        (set_ownership)."""
        self.committer.start()
        self._tasks = [
            asyncio.create_task(self.timers.loop(), name="shard-timers"),
            asyncio.create_task(self.schedules.loop(), name="shard-schedules"),
            asyncio.create_task(self.retention.loop(), name="shard-retention"),
            asyncio.create_task(self._usage_loop(), name="shard-usage"),
            asyncio.create_task(self.children.loop(), name="shard-children"),
        ]

    async def stop(self) -> None:
        """Stops the background tasks and the committer; leases stay in the database for the
        next start."""
        for task in self._tasks:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
        self._tasks = []
        await self.admission.flush_rejections(self.effects.run)
        await self.committer.stop()
        self.effects.close()

    async def _usage_loop(self) -> None:
        """Adds this server's quota refusals to the accounts' totals, about every second."""
        while True:
            await asyncio.sleep(1.0)
            await self.admission.flush_rejections(self.effects.run)

    # ------------------------------------------------------------------ ownership

    def set_ownership(self, ownership: Ownership) -> None:
        """Takes the partitions the membership holds now: loads the new ones' queued instances
        and due times, and forgets the in-memory state of those it lost."""
        dropped, to_load = self.partitions.take(ownership)
        if dropped:
            self.queues.drop(lambda key: key[0] in dropped)
            self.step_queues.drop(lambda key: key[0] in dropped)
            self.occupancy.drop(dropped)
        if to_load:
            self.children.recheck()
            self.effects.spawn(self._load_partitions(to_load))
            self.effects.spawn(self.schedules.load(to_load))

    async def _load_partitions(self, partitions: set[int]) -> None:
        """Loads what a partition taken over needs in memory: its ready instances, its counts
        of running and queued instances, its earliest due time. Read in the writer thread, so
        that the counts include exactly the writes committed before (later ones count
        themselves)."""

        def op(conn: sa.Connection, after: After) -> None:
            queued = store.queued_instances(conn, partitions)
            ready_calls = store.ready_step_tasks(conn, partitions)
            counts = store.status_counts(conn, partitions)
            due = store.next_due(conn, partitions)

            def load() -> None:
                mine = {p for p in partitions if p in self.owned}
                self.occupancy.load(mine, [c for c in counts if c[0] in mine])
                for account_id, ready_queue, partition, uid, fresh in queued:
                    if partition in mine:
                        self.queues.push((account_id, ready_queue), (partition, uid), fresh=fresh)
                for account_id, task_queue, step_key in ready_calls:
                    if step_key[0] in mine:
                        self.step_queues.push((account_id, task_queue), step_key)
                if due is not None:
                    self.due.note(due)

            after.append(load)

        try:
            await self.effects.run(op)
        except Exception:
            log.exception("could not load %d partition(s) taken over", len(partitions))
