"""A gateway: the public services served over gRPC, and the web console when asked for.

Clients and workers only ever talk to a gateway. start_gateway serves WorkflowService
(gateway.workflow_service), WorkerService (gateway.worker_service), ScheduleService
(gateway.schedule_service) and AdminService (gateway.admin), which authenticate each call and
forward it to the shard servers through one forwarding path (gateway.forwarding). The internal
service shard servers serve for gateways is never served here.
"""

from __future__ import annotations

import logging
import uuid

import grpc
import sqlalchemy as sa
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from gateway.admin import GatewayAdminService
from gateway.auth import Authenticator
from gateway.config import GatewayConfig
from gateway.console import Console, dial_address, start_console
from gateway.forwarding import Forwarder
from gateway.limits import GatewayLimits
from gateway.polls import Polls
from gateway.routing import Router
from gateway.schedule_service import GatewayScheduleService
from gateway.worker_service import GatewayWorkerService
from gateway.workflow_service import GatewayWorkflowService
from shards.caps import OpenCalls
from shards.db import backend_name
from shards.metrics import Metrics
from shards.rpc import SERVER_OPTIONS, AddressInUse, ErrorInterceptor, listen
from shards.tls import CertificateFiles, channel_credentials, server_credentials
from shards.tracing import server_interceptors
from stepway.v1 import admin_service_pb2 as apb
from stepway.v1 import admin_service_pb2_grpc as agrpc
from stepway.v1 import schedule_service_pb2 as spb
from stepway.v1 import schedule_service_pb2_grpc as sgrpc
from stepway.v1 import worker_service_pb2 as wpb
from stepway.v1 import worker_service_pb2_grpc as wgrpc
from stepway.v1 import workflow_service_pb2 as fpb
from stepway.v1 import workflow_service_pb2_grpc as fgrpc

log = logging.getLogger(__name__)


class GatewayServer:
    """A running gateway."""

    def __init__(
        self,
        server: grpc.aio.Server,
        router: Router,
        limits: GatewayLimits,
        port: int,
        open_calls: OpenCalls,
        polls: Polls,
    ) -> None:
        self.server = server
        # Workers' polls, with the ready streams to the shard servers.
        self.polls = polls
        self.router = router
        self.limits = limits
        self.port = port
        # Watch streams and long polls open now, per account.
        self.open_calls = open_calls
        # The web console, when config.http asks for one.
        self.console: Console | None = None
        # The certificate served, when config.tls asks for TLS.
        self.certificates: CertificateFiles | None = None

    @property
    def http_port(self) -> int | None:
        """Where the web console is served (None when it is not)."""
        return None if self.console is None else self.console.port

    async def stop(self, grace: float = 1.0) -> None:
        if self.console is not None:
            await self.console.stop()
        await self.server.stop(grace)
        await self.polls.close()
        await self.limits.stop()
        await self.router.close()


async def start_gateway(
    config: GatewayConfig, db: sa.Engine, partitions: int, metrics: Metrics | None = None
) -> GatewayServer:
    """Serves the public API on config.listen (port 0 picks a free port)."""
    limits = GatewayLimits(db, f"gateway-{uuid.uuid4().hex[:12]}", config.listen, metrics=metrics)
    auth = Authenticator(db, config.key_cache_seconds, limits)
    files = None if config.tls is None else CertificateFiles(config.tls)
    router = Router(
        db,
        partitions,
        refresh_seconds=config.route_refresh_seconds,
        credentials=None if config.shard_tls is None else channel_credentials(config.shard_tls),
    )
    await router.start()
    server = grpc.aio.server(
        interceptors=[*server_interceptors(), ErrorInterceptor(limits.metrics)],
        options=SERVER_OPTIONS,
    )
    forward = Forwarder(config.cluster_secret, router)
    open_calls = OpenCalls(on_refusal=limits.reject)
    fgrpc.add_WorkflowServiceServicer_to_server(
        GatewayWorkflowService(auth, router, forward, limits, open_calls), server
    )
    workers = GatewayWorkerService(auth, router, forward, open_calls)
    wgrpc.add_WorkerServiceServicer_to_server(workers, server)
    sgrpc.add_ScheduleServiceServicer_to_server(
        GatewayScheduleService(auth, router, forward), server
    )
    agrpc.add_AdminServiceServicer_to_server(
        GatewayAdminService(auth, router, backend_name(db), db), server
    )
    health_servicer = health.aio.HealthServicer()  # type: ignore[attr-defined]
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    names = [
        fpb.DESCRIPTOR.services_by_name["WorkflowService"].full_name,
        wpb.DESCRIPTOR.services_by_name["WorkerService"].full_name,
        spb.DESCRIPTOR.services_by_name["ScheduleService"].full_name,
        apb.DESCRIPTOR.services_by_name["AdminService"].full_name,
        health.SERVICE_NAME,
        reflection.SERVICE_NAME,
    ]
    reflection.enable_server_reflection(names, server)
    try:
        port = listen(server, config.listen, None if files is None else server_credentials(files))
    except AddressInUse:
        await router.close()
        raise
    limits.address = f"{config.listen.rsplit(':', 1)[0]}:{port}"
    await limits.start()
    await server.start()
    await health_servicer.set("", health_pb2.HealthCheckResponse.SERVING)
    log.info("gateway listening on port %d", port)
    gateway = GatewayServer(server, router, limits, port, open_calls, workers.polls)
    gateway.certificates = files
    if config.http:
        try:
            # The console calls this gateway over gRPC, as any client does.
            gateway.console = await start_console(
                config.http,
                dial_address(config.listen, port),
                db=db,
                tls=files,
                gateway_ca=config.tls_ca,
            )
        except BaseException:
            await gateway.stop(0)
            raise
        log.info("web console on port %d", gateway.console.port)
    return gateway
