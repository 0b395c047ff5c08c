"""Which shard server owns a partition, and the channels to reach it.

The routing table is the cluster's lease table joined with its live members' addresses, read from
the database and cached. It is refreshed every few seconds, and at once (at most every
`min_refresh` seconds) when a shard answers that it does not own a partition or cannot be
reached. Channels are kept per shard address.
"""

from __future__ import annotations

import asyncio
import logging
import time

import grpc
import sqlalchemy as sa

from shards.clock import now_us
from shards.db import log_failure
from shards.errors import ShardUnavailable
from shards.membership import live_owners
from shards.rpc import CHANNEL_OPTIONS
from stepway import tracing
from stepway.internal.v1 import internal_service_pb2_grpc as igrpc
from stepway.v1 import schedule_service_pb2_grpc as sgrpc
from stepway.v1 import worker_service_pb2_grpc as wgrpc
from stepway.v1 import workflow_service_pb2_grpc as fgrpc

log = logging.getLogger(__name__)


class ShardStubs:
    """The stubs of one shard server."""

    def __init__(self, address: str, credentials: grpc.ChannelCredentials | None = None) -> None:
        self.address = address
        interceptors = tracing.client_interceptors()
        self.channel = (
            grpc.aio.insecure_channel(address, options=CHANNEL_OPTIONS, interceptors=interceptors)
            if credentials is None
            else grpc.aio.secure_channel(
                address, credentials, options=CHANNEL_OPTIONS, interceptors=interceptors
            )
        )
        self.workflows = fgrpc.WorkflowServiceStub(self.channel)
        self.workers = wgrpc.WorkerServiceStub(self.channel)
        self.schedules = sgrpc.ScheduleServiceStub(self.channel)
        self.internal = igrpc.InternalServiceStub(self.channel)


class Router:
    """Maps partitions to shard servers through the cached routing table."""

    def __init__(
        self,
        db: sa.Engine,
        partitions: int,
        *,
        refresh_seconds: float = 2.0,
        min_refresh: float = 0.1,
        credentials: grpc.ChannelCredentials | None = None,
    ) -> None:
        self.db = db
        # Mutual TLS to the shard servers (shards.tls); None: plaintext.
        self.credentials = credentials
        self.partitions = partitions
        self.refresh_seconds = refresh_seconds
        self.min_refresh = min_refresh
        self._routes: dict[int, str] = {}
        self._stubs: dict[str, ShardStubs] = {}
        self._refreshed = 0.0
        self._lock = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None
        self.refreshes = 0

    async def start(self) -> None:
        await self.refresh(force=True)
        self._task = asyncio.create_task(self._loop(), name="gateway-routes")

    async def _loop(self) -> None:
        while True:
            await asyncio.sleep(self.refresh_seconds)
            try:
                await self.refresh(force=True)
            except Exception as exc:
                log_failure(log, "routing table refresh failed; keeping the last one", exc)

    async def refresh(self, *, force: bool = False) -> None:
        """Reads the routing table again (unless it was read less than min_refresh ago)."""
        async with self._lock:
            if not force and time.monotonic() - self._refreshed < self.min_refresh:
                return

            def read() -> dict[int, str]:
                with self.db.connect() as conn:
                    return live_owners(conn, now_us())

            self._routes = await asyncio.to_thread(read)
            self._refreshed = time.monotonic()
            self.refreshes += 1

    def stubs_for(self, address: str) -> ShardStubs:
        """The stubs of the shard server at an address (kept open for later calls)."""
        stubs = self._stubs.get(address)
        if stubs is None:
            stubs = self._stubs[address] = ShardStubs(address, self.credentials)
        return stubs

    def for_partition(self, partition: int) -> ShardStubs:
        """The shard server that owns a partition; UNAVAILABLE while it has no owner."""
        address = self._routes.get(partition)
        if address is None:
            raise ShardUnavailable(
                f"partition {partition} has no shard server now (one is starting, stopping or "
                "taking it over); retry shortly"
            )
        return self.stubs_for(address)

    def all_shards(self) -> list[ShardStubs]:
        """Every shard server that owns a partition now."""
        addresses = sorted(set(self._routes.values()))
        if not addresses:
            raise ShardUnavailable("no shard server is running")
        return [self.stubs_for(a) for a in addresses]

    def table(self) -> dict[int, str]:
        return dict(self._routes)

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
        for stubs in self._stubs.values():
            await stubs.channel.close(None)
