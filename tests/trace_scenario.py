"""A traced run, in a process of its own: tests/sdk/test_tracing.py runs it and reads its spans.

OpenTelemetry's tracer provider is global and set once per process, so the traced servers,
workers and client live here rather than in the test process. The script installs the SDK's
in-memory exporter, starts `stepway dev` on the database URL it is given, runs one `order`
instance (a step that fails once and is retried, a sleep, and a step served by a StepWorker),
restarts it from its last step, and prints every finished span as one JSON object per line.

Run: python tests/trace_scenario.py DB_URL
"""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any

from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

EXPORTER = InMemorySpanExporter()
_provider = TracerProvider()
_provider.add_span_processor(SimpleSpanProcessor(EXPORTER))
trace.set_tracer_provider(_provider)

# Imported once tracing is on, as an application that configures tracing at start would.
from gateway.dev import DevConfig, start_dev  # noqa: E402
from stepway import (  # noqa: E402
    Client,
    RetryPolicy,
    Step,
    StepTaskContext,
    StepWorker,
    Worker,
    WorkflowEvent,
    current_step,
    workflow,
)


def charge(amount: float) -> dict[str, Any]:
    if current_step().attempt == 1:
        raise ConnectionError("card processor timed out")
    return {"charged": amount}


@workflow("order")
async def order(event: WorkflowEvent, step: Step) -> Any:
    charged = await step.do(
        "charge", charge, event.params["amount"], retries=RetryPolicy(limit=2, delay=0.1)
    )
    await step.sleep("cool off", 0.1)
    label = await step.call(
        "label", task_queue="labels", step_type="print_label", input={"order": event.instance_id}
    )
    return {"charged": charged, "label": label}


def span_doc(span: ReadableSpan) -> dict[str, Any]:
    ctx = span.get_span_context()
    assert ctx is not None
    return {
        "name": span.name,
        "kind": span.kind.name,
        "trace_id": f"{ctx.trace_id:032x}",
        "span_id": f"{ctx.span_id:016x}",
        "parent_id": f"{span.parent.span_id:016x}" if span.parent is not None else None,
        "attributes": dict(span.attributes or {}),
        "status": span.status.status_code.name,
        "events": [{"name": e.name, "attributes": dict(e.attributes or {})} for e in span.events],
        "start": span.start_time,
        "end": span.end_time,
    }


async def main(db_url: str) -> None:
    server = await start_dev(DevConfig(db_url=db_url, listen="127.0.0.1:0"))
    client = await Client.connect(server.address, api_key=server.api_key)
    labels = StepWorker(client, task_queue="labels")

    @labels.handler("print_label")
    def print_label(input: Any, ctx: StepTaskContext) -> Any:
        return {"label": f"label-{input['order']}.pdf"}

    try:
        async with Worker(client, workflows=[order]), labels:
            handle = await client.create("order", id="o-1", params={"amount": 12.5})
            result = await handle.result(timeout=30)
            assert result == {"charged": {"charged": 12.5}, "label": {"label": "label-o-1.pdf"}}
            # Restarted from the remote step: the charge and the sleep are kept, the call runs
            # again, and the new runs still join the creating call's trace.
            await handle.restart(from_step="label")
            assert await handle.result(timeout=30) == result
    finally:
        await client.close()
        await server.stop()
    for span in EXPORTER.get_finished_spans():
        print(json.dumps(span_doc(span)))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
