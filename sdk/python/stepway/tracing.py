"""OpenTelemetry tracing for the Python SDK, and the helpers the servers share with it.

Nothing is traced unless a tracer provider is installed: `configure()` installs one that
exports by OTLP when an endpoint is given (`--otlp-endpoint`, or the standard
OTEL_EXPORTER_OTLP_ENDPOINT variable; the OpenTelemetry SDK and exporter it needs come with the
`stepway[otlp]` extra and with the server), and an application or a test may install its own
(`opentelemetry.trace.set_tracer_provider`) before it starts clients, workers or servers.

Once tracing is on, gRPC calls are traced on both ends (opentelemetry-instrumentation-grpc), and
the W3C traceparent of the call that created an instance is stored with it; every workflow task
and step task carries it, so that the runs and step attempts of the instance, on any worker and
after sleeps, retries and restarts, join the creating call's trace.

The servers import this module by design (they depend on the SDK, never the reverse):
client_interceptors for the gateway's calls to the shards, current_traceparent, configure and
JsonFormatter; what only the servers use is in shards/tracing.py.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

_PROPAGATOR = TraceContextTextMapPropagator()
TRACER_NAME = "stepway"


def enabled() -> bool:
    """True once a real tracer provider is installed (not the API's default no-op one)."""
    provider = trace.get_tracer_provider()
    return not isinstance(provider, trace.NoOpTracerProvider | trace.ProxyTracerProvider)


def tracer() -> trace.Tracer:
    return trace.get_tracer(TRACER_NAME)


class ExporterMissing(RuntimeError):
    """configure was given an endpoint, and the OpenTelemetry SDK or exporter is not installed."""


def configure(service_name: str, endpoint: str | None = None) -> bool:
    """Installs a tracer provider exporting by OTLP/gRPC to endpoint (or
    OTEL_EXPORTER_OTLP_ENDPOINT); does nothing without one, or when a provider is installed
    already. True when spans are now exported."""
    endpoint = endpoint or os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT")
    if not endpoint or enabled():
        return enabled()
    try:
        from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor
    except ImportError as exc:
        raise ExporterMissing(
            f"exporting spans to {endpoint} needs the OpenTelemetry SDK and its OTLP exporter, "
            f"which are not installed here ({exc.name} is missing): pip install 'stepway[otlp]'"
        ) from None

    provider = TracerProvider(resource=Resource.create({"service.name": service_name}))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=endpoint)))
    trace.set_tracer_provider(provider)
    logging.getLogger(__name__).info("tracing: exporting spans to %s", endpoint)
    return True


def client_interceptors() -> list[Any]:
    """gRPC client interceptors that trace every call and pass the context on, when tracing is
    on."""
    if not enabled():
        return []
    from opentelemetry.instrumentation.grpc import aio_client_interceptors

    return list(aio_client_interceptors())  # type: ignore[no-untyped-call]


def current_traceparent() -> str | None:
    """The W3C traceparent of the current span, if any (None at once when nothing is traced:
    servers call this on every creation)."""
    if not enabled():
        return None
    carrier: dict[str, str] = {}
    _PROPAGATOR.inject(carrier)
    return carrier.get("traceparent")


def context_of(traceparent: str | None) -> Context | None:
    """The context a stored traceparent names, to parent a span on; None when there is none."""
    if not traceparent:
        return None
    return _PROPAGATOR.extract({"traceparent": traceparent})


def instance_attributes(account_id: str, workflow: str, instance_id: str) -> dict[str, Any]:
    """The attributes every span of Stepway's own carries: whose instance it is about."""
    return {
        "stepway.account_id": account_id,
        "stepway.workflow": workflow,
        "stepway.instance_id": instance_id,
    }


@contextmanager
def span(
    name: str,
    parent: str | None,
    attributes: dict[str, Any],
    kind: trace.SpanKind = trace.SpanKind.INTERNAL,
) -> Iterator[trace.Span]:
    """A span named name, the current span inside the block: a child of the stored traceparent
    when one is given, else of the current span. An exception that escapes it is recorded and
    sets its status to error. Without tracing, a no-op span at almost no cost."""
    if not enabled():
        yield trace.INVALID_SPAN
        return
    with tracer().start_as_current_span(
        name,
        context=context_of(parent),
        kind=kind,
        attributes=attributes,
        record_exception=False,
        set_status_on_exception=False,
    ) as current:
        try:
            yield current
        except Exception as exc:
            # Control flow (a suspension, a cancellation) is a BaseException and passes
            # unmarked; an outcome the block set already is kept.
            status = getattr(current, "status", None)
            if status is not None and status.is_unset:
                fail(current, exc)
            raise


def fail(current: trace.Span, exc: BaseException | None, message: str | None = None) -> None:
    """Marks a span as failed: the exception as an event, and an error status with message."""
    if exc is not None:
        current.record_exception(exc)
    text = message if message is not None else f"{type(exc).__name__}: {exc}"
    current.set_status(trace.Status(trace.StatusCode.ERROR, text))


class JsonFormatter(logging.Formatter):
    """Log records as one JSON object per line, with the trace and span ids of the current span
    (when it is traced), so that logs and traces can be joined. Times are UTC."""

    converter = time.gmtime  # type: ignore[assignment]

    def format(self, record: logging.LogRecord) -> str:
        doc: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        ctx = trace.get_current_span().get_span_context()
        if ctx.is_valid:
            doc["trace_id"] = f"{ctx.trace_id:032x}"
            doc["span_id"] = f"{ctx.span_id:016x}"
        if record.exc_info:
            doc["exception"] = self.formatException(record.exc_info)
        return json.dumps(doc, ensure_ascii=False)
