"""A shard server: the engine served over gRPC, and its membership in the cluster.

start_shard starts the engine, serves the public services as a gateway forwards them
(shards.workflow_service, shards.worker_service) and the internal service only gateways call
(shards.internal_service), then joins the cluster to own partitions (shards.membership).
"""

from __future__ import annotations

import logging

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from shards.config import ShardConfig
from shards.engine import ShardEngine
from shards.fanout import FanoutPolls
from shards.internal_service import ShardInternalService
from shards.membership import Membership
from shards.owners import Owners
from shards.rpc import SERVER_OPTIONS, AddressInUse, ErrorInterceptor, listen
from shards.schedule_service import ShardScheduleService
from shards.tls import CertificateError, CertificateFiles, server_credentials
from shards.tracing import server_interceptors
from shards.worker_service import ShardWorkerService
from shards.workflow_service import ShardWorkflowService
from stepway.internal.v1 import internal_service_pb2 as ipb
from stepway.internal.v1 import internal_service_pb2_grpc as igrpc
from stepway.v1 import schedule_service_pb2 as spb
from stepway.v1 import schedule_service_pb2_grpc as sgrpc
from stepway.v1 import worker_service_pb2 as wpb
from stepway.v1 import worker_service_pb2_grpc as wgrpc
from stepway.v1 import workflow_service_pb2 as fpb
from stepway.v1 import workflow_service_pb2_grpc as fgrpc

log = logging.getLogger(__name__)


class ShardServer:
    """A running shard server: the engine, its gRPC server and its cluster membership."""

    def __init__(
        self,
        engine: ShardEngine,
        server: grpc.aio.Server,
        port: int,
        membership: Membership,
        owners: Owners,
    ) -> None:
        self.engine = engine
        self.server = server
        self.port = port
        self.membership = membership
        self.owners = owners

    async def stop(self, grace: float = 1.0) -> None:
        """Stops serving, hands its partitions over (released leases), and stops the engine.
        The gateways' ready streams end first, so that they do not hold the grace period."""
        self.engine.effects.ready.close()
        await self.server.stop(grace)
        await self.membership.stop(release=True)
        await self.engine.stop()
        await self.owners.close()


async def start_shard(config: ShardConfig, engine: ShardEngine) -> ShardServer:
    """Starts the engine and serves it on config.listen (port 0 picks a free port)."""
    await engine.start()
    # A schedule's fire whose instance another shard server owns is created by that server.
    owners = Owners(engine.db, config)
    engine.schedules.elsewhere = owners
    engine.children.remote = owners
    server = grpc.aio.server(
        interceptors=[*server_interceptors(), ErrorInterceptor(engine.metrics)],
        options=SERVER_OPTIONS,
    )
    fanouts = FanoutPolls()
    fgrpc.add_WorkflowServiceServicer_to_server(ShardWorkflowService(engine), server)
    wgrpc.add_WorkerServiceServicer_to_server(ShardWorkerService(engine, fanouts), server)
    sgrpc.add_ScheduleServiceServicer_to_server(ShardScheduleService(engine), server)
    igrpc.add_InternalServiceServicer_to_server(ShardInternalService(engine, fanouts), server)
    health_servicer = health.aio.HealthServicer()  # type: ignore[attr-defined]
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    names = [
        fpb.DESCRIPTOR.services_by_name["WorkflowService"].full_name,
        wpb.DESCRIPTOR.services_by_name["WorkerService"].full_name,
        spb.DESCRIPTOR.services_by_name["ScheduleService"].full_name,
        ipb.DESCRIPTOR.services_by_name["InternalService"].full_name,
        health.SERVICE_NAME,
        reflection.SERVICE_NAME,
    ]
    reflection.enable_server_reflection(names, server)
    try:
        credentials = (
            None if config.tls is None else server_credentials(CertificateFiles(config.tls))
        )
        port = listen(server, config.listen, credentials)
    except (AddressInUse, CertificateError):
        await engine.stop()
        raise
    host = config.listen.rsplit(":", 1)[0]
    membership = Membership(
        engine.db,
        member_id=config.member_id,
        address=config.advertise or f"{host}:{port}",
        partitions=config.partitions,
        lease_seconds=config.partition_lease,
        heartbeat_seconds=config.heartbeat,
        on_change=engine.set_ownership,
        runner=lambda fn: engine.committer.run(lambda conn, after: fn(conn)),
    )
    try:
        await membership.start()
    except BaseException:
        await engine.stop()
        raise
    await server.start()
    await health_servicer.set("", health_pb2.HealthCheckResponse.SERVING)
    log.info(
        "shard server %s listening on port %d, owning %d partition(s)",
        config.member_id,
        port,
        len(engine.owned),
    )
    return ShardServer(engine, server, port, membership, owners)
