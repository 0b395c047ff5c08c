"""The gateway is the only way in: shard servers refuse calls that do not come from it, and the
internal service that gateways call on shard servers is never served to clients."""

from __future__ import annotations

import grpc
import pytest

from gateway.dev import DevServer
from shards.call_context import CALL_CONTEXT_HEADER, call_metadata
from shards.rpc import CLUSTER_SECRET_HEADER
from stepway.internal.v1 import internal_service_pb2 as ipb
from stepway.internal.v1 import internal_service_pb2_grpc as igrpc
from stepway.v1 import workflow_service_pb2 as fpb
from stepway.v1 import workflow_service_pb2_grpc as fgrpc

CONTEXT = ipb.CallContext(account_id="any-account").SerializeToString()
WITHOUT_THE_SECRET = [
    (),
    ((CALL_CONTEXT_HEADER, CONTEXT),),
    ((CALL_CONTEXT_HEADER, CONTEXT), (CLUSTER_SECRET_HEADER, "guessed")),
]


@pytest.mark.parametrize("metadata", WITHOUT_THE_SECRET)
async def test_shard_refuses_calls_without_the_cluster_secret(
    dev_server: DevServer, metadata: tuple[tuple[str, str | bytes], ...]
) -> None:
    async with grpc.aio.insecure_channel(f"127.0.0.1:{dev_server.shard.port}") as channel:
        stub = fgrpc.WorkflowServiceStub(channel)
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await stub.GetInstance(
                fpb.GetInstanceRequest(workflow="w", instance_id="i"), metadata=metadata
            )
    assert err.value.code() is grpc.StatusCode.UNAUTHENTICATED


async def test_shard_refuses_a_call_with_the_secret_but_no_account(dev_server: DevServer) -> None:
    secret = dev_server.shard.engine.config.cluster_secret
    async with grpc.aio.insecure_channel(f"127.0.0.1:{dev_server.shard.port}") as channel:
        stub = fgrpc.WorkflowServiceStub(channel)
        for context in (b"", b"\xff not a CallContext"):
            metadata = ((CLUSTER_SECRET_HEADER, secret), (CALL_CONTEXT_HEADER, context))
            with pytest.raises(grpc.aio.AioRpcError) as err:
                await stub.GetInstance(
                    fpb.GetInstanceRequest(workflow="w", instance_id="i"), metadata=metadata
                )
            assert err.value.code() is grpc.StatusCode.UNAUTHENTICATED


@pytest.mark.parametrize("metadata", WITHOUT_THE_SECRET)
async def test_shard_refuses_internal_calls_without_the_cluster_secret(
    dev_server: DevServer, metadata: tuple[tuple[str, str | bytes], ...]
) -> None:
    async with grpc.aio.insecure_channel(f"127.0.0.1:{dev_server.shard.port}") as channel:
        stub = igrpc.InternalServiceStub(channel)
        for call in (
            stub.EndPoll(ipb.EndPollRequest(poll_id="p"), metadata=metadata),
            stub.WorkerGone(ipb.WorkerGoneRequest(worker_id="w"), metadata=metadata),
        ):
            with pytest.raises(grpc.aio.AioRpcError) as err:
                await call
            assert err.value.code() is grpc.StatusCode.UNAUTHENTICATED


async def test_shard_serves_internal_calls_with_the_cluster_secret(dev_server: DevServer) -> None:
    secret = dev_server.shard.engine.config.cluster_secret
    metadata = call_metadata(secret, ipb.CallContext(account_id="any-account"))
    async with grpc.aio.insecure_channel(f"127.0.0.1:{dev_server.shard.port}") as channel:
        stub = igrpc.InternalServiceStub(channel)
        await stub.EndPoll(ipb.EndPollRequest(poll_id="p"), metadata=metadata)
        await stub.WorkerGone(ipb.WorkerGoneRequest(worker_id="w"), metadata=metadata)


async def test_the_gateway_does_not_serve_the_internal_service(dev_server: DevServer) -> None:
    """Not even to a caller holding the cluster secret and an admin key."""
    secret = dev_server.shard.engine.config.cluster_secret
    metadata = (
        *call_metadata(secret, ipb.CallContext(account_id="any-account")),
        ("authorization", f"Bearer {dev_server.api_key}"),
    )
    async with grpc.aio.insecure_channel(dev_server.address) as channel:
        stub = igrpc.InternalServiceStub(channel)
        for call in (
            stub.EndPoll(ipb.EndPollRequest(poll_id="p"), metadata=metadata),
            stub.WorkerGone(ipb.WorkerGoneRequest(worker_id="w"), metadata=metadata),
        ):
            with pytest.raises(grpc.aio.AioRpcError) as err:
                await call
            assert err.value.code() is grpc.StatusCode.UNIMPLEMENTED
