"""Who a call from a gateway is for: the cluster secret and the CallContext it carries.

A gateway sends every call it makes to a shard server (a forwarded public call, or a call of the
internal service) with the cluster's secret in `x-stepway-cluster-secret` and a
stepway.internal.v1.CallContext as binary metadata `stepway-call-context-bin`: the account the
caller's API key belongs to, and the id of a fan-out poll. A shard server takes a call only with
both; the account never comes from the public request itself.
"""

from __future__ import annotations

import hmac
from typing import Any

import grpc
from google.protobuf.message import DecodeError

from shards.committer import serve
from shards.errors import Unauthenticated
from shards.rpc import CLUSTER_SECRET_HEADER, metadata_value
from stepway.internal.v1 import internal_service_pb2 as ipb

CALL_CONTEXT_HEADER = "stepway-call-context-bin"

Context = grpc.aio.ServicerContext[Any, Any]
Metadata = tuple[tuple[str, str | bytes], ...]


def call_metadata(secret: str, call: ipb.CallContext) -> Metadata:
    """The metadata of a call a gateway makes to a shard server."""
    return ((CLUSTER_SECRET_HEADER, secret), (CALL_CONTEXT_HEADER, call.SerializeToString()))


class FromGateway:
    """Checks that a call comes from a gateway of this cluster, and reads its CallContext."""

    def __init__(self, secret: str) -> None:
        self._secret = secret.encode()

    def call_context(self, context: Context) -> ipb.CallContext:
        """The call's CallContext; UNAUTHENTICATED without the cluster secret or an account."""
        secret = (metadata_value(context, CLUSTER_SECRET_HEADER) or "").encode()
        raw = _binary_value(context, CALL_CONTEXT_HEADER)
        call = ipb.CallContext()
        try:
            call.ParseFromString(raw or b"")
        except DecodeError:
            call.Clear()
        if not call.account_id or not hmac.compare_digest(secret, self._secret):
            raise Unauthenticated("shard servers take calls from a Stepway gateway only")
        # The call's writes take their turn at the writer as this account's.
        serve(call.account_id)
        return call

    def check_secret(self, context: Context) -> None:
        """UNAUTHENTICATED unless the call carries the cluster secret (a call of the cluster
        itself, for no account)."""
        secret = (metadata_value(context, CLUSTER_SECRET_HEADER) or "").encode()
        if not hmac.compare_digest(secret, self._secret):
            raise Unauthenticated("shard servers take calls from a Stepway gateway only")

    def account(self, context: Context) -> str:
        """The account a call from a gateway is for (checked as call_context says)."""
        return self.call_context(context).account_id


def _binary_value(context: Context, key: str) -> bytes | None:
    for k, value in context.invocation_metadata() or ():
        if k == key:
            return value if isinstance(value, bytes) else value.encode()
    return None
