"""Long polls for tasks: sent where the ready index says tasks may be, or to every shard server.

With one shard server, or while a shard server's ready stream is not open, a worker's poll goes
to every shard server at once (fan-out): the gateway answers with the tasks of the first that
finds some, then ends the other polls by name through the internal service (EndPoll) rather
than cancelling them, so that no task is lost in an answer that crossed a cancellation.

With several shard servers, all watched (gateway.ready), a poll asks only the shard servers whose
ready queues for its task queue are marked, one at a time with no wait, and parks at the gateway
when none is, until a notice names its queues or its wait ends. So a poll costs the shard
servers that have its tasks, not every shard server.

A poll whose worker leaves is ended by name, and what its shards answered is given back; when
the last workflow poll of a worker on this gateway ends so, every shard server is told that the
worker is gone (WorkerGone), and gives back the tasks it holds.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections import defaultdict
from typing import Any

import grpc

from gateway.forwarding import Context, Forwarder
from gateway.ready import ReadyIndex, ReadyKey
from gateway.routing import Router, ShardStubs
from shards import validation as v
from shards.accounts import Principal
from shards.dispatch import route
from shards.pages import ANSWER_BYTES
from shards.requests import max_tasks
from stepway.internal.v1 import internal_service_pb2 as ipb
from stepway.v1 import worker_service_pb2 as wpb

log = logging.getLogger(__name__)

# Added to a forwarded long poll's own wait so the shard answers before the deadline.
POLL_SLACK_SECONDS = 15.0
# How long a fan-out poll's other shards get to answer once it is ended; a shard that does not
# (it stalled) has its poll cancelled, and gives back what that poll claimed when it runs again.
END_POLL_SECONDS = 2.0

# How long a routed poll's ask (a wait of zero) may take before it is ended by name: it claims
# in one transaction, so only a stalled shard server takes this long, and it must not hold the
# poll (a fan-out poll ends a stalled shard's poll the same way).
ASK_SECONDS = 2.0

_background: set[asyncio.Future[Any]] = set()


class Polls:
    """Sends workers' polls (PollWorkflowTasks, PollStepTasks) to the shard servers."""

    def __init__(self, router: Router, forward: Forwarder) -> None:
        self.router = router
        self.forward = forward
        self.index = ReadyIndex(forward.secret)
        # Workflow polls open on this gateway, per worker: the last one ended by the worker's
        # leaving means it is gone.
        self.open_polls: dict[str, int] = defaultdict(int)
        self._turn = 0

    async def poll(
        self, principal: Principal, method: str, request: Any, context: Context
    ) -> list[Any]:
        """A worker's poll: routed by the ready index where several shard servers are all
        watched, else sent to every shard server (fan-out)."""
        wait = v.check_wait(request, "wait", v.MAX_WAIT_SECONDS, v.MAX_WAIT_SECONDS)
        worker_id = v.check_id("worker_id", request.worker_id)
        task_queue = v.check_id("task_queue", request.task_queue)
        if method == "PollWorkflowTasks":
            build_id = v.check_build_id("build_id", request.build_id)
            account = principal.account_id
            keys = [
                (account, "workflow", route(task_queue, build_id)),
                (account, "workflow", route(task_queue, None)),
            ]
        else:
            keys = [(principal.account_id, "step", task_queue)]
        shards = self.router.all_shards()
        if len(shards) > 1:
            self.index.sync(shards)
        elif self.index.watching():
            self.index.sync([])
        workflow = method == "PollWorkflowTasks"
        if workflow:
            self.open_polls[worker_id] += 1
        try:
            if len(shards) > 1 and all(self.index.up(s.address) for s in shards):
                return await self._routed(principal, method, request, context, shards, keys, wait)
            return await self._fanout(principal, method, request, context, shards, wait)
        finally:
            if workflow:
                self.open_polls[worker_id] -= 1
                if self.open_polls[worker_id] <= 0:
                    del self.open_polls[worker_id]

    async def _routed(
        self,
        principal: Principal,
        method: str,
        request: Any,
        context: Context,
        shards: list[ShardStubs],
        keys: list[ReadyKey],
        wait: float,
    ) -> list[Any]:
        """Asks the shard servers whose queues are marked ready, one at a time with no wait,
        until max_tasks are found; parks on the index while none is marked.

        Each ask is a fan-out poll by name (so that its cancellation does not tell the shard
        the worker is gone); when the worker's call ends early, the ask in flight is ended by
        name, and every task found is given back (see _abandon). An ask not answered within
        ASK_SECONDS is ended by name. A shard whose ask fails or is ended so is left out for
        the rest of this poll; when every shard failed, the worker gets the error.
        Should a shard's stream break meanwhile, the rest of the wait is a fan-out poll.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait
        limit = max_tasks(request.max_tasks)
        poll_id = uuid.uuid4().hex
        metadata = self.forward.metadata(principal, fanout_poll_id=poll_id)
        ask = type(request)()
        ask.CopyFrom(request)
        ask.ClearField("wait")
        ask.wait.SetInParent()  # a wait of zero: answer with what is there now
        found: dict[asyncio.Future[Any], ShardStubs] = {}
        tasks: list[Any] = []
        size = 0
        failures: dict[str, BaseException] = {}
        try:
            while not tasks:
                if not all(self.index.up(s.address) for s in shards):
                    rest = type(request)()
                    rest.CopyFrom(request)
                    remaining = max(deadline - loop.time(), 0.0)
                    rest.wait.FromMicroseconds(int(remaining * 1_000_000))
                    return await self._fanout(principal, method, rest, context, shards, remaining)
                marked = [
                    (s, self.index.marks(s.address, keys))
                    for s in shards
                    if s.address not in failures
                ]
                targets = [(s, m) for s, m in marked if m]
                # Each poll starts at the next shard, so that one shard's backlog does not
                # keep the others' tasks waiting.
                self._turn += 1
                start = self._turn % len(targets) if targets else 0
                targets = targets[start:] + targets[:start]
                if not targets:
                    if len(failures) == len(shards):
                        break
                    remaining = deadline - loop.time()
                    if remaining <= 0:
                        break
                    await self.index.wait(keys, remaining)
                    continue
                for shard, marks in targets:
                    ask.max_tasks = limit - len(tasks)
                    fut = asyncio.ensure_future(
                        getattr(shard.workers, method)(
                            ask, metadata=metadata, timeout=POLL_SLACK_SECONDS
                        )
                    )
                    found[fut] = shard
                    await asyncio.wait({fut}, timeout=ASK_SECONDS)
                    if not fut.done():
                        # A stalled shard: ended by name, so that it cannot hold the poll.
                        await self._end_polls(principal, poll_id, [shard])
                        await asyncio.wait({fut}, timeout=END_POLL_SECONDS)
                        fut.cancel()  # it gives back what it claimed when it runs again
                        await asyncio.wait({fut})
                    if fut.cancelled() or fut.exception() is not None:
                        failures[shard.address] = (
                            TimeoutError(f"{shard.address} did not answer")
                            if fut.cancelled()
                            else fut.exception()
                        )
                        continue
                    answer = list(fut.result().tasks)
                    if not answer:
                        self.index.clear(shard.address, marks)
                    keep = tasks_within(
                        answer, limit - len(tasks), ANSWER_BYTES - size, first=not tasks
                    )
                    tasks.extend(answer[:keep])
                    size += sum(t.ByteSize() + 8 for t in answer[:keep])
                    if keep < len(answer):
                        self._give_back(principal, request.worker_id, shard, answer[keep:])
                    if len(tasks) >= limit:
                        break
        except asyncio.CancelledError:
            _in_background(self._abandon(principal, method, request.worker_id, poll_id, found))
            raise
        finally:
            self.index.pass_on(keys)
        if not tasks and failures and len(failures) == len(shards):
            failure = next(iter(failures.values()))
            if isinstance(failure, grpc.aio.AioRpcError):
                await self.forward.relay_error(failure, context)
        return tasks

    async def _fanout(
        self,
        principal: Principal,
        method: str,
        request: Any,
        context: Context,
        shards: list[ShardStubs],
        wait: float,
    ) -> list[Any]:
        """Long-polls every shard at once and answers with the tasks the first of them found.

        The polls still open are then ended by name (the internal service's EndPoll), not
        cancelled: each answers normally with whatever it had claimed by then, so no task is
        ever lost in a reply that crossed a cancellation. The worker gets up to max_tasks; any
        more go back to their shards at once. When the worker's own call ends early (it
        cancelled it, or its connection dropped), its shard polls are ended by name too, and
        what they answered is given back (see _abandon).
        """
        poll_id = uuid.uuid4().hex
        metadata = self.forward.metadata(principal, fanout_poll_id=poll_id)
        polls = {
            asyncio.ensure_future(
                getattr(shard.workers, method)(
                    request, metadata=metadata, timeout=wait + POLL_SLACK_SECONDS
                )
            ): shard
            for shard in shards
        }
        try:
            pending = set(polls)
            while pending:
                _, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
                if any(_tasks_of(f) for f in polls if f.done()):
                    break
            if pending:
                await self._end_polls(principal, poll_id, [polls[f] for f in pending])
                await asyncio.wait(pending, timeout=END_POLL_SECONDS)
        except asyncio.CancelledError:
            _in_background(self._abandon(principal, method, request.worker_id, poll_id, polls))
            raise
        for fut in polls:
            fut.cancel()  # only a shard that did not answer its end in time is left
        limit = max_tasks(request.max_tasks)
        tasks: list[Any] = []
        size = 0
        for fut, shard in polls.items():
            found = _tasks_of(fut)
            keep = tasks_within(found, limit - len(tasks), ANSWER_BYTES - size, first=not tasks)
            tasks.extend(found[:keep])
            size += sum(t.ByteSize() + 8 for t in found[:keep])
            if keep < len(found):
                self._give_back(principal, request.worker_id, shard, found[keep:])
        if not tasks:
            failures = [f.exception() for f in polls if not f.cancelled() and f.exception()]
            if len(failures) == len(polls) and isinstance(failures[0], grpc.aio.AioRpcError):
                await self.forward.relay_error(failures[0], context)
        return tasks

    async def _abandon(
        self,
        principal: Principal,
        method: str,
        worker_id: str,
        poll_id: str,
        polls: dict[asyncio.Future[Any], ShardStubs],
    ) -> None:
        """After the worker's call ended (it cancelled it, or its connection dropped): ends
        the shard polls still open by name, gives back whatever any of them answered (an answer
        that crossed the cancellation reaches no one), then tells every shard that a workflow
        worker is gone (WorkerGone: each gives back the worker's tasks unless another of its
        polls is open there; step workers keep their tasks until their heartbeat timeout, as
        the step may still be running). WorkerGone goes only when no other workflow poll of
        the worker is open on this gateway: a poll parked here is open on no shard server."""
        pending = {f for f in polls if not f.done()}
        if pending:
            await self._end_polls(principal, poll_id, [polls[f] for f in pending])
            await asyncio.wait(pending, timeout=END_POLL_SECONDS)
        for fut, shard in polls.items():
            fut.cancel()  # only a shard that did not answer its end in time is left
            self._give_back(principal, worker_id, shard, _tasks_of(fut))
        if method == "PollWorkflowTasks" and not self.open_polls.get(worker_id):
            self._worker_gone(principal, worker_id, self._all_shards(polls))

    def _all_shards(self, polls: dict[asyncio.Future[Any], ShardStubs]) -> list[ShardStubs]:
        """Every shard server now (those a poll asked, if none is known)."""
        try:
            return self.router.all_shards()
        except Exception:
            return list({s.address: s for s in polls.values()}.values())

    async def close(self) -> None:
        """Closes the ready streams."""
        await self.index.close()

    async def _end_polls(
        self, principal: Principal, poll_id: str, shards: list[ShardStubs]
    ) -> None:
        metadata = self.forward.metadata(principal)
        request = ipb.EndPollRequest(poll_id=poll_id)
        ends = [
            s.internal.EndPoll(request, metadata=metadata, timeout=END_POLL_SECONDS) for s in shards
        ]
        for outcome in await asyncio.gather(*ends, return_exceptions=True):
            if isinstance(outcome, BaseException):
                log.warning("could not end a poll on a shard: %s", outcome)

    def _give_back(
        self,
        principal: Principal,
        worker_id: str,
        shard: ShardStubs,
        tasks: list[Any],
    ) -> None:
        """Releases tasks a shard handed over that the worker does not get (beyond what it
        asked for, or after it left)."""
        if not tasks:
            return
        metadata = self.forward.metadata(principal)
        request = wpb.ReleaseTasksRequest(
            worker_id=worker_id, task_tokens=[t.task_token for t in tasks]
        )
        _in_background(shard.workers.ReleaseTasks(request, metadata=metadata, timeout=10))

    def _worker_gone(self, principal: Principal, worker_id: str, shards: list[ShardStubs]) -> None:
        metadata = self.forward.metadata(principal)
        request = ipb.WorkerGoneRequest(worker_id=worker_id)
        for shard in shards:
            _in_background(shard.internal.WorkerGone(request, metadata=metadata, timeout=10))


def _in_background(call: Any) -> None:
    """Runs a call to a shard without waiting for its answer (kept referenced until done)."""
    task = asyncio.ensure_future(call)
    _background.add(task)
    task.add_done_callback(_finished)


def _finished(task: asyncio.Future[Any]) -> None:
    """Forgets a background call, and says in one line why it failed, if it did. Its channel
    closed means the gateway is stopping: the shard gives the tasks back when their leases end."""
    _background.discard(task)
    if task.cancelled() or task.exception() is None:
        return
    exc = task.exception()
    if isinstance(exc, grpc.aio.UsageError):
        log.debug("a call to a shard was not sent, the gateway is stopping: %s", exc)
    else:
        log.warning("a call to a shard after a poll failed: %s", exc)


def tasks_within(tasks: list[Any], count: int, budget: int, *, first: bool) -> int:
    """How many of a shard's tasks fit in what is left of the answer: at most count, their
    bytes within budget (the answer's first task always fits)."""
    end, used = 0, 0
    while end < min(count, len(tasks)):
        used += tasks[end].ByteSize() + 8
        if used > budget and not (first and end == 0):
            break
        end += 1
    return end


def _tasks_of(fut: asyncio.Future[Any]) -> list[Any]:
    """The tasks of a finished shard poll; none when it failed or was cancelled."""
    if not fut.done() or fut.cancelled() or fut.exception() is not None:
        return []
    return list(fut.result().tasks)
