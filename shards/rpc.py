"""gRPC plumbing shared by the gateway and the shard server: error mapping, metadata, options."""

from __future__ import annotations

import errno
import logging
import socket
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, cast

import grpc
from google.protobuf import duration_pb2
from google.rpc import code_pb2, error_details_pb2, status_pb2
from prometheus_client import Counter

from shards.db import is_unavailable
from shards.errors import (
    DatabaseUnavailable,
    Internal,
    InvalidArgument,
    QuotaExceeded,
    StepwayError,
)
from shards.limits import check_request
from shards.metrics import Metrics
from stepway.v1 import errors_pb2 as epb
from stepway.v1 import worker_service_pb2 as wpb

log = logging.getLogger(__name__)

# Payloads may be 1 MiB each and a task carries a journal of many; leave room above that.
MAX_MESSAGE_BYTES = 64 * 1024 * 1024
CHANNEL_OPTIONS = [
    ("grpc.max_receive_message_length", MAX_MESSAGE_BYTES),
    ("grpc.max_send_message_length", MAX_MESSAGE_BYTES),
    ("grpc.keepalive_time_ms", 20_000),
    ("grpc.keepalive_timeout_ms", 10_000),
    ("grpc.http2.max_pings_without_data", 0),
    ("grpc.keepalive_permit_without_calls", 1),
]
SERVER_OPTIONS = [
    ("grpc.max_receive_message_length", MAX_MESSAGE_BYTES),
    ("grpc.max_send_message_length", MAX_MESSAGE_BYTES),
    ("grpc.keepalive_time_ms", 20_000),
    ("grpc.keepalive_timeout_ms", 10_000),
    ("grpc.http2.min_ping_interval_without_data_ms", 5_000),
    ("grpc.keepalive_permit_without_calls", 1),
    # gRPC sets SO_REUSEPORT by default, so a second server on a port in use would also
    # listen and take calls at random; without it the bind fails and the server says so.
    ("grpc.so_reuseport", 0),
]


class AddressInUse(OSError):
    """A server cannot listen where it was told: the port is taken, or the host is not ours."""


def listen(
    server: grpc.aio.Server,
    address: str,
    credentials: grpc.ServerCredentials | None = None,
) -> int:
    """Binds server to address (HOST:PORT; port 0 picks a free one) and returns the port;
    with credentials, the port serves TLS (shards.tls)."""
    refusal = AddressInUse(
        f"cannot listen on {address}: another process holds that port "
        "(a Stepway server already running?), or the host is not one of this machine's"
    )
    # A plain socket tries the address first, so that a port in use is refused without the
    # error gRPC's core logs on stderr; the server's own bind (without SO_REUSEPORT) still
    # refuses a port taken in between.
    if not _can_bind(address):
        raise refusal
    try:
        if credentials is None:
            port = server.add_insecure_port(address)
        else:
            port = server.add_secure_port(address, credentials)
    except RuntimeError:
        port = 0
    if port == 0:
        raise refusal
    return port


def _can_bind(address: str) -> bool:
    host, _, port = address.rpartition(":")
    if not port.isdigit() or int(port) == 0:
        return True
    try:
        found = socket.getaddrinfo(host.strip("[]") or None, int(port), type=socket.SOCK_STREAM)
    except OSError:
        return True  # gRPC says what is wrong with the address
    family, kind, proto, _, where = found[0]
    with socket.socket(family, kind, proto) as probe:
        try:
            probe.bind(where)
        except OSError as err:
            return err.errno != errno.EADDRINUSE
    return True


# Set by the gateway on every call it makes to a shard: the secret shared by the cluster's
# processes (shards.call_context).
CLUSTER_SECRET_HEADER = "x-stepway-cluster-secret"
STATUS_DETAILS_KEY = "grpc-status-details-bin"
# google.rpc.ErrorInfo domain of every error answer; its reason is a stepway.v1.ErrorReason name.
ERROR_DOMAIN = "stepway.dev"
# ErrorInfo reason of a shard's answer for a partition it does not own (errors.NotOwner).
NOT_OWNER = epb.ErrorReason.Name(epb.NOT_OWNER)


def error_status(exc: StepwayError) -> status_pb2.Status:
    """The google.rpc.Status of a domain error, the one encoding of every error answer: a whole
    call's (in the trailers), a batch item's and a batched command's. Its details hold the
    ErrorInfo (reason, domain, metadata), then BadRequest for INVALID_FIELD, QuotaFailure for
    QUOTA_EXCEEDED and RetryInfo wherever the same call may be made again."""
    status = status_pb2.Status(code=exc.code.value[0], message=exc.message)
    info = error_details_pb2.ErrorInfo(
        reason=epb.ErrorReason.Name(exc.reason), domain=ERROR_DOMAIN, metadata=exc.metadata
    )
    status.details.add().Pack(info)
    if isinstance(exc, InvalidArgument):
        violation = error_details_pb2.BadRequest.FieldViolation(
            field=exc.field, description=exc.rule
        )
        status.details.add().Pack(error_details_pb2.BadRequest(field_violations=[violation]))
    if isinstance(exc, QuotaExceeded):
        quota = error_details_pb2.QuotaFailure.Violation(subject=exc.limit, description=exc.message)
        status.details.add().Pack(error_details_pb2.QuotaFailure(violations=[quota]))
    if exc.retry_after is not None:
        delay = duration_pb2.Duration()
        delay.FromNanoseconds(round(exc.retry_after * 1e9))
        status.details.add().Pack(error_details_pb2.RetryInfo(retry_delay=delay))
    assert status.code != code_pb2.OK
    return status


async def abort(context: grpc.aio.ServicerContext[Any, Any], exc: StepwayError) -> None:
    """Ends the call with the error's status code, message and rich details."""
    status = error_status(exc)
    await context.abort(
        exc.code, exc.message, trailing_metadata=((STATUS_DETAILS_KEY, status.SerializeToString()),)
    )


Context = grpc.aio.ServicerContext[Any, Any]
Handler = Callable[[Any, Context], Awaitable[Any]]
StreamHandler = Callable[[Any, Context], AsyncIterator[Any]]


# Methods of Stepway's services, public (stepway.v1) and internal (stepway.internal.v1),
# whose requests shards.limits bounds.
BOUNDED_METHODS = "/stepway."


class ErrorInterceptor(grpc.aio.ServerInterceptor):  # type: ignore[type-arg]
    """Checks every request of Stepway's services against shards.limits before its handler
    runs, and turns every StepwayError raised by a handler into its gRPC status, in one place.
    Anything else is answered INTERNAL and counted in metrics.internal_errors."""

    def __init__(self, metrics: Metrics) -> None:
        self.metrics = metrics

    async def intercept_service(
        self,
        continuation: Callable[
            [grpc.HandlerCallDetails], Awaitable[grpc.RpcMethodHandler[Any, Any]]
        ],
        handler_call_details: grpc.HandlerCallDetails,
    ) -> grpc.RpcMethodHandler[Any, Any]:
        handler = await continuation(handler_call_details)
        if handler is None:
            return handler
        method = handler_call_details.method
        bounded = method.startswith(BOUNDED_METHODS)
        # Exported at 0 from a method's first call on.
        internal = self.metrics.internal_errors.labels(method)
        if handler.unary_unary is not None:
            inner = cast(Handler, handler.unary_unary)

            async def unary_unary(request: Any, context: Context) -> Any:
                try:
                    if bounded:
                        check_request(request)
                    return await inner(request, context)
                except Exception as exc:
                    await _answer_error(exc, context, method, internal)

            return grpc.unary_unary_rpc_method_handler(
                unary_unary,
                request_deserializer=handler.request_deserializer,
                response_serializer=handler.response_serializer,
            )
        if handler.unary_stream is not None:
            stream = cast(StreamHandler, handler.unary_stream)

            async def unary_stream(request: Any, context: Context) -> AsyncIterator[Any]:
                try:
                    if bounded:
                        check_request(request)
                    async for message in stream(request, context):
                        yield message
                except Exception as exc:
                    await _answer_error(exc, context, method, internal)

            return grpc.unary_stream_rpc_method_handler(
                unary_stream,
                request_deserializer=handler.request_deserializer,
                response_serializer=handler.response_serializer,
            )
        return handler


async def _answer_error(exc: Exception, context: Context, method: str, internal: Counter) -> None:
    """Ends a call that raised: a StepwayError with its status, a database outage as
    UNAVAILABLE with RetryInfo, anything else as INTERNAL (counted: client input must never
    get it)."""
    if isinstance(exc, StepwayError):
        if exc.code is grpc.StatusCode.INTERNAL:
            internal.inc()
        await abort(context, exc)
    if isinstance(exc, grpc.aio.AbortError):
        raise exc
    if is_unavailable(exc):
        log.warning("database unavailable in %s: %s", method, exc)
        await abort(context, DatabaseUnavailable())
    # The details (SQL, parameters) stay in the server's log, not in the answer.
    incident = uuid.uuid4().hex[:12]
    internal.inc()
    log.error("internal error %s in %s", incident, method, exc_info=exc)
    await abort(context, Internal(incident))


def command_error(exc: StepwayError) -> wpb.CommandResult:
    """The result of a batched command that failed: the status its single call would answer."""
    return wpb.CommandResult(error=error_status(exc))


def status_details(err: grpc.aio.AioRpcError) -> tuple[tuple[str, bytes], ...]:
    """The rich status details of a failed call, to pass on as trailing metadata."""
    found: list[tuple[str, bytes]] = []
    for item in err.trailing_metadata() or ():
        key, value = cast(tuple[str, Any], item)
        if key == STATUS_DETAILS_KEY and isinstance(value, bytes):
            found.append((key, value))
    return tuple(found)


def metadata_value(context: grpc.aio.ServicerContext[Any, Any], key: str) -> str | None:
    """A request metadata value, or None."""
    for k, v in context.invocation_metadata() or ():
        if k == key:
            return v if isinstance(v, str) else v.decode()
    return None


def error_reason(status: status_pb2.Status) -> str | None:
    """The ErrorInfo reason of a google.rpc.Status, or None when it has none."""
    for detail in status.details:
        if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
            info = error_details_pb2.ErrorInfo()
            detail.Unpack(info)
            return str(info.reason)
    return None


def is_not_owner_status(status: status_pb2.Status) -> bool:
    """True for a batch item's or a batched command's error that says the shard server does
    not own the partition now: route it again."""
    return error_reason(status) == NOT_OWNER


def is_not_owner(err: grpc.aio.AioRpcError) -> bool:
    """True when a shard refused the call because it does not own the partition now."""
    if err.code() is not grpc.StatusCode.UNAVAILABLE:
        return False
    return any(
        is_not_owner_status(status_pb2.Status.FromString(value)) for _, value in status_details(err)
    )
