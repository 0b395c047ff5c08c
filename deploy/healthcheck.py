#!/usr/bin/env python3
"""The image's health check: asks a Stepway server's gRPC health service whether it is
SERVING, exit 0 if so, 1 otherwise.

    stepway-healthcheck [HOST:PORT]

The address is the argument, else $STEPWAY_HEALTH_ADDRESS, else 127.0.0.1:7300 (a gateway or
`stepway dev`; a shard server listens on 7301). With $STEPWAY_HEALTH_CA set it speaks TLS,
verifying the server with that CA file and presenting $STEPWAY_HEALTH_CERT and
$STEPWAY_HEALTH_KEY when both are set (a shard server asks for a cluster certificate); the
server name checked is $STEPWAY_HEALTH_SERVER_NAME when set.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc


def channel(address: str) -> grpc.Channel:
    """A plaintext channel, or a TLS one when STEPWAY_HEALTH_CA names a CA file."""
    ca = os.environ.get("STEPWAY_HEALTH_CA")
    if not ca:
        return grpc.insecure_channel(address)
    cert, key = os.environ.get("STEPWAY_HEALTH_CERT"), os.environ.get("STEPWAY_HEALTH_KEY")
    credentials = grpc.ssl_channel_credentials(
        root_certificates=Path(ca).read_bytes(),
        private_key=Path(key).read_bytes() if cert and key else None,
        certificate_chain=Path(cert).read_bytes() if cert and key else None,
    )
    name = os.environ.get("STEPWAY_HEALTH_SERVER_NAME")
    options = [("grpc.ssl_target_name_override", name)] if name else []
    return grpc.secure_channel(address, credentials, options=options)


def main(argv: list[str]) -> int:
    address = (argv[1:] or [os.environ.get("STEPWAY_HEALTH_ADDRESS", "127.0.0.1:7300")])[0]
    try:
        with channel(address) as ch:
            answer = health_pb2_grpc.HealthStub(ch).Check(
                health_pb2.HealthCheckRequest(), timeout=3
            )
    except grpc.RpcError as exc:
        print(f"{address}: {exc.code().name}", file=sys.stderr)
        return 1
    status = health_pb2.HealthCheckResponse.ServingStatus.Name(answer.status)
    print(f"{address}: {status}")
    return 0 if answer.status == health_pb2.HealthCheckResponse.SERVING else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
