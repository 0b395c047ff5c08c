"""Tracing: one trace holds the call that created an instance, every run of the instance and
every step attempt, on any worker, across a retry delay, a sleep, a remote step and a restart.

The traced run happens in a process of its own (tests/trace_scenario.py: the tracer provider is
global to a process), which prints its spans as JSON; this test reads them.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import sys
from pathlib import Path
from typing import Any

import grpc
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2, trace_service_pb2_grpc
from opentelemetry.sdk.trace import TracerProvider

from shards.tracing import server_interceptors
from stepway import Client, tracing
from tests.helpers import free_port

SCENARIO = Path(__file__).resolve().parents[1] / "trace_scenario.py"
ROOT = SCENARIO.parent.parent

CREATE = "/stepway.v1.WorkflowService/CreateInstance"


async def traced_run(db_url: str) -> list[dict[str, Any]]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        str(SCENARIO),
        db_url,
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), 90)
    assert proc.returncode == 0, err.decode()[-4000:]
    return [json.loads(line) for line in out.decode().splitlines() if line.strip()]


def ancestors(span: dict[str, Any], by_id: dict[str, dict[str, Any]]) -> list[str]:
    """The names of a span's ancestors, nearest first."""
    names = []
    while span["parent_id"] is not None:
        span = by_id[span["parent_id"]]
        names.append(f"{span['name']} {span['kind']}")
    return names


async def test_one_trace_holds_the_creating_call_every_run_and_every_step_attempt(
    db_url: str,
) -> None:
    spans = await traced_run(db_url)
    by_id = {s["span_id"]: s for s in spans}
    (root,) = [s for s in spans if s["name"] == CREATE and s["parent_id"] is None]
    assert root["kind"] == "CLIENT"
    trace_id = root["trace_id"]

    ours = [s for s in spans if s["name"].startswith("stepway.")]
    assert {s["trace_id"] for s in ours} == {trace_id}, "every run and attempt joins one trace"
    (account_id,) = {s["attributes"]["stepway.account_id"] for s in ours}
    assert len(account_id) == 32
    for s in ours:
        assert s["attributes"]["stepway.workflow"] == "order"
        assert s["attributes"]["stepway.instance_id"] == "o-1"

    # The runs: one per workflow task, each a child of the shard's CreateInstance, which the
    # client's call reached through the gateway.
    runs = sorted((s for s in ours if s["name"] == "stepway.run order"), key=lambda s: s["start"])
    assert [
        (r["attributes"]["stepway.outcome"], r["attributes"].get("stepway.suspended_on"))
        for r in runs
    ] == [
        ("suspended", "retry"),
        ("suspended", "sleep"),
        ("suspended", "call"),
        ("completed", None),
        # Restarted from "label": the earlier steps replay, the call is made again.
        ("suspended", "call"),
        ("completed", None),
    ]
    assert {r["parent_id"] for r in runs} == {runs[0]["parent_id"]}
    assert ancestors(runs[0], by_id) == [
        f"{CREATE} SERVER",  # the shard server
        f"{CREATE} CLIENT",  # the gateway, forwarding
        f"{CREATE} SERVER",  # the gateway
        f"{CREATE} CLIENT",  # the client that created the instance
    ]
    assert all(r["kind"] == "CONSUMER" for r in runs)

    # The DO step's attempts: each a child of the run that made it; the failed one says why.
    charges = sorted(
        (s for s in ours if s["name"] == "stepway.step charge"), key=lambda s: s["start"]
    )
    assert [
        (c["attributes"]["stepway.step.attempt"], c["attributes"]["stepway.outcome"], c["status"])
        for c in charges
    ] == [(1, "failed", "ERROR"), (2, "succeeded", "UNSET")]
    assert [c["parent_id"] for c in charges] == [runs[0]["span_id"], runs[1]["span_id"]]
    assert all(c["attributes"]["stepway.step.kind"] == "do" for c in charges)
    (exception,) = [e for e in charges[0]["events"] if e["name"] == "exception"]
    assert exception["attributes"]["exception.type"] == "ConnectionError"

    # The remote step's attempts ran on the StepWorker, each a child of the run that asked for
    # it: the third run's, and after the restart the fifth's.
    labels = sorted(
        (s for s in ours if s["name"] == "stepway.step label"), key=lambda s: s["start"]
    )
    assert [s["parent_id"] for s in labels] == [runs[2]["span_id"], runs[4]["span_id"]]
    for label in labels:
        assert label["attributes"]["stepway.step.kind"] == "call"
        assert label["attributes"]["stepway.step.type"] == "print_label"
        assert label["attributes"]["stepway.step.attempt"] == 1
        assert label["attributes"]["stepway.outcome"] == "succeeded"
        assert label["kind"] == "CONSUMER"
    assert runs[4]["attributes"]["stepway.replayed_steps"] == 2  # charge and cool off, kept

    assert {s["name"] for s in ours} == {
        "stepway.run order",
        "stepway.step charge",
        "stepway.step label",
    }


class Collector(trace_service_pb2_grpc.TraceServiceServicer):
    """An OTLP/gRPC trace collector: keeps the (service name, span name) of what it receives."""

    def __init__(self) -> None:
        self.spans: list[tuple[str, str]] = []

    async def Export(
        self, request: trace_service_pb2.ExportTraceServiceRequest, context: object
    ) -> trace_service_pb2.ExportTraceServiceResponse:
        for resource_spans in request.resource_spans:
            service = next(
                (
                    a.value.string_value
                    for a in resource_spans.resource.attributes
                    if a.key == "service.name"
                ),
                "",
            )
            for scope in resource_spans.scope_spans:
                self.spans.extend((service, span.name) for span in scope.spans)
        return trace_service_pb2.ExportTraceServiceResponse()


async def test_stepway_dev_exports_its_spans_by_otlp_to_the_endpoint_it_is_given(
    tmp_path: Path,
) -> None:
    collector = Collector()
    otlp = grpc.aio.server()
    trace_service_pb2_grpc.add_TraceServiceServicer_to_server(collector, otlp)  # type: ignore[no-untyped-call]
    otlp_port = otlp.add_insecure_port("127.0.0.1:0")
    await otlp.start()
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STEPWAY_", "OTEL_"))}
    dev = await asyncio.create_subprocess_exec(
        *(sys.executable, "-m", "stepway", "--otlp-endpoint", f"http://127.0.0.1:{otlp_port}"),
        *("dev", "--db", f"sqlite:///{tmp_path / 's.db'}", "--listen", f"127.0.0.1:{port}"),
        *("--http", "off"),
        *("--api-key", "sw_otlp_test_key"),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=env,
    )
    try:
        assert dev.stdout is not None
        async with asyncio.timeout(30):
            while b"Serving" not in (line := await dev.stdout.readline()):
                assert line, "stepway dev exited before it served"
        client = await Client.connect(f"127.0.0.1:{port}", api_key="sw_otlp_test_key")
        try:
            assert await client.list_workflows() == []
        finally:
            await client.close()
    finally:
        dev.send_signal(signal.SIGTERM)  # a clean stop flushes the spans not yet exported
        _, err = await asyncio.wait_for(dev.communicate(), 30)
        await otlp.stop(None)
    assert dev.returncode == 0, err.decode()[-3000:]
    services = {service for service, _ in collector.spans}
    assert services == {"stepway-dev"}
    names = [name for _, name in collector.spans]
    assert "/stepway.v1.WorkflowService/ListWorkflows" in names, names


def test_json_logs_carry_the_trace_and_span_ids_of_the_current_span() -> None:
    tracer = TracerProvider().get_tracer("test")  # a local provider: the global one stays unset
    record = logging.LogRecord("stepway.x", logging.INFO, __file__, 1, "took %d", (3,), None)
    formatter = tracing.JsonFormatter()
    untraced = json.loads(formatter.format(record))
    assert untraced["message"] == "took 3" and "trace_id" not in untraced
    with tracer.start_as_current_span("work") as span:
        doc = json.loads(formatter.format(record))
    ctx = span.get_span_context()
    assert doc["trace_id"] == f"{ctx.trace_id:032x}"
    assert doc["span_id"] == f"{ctx.span_id:016x}"
    assert (doc["level"], doc["logger"]) == ("INFO", "stepway.x")
    assert doc["time"].endswith("Z")


def test_without_a_tracer_provider_nothing_is_traced() -> None:
    # This process installs none (tests/trace_scenario.py does, in its own process).
    assert not tracing.enabled()
    assert server_interceptors() == [] and tracing.client_interceptors() == []
    assert tracing.current_traceparent() is None
