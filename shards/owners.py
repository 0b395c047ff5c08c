"""Calls from one shard server to the owner of a partition it does not own: a schedule's fire
whose instance lives elsewhere (shards.engine.schedules.Elsewhere), and messages about child
workflows (shards.engine.children.Remote, through InternalService.DeliverChildMessages).

The owner of a partition is read from the lease table, with its member's address, as a
gateway's routing table reads it (only while the member's lease is live). The call is the
owner's WorkflowService, with the cluster secret and a CallContext naming the account, exactly
as a gateway forwards a client's call, so the owner creates or terminates the instance through
its own engine, fenced as ever. With TLS, a shard server calls another with its own
certificate, trusting the cluster's client CA (shard servers' certificates are issued by it).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Sequence
from typing import Any

import grpc
import sqlalchemy as sa

from shards.call_context import call_metadata
from shards.clock import now_us
from shards.config import ShardConfig
from shards.core.children import Message
from shards.engine.schedules import TERMINATE_REASON
from shards.engine.types import NewInstance
from shards.errors import ShardUnavailable
from shards.membership import live_owners
from shards.partitioning import partition_of
from shards.rpc import CHANNEL_OPTIONS
from shards.tls import ClientTLS, channel_credentials
from stepway.internal.v1 import internal_service_pb2 as ipb
from stepway.internal.v1 import internal_service_pb2_grpc as igrpc
from stepway.v1 import workflow_service_pb2 as fpb
from stepway.v1 import workflow_service_pb2_grpc as fgrpc

log = logging.getLogger(__name__)

CALL_SECONDS = 10.0
# Answers that refuse a creation for good (the workflow is not registered, a quota, bad
# params): the fire is counted as refused, not tried again.
REFUSED = frozenset(
    {
        grpc.StatusCode.NOT_FOUND,
        grpc.StatusCode.INVALID_ARGUMENT,
        grpc.StatusCode.RESOURCE_EXHAUSTED,
        grpc.StatusCode.FAILED_PRECONDITION,
    }
)


class Owners:
    """WorkflowService calls to the live owner of a partition."""

    def __init__(self, db: sa.Engine, config: ShardConfig) -> None:
        self.db = db
        self.config = config
        self._channels: dict[str, grpc.aio.Channel] = {}
        tls = config.tls
        self._credentials = (
            None
            if tls is None
            else channel_credentials(ClientTLS(ca=tls.client_ca, cert=tls.cert, key=tls.key))
        )

    async def close(self) -> None:
        for channel in self._channels.values():
            await channel.close(None)
        self._channels = {}

    def _owner_address(self, partition: int) -> str | None:
        with self.db.connect() as conn:
            return live_owners(conn, now_us(), [partition]).get(partition)

    async def _stub(self, partition: int) -> fgrpc.WorkflowServiceStub:
        return fgrpc.WorkflowServiceStub(await self._channel(partition))

    async def _channel(self, partition: int) -> grpc.aio.Channel:
        address = await asyncio.to_thread(self._owner_address, partition)
        if address is None:
            raise ShardUnavailable(f"no shard server owns partition {partition} now")
        channel = self._channels.get(address)
        if channel is None:
            channel = (
                grpc.aio.insecure_channel(address, options=CHANNEL_OPTIONS)
                if self._credentials is None
                else grpc.aio.secure_channel(address, self._credentials, options=CHANNEL_OPTIONS)
            )
            self._channels[address] = channel
        return channel

    def _metadata(self, account_id: str) -> tuple[tuple[str, str | bytes], ...]:
        return call_metadata(self.config.cluster_secret, ipb.CallContext(account_id=account_id))

    def _partition(self, account_id: str, workflow: str, instance_id: str) -> int:
        return partition_of(account_id, workflow, instance_id, self.config.partitions)

    async def create(self, account_id: str, item: NewInstance) -> bool | None:
        """Creates the instance on its owner: True, False when it existed already, None when
        the owner refused it for good."""
        request = fpb.CreateInstanceRequest(
            workflow=item.workflow,
            instance_id=item.instance_id,
            task_queue=item.task_queue or "",
        )
        request.params.data = item.params
        if item.retention_us is not None:
            request.retention.FromMicroseconds(item.retention_us)
        stub = await self._stub(self._partition(account_id, item.workflow, item.instance_id))
        try:
            resp = await stub.CreateInstance(
                request, metadata=self._metadata(account_id), timeout=CALL_SECONDS
            )
        except grpc.aio.AioRpcError as err:
            if err.code() in REFUSED:
                log.warning("creating %s was refused: %s", item.instance_id, err.details())
                return None
            raise _unavailable(err) from None
        return bool(resp.created)

    async def terminate(self, account_id: str, workflow: str, instance_id: str) -> None:
        """Terminates the instance on its owner; nothing when it is finished or gone."""
        request = fpb.TerminateInstanceRequest(
            workflow=workflow, instance_id=instance_id, reason=TERMINATE_REASON
        )
        stub = await self._stub(self._partition(account_id, workflow, instance_id))
        try:
            await stub.TerminateInstance(
                request, metadata=self._metadata(account_id), timeout=CALL_SECONDS
            )
        except grpc.aio.AioRpcError as err:
            if err.code() in (grpc.StatusCode.NOT_FOUND, grpc.StatusCode.FAILED_PRECONDITION):
                return
            raise _unavailable(err) from None

    async def deliver_child_messages(
        self, account_id: str, partition: int, messages: Sequence[tuple[str, Message]]
    ) -> dict[str, dict[str, Any]]:
        """Delivers messages about child workflows to the owner of their target partition
        (shards.engine.children); answers each by id. Any failure raises: the relay tries
        again later."""
        stub = igrpc.InternalServiceStub(await self._channel(partition))
        request = ipb.DeliverChildMessagesRequest(
            messages=[
                ipb.ChildMessage(
                    id=id,
                    kind=m.kind.value,
                    workflow=m.workflow,
                    instance_id=m.instance_id,
                    body=m.body,
                )
                for id, m in messages
            ]
        )
        try:
            resp = await stub.DeliverChildMessages(
                request, metadata=self._metadata(account_id), timeout=CALL_SECONDS
            )
        except grpc.aio.AioRpcError as err:
            raise _unavailable(err) from None
        return {a.id: json.loads(a.body) for a in resp.answers}


def _unavailable(err: grpc.aio.AioRpcError) -> ShardUnavailable:
    return ShardUnavailable(f"the owning shard server answered {err.code().name}: {err.details()}")
