"""The shard server's InternalService: what only a gateway of the cluster calls, beyond the
public services it forwards (protos/stepway/internal/v1/internal_service.proto).

Like every call from a gateway, these carry the cluster secret and the CallContext of the
public call they serve (shards.call_context); gateways never serve this service.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import grpc

from shards.call_context import FromGateway
from shards.core.children import Message, MessageKind
from shards.engine import ShardEngine
from shards.errors import InvalidArgument
from shards.fanout import FanoutPolls
from stepway.internal.v1 import internal_service_pb2 as ipb
from stepway.internal.v1 import internal_service_pb2_grpc as igrpc

_KINDS = {k.value: k for k in MessageKind}

Context = grpc.aio.ServicerContext[Any, Any]


class ShardInternalService(FromGateway, igrpc.InternalServiceServicer):  # type: ignore[misc]
    """Ends fan-out polls, gives back the tasks of workers whose connection dropped, tells
    gateways which ready queues have tasks, and takes other shard servers' messages about child
    workflows."""

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

    async def DeliverChildMessages(
        self, request: ipb.DeliverChildMessagesRequest, context: Context
    ) -> ipb.DeliverChildMessagesResponse:
        # Another shard server's relay (shards.engine.children), with the cluster secret.
        account = self.account(context)
        messages = []
        for m in request.messages:
            if m.kind not in _KINDS:
                raise InvalidArgument("messages.kind", f"is {m.kind!r}, not a message kind")
            messages.append(
                (m.id, Message(_KINDS[m.kind], account, m.workflow, m.instance_id, m.body))
            )
        answers = await self.engine.deliver_child_messages(account, messages)
        return ipb.DeliverChildMessagesResponse(
            answers=[
                ipb.ChildAnswer(id=id, body=json.dumps(a).encode()) for id, a in answers.items()
            ]
        )

    async def WatchReady(
        self, request: ipb.WatchReadyRequest, context: Context
    ) -> AsyncIterator[ipb.WatchReadyResponse]:
        # A gateway's watch of the ready queues (shards.ready), open while the gateway runs.
        self.check_secret(context)
        effects = self.engine.effects

        def snapshot() -> list[tuple[str, str, str]]:
            queues = effects.queues.nonempty()
            steps = effects.step_queues.nonempty()
            return [(a, "workflow", q) for a, q in queues] + [(a, "step", q) for a, q in steps]

        async for first, keys in effects.ready.watch(snapshot):
            yield ipb.WatchReadyResponse(
                snapshot=first,
                queues=[ipb.ReadyQueue(account_id=a, kind=k, queue=q) for a, k, q in keys],
            )
