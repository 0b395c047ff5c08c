"""API key authentication: `authorization: Bearer <key>` metadata to an account and a role."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import grpc
import sqlalchemy as sa

from shards.accounts import Principal, lookup_key
from shards.errors import PermissionDenied, Unauthenticated

# Which roles may call each service. `admin` may call everything in its own account.
SERVICE_ROLES = {
    "WorkflowService": frozenset({"admin", "client"}),
    "WorkerService": frozenset({"admin", "worker"}),
    "AdminService": frozenset({"admin", "client", "worker"}),
}


class Authenticator:
    """Checks API keys against the database, caching answers for a few seconds."""

    def __init__(self, db: sa.Engine, cache_seconds: float) -> None:
        self._db = db
        self._ttl = cache_seconds
        self._cache: dict[str, tuple[float, Principal | None]] = {}

    async def principal(
        self, context: grpc.aio.ServicerContext[Any, Any], service: str
    ) -> Principal:
        """The caller's account and role; UNAUTHENTICATED or PERMISSION_DENIED otherwise."""
        key = _bearer(context)
        now = time.monotonic()
        hit = self._cache.get(key)
        if hit is not None and hit[0] > now:
            principal = hit[1]
        else:
            principal = await asyncio.to_thread(self._lookup, key)
            if len(self._cache) > 10_000:
                self._cache.clear()
            self._cache[key] = (now + self._ttl, principal)
        if principal is None:
            raise Unauthenticated("the API key is not valid (unknown or revoked)")
        if principal.role not in SERVICE_ROLES[service]:
            raise PermissionDenied(f"a key with role {principal.role!r} may not call {service}")
        return principal

    def _lookup(self, key: str) -> Principal | None:
        with self._db.connect() as conn:
            return lookup_key(conn, key)


def _bearer(context: grpc.aio.ServicerContext[Any, Any]) -> str:
    for k, v in context.invocation_metadata() or ():
        if k == "authorization":
            value = v if isinstance(v, str) else v.decode()
            scheme, _, token = value.partition(" ")
            token = token.strip() if scheme.lower() == "bearer" else value.strip()
            if token:
                return token
    raise Unauthenticated("missing API key: send metadata 'authorization: Bearer <key>'")
