#!/usr/bin/env python3
"""An OTLP/gRPC trace collector that counts the spans it receives and keeps nothing.

bench_stepway.py --trace starts one, so that the servers and the benchmark process export their
spans somewhere real (a collector on loopback, as in production) and the cost of tracing is
measured end to end. On SIGTERM it prints {"spans": N} on stdout and exits.

    python bench/otlp_sink.py --listen 127.0.0.1:4317
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal

import grpc
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2, trace_service_pb2_grpc


class Sink(trace_service_pb2_grpc.TraceServiceServicer):
    def __init__(self) -> None:
        self.spans = 0

    async def Export(
        self, request: trace_service_pb2.ExportTraceServiceRequest, context: object
    ) -> trace_service_pb2.ExportTraceServiceResponse:
        self.spans += sum(
            len(scope.spans) for rs in request.resource_spans for scope in rs.scope_spans
        )
        return trace_service_pb2.ExportTraceServiceResponse()


async def serve(listen: str) -> None:
    sink = Sink()
    server = grpc.aio.server()
    trace_service_pb2_grpc.add_TraceServiceServicer_to_server(sink, server)  # type: ignore[no-untyped-call]
    server.add_insecure_port(listen)
    await server.start()
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    print("listening", flush=True)
    await stop.wait()
    await server.stop(1)
    print(json.dumps({"spans": sink.spans}), flush=True)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--listen", default="127.0.0.1:4317", help="HOST:PORT (default %(default)s)")
    asyncio.run(serve(p.parse_args().listen))


if __name__ == "__main__":
    main()
