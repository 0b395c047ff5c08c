"""Ready queues of workflow tasks, one per (account, task queue), with long-polling workers.

The database is the truth (an instance's status is `queued`); this is the shard's in-memory index
of it, rebuilt from the database at start. A poll takes what is ready or parks until a push wakes
it: no poller loops on a timer.

Each queue has two lines: instances that ran before and were woken (a sleep ended, an event
arrived, a retry is due, a resume) go before instances that never started, so that work in
progress finishes before new work starts. A queue's capacity (the account's running slots left
on this server) bounds what a poll takes; at zero the poll parks until a slot frees
(`wake_account`).

A transaction that makes an instance ready may claim it for a parked poll instead (a create
does, shards.engine.handoffs): `reserve` takes a parked poll that offered itself, while the
poll's queues are empty and the queue has capacity, so that the poll would have taken that
instance anyway, and the poll's wait ends with the `Handoff` in place of keys.

Whenever a queue's tasks may have grown (a push, a put-back, tasks left after a take, a freed
slot of the account), the gateways watching this server hear of it (shards.ready), so that they
send workers' polls only where tasks may be.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from shards.ready import ReadyNotices

QueueKey = tuple[str, str]
"""(account_id, task_queue)."""
Key = TypeVar("Key", bound=Hashable)
"""What a queue holds: an instance's (partition, uid), or a step task's (partition, uid, name,
seq)."""


@dataclass(eq=False)
class Handoff:
    """A parked poll reserved by a transaction that claims for it: the poll's offer (who it
    is, as its owner put it), and the tasks claimed, set once that transaction is over (none
    when it claimed nothing, or failed). A poll gone meanwhile is marked abandoned, and its
    tasks are given back by whoever settles it."""

    offer: Any
    tasks: asyncio.Future[list[Any]] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )
    abandoned: bool = False


@dataclass(eq=False, slots=True)
class _Parked:
    """A parked poller: the future that wakes it (a Handoff in it when reserved), the queues
    it waits on, and its offer (None: it takes no handoff)."""

    fut: asyncio.Future[Handoff | None]
    queues: Sequence[QueueKey]
    offer: Any = None


def route(task_queue: str, build_id: str | None) -> str:
    """The ready queue of a task queue's instances on a build (shards.core.versions): the task
    queue's own name for unversioned workers, `<queue>@<build>` for a build, and `<queue>@*`
    for instances not on a build yet, which a poll of any build takes."""
    if build_id is None:
        return f"{task_queue}@*"
    return f"{task_queue}@{build_id}" if build_id else task_queue


def task_queue_depths(depths: list[tuple[str, str, int]]) -> list[tuple[str, str, int]]:
    """(account, task queue, depth) of ready queues' depths, a task queue's builds added up."""
    summed: dict[tuple[str, str], int] = {}
    for account, ready_queue, depth in depths:
        key = (account, ready_queue.split("@", 1)[0])
        summed[key] = summed.get(key, 0) + depth
    return [(a, q, d) for (a, q), d in sorted(summed.items())]


class TaskQueues(Generic[Key]):
    """FIFO queues of ready instances (or step tasks) with parked pollers."""

    def __init__(
        self,
        capacity: Callable[[QueueKey], int] | None = None,
        *,
        notices: ReadyNotices | None = None,
        kind: str = "workflow",
    ) -> None:
        # Woken instances, and instances that never started.
        self._ready: dict[QueueKey, deque[Key]] = {}
        self._fresh: dict[QueueKey, deque[Key]] = {}
        self._pollers: dict[QueueKey, deque[_Parked]] = {}
        self._capacity = capacity
        # Told of each queue whose tasks may have grown, as a ready queue of this kind.
        self._notices = notices
        self.kind = kind

    def _notify(self, queue: QueueKey) -> None:
        if self._notices is not None and self._notices.watched:
            self._notices.ready((queue[0], self.kind, queue[1]))

    def push(self, queue: QueueKey, key: Key, *, fresh: bool = False) -> None:
        """Adds a ready instance (fresh: one that never started) and wakes one parked poller."""
        lines = self._fresh if fresh else self._ready
        lines.setdefault(queue, deque()).append(key)
        self._wake(queue)
        self._notify(queue)

    def wake_account(self, account_id: str) -> None:
        """A running slot of the account freed: wakes a poller of each of its queues with
        instances waiting."""
        for queue in [q for q in self._pollers if q[0] == account_id]:
            if self.depth(queue):
                self._wake(queue)
        if self._notices is not None and self._notices.watched:
            for queue in [q for q in self._ready.keys() | self._fresh.keys() if q[0] == account_id]:
                if self.depth(queue):
                    self._notify(queue)

    def push_front(self, queue: QueueKey, keys: list[Key]) -> None:
        """Puts back instances a poll took but could not hand out."""
        ready = self._ready.setdefault(queue, deque())
        ready.extendleft(reversed(keys))
        self._wake(queue)
        self._notify(queue)

    def _wake(self, queue: QueueKey) -> None:
        pollers = self._pollers.get(queue)
        while pollers:
            fut = pollers.popleft().fut
            if not fut.done():
                fut.set_result(None)
                return

    def reserve(self, queue: QueueKey) -> Handoff | None:
        """Takes the first parked poll of the queue that offered itself, for a transaction to
        claim for, when the poll would take the next instance of the queue: every queue it
        waits on is empty and the queue has capacity. None when there is no such poll."""
        if self.depth(queue) or (self._capacity is not None and self._capacity(queue) <= 0):
            return None
        for parked in self._pollers.get(queue, ()):
            if parked.fut.done() or parked.offer is None:
                continue
            if any(self.depth(q) for q in parked.queues):
                continue
            handoff = Handoff(parked.offer)
            parked.fut.set_result(handoff)
            return handoff
        return None

    def depths(self) -> list[tuple[str, str, int]]:
        """(account, task queue, depth) of every queue; safe to call from another thread (a
        scrape), where it may have to read again if the event loop changed the queues."""
        for _ in range(5):
            try:
                queues = set(self._ready) | set(self._fresh)
                return [(q[0], q[1], self.depth(q)) for q in sorted(queues)]
            except RuntimeError:  # a dict changed size while it was read
                continue
        return []

    def nonempty(self) -> list[QueueKey]:
        """The queues with tasks now."""
        return [q for q in self._ready.keys() | self._fresh.keys() if self.depth(q)]

    def depth(self, queue: QueueKey) -> int:
        return len(self._ready.get(queue, ())) + len(self._fresh.get(queue, ()))

    def take_now(self, queue: QueueKey, limit: int) -> list[Key]:
        """Up to limit ready instances (and no more than the queue's capacity), woken ones
        first, without waiting."""
        if self._capacity is not None:
            limit = min(limit, self._capacity(queue))
        taken: list[Key] = []
        for line in (self._ready.get(queue), self._fresh.get(queue)):
            while line and len(taken) < limit:
                taken.append(line.popleft())
        if taken and self.depth(queue):
            self._wake(queue)  # more left: let the next poller have them
            self._notify(queue)
        return taken

    async def take(self, queue: QueueKey, limit: int, timeout: float) -> list[Key]:
        """Up to limit ready instances, waiting up to timeout seconds for the first."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            taken = self.take_now(queue, limit)
            if taken:
                return taken
            remaining = deadline - loop.time()
            if remaining <= 0:
                return []
            fut: asyncio.Future[Handoff | None] = loop.create_future()
            self._pollers.setdefault(queue, deque()).append(_Parked(fut, (queue,)))
            try:
                await asyncio.wait_for(fut, remaining)
            except TimeoutError:
                return []
            except asyncio.CancelledError:
                if self.depth(queue):
                    self._wake(queue)  # pass on a wake-up this poller can no longer use
                raise
            finally:
                if not fut.done():
                    fut.cancel()

    def take_now_any(self, queues: Sequence[QueueKey], limit: int) -> dict[QueueKey, list[Key]]:
        """Up to limit ready instances from these queues of one account, in order, without
        waiting (the capacity of the first bounds them all)."""
        if self._capacity is not None and queues:
            limit = min(limit, self._capacity(queues[0]))
        taken: dict[QueueKey, list[Key]] = {}
        for queue in queues:
            if limit <= 0:
                break
            keys = self.take_now(queue, limit)
            if keys:
                taken[queue] = keys
                limit -= len(keys)
        return taken

    async def take_any(
        self, queues: Sequence[QueueKey], limit: int, timeout: float, *, offer: Any = None
    ) -> dict[QueueKey, list[Key]] | Handoff:
        """Up to limit ready instances from these queues, waiting up to timeout seconds for
        the first; each queue's keys apart, so that they can be put back where they were.
        With an offer, the wait may end instead with a Handoff (`reserve`)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            taken = self.take_now_any(queues, limit)
            if taken:
                return taken
            remaining = deadline - loop.time()
            if remaining <= 0:
                return {}
            fut: asyncio.Future[Handoff | None] = loop.create_future()
            parked = _Parked(fut, queues, offer)
            for queue in queues:
                self._pollers.setdefault(queue, deque()).append(parked)
            try:
                handoff = await asyncio.wait_for(fut, remaining)
                if handoff is not None:
                    task = asyncio.current_task()
                    if task is not None and task.cancelling():
                        # Reserved as the poll was cancelled (Python 3.11's wait_for then
                        # answers the result): the poll is gone all the same.
                        handoff.abandoned = True
                        raise asyncio.CancelledError
                    return handoff
            except TimeoutError:
                late = fut.result() if fut.done() and not fut.cancelled() else None
                return late if late is not None else {}  # reserved just as the wait ran out
            except asyncio.CancelledError:
                if fut.done() and not fut.cancelled() and (handoff := fut.result()) is not None:
                    handoff.abandoned = True  # reserved, but the poll is gone
                for queue in queues:
                    if self.depth(queue):
                        self._wake(queue)  # pass on a wake-up this poller can no longer use
                raise
            finally:
                if not fut.done():
                    fut.cancel()
                for queue in queues:
                    pollers = self._pollers.get(queue)
                    if pollers is not None and parked in pollers:
                        pollers.remove(parked)

    def drop(self, unwanted: Callable[[Key], bool]) -> None:
        """Forgets the ready instances for which unwanted(key) holds (partitions moved away)."""
        for lines in (self._ready, self._fresh):
            for queue, ready in lines.items():
                lines[queue] = deque(k for k in ready if not unwanted(k))

    def clear(self) -> None:
        self._ready.clear()
        self._fresh.clear()
        for pollers in self._pollers.values():
            for parked in pollers:
                if not parked.fut.done():
                    parked.fut.cancel()
        self._pollers.clear()
