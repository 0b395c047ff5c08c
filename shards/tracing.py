"""The servers' own tracing: gRPC server interceptors. What the servers share with the SDK
(spans, traceparents, client interceptors, configure) is stepway.tracing."""

from __future__ import annotations

from typing import Any

from stepway import tracing


def server_interceptors() -> list[Any]:
    """gRPC server interceptors that trace every call, when tracing is on."""
    if not tracing.enabled():
        return []
    from opentelemetry.instrumentation.grpc import aio_server_interceptor

    return [aio_server_interceptor()]  # type: ignore[no-untyped-call]
