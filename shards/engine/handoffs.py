"""Handing a new instance to a parked poll in the transaction that creates it.

Without this, a create's instance waits for a second transaction: the create commits, its
after-commit push wakes a parked poll, and the poll claims the instance in a transaction of its
own before it answers. With it, before a create is queued for the writer, `reserve` takes (on
the event loop) a parked poll of the ready queue the new instance goes to, when that poll would
take it anyway: every queue the poll waits on is empty, so nothing woken or older goes first
(shards.dispatch.TaskQueues.reserve), and the account has running slots left, which count as
claiming until the create is over. The create's operation writes the instances, then claims
the reserved ones for that poll with a poll's own rules (WorkflowTasks.claim, through
shards.core.versions.claim: build routing, the lease); the instances reserved are not pushed on
a ready queue (one routed to another build is, by its routing). After the commit the poll
answers with the tasks. When the create fails, the poll waits again; a poll cancelled
meanwhile gives the tasks back (history `task_released`).

Only a create that finds the writer idle (no batch in it, none waiting) hands off: that is
when the second transaction costs a create its latency. Under load the claims of many creates
share a transaction (a poll woken after a batch takes all its instances at once), which a
handoff of one instance per poll answer would undo.

What the writer thread needs of a reservation is passed to the operation in `Reserved`; the
reservation's future is only touched on the event loop.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from shards.committer import After
from shards.core.model import Instance
from shards.dispatch import Handoff, route
from shards.engine.admission import Admission
from shards.engine.effects import Effects
from shards.engine.types import Key, Task

# WorkflowTasks.claim: (conn, after, worker, build, keys, found, created params) -> tasks.
Claim = Callable[
    [sa.Connection, After, str, str, list[Key], Mapping[Key, Instance], Mapping[Key, bytes]],
    list[Task],
]


@dataclass(frozen=True)
class PollOffer:
    """What a parked poll tells a create that would claim for it."""

    worker_id: str
    build_id: str
    max_tasks: int


@dataclass(frozen=True, eq=False)
class Reserved:
    """A parked poll reserved for some of a create's instances, named (workflow, instance id),
    with the running slots held for them."""

    handoff: Handoff
    offer: PollOffer
    account_id: str
    items: frozenset[tuple[str, str]]


class Handoffs:
    """Reserves parked polls for creates, claims for them in the create's transaction, and
    answers them after it."""

    def __init__(
        self,
        effects: Effects,
        admission: Admission,
        claim: Claim,
        give_back: Callable[[list[Task]], None],
    ) -> None:
        self.effects = effects
        self.admission = admission
        self._claim = claim
        self._give_back = give_back
        # Polls reserved by creates, and those answered with the tasks claimed for them.
        self.reserved = 0
        self.handed = 0

    def reserve(self, account_id: str, items: Iterable[tuple[str, str, str]]) -> list[Reserved]:
        """On the event loop, before a create is queued: parked polls for its items, given
        as (task queue, workflow, instance id), each poll taking up to its max_tasks."""
        by_queue: dict[str, list[tuple[str, str]]] = {}
        for task_queue, workflow, instance_id in items:
            by_queue.setdefault(route(task_queue, None), []).append((workflow, instance_id))
        reserved: list[Reserved] = []
        claiming = self.admission.occupancy.claiming
        for ready_queue, names in by_queue.items():
            queue = (account_id, ready_queue)
            left = list(dict.fromkeys(names))
            while left:
                handoff = self.effects.queues.reserve(queue)
                if handoff is None:
                    break
                offer: PollOffer = handoff.offer
                count = min(offer.max_tasks, len(left), self.admission.slots_left(queue))
                if count <= 0:  # reserve saw a slot; max_tasks is at least 1
                    handoff.tasks.set_result([])
                    break
                mine, left = left[:count], left[count:]
                claiming[account_id] += count
                self.reserved += 1
                reserved.append(Reserved(handoff, offer, account_id, frozenset(mine)))
        return reserved

    def claim(
        self,
        conn: sa.Connection,
        after: After,
        reserved: Sequence[Reserved],
        written: Sequence[tuple[Instance, bytes]],
    ) -> None:
        """In the writer thread, after the create wrote its instances (with their params):
        claims the reserved ones for their polls; the tasks are answered after the commit."""
        by_name = {(i.workflow, i.instance_id): (i, p) for i, p in written}
        for r in reserved:
            mine = [by_name[name] for name in sorted(r.items) if name in by_name]
            found = {(i.partition, i.uid): i for i, _ in mine}
            params = {(i.partition, i.uid): p for i, p in mine}
            worker, build = r.offer.worker_id, r.offer.build_id
            tasks = self._claim(conn, after, worker, build, list(found), found, params)
            after.append(functools.partial(self._deliver, r, tasks))

    def _deliver(self, reserved: Reserved, tasks: list[Task]) -> None:
        """After the commit: the poll answers with its tasks, or, gone, gives them back."""
        handoff = reserved.handoff
        if handoff.abandoned or handoff.tasks.done():
            self._give_back(tasks)
            return
        if tasks:
            self.handed += 1
        handoff.tasks.set_result(tasks)

    def settle(self, reserved: Sequence[Reserved], _done: Any = None) -> None:
        """Once the create is over, committed or not: frees the slots held as claiming (the
        instances claimed hold theirs as running by now), and a poll given nothing waits
        again."""
        claiming = self.admission.occupancy.claiming
        accounts = set()
        for r in reserved:
            claiming[r.account_id] -= len(r.items)
            if claiming[r.account_id] <= 0:
                del claiming[r.account_id]
            accounts.add(r.account_id)
            if not r.handoff.tasks.done():
                r.handoff.tasks.set_result([])
        for account_id in accounts:
            self.effects.queues.wake_account(account_id)
