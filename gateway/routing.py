"""Which shard server owns a partition, and the channels to reach it.

One shard server owns every partition for now; the cluster's routing table replaces this
class's single address without changing its callers.
"""

from __future__ import annotations

import grpc

from shards.rpc import CHANNEL_OPTIONS
from stepway.v1 import worker_service_pb2_grpc as wgrpc
from stepway.v1 import workflow_service_pb2_grpc as fgrpc


class ShardStubs:
    """The stubs of one shard server."""

    def __init__(self, address: str) -> None:
        self.address = address
        self.channel = grpc.aio.insecure_channel(address, options=CHANNEL_OPTIONS)
        self.workflows = fgrpc.WorkflowServiceStub(self.channel)
        self.workers = wgrpc.WorkerServiceStub(self.channel)


class Router:
    """Maps partitions to shard servers."""

    def __init__(self, shard_address: str, partitions: int) -> None:
        self.partitions = partitions
        self._shard = ShardStubs(shard_address)

    def for_partition(self, partition: int) -> ShardStubs:
        """The shard server that owns a partition."""
        return self._shard

    def all_shards(self) -> list[ShardStubs]:
        """Every shard server (a worker's poll reaches each of them)."""
        return [self._shard]

    async def close(self) -> None:
        await self._shard.channel.close(None)
