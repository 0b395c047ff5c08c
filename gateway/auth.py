"""API key authentication: `authorization: Bearer <key>` metadata to an account and a role.

Answers are cached for `cache_seconds` (GatewayConfig.key_cache_seconds, 10 s by default): a key
revoked through another gateway, or in the database directly, is refused within that time; one
revoked through this gateway at once (the admin service calls `forget`).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable
from typing import Any

import grpc
import sqlalchemy as sa

from gateway.limits import GatewayLimits
from shards.accounts import Principal, hash_key, lookup_hash
from shards.errors import PermissionDenied, Unauthenticated

# Which roles may call each service. `admin` may call everything in its own account; on
# AdminService, `client` and `worker` keys may call only GetServerInfo (gateway/admin.py).
SERVICE_ROLES = {
    "WorkflowService": frozenset({"admin", "client"}),
    "ScheduleService": frozenset({"admin", "client"}),
    "WorkerService": frozenset({"admin", "worker"}),
    "AdminService": frozenset({"admin", "client", "worker"}),
}


class Authenticator:
    """Checks API keys against the database, caching answers for a few seconds."""

    def __init__(
        self, db: sa.Engine, cache_seconds: float, limits: GatewayLimits | None = None
    ) -> None:
        self._db = db
        self._ttl = cache_seconds
        # Every authenticated call counts against the account's requests_per_second.
        self._limits = limits
        # By the key's hash, so that a revocation can drop it and no key is kept in memory.
        self._cache: dict[str, tuple[float, Principal | None]] = {}

    async def principal(
        self, context: grpc.aio.ServicerContext[Any, Any], service: str
    ) -> Principal:
        """The caller's account and role; UNAUTHENTICATED or PERMISSION_DENIED otherwise."""
        digest = hash_key(_bearer(context))
        now = time.monotonic()
        hit = self._cache.get(digest)
        if hit is not None and hit[0] > now:
            principal = hit[1]
        else:
            principal = await asyncio.to_thread(self._lookup, digest)
            if len(self._cache) > 10_000:
                self._cache.clear()
            self._cache[digest] = (now + self._ttl, principal)
        if principal is None:
            raise Unauthenticated("the API key is not valid (unknown or revoked)")
        if principal.role not in SERVICE_ROLES[service]:
            raise PermissionDenied(f"a key with role {principal.role!r} may not call {service}")
        if self._limits is not None:
            await self._limits.ready(principal.account_id)
            self._limits.request(principal.account_id)
        return principal

    def forget(self, key_hashes: Iterable[str]) -> None:
        """Drops the cached answers for these keys, so that the next call reads them again."""
        for digest in key_hashes:
            self._cache.pop(digest, None)

    def _lookup(self, key_hash: str) -> Principal | None:
        with self._db.connect() as conn:
            return lookup_hash(conn, key_hash)


def _bearer(context: grpc.aio.ServicerContext[Any, Any]) -> str:
    for k, v in context.invocation_metadata() or ():
        if k == "authorization":
            value = v if isinstance(v, str) else v.decode()
            scheme, _, token = value.partition(" ")
            token = token.strip() if scheme.lower() == "bearer" else value.strip()
            if token:
                return token
    raise Unauthenticated("missing API key: send metadata 'authorization: Bearer <key>'")
