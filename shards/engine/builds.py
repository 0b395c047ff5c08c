"""Builds of worker code (shards.core.versions): a workflow's builds with their instances
counted, and moving instances from one build to another.

Both cover the partitions this server owns, so a gateway asks every shard server and adds up
their answers. A move runs in transactions of at most `purge_batch` instances, each sweeping
the owned partitions as retention does (ownership's `writable`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import sqlalchemy as sa

from shards import store
from shards.clock import Clock
from shards.committer import After
from shards.config import ShardConfig
from shards.core import versions
from shards.core.model import Status
from shards.engine.effects import Effects
from shards.engine.ownership import Partitions


@dataclass
class BuildInfo:
    """A build of a workflow as this server counts it; build_id None: instances on none yet."""

    build_id: str | None
    newest: bool = False
    first_registered_at: int | None = None
    last_registered_at: int | None = None
    counts: dict[Status, int] = field(default_factory=dict)
    blocked: int = 0
    # A worker of the build has a poll open here on the workflow's task queue.
    polling: bool = False


class Builds:
    """ListWorkflowBuilds and MoveWorkflowBuild, in the partitions owned here."""

    def __init__(
        self,
        config: ShardConfig,
        clock: Clock,
        partitions: Partitions,
        effects: Effects,
        polling: Mapping[tuple[str, str, str], int],
    ) -> None:
        self.polling = polling
        self.config = config
        self.clock = clock
        self.partitions = partitions
        self.effects = effects

    async def list_builds(self, account_id: str, workflow: str) -> list[BuildInfo]:
        """The workflow's registered builds, newest first, then builds only instances are on,
        then the instances on no build yet; instances counted in the partitions owned here."""
        owned = frozenset(self.partitions.owned)

        def read(
            conn: sa.Connection,
        ) -> tuple[list[versions.Build], list[tuple[str | None, str, int, int]], str | None]:
            registered = store.workflow_builds(conn, account_id, [workflow]).get(workflow, [])
            counts = store.build_counts(conn, account_id, workflow, owned)
            return registered, counts, store.workflow_task_queue(conn, account_id, workflow)

        registered, counts, task_queue = await self.effects.read(read)
        newest = versions.newest(registered) if registered else None
        ordered = sorted(
            registered, key=lambda b: (b.first_registered_at, b.build_id), reverse=True
        )
        infos: dict[str | None, BuildInfo] = {
            b.build_id: BuildInfo(
                b.build_id, b.build_id == newest, b.first_registered_at, b.last_registered_at
            )
            for b in ordered
        }
        for build_id, status, n, blocked in counts:
            info = infos.setdefault(build_id, BuildInfo(build_id))
            info.counts[Status(status)] = info.counts.get(Status(status), 0) + n
            info.blocked += blocked
        for info in infos.values():
            if info.build_id is not None and task_queue is not None:
                info.polling = self.polling.get((account_id, task_queue, info.build_id), 0) > 0
        unassigned = infos.pop(None, None)
        return list(infos.values()) + ([unassigned] if unassigned is not None else [])

    async def move(self, account_id: str, workflow: str, from_build: str, to_build: str) -> int:
        """Moves the workflow's unfinished instances on from_build to to_build, in the
        partitions owned here; answers how many moved."""
        batch = self.config.purge_batch

        def op(conn: sa.Connection, after: After) -> tuple[int, bool]:
            owned = self.partitions.writable(conn)
            found = store.instances_on_build(conn, account_id, workflow, from_build, owned, batch)
            now = self.clock.now_us()
            moved = 0
            for inst in found:
                tr = versions.move(inst, from_build, to_build, now)
                if tr is not None:
                    self.effects.apply(conn, after, inst, tr)
                    moved += 1
            return moved, len(found) == batch

        total = 0
        while True:
            moved, full = await self.effects.run(op, cost=batch)
            total += moved
            if not full or not moved:
                return total
