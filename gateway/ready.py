"""Which shard servers may have tasks for a worker's poll: the gateway's ready index.

The gateway keeps one InternalService.WatchReady stream open to each shard server (shards.ready)
while it has several. Each stream first names every ready queue with tasks on its server, then
each queue whose tasks may have grown. The index marks (shard, queue) ready with the tick of the
last notice; a poll that found a shard's queues empty clears the mark only if no notice came
since it read the tick, so a notice that crosses an empty answer is never lost. Polls with
nothing marked park here (`wait`) until a notice names one of their queues: each notice wakes
one parked poll, which passes the wake-up on when it leaves marks behind (`pass_on`), as the
shard's own queues do. A stream that breaks is opened again with backoff; until its first
answer, its shard counts as not watched, and polls fall back to asking it directly.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable

import grpc

from gateway.routing import ShardStubs
from shards.call_context import call_metadata
from stepway.internal.v1 import internal_service_pb2 as ipb

log = logging.getLogger(__name__)

ReadyKey = tuple[str, str, str]
"""(account_id, kind "workflow" | "step", ready queue), as shards.ready names them."""

# Delays before a broken watch stream is opened again: the first, and the longest.
FIRST_BACKOFF_SECONDS = 0.05
MAX_BACKOFF_SECONDS = 2.0


class _Watch:
    """One shard server's stream and what it said."""

    def __init__(self, stubs: ShardStubs) -> None:
        self.stubs = stubs
        # Whether the stream is open and its snapshot read: only then do the marks count.
        self.up = False
        # Ready queues that may have tasks there, with the tick of their last notice.
        self.ready: dict[ReadyKey, int] = {}
        self.task: asyncio.Task[None] | None = None


class ReadyIndex:
    """The shard servers' ready queues as their watch streams tell them, and the parked polls."""

    def __init__(self, secret: str) -> None:
        self._metadata = call_metadata(secret, ipb.CallContext())
        self._watches: dict[str, _Watch] = {}
        self._tick = 0
        # Parked polls, by the queues they wait for (each dict keeps arrival order).
        self._waiters: dict[ReadyKey, dict[asyncio.Future[None], None]] = {}
        self._parked: set[asyncio.Future[None]] = set()
        self.notices = 0

    def sync(self, shards: list[ShardStubs]) -> None:
        """Watches exactly these shard servers: opens streams to new ones, closes the others."""
        if len(shards) == len(self._watches) and all(s.address in self._watches for s in shards):
            return
        wanted = {s.address: s for s in shards}
        for address in [a for a in self._watches if a not in wanted]:
            watch = self._watches.pop(address)
            if watch.task is not None:
                watch.task.cancel()
        for address, stubs in wanted.items():
            if address not in self._watches:
                watch = self._watches[address] = _Watch(stubs)
                watch.task = asyncio.create_task(self._run(watch), name=f"watch-ready {address}")
        self._wake_all()

    def watching(self) -> bool:
        """Whether any shard server is watched."""
        return bool(self._watches)

    def parked(self) -> int:
        """How many polls are parked now."""
        return len(self._parked)

    def up(self, address: str) -> bool:
        """Whether the shard server's stream is open and its marks count."""
        watch = self._watches.get(address)
        return watch is not None and watch.up

    def marks(self, address: str, keys: Iterable[ReadyKey]) -> dict[ReadyKey, int]:
        """The keys marked ready on a shard server, with the tick of their last notice."""
        ready = self._watches[address].ready
        return {k: ready[k] for k in keys if k in ready}

    def clear(self, address: str, marks: dict[ReadyKey, int]) -> None:
        """A poll found these queues empty: unmarks each unless a notice came since `marks`."""
        watch = self._watches.get(address)
        if watch is None:
            return
        for key, tick in marks.items():
            if watch.ready.get(key) == tick:
                del watch.ready[key]

    def pass_on(self, keys: Iterable[ReadyKey]) -> None:
        """Wakes another parked poll for each key still marked somewhere (a poll leaving marks
        behind, or woken and gone)."""
        for key in keys:
            if any(w.up and key in w.ready for w in self._watches.values()):
                self._wake_one(key)

    async def wait(self, keys: list[ReadyKey], timeout: float) -> None:
        """Parks until a notice names one of the keys, a stream opens or breaks, or timeout."""
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        for key in keys:
            self._waiters.setdefault(key, {})[fut] = None
        self._parked.add(fut)
        try:
            await asyncio.wait_for(fut, timeout)
        except TimeoutError:
            pass
        except asyncio.CancelledError:
            if fut.done() and not fut.cancelled():
                self.pass_on(keys)  # a wake-up this poll can no longer use
            raise
        finally:
            self._parked.discard(fut)
            for key in keys:
                waiters = self._waiters.get(key)
                if waiters is not None:
                    waiters.pop(fut, None)
                    if not waiters:
                        del self._waiters[key]

    def _wake_one(self, key: ReadyKey) -> None:
        waiters = self._waiters.get(key)
        while waiters:
            fut = next(iter(waiters))
            del waiters[fut]
            if not fut.done():
                fut.set_result(None)
                return

    def _wake_all(self) -> None:
        for fut in self._parked:
            if not fut.done():
                fut.set_result(None)

    async def _run(self, watch: _Watch) -> None:
        """Keeps a shard server's stream open, reading its notices into the index."""
        backoff = FIRST_BACKOFF_SECONDS
        while True:
            try:
                call = watch.stubs.internal.WatchReady(
                    ipb.WatchReadyRequest(), metadata=self._metadata
                )
                async for answer in call:
                    self._tick += 1
                    keys = [(q.account_id, q.kind, q.queue) for q in answer.queues]
                    if answer.snapshot:
                        watch.ready = dict.fromkeys(keys, self._tick)
                        watch.up = True
                        self._wake_all()
                    else:
                        self.notices += 1
                        for key in keys:
                            watch.ready[key] = self._tick
                            self._wake_one(key)
                    backoff = FIRST_BACKOFF_SECONDS
            except grpc.aio.AioRpcError as exc:
                log.debug("ready watch of %s broke: %s", watch.stubs.address, exc.code())
            except grpc.aio.UsageError:
                return  # the channel closed: the gateway is stopping
            except Exception:
                log.exception("ready watch of %s failed; opening it again", watch.stubs.address)
            finally:
                if watch.up:
                    watch.up = False
                    watch.ready = {}
                    self._wake_all()
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)

    async def close(self) -> None:
        """Closes every stream."""
        tasks = [w.task for w in self._watches.values() if w.task is not None]
        self._watches.clear()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._wake_all()
