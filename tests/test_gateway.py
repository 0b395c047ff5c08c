"""The gateway is the only way in: shard servers refuse calls that do not come from it."""

from __future__ import annotations

import grpc
import pytest

from gateway.dev import DevServer
from shards.rpc import ACCOUNT_HEADER, CLUSTER_SECRET_HEADER
from stepway.v1 import workflow_service_pb2 as fpb
from stepway.v1 import workflow_service_pb2_grpc as fgrpc


@pytest.mark.parametrize(
    "metadata",
    [
        (),
        ((ACCOUNT_HEADER, "any-account"),),
        ((ACCOUNT_HEADER, "any-account"), (CLUSTER_SECRET_HEADER, "guessed")),
    ],
)
async def test_shard_refuses_calls_without_the_cluster_secret(
    dev_server: DevServer, metadata: tuple[tuple[str, str], ...]
) -> None:
    async with grpc.aio.insecure_channel(f"127.0.0.1:{dev_server.shard.port}") as channel:
        stub = fgrpc.WorkflowServiceStub(channel)
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await stub.GetInstance(
                fpb.GetInstanceRequest(workflow="w", instance_id="i"), metadata=metadata
            )
    assert err.value.code() is grpc.StatusCode.UNAUTHENTICATED
