"""Account, API key and quota administration, as `client.admin`.

An admin key of an operator account manages every account; an admin key of a tenant account
manages only its own account's keys and reads its own quotas. Other calls raise
PermissionDeniedError.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from stepway import _payload
from stepway.v1 import admin_service_pb2 as apb
from stepway.v1 import admin_service_pb2_grpc as agrpc

if TYPE_CHECKING:
    from stepway.client import Client


class Role(StrEnum):
    """What an API key may call."""

    # Every service; AdminService within its account's scope.
    ADMIN = "admin"
    # WorkflowService: create, read and control instances.
    CLIENT = "client"
    # WorkerService: run workflows.
    WORKER = "worker"


_ROLE_TO_PB = {
    Role.ADMIN: apb.KEY_ROLE_ADMIN,
    Role.CLIENT: apb.KEY_ROLE_CLIENT,
    Role.WORKER: apb.KEY_ROLE_WORKER,
}
_ROLE_FROM_PB = {pb: role for role, pb in _ROLE_TO_PB.items()}


def _role(value: Role | str) -> Role:
    try:
        return Role(value)
    except ValueError:
        roles = ", ".join(r.value for r in Role)
        raise ValueError(f"role must be one of {roles}, not {value!r}") from None


@dataclass(frozen=True)
class AccountInfo:
    """An account: a tenant with its own instances, API keys and quotas."""

    name: str
    # Whether the account's admin keys manage every account.
    operator: bool
    created_at: datetime | None

    @classmethod
    def from_pb(cls, msg: apb.Account) -> AccountInfo:
        return cls(msg.name, msg.operator, _payload.to_datetime(msg.created_at))


@dataclass(frozen=True)
class Quotas:
    """An account's limits, and the default of each (DESIGN §2; docs/accounts.md)."""

    account: str
    # Instance creations per second (a token bucket whose burst is one second's worth).
    creations_per_second: int
    # Instances running at once; more wait as queued.
    max_running: int
    # Queued instances per workflow; a creation past it is refused.
    max_queued_per_workflow: int
    # Calls per second, all services together.
    requests_per_second: int
    # Bytes of params, a step's result, or an event's payload.
    max_payload_bytes: int
    # Steps one instance may record.
    max_steps_per_instance: int
    # Seconds finished instances are kept (for instances created after a change).
    retention_seconds: int
    # Bytes of one instance's recorded state (params, step results and failures, events).
    max_instance_state_bytes: int
    # Schedules the account holds.
    max_schedules: int
    # Children one instance may start.
    max_children_per_instance: int
    # Each quota's default, by name.
    defaults: dict[str, int] = field(default_factory=dict, hash=False)

    @property
    def changed(self) -> tuple[str, ...]:
        """The names of the quotas that differ from their default."""
        return tuple(n for n in QUOTA_NAMES if getattr(self, n) != self.defaults.get(n))

    @classmethod
    def from_pb(cls, account: str, values: apb.Quotas, defaults: apb.Quotas) -> Quotas:
        return cls(
            account,
            **{n: getattr(values, n) for n in QUOTA_NAMES},
            defaults={n: getattr(defaults, n) for n in QUOTA_NAMES},
        )


QUOTA_NAMES = tuple(f.name for f in fields(Quotas) if f.name not in ("account", "defaults"))


@dataclass(frozen=True)
class KeyInfo:
    """An API key as listings show it: its id, never the key itself."""

    # The first 12 hex characters of the key's SHA-256 hash; revoke_key takes it.
    key_id: str
    account: str
    role: Role
    # The label given when it was created.
    name: str
    created_at: datetime | None
    revoked_at: datetime | None

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    @classmethod
    def from_pb(cls, msg: apb.ApiKey) -> KeyInfo:
        return cls(
            key_id=msg.key_id,
            account=msg.account,
            role=_ROLE_FROM_PB[msg.role],
            name=msg.name,
            created_at=_payload.to_datetime(msg.created_at),
            revoked_at=_payload.to_datetime(msg.revoked_at),
        )


@dataclass(frozen=True)
class NewKey:
    """A key just created: `key` is shown only now (the server keeps only its hash)."""

    key: str = field(repr=False)
    key_id: str
    account: str
    role: Role
    name: str
    created_at: datetime | None


@dataclass(frozen=True)
class Usage:
    """What an account uses now (`Admin.usage`)."""

    account: str
    running: int
    queued: int
    waiting: int
    paused: int
    # Over the last minute.
    created_per_second: float
    # Refusals since the account was created, by quota name.
    rejected: dict[str, int]

    @classmethod
    def from_pb(cls, msg: apb.GetUsageResponse) -> Usage:
        return cls(
            account=msg.account,
            running=msg.running,
            queued=msg.queued,
            waiting=msg.waiting,
            paused=msg.paused,
            created_per_second=msg.created_per_second,
            rejected=dict(sorted(msg.rejected.items())),
        )


class Admin:
    """AdminService's calls, with the client's key."""

    def __init__(self, client: Client, stub: agrpc.AdminServiceStub) -> None:
        self._client = client
        self.stub = stub

    async def create_account(self, name: str, operator: bool = False) -> AccountInfo:
        """Creates an account without keys; an operator account's admin keys manage every
        account. AlreadyExistsError when the name is taken."""
        resp = await self._client.call(
            self.stub.CreateAccount, apb.CreateAccountRequest(name=name, operator=operator)
        )
        return AccountInfo.from_pb(resp.account)

    async def list_accounts(self) -> list[AccountInfo]:
        """Every account, by name."""
        resp = await self._client.call(self.stub.ListAccounts, apb.ListAccountsRequest())
        return [AccountInfo.from_pb(a) for a in resp.accounts]

    async def quotas(self, account: str) -> Quotas:
        """The account's quotas, with their defaults."""
        resp = await self._client.call(self.stub.GetQuotas, apb.GetQuotasRequest(account=account))
        return Quotas.from_pb(resp.account, resp.quotas, resp.defaults)

    async def set_quotas(self, account: str, **changes: int) -> Quotas:
        """Changes the named quotas (`max_running=20`); the others keep their values. A value
        out of its quota's bounds raises InvalidArgumentError naming them, and nothing changes."""
        unknown = sorted(set(changes) - set(QUOTA_NAMES))
        if unknown:
            raise ValueError(
                f"unknown quota {unknown[0]!r}; the quotas are {', '.join(QUOTA_NAMES)}"
            )
        request = apb.SetQuotasRequest(account=account, quotas=apb.Quotas(**changes))
        resp = await self._client.call(self.stub.SetQuotas, request)
        return Quotas.from_pb(resp.account, resp.quotas, resp.defaults)

    async def create_key(self, account: str, role: Role | str, name: str = "") -> NewKey:
        """Creates an API key for the account; its `key` is shown only in this answer.
        name is a label (default: the role's name)."""
        request = apb.CreateKeyRequest(account=account, role=_ROLE_TO_PB[_role(role)], name=name)
        resp = await self._client.call(self.stub.CreateKey, request)
        info = KeyInfo.from_pb(resp.api_key)
        return NewKey(
            key=resp.key,
            key_id=info.key_id,
            account=info.account,
            role=info.role,
            name=info.name,
            created_at=info.created_at,
        )

    async def list_keys(self, account: str) -> list[KeyInfo]:
        """The account's keys, oldest first, revoked ones included."""
        resp = await self._client.call(self.stub.ListKeys, apb.ListKeysRequest(account=account))
        return [KeyInfo.from_pb(k) for k in resp.keys]

    async def revoke_key(self, account: str, key_id: str) -> KeyInfo:
        """Revokes the account's key with this id (as list_keys shows it). Gateways refuse it
        within their key cache time (10 s by default). NotFoundError for an unknown id."""
        resp = await self._client.call(
            self.stub.RevokeKey, apb.RevokeKeyRequest(account=account, key_id=key_id)
        )
        return KeyInfo.from_pb(resp.api_key)

    async def usage(self, account: str) -> Usage:
        """The account's instances by status, its creation rate over the last minute, and the
        calls its quotas refused, by quota."""
        resp = await self._client.call(self.stub.GetUsage, apb.GetUsageRequest(account=account))
        return Usage.from_pb(resp)
