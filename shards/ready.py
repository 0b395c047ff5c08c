"""Which ready queues of this shard server got tasks, told to the gateways that watch them.

A gateway in front of several shard servers keeps one InternalService.WatchReady stream to each
(gateway.ready) and sends a worker's poll only to the servers whose queues may have its tasks.
The task queues (shards.dispatch) call `ready` whenever a queue's tasks may have grown; each
watcher collects the queues named since it last sent, so that many changes in one event-loop
turn go out as one answer, and a slow gateway holds at most one entry per queue here.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

ReadyKey = tuple[str, str, str]
"""(account_id, kind "workflow" | "step", ready queue)."""


class _Watcher:
    def __init__(self) -> None:
        self.pending: set[ReadyKey] = set()
        self.changed = asyncio.Event()


class ReadyNotices:
    """The gateways watching this server's ready queues, and what each has yet to hear."""

    def __init__(self) -> None:
        self._watchers: set[_Watcher] = set()
        self._closed = False

    @property
    def watched(self) -> bool:
        """Whether any gateway watches now (otherwise a notice costs nothing)."""
        return bool(self._watchers)

    def ready(self, key: ReadyKey) -> None:
        """A queue's tasks may have grown: every watcher hears of it on its next answer."""
        for watcher in self._watchers:
            watcher.pending.add(key)
            watcher.changed.set()

    async def watch(
        self, snapshot: Callable[[], list[ReadyKey]]
    ) -> AsyncIterator[tuple[bool, list[ReadyKey]]]:
        """(True, every queue with tasks now), then (False, the queues named since the last
        answer) each time some were, until the caller stops iterating or the server stops."""
        if self._closed:
            return
        watcher = _Watcher()
        self._watchers.add(watcher)
        try:
            # Registered before the snapshot is read: a change after it is heard again.
            yield True, snapshot()
            while True:
                await watcher.changed.wait()
                if self._closed:
                    return
                watcher.changed.clear()
                keys, watcher.pending = sorted(watcher.pending), set()
                if keys:
                    yield False, keys
        finally:
            self._watchers.discard(watcher)

    def close(self) -> None:
        """Ends every watch (the server is stopping): the gateways ask this server directly
        until it is gone, and a watch opened meanwhile ends at once."""
        self._closed = True
        for watcher in self._watchers:
            watcher.changed.set()
