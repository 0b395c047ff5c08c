"""Child workflows (shards.core.children holds the rules): a run starts a child, the relay
delivers the outbox's messages to the owners of their target partitions, and the owner of a
message's target takes it.

Delivery is durable: a message is written in the sender's transaction (the parent's CHILD
step, the child's end, the parent's end) and deleted only once its target's owner answered.
The relay runs on the shard server owning the message's partition: at once after the commit
that wrote it, and every RELAY_SECONDS for messages not delivered yet (an owner unreachable,
a partition taken over from a server that died). A message to a partition this server owns is
taken here; any other goes to its owner through InternalService.DeliverChildMessages. Every
message is idempotent at its target: a child's id is fixed by the start, and an end or a
terminate already taken changes nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any, Protocol

import sqlalchemy as sa

from shards import store
from shards.clock import Clock
from shards.committer import After, payload_cost
from shards.config import ShardConfig
from shards.core import children
from shards.core.children import ChildSpec, Message, MessageKind
from shards.core.model import Status, Step
from shards.engine.admission import Admission
from shards.engine.effects import Effects
from shards.engine.instances import Instances
from shards.engine.ownership import Partitions
from shards.engine.step_commands import past_step_limit
from shards.engine.types import NewInstance
from shards.engine.workflow_tasks import load_task_instance
from shards.errors import QuotaExceeded, StepwayError
from shards.limits import MAX_CHILD_MESSAGES
from shards.partitioning import partition_of
from shards.store import Outgoing
from shards.tokens import TaskRef

log = logging.getLogger(__name__)

# How often the relay looks for messages not delivered yet.
RELAY_SECONDS = 1.0
# Messages one pass of the relay takes.
RELAY_BATCH = 200
# Messages in one DeliverChildMessages call, and the bytes of their bodies (a body holds at
# most a payload of 1 MiB and its header).
CALL_MESSAGES = MAX_CHILD_MESSAGES
CALL_BYTES = 8 * 1024 * 1024
# The delay before a message is tried again: doubling from the first, up to the last.
FIRST_RETRY_US = 200_000
MAX_RETRY_US = 10_000_000


class Remote(Protocol):
    """How messages reach the owner of a partition this server does not own
    (shards.owners.Owners)."""

    async def deliver_child_messages(
        self, account_id: str, partition: int, messages: Sequence[tuple[str, Message]]
    ) -> dict[str, dict[str, Any]]: ...


class Children:
    """CHILD steps, the relay, and the messages' delivery."""

    def __init__(
        self,
        config: ShardConfig,
        clock: Clock,
        partitions: Partitions,
        effects: Effects,
        admission: Admission,
        instances: Instances,
        lease_us: int,
    ) -> None:
        self.config = config
        self.clock = clock
        self.partitions = partitions
        self.effects = effects
        self.admission = admission
        self.instances = instances
        self.lease_us = lease_us
        # Set by the shard server: how messages reach other shard servers.
        self.remote: Remote | None = None
        self._wake = asyncio.Event()
        self._in_flight: set[tuple[int, str]] = set()
        self._in_flight_targets: Counter[tuple[str, str, str]] = Counter()
        # False from a commit that wrote messages until a pass of the relay finds none due
        # (stepway.testing skips time only while this holds).
        self.quiet = True
        # Whether the outbox must be read on the next tick though nothing woke the relay (at
        # start, and once partitions were taken over), and when the earliest message put off
        # is due: an idle server does not read the outbox every second.
        self._recheck = True
        self._retry_at: int | None = None
        effects.wake_relay = self.wake
        # Messages delivered, for tests and metrics.
        self.delivered = 0

    def wake(self) -> None:
        """After a commit that wrote messages: the relay runs now."""
        self.quiet = False
        self._wake.set()

    def recheck(self) -> None:
        """Partitions were taken over: their outboxes are read at the next tick."""
        self._recheck = True
        self._wake.set()

    def _partition(self, account_id: str, workflow: str, instance_id: str) -> int:
        return partition_of(account_id, workflow, instance_id, self.config.partitions)

    # ------------------------------------------------------------------ the parent's step

    async def start_child(
        self, account_id: str, ref: TaskRef, *, name: str, seq: int, spec: ChildSpec
    ) -> tuple[Step | None, str]:
        """Starts a CHILD step: (None, child id) when the parent now waits for the child (or
        the task ended), (the journal entry, child id) when the step is finished."""
        effects, admission = self.effects, self.admission
        counted = admission.step_count(ref.key)

        def op(conn: sa.Connection, after: After) -> tuple[Step | None, str]:
            admission.check_payload(conn, after, account_id, "params", spec.params)
            inst = load_task_instance(conn, account_id, ref)
            existing = store.load_step(conn, ref.key, name, seq)
            if past_step_limit(
                effects, admission, conn, after, inst, existing, ref, name, seq, counted
            ):
                return None, spec.instance_id
            quota = admission.quotas.read(conn, account_id).max_children_per_instance
            try:
                change = children.start(
                    inst,
                    existing,
                    lease=ref.lease,
                    name=name,
                    seq=seq,
                    spec=spec,
                    max_children=quota,
                    now=self.clock.now_us(),
                    lease_timeout_us=self.lease_us,
                )
            except QuotaExceeded:
                after.append(lambda: admission.reject(account_id, "max_children_per_instance"))
                raise
            new = effects.apply(conn, after, inst, change.transition, known=[existing])
            if change.link is not None:
                store.insert_link(conn, change.link)
            if change.message is not None:
                store.add_messages(conn, inst.partition, [change.message], self.clock.now_us())
                after.append(self.wake)
            if change.done is None or new.status is Status.PAUSED:
                return None, change.instance_id
            return change.done, change.instance_id

        cost = payload_cost(len(spec.params)) + 1
        return await admission.step_in_flight(ref.key, effects.run(op, [ref.partition], cost=cost))

    # ------------------------------------------------------------------ the relay

    async def loop(self) -> None:
        """Delivers the outbox's messages: when woken by a commit that wrote some, and every
        RELAY_SECONDS."""
        delivered = 0
        while True:
            if not delivered:  # after a pass that delivered some, look again at once
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), RELAY_SECONDS)
            self._wake.clear()
            try:
                delivered = await self.relay_once()
            except StepwayError as exc:
                # A partition moved (or this server stops): its new owner delivers.
                delivered = 0
                log.info("relaying child workflow messages: %s; trying again", exc)
            except Exception:
                delivered = 0
                log.exception("relaying child workflow messages failed; trying again")

    async def relay_once(self) -> int:
        """One pass: delivers the messages due in the partitions owned here; answers how many
        were delivered."""
        owned = set(self.partitions.owned)
        if not owned:
            self.quiet = True
            return 0
        now = self.clock.now_us()
        put_off = self._retry_at is not None and self._retry_at <= now
        if self.quiet and not self._recheck and not put_off and not self._wake.is_set():
            return 0
        self._recheck = False

        def read(
            conn: sa.Connection,
        ) -> tuple[list[Outgoing], dict[tuple[str, str, str], int], int | None]:
            due = store.due_messages(conn, owned, now, RELAY_BATCH)
            ids = {m.message.instance_id for m in due if m.message.kind is not MessageKind.ENDED}
            later = store.next_message_at(conn, owned, now)
            return due, store.first_messages(conn, owned, ids), later

        found, first, self._retry_at = await self.effects.read(read)
        # The messages to a child go one at a time, oldest first (its start before the
        # terminate of its parent's end), and none while one to it is on its way; the ends of
        # a parent's children go together.
        busy = set(self._in_flight_targets)
        due = []
        for o in sorted(found, key=lambda o: o.created_at):
            if (o.partition, o.id) in self._in_flight:
                continue
            if o.message.kind is MessageKind.ENDED:
                due.append(o)
                continue
            if o.target in busy:
                continue
            busy.add(o.target)
            if o.created_at <= first.get(o.target, o.created_at):
                due.append(o)
        if not due:
            if not self._in_flight and not self._wake.is_set():
                self.quiet = True
            return 0
        groups: dict[tuple[str, int], list[list[Outgoing]]] = defaultdict(list)
        for out in due:
            self._in_flight.add((out.partition, out.id))
            if out.message.kind is not MessageKind.ENDED:
                self._in_flight_targets[out.target] += 1
            m = out.message
            target = self._partition(m.account_id, m.workflow, m.instance_id)
            calls = groups[(m.account_id, target)]
            if (
                not calls
                or len(calls[-1]) >= CALL_MESSAGES
                or sum(len(o.message.body) for o in calls[-1]) + len(m.body) > CALL_BYTES
            ):
                calls.append([])
            calls[-1].append(out)
        try:
            done = await asyncio.gather(
                *(self._send(a, p, outs) for (a, p), calls in groups.items() for outs in calls)
            )
        finally:
            for out in due:
                self._in_flight.discard((out.partition, out.id))
                if out.message.kind is not MessageKind.ENDED:
                    self._in_flight_targets[out.target] -= 1
                    if not self._in_flight_targets[out.target]:
                        del self._in_flight_targets[out.target]
        return sum(done)

    async def _send(self, account_id: str, target: int, outs: list[Outgoing]) -> int:
        """Delivers messages to one partition's owner and settles them here."""
        try:
            if target in self.partitions.owned:
                answers = await self.deliver(account_id, [(o.id, o.message) for o in outs])
            elif self.remote is not None:
                answers = await self.remote.deliver_child_messages(
                    account_id, target, [(o.id, o.message) for o in outs]
                )
            else:
                raise StepwayError(f"no way to reach the owner of partition {target}")
        except Exception as exc:
            log.info("child workflow messages to partition %d not delivered: %s", target, exc)
            await self._retry_later(outs)
            return 0
        await self._settle(outs, answers)
        return len(outs)

    async def _retry_later(self, outs: list[Outgoing]) -> None:
        now = self.clock.now_us()

        first_retry = now + MAX_RETRY_US

        def op(conn: sa.Connection, after: After) -> None:
            nonlocal first_retry
            for out in outs:
                delay = min(FIRST_RETRY_US << min(out.attempts, 20), MAX_RETRY_US)
                store.retry_message(conn, out.partition, out.id, now + delay)
                first_retry = min(first_retry, now + delay)

        try:
            await self.effects.run(op, {o.partition for o in outs})
        except Exception as exc:
            log.info("could not put off %d child workflow message(s): %s", len(outs), exc)
            first_retry = now
        self._retry_at = min(self._retry_at or first_retry, first_retry)

    async def _settle(self, outs: list[Outgoing], answers: dict[str, dict[str, Any]]) -> None:
        """Deletes delivered messages; a start refused for good settles the parent's step in
        the same transaction."""

        def op(conn: sa.Connection, after: After) -> None:
            for out in outs:
                answer = answers.get(out.id)
                if answer is None:
                    continue
                store.delete_message(conn, out.partition, out.id)
                if answer.get("outcome") == "refused":
                    order = children.read_start(out.message.body)
                    ending = children.Ending(
                        "refused",
                        None,
                        children.START_REFUSED,
                        str(answer.get("error_message", "")),
                        out.message.workflow,
                        out.message.instance_id,
                    )
                    key = (out.partition, order.parent.uid)
                    self._parent_hears(
                        conn, after, key, order.parent.step, order.parent.seq, ending
                    )

        await self.effects.run(op, {o.partition for o in outs}, cost=len(outs))
        self.delivered += sum(1 for o in outs if o.id in answers)

    def _parent_hears(
        self,
        conn: sa.Connection,
        after: After,
        key: tuple[int, str],
        name: str,
        seq: int,
        ending: children.Ending,
    ) -> None:
        """A child's end (or refused start) reaches its parent at key (partition, uid)."""
        parent = store.load_instance(conn, key)
        if parent is None:
            return
        step = store.load_step(conn, key, name, seq)
        link = store.load_link(conn, key, name, seq)
        tr, new_link = children.child_ended(
            parent, step, link, name=name, seq=seq, ending=ending, now=self.clock.now_us()
        )
        self.effects.apply(conn, after, parent, tr, known=[step])
        if new_link is not None:
            store.update_link(conn, new_link)

    # ------------------------------------------------------------------ at the target's owner

    async def deliver(
        self, account_id: str, messages: Sequence[tuple[str, Message]]
    ) -> dict[str, dict[str, Any]]:
        """Takes messages whose target partitions this server owns; answers each by id.
        NotOwner (and any other failure) fails the whole call: the sender tries again."""
        # Taken concurrently, they share group-commit transactions.
        taken = await asyncio.gather(*(self._take(account_id, m) for _, m in messages))
        return {id: answer for (id, _), answer in zip(messages, taken, strict=True)}

    async def _take(self, account_id: str, m: Message) -> dict[str, Any]:
        partition = self._partition(account_id, m.workflow, m.instance_id)
        if m.kind is MessageKind.START:
            return await self._take_start(account_id, partition, m)
        now = self.clock.now_us()

        def op(conn: sa.Connection, after: After) -> dict[str, Any]:
            target = store.find_instance(conn, account_id, m.workflow, m.instance_id)
            if target is None:
                return children.DONE
            if m.kind is MessageKind.ENDED:
                notice = children.read_end(m.body)
                if target.uid == notice.parent_uid:
                    key = (target.partition, target.uid)
                    self._parent_hears(conn, after, key, notice.step, notice.seq, notice.ending)
                return children.DONE
            tr = children.terminate_child(target, children.read_terminate(m.body), now)
            if tr is not None:
                self.effects.apply(conn, after, target, tr)
            return children.DONE

        return await self.effects.run(op, [partition])

    async def _take_start(self, account_id: str, partition: int, m: Message) -> dict[str, Any]:
        order = children.read_start(m.body)
        item = NewInstance(
            m.workflow,
            m.instance_id,
            order.params,
            trace_parent=order.trace_parent,
            task_queue=order.task_queue,
            parent=order.parent.dumps(),
        )
        create = self.instances.create_op(account_id, [item])

        def op(conn: sa.Connection, after: After) -> dict[str, Any]:
            existing = store.find_instance(conn, account_id, m.workflow, m.instance_id)
            if existing is not None:
                answer, again = children.answer_existing(existing, order.parent)
                if again is not None:
                    # It ended before: its end goes to the parent again.
                    store.add_messages(conn, existing.partition, [again], self.clock.now_us())
                    after.append(self.wake)
                return answer
            [outcome] = create(conn, after)
            if isinstance(outcome, QuotaExceeded):
                raise outcome  # the workflow's queue is full for now: tried again later
            if isinstance(outcome, StepwayError):
                return children.refused(str(outcome))
            return children.STARTED

        return await self.effects.run(op, [partition], cost=payload_cost(len(order.params)))
