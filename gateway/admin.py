"""AdminService at the gateway: the server's description, and accounts, API keys and quotas.

Unlike the other services, nothing here is forwarded to a shard: accounts are not partitioned,
and the gateway reads and writes them in the database itself. Who may do what:

- any key may call GetServerInfo; every other call needs a key with role admin;
- an admin key of an operator account manages every account;
- an admin key of a tenant account manages its own account's keys and reads its own quotas;
  it may not create or list accounts nor change quotas, and naming another account is
  PERMISSION_DENIED whether that account exists or not.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from dataclasses import asdict, replace
from typing import Any, TypeVar

import grpc
import sqlalchemy as sa

from gateway.auth import Authenticator
from gateway.routing import Router
from shards import accounts, limits, quotas, schema
from shards import validation as v
from shards.accounts import Account, KeyRecord, Principal
from shards.clock import now_us, to_timestamp
from shards.core.model import LEASED, Status
from shards.db import run_tx
from shards.errors import InvalidArgument, PermissionDenied
from stepway import __version__
from stepway.v1 import admin_service_pb2 as apb
from stepway.v1 import admin_service_pb2_grpc as agrpc

Context = grpc.aio.ServicerContext[Any, Any]
T = TypeVar("T")

ROLE_FROM_PB = {
    apb.KEY_ROLE_ADMIN: "admin",
    apb.KEY_ROLE_CLIENT: "client",
    apb.KEY_ROLE_WORKER: "worker",
}
ROLE_TO_PB = {role: pb for pb, role in ROLE_FROM_PB.items()}
KEY_ID_PATTERN = re.compile(rf"^[0-9a-f]{{{accounts.KEY_ID_LENGTH}}}$")
MAX_KEY_NAME_CHARS = limits.MAX_KEY_NAME_CHARS


# ---------------------------------------------------------------------- who may do what


def require_admin(principal: Principal, rpc: str) -> None:
    """Refuses a key that is not an admin key."""
    if principal.role != "admin":
        raise PermissionDenied(
            f"a key with role {principal.role!r} may call only GetServerInfo on AdminService; "
            f"{rpc} needs an admin key"
        )


def require_operator(principal: Principal, rpc: str, what: str) -> None:
    """Refuses a key that is not an admin key of an operator account."""
    require_admin(principal, rpc)
    if not principal.operator:
        raise PermissionDenied(
            f"only an admin key of an operator account may {what}; "
            f"account {principal.account_name!r} is a tenant account"
        )


def require_scope(principal: Principal, rpc: str, account: str) -> None:
    """Refuses a key that may not manage the named account: a tenant's admin key manages only
    its own account. The answer is the same whether the other account exists or not."""
    require_admin(principal, rpc)
    if not principal.operator and account != principal.account_name:
        raise PermissionDenied(
            f"an admin key of tenant account {principal.account_name!r} may manage only "
            "its own account"
        )


# ---------------------------------------------------------------------- checks and conversions


def check_quota_changes(msg: apb.Quotas) -> dict[str, int]:
    """The quotas a SetQuotas request sets, each within its bounds."""
    changes: dict[str, int] = {}
    for name in quotas.NAMES:
        if msg.HasField(name):
            try:
                changes[name] = quotas.check(name, getattr(msg, name))
            except quotas.QuotaValueError as exc:
                raise InvalidArgument(f"quotas.{exc.name}", str(exc)) from None
    return changes


def check_role(role: apb.KeyRole) -> str:
    """The role a CreateKey request names."""
    if role not in ROLE_FROM_PB:
        names = ", ".join(apb.KeyRole.Name(r) for r in ROLE_FROM_PB)
        raise InvalidArgument("role", f"must be one of {names}")
    return ROLE_FROM_PB[role]


def check_key_name(name: str) -> str:
    """A key's label: printable, at most MAX_KEY_NAME_CHARS characters."""
    if len(name) > MAX_KEY_NAME_CHARS:
        raise InvalidArgument(
            "name", f"is {len(name)} characters long; the limit is {MAX_KEY_NAME_CHARS}"
        )
    if not name.isprintable():
        raise InvalidArgument("name", "must be printable text, without control characters")
    return name


def check_key_id(key_id: str) -> str:
    """A key id as ListKeys shows it."""
    if not KEY_ID_PATTERN.fullmatch(key_id):
        raise InvalidArgument(
            "key_id",
            f"{key_id[:40]!r} must be the {accounts.KEY_ID_LENGTH} lowercase hex characters "
            "that ListKeys shows",
        )
    return key_id


def account_to_pb(account: Account) -> apb.Account:
    return apb.Account(
        name=account.name,
        operator=account.operator,
        created_at=to_timestamp(account.created_at),
    )


def key_to_pb(key: KeyRecord) -> apb.ApiKey:
    return apb.ApiKey(
        key_id=key.key_id,
        account=key.account,
        role=ROLE_TO_PB.get(key.role, apb.KEY_ROLE_UNSPECIFIED),
        name=key.name,
        created_at=to_timestamp(key.created_at),
        revoked_at=to_timestamp(key.revoked_at),
    )


def quotas_to_pb(values: quotas.Quotas) -> apb.Quotas:
    return apb.Quotas(**asdict(values))


# ---------------------------------------------------------------------- the service


class GatewayAdminService(agrpc.AdminServiceServicer):  # type: ignore[misc]
    def __init__(self, auth: Authenticator, router: Router, backend: str, db: sa.Engine) -> None:
        self.auth = auth
        self.router = router
        self.backend = backend
        self.db = db

    async def _tx(self, fn: Callable[[sa.Connection], T]) -> T:
        """Runs fn in a transaction, in a thread."""
        return await asyncio.to_thread(run_tx, self.db, fn)

    async def GetServerInfo(
        self, request: apb.GetServerInfoRequest, context: Context
    ) -> apb.GetServerInfoResponse:
        principal = await self.auth.principal(context, "AdminService")
        return apb.GetServerInfoResponse(
            version=__version__,
            partitions=self.router.partitions,
            backend=self.backend,
            account=principal.account_name,
        )

    async def CreateAccount(
        self, request: apb.CreateAccountRequest, context: Context
    ) -> apb.CreateAccountResponse:
        principal = await self.auth.principal(context, "AdminService")
        require_operator(principal, "CreateAccount", "create accounts")
        name = v.check_id("name", request.name)
        made = await self._tx(
            lambda conn: accounts.create_account(conn, name, operator=request.operator)
        )
        return apb.CreateAccountResponse(account=account_to_pb(made))

    async def ListAccounts(
        self, request: apb.ListAccountsRequest, context: Context
    ) -> apb.ListAccountsResponse:
        principal = await self.auth.principal(context, "AdminService")
        require_operator(principal, "ListAccounts", "list accounts")
        found = await self._tx(accounts.list_accounts)
        return apb.ListAccountsResponse(accounts=[account_to_pb(a) for a in found])

    async def GetQuotas(
        self, request: apb.GetQuotasRequest, context: Context
    ) -> apb.GetQuotasResponse:
        principal = await self.auth.principal(context, "AdminService")
        name = v.check_id("account", request.account)
        require_scope(principal, "GetQuotas", name)

        def read(conn: sa.Connection) -> quotas.Quotas:
            return accounts.read_quotas(conn, accounts.get_account(conn, name).id)

        values = await self._tx(read)
        return apb.GetQuotasResponse(
            account=name, quotas=quotas_to_pb(values), defaults=quotas_to_pb(quotas.DEFAULTS)
        )

    async def SetQuotas(
        self, request: apb.SetQuotasRequest, context: Context
    ) -> apb.SetQuotasResponse:
        principal = await self.auth.principal(context, "AdminService")
        require_operator(principal, "SetQuotas", "change quotas")
        name = v.check_id("account", request.account)
        changes = check_quota_changes(request.quotas)

        def change(conn: sa.Connection) -> quotas.Quotas:
            account_id = accounts.get_account(conn, name).id
            values = replace(accounts.read_quotas(conn, account_id), **changes)
            accounts.write_quotas(conn, account_id, values)
            return values

        values = await self._tx(change)
        return apb.SetQuotasResponse(
            account=name, quotas=quotas_to_pb(values), defaults=quotas_to_pb(quotas.DEFAULTS)
        )

    async def CreateKey(
        self, request: apb.CreateKeyRequest, context: Context
    ) -> apb.CreateKeyResponse:
        principal = await self.auth.principal(context, "AdminService")
        name = v.check_id("account", request.account)
        require_scope(principal, "CreateKey", name)
        role = check_role(request.role)
        label = check_key_name(request.name) or role

        def create(conn: sa.Connection) -> tuple[str, KeyRecord]:
            return accounts.create_key(conn, accounts.get_account(conn, name), role, label)

        key, record = await self._tx(create)
        return apb.CreateKeyResponse(key=key, api_key=key_to_pb(record))

    async def ListKeys(
        self, request: apb.ListKeysRequest, context: Context
    ) -> apb.ListKeysResponse:
        principal = await self.auth.principal(context, "AdminService")
        name = v.check_id("account", request.account)
        require_scope(principal, "ListKeys", name)
        found = await self._tx(
            lambda conn: accounts.list_keys(conn, accounts.get_account(conn, name))
        )
        return apb.ListKeysResponse(keys=[key_to_pb(k) for k in found])

    async def RevokeKey(
        self, request: apb.RevokeKeyRequest, context: Context
    ) -> apb.RevokeKeyResponse:
        principal = await self.auth.principal(context, "AdminService")
        name = v.check_id("account", request.account)
        require_scope(principal, "RevokeKey", name)
        key_id = check_key_id(request.key_id)
        revoked = await self._tx(
            lambda conn: accounts.revoke_key(conn, accounts.get_account(conn, name), key_id)
        )
        # This gateway refuses the key at once; the others when their cache entry expires.
        self.auth.forget(k.key_hash for k in revoked)
        return apb.RevokeKeyResponse(api_key=key_to_pb(revoked[0]))

    async def GetUsage(
        self, request: apb.GetUsageRequest, context: Context
    ) -> apb.GetUsageResponse:
        principal = await self.auth.principal(context, "AdminService")
        name = v.check_id("account", request.account)
        require_scope(principal, "GetUsage", name)

        def read(conn: sa.Connection) -> apb.GetUsageResponse:
            account_id = accounts.get_account(conn, name).id
            usage = account_usage(conn, account_id, now_us())
            return apb.GetUsageResponse(
                account=name, rejected=quotas.read_rejections(conn, account_id), **usage
            )

        return await asyncio.to_thread(_read_only, self.db, read)


def account_usage(conn: sa.Connection, account_id: str, now: int) -> dict[str, Any]:
    """An account's instances by status, and its creations per second over the last minute."""
    inst = schema.instances
    rows = conn.execute(
        sa.select(inst.c.status, sa.func.count())
        .where(inst.c.account_id == account_id)
        .group_by(inst.c.status)
    )
    counts: dict[str, int] = {str(status): int(n) for status, n in rows}
    created = conn.execute(
        sa.select(sa.func.count())
        .select_from(inst)
        .where(inst.c.account_id == account_id, inst.c.created_at > now - 60_000_000)
    ).scalar_one()
    return {
        "running": sum(counts.get(status, 0) for status in LEASED),
        "queued": counts.get(Status.QUEUED, 0),
        "waiting": counts.get(Status.WAITING, 0),
        "paused": counts.get(Status.PAUSED, 0),
        "created_per_second": int(created) / 60.0,
    }


def _read_only(db: sa.Engine, fn: Callable[[sa.Connection], T]) -> T:
    with db.connect() as conn:
        return fn(conn)
