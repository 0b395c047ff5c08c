"""The shard server's InternalService: what only a gateway of the cluster calls, beyond the
public services it forwards (protos/stepway/internal/v1/internal_service.proto).

Like every call from a gateway, these carry the cluster secret and the CallContext of the
public call they serve (shards.call_context); gateways never serve this service.
"""

from __future__ import annotations

from typing import Any

import grpc

from shards.call_context import FromGateway
from shards.engine import ShardEngine
from shards.fanout import FanoutPolls
from stepway.internal.v1 import internal_service_pb2 as ipb
from stepway.internal.v1 import internal_service_pb2_grpc as igrpc

Context = grpc.aio.ServicerContext[Any, Any]


class ShardInternalService(FromGateway, igrpc.InternalServiceServicer):  # type: ignore[misc]
    """Ends fan-out polls and gives back the tasks of workers whose connection dropped."""

    def __init__(self, engine: ShardEngine, fanouts: FanoutPolls) -> None:
        super().__init__(engine.config.cluster_secret)
        self.engine = engine
        self.fanouts = fanouts

    async def EndPoll(self, request: ipb.EndPollRequest, context: Context) -> ipb.EndPollResponse:
        self.account(context)
        self.fanouts.end(request.poll_id)
        return ipb.EndPollResponse()

    async def WorkerGone(
        self, request: ipb.WorkerGoneRequest, context: Context
    ) -> ipb.WorkerGoneResponse:
        # A gateway saw the worker's connection drop while it polled several shards.
        self.account(context)
        self.engine.worker_disconnected(request.worker_id)
        return ipb.WorkerGoneResponse()
