"""Bulk deletes: finished instances by key, each with its own outcome, and by filter, up to a
limit a call.

Both run in transactions that sweep the owned partitions as retention does (ownership's
`writable`): an item whose partition this server does not own answers NotOwner (the gateway
sends it to the new owner), and a filter deletes only the owned partitions' instances, so a
gateway sends it to every shard server. A filter's call deletes in batches of `purge_batch`
per transaction, so a large delete never holds one long transaction.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import sqlalchemy as sa

from shards import store
from shards.committer import After
from shards.config import ShardConfig
from shards.core import control
from shards.core.model import Status
from shards.engine.effects import Effects
from shards.engine.ownership import Partitions
from shards.errors import InstanceNotFound, NotOwner, StepwayError
from shards.partitioning import partition_of

Deleted = StepwayError | None
"""An item's outcome: None when deleted, else why not."""


class Deletes:
    """DeleteInstances: by keys and by filter."""

    def __init__(self, config: ShardConfig, partitions: Partitions, effects: Effects) -> None:
        self.config = config
        self.partitions = partitions
        self.effects = effects

    async def delete_many(self, account_id: str, keys: Sequence[tuple[str, str]]) -> list[Deleted]:
        """Deletes finished instances by (workflow, instance_id); one outcome per key, in
        order: None, InstanceNotFound, FailedPrecondition (unfinished) or NotOwner."""
        parts = self.config.partitions

        def op(conn: sa.Connection, after: After) -> list[Deleted]:
            owned = self.partitions.writable(conn)
            outcomes: list[Deleted] = []
            found = store.find_instances(conn, account_id, list(dict.fromkeys(keys)))
            doomed: dict[tuple[int, str], None] = {}
            for workflow, instance_id in keys:
                partition = partition_of(account_id, workflow, instance_id, parts)
                inst = found.get((workflow, instance_id))
                try:
                    if partition not in owned:
                        raise NotOwner({partition})
                    if inst is None or (inst.partition, inst.uid) in doomed:
                        raise InstanceNotFound(workflow, instance_id)
                    control.check_deletable(inst)
                except StepwayError as err:
                    outcomes.append(err)
                    continue
                doomed[(inst.partition, inst.uid)] = None
                outcomes.append(None)
            store.delete_instances(conn, list(doomed))
            return outcomes

        return await self.effects.run(op, cost=max(len(keys), 1))

    async def delete_where(
        self,
        account_id: str,
        workflow: str | None,
        statuses: Collection[Status],
        created_before: int | None,
        limit: int,
    ) -> tuple[int, bool]:
        """Deletes up to limit finished instances of the owned partitions that match; answers
        how many, and whether more matching ones remain."""
        total = 0
        while True:
            size = min(self.config.purge_batch, limit - total)

            def op(conn: sa.Connection, after: After, size: int = size) -> tuple[int, bool]:
                owned = self.partitions.writable(conn)
                keys = store.finished_instances(
                    conn, account_id, workflow, statuses, created_before, size + 1, owned
                )
                store.delete_instances(conn, keys[:size])
                return min(len(keys), size), len(keys) > size

            deleted, more = await self.effects.run(op, cost=size)
            total += deleted
            if not more or total >= limit:
                return total, more
