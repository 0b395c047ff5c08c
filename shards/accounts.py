"""Accounts and API keys: keys are random, shown once, stored as a SHA-256 hash.

A key's public id is the first KEY_ID_LENGTH hex characters of its hash: enough to name it
among an account's keys, useless to call with. Every query on accounts and keys is here.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass

import sqlalchemy as sa

from shards import limits, quotas, schema, validation
from shards.clock import now_us
from shards.db import insert_missing
from shards.errors import AccountExists, AccountNotFound, KeyNotFound

ROLES = ("admin", "client", "worker")
KEY_PREFIX = "sw_"
KEY_ID_LENGTH = limits.KEY_ID_LENGTH


@dataclass(frozen=True)
class Principal:
    """Who is calling: the account a key belongs to, and the key's role."""

    account_id: str
    account_name: str
    role: str
    # Whether the account is an operator account, whose admin keys manage every account.
    operator: bool = False


@dataclass(frozen=True)
class Account:
    """An account as the database holds it."""

    id: str
    name: str
    operator: bool
    created_at: int


@dataclass(frozen=True)
class KeyRecord:
    """An API key as listings show it: its id, never the key."""

    key_id: str
    # The whole hash, which the gateway's key cache is keyed by.
    key_hash: str
    account: str
    role: str
    name: str
    created_at: int
    revoked_at: int | None


def new_key() -> str:
    """A new random API key."""
    return KEY_PREFIX + secrets.token_urlsafe(32)


def hash_key(key: str) -> str:
    """The stored form of a key."""
    return hashlib.sha256(key.encode()).hexdigest()


def key_id(key_hash: str) -> str:
    """The public id of the key with this hash."""
    return key_hash[:KEY_ID_LENGTH]


def ensure_account(conn: sa.Connection, name: str, *, operator: bool = False) -> str:
    """The id of the account called name, created (an operator account when asked) if missing."""
    row = (
        conn.execute(sa.select(schema.accounts.c.id).where(schema.accounts.c.name == name))
    ).first()
    if row is not None:
        return str(row.id)
    validation.check_id("account", name)
    insert_missing(
        conn,
        schema.accounts,
        [{"id": uuid.uuid4().hex, "name": name, "created_at": now_us(), "operator": operator}],
    )
    return str(
        conn.execute(
            sa.select(schema.accounts.c.id).where(schema.accounts.c.name == name)
        ).scalar_one()
    )


def set_operator(conn: sa.Connection, account_id: str) -> None:
    """Makes the account an operator account."""
    A = schema.accounts
    conn.execute(A.update().where(A.c.id == account_id).values(operator=True))


def create_account(conn: sa.Connection, name: str, *, operator: bool) -> Account:
    """A new account; AccountExists when the name is taken, InvalidArgument when it breaks
    the name pattern (matched whole: `lookalike\\n` is refused)."""
    validation.check_id("name", name)
    if find_account(conn, name) is not None:
        raise AccountExists(name)
    made = Account(uuid.uuid4().hex, name, operator, now_us())
    insert_missing(
        conn,
        schema.accounts,
        [{"id": made.id, "name": name, "operator": operator, "created_at": made.created_at}],
    )
    # Another transaction may have taken the name between the read and the insert.
    if (found := find_account(conn, name)) is None or found.id != made.id:
        raise AccountExists(name)
    return made


def find_account(conn: sa.Connection, name: str) -> Account | None:
    """The account called name, or None."""
    A = schema.accounts
    row = conn.execute(
        sa.select(A.c.id, A.c.name, A.c.operator, A.c.created_at).where(A.c.name == name)
    ).first()
    return None if row is None else Account(row.id, row.name, bool(row.operator), row.created_at)


def get_account(conn: sa.Connection, name: str) -> Account:
    """The account called name; AccountNotFound when there is none."""
    found = find_account(conn, name)
    if found is None:
        raise AccountNotFound(name)
    return found


def list_accounts(conn: sa.Connection) -> list[Account]:
    """Every account, by name."""
    A = schema.accounts
    rows = conn.execute(
        sa.select(A.c.id, A.c.name, A.c.operator, A.c.created_at).order_by(A.c.name)
    )
    return [Account(r.id, r.name, bool(r.operator), r.created_at) for r in rows]


def read_quotas(conn: sa.Connection, account_id: str) -> quotas.Quotas:
    """The account's quotas: the ones an admin changed, the defaults for the others."""
    A = schema.accounts
    row = conn.execute(sa.select(A.c.quotas, A.c.retention_us).where(A.c.id == account_id)).one()
    return quotas.from_row(row.quotas, row.retention_us)


def write_quotas(conn: sa.Connection, account_id: str, values: quotas.Quotas) -> None:
    """Stores the account's quotas (only those that differ from the defaults)."""
    A = schema.accounts
    overrides, retention_us = quotas.to_row(values)
    conn.execute(
        A.update().where(A.c.id == account_id).values(quotas=overrides, retention_us=retention_us)
    )


def add_key(
    conn: sa.Connection, account_id: str, role: str, *, key: str | None = None, name: str = ""
) -> str:
    """Stores a key (a new random one unless given) for the account and returns it."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    key = key or new_key()
    digest = hash_key(key)
    exists = (
        conn.execute(
            sa.select(schema.api_keys.c.account_id).where(schema.api_keys.c.key_hash == digest)
        )
    ).first()
    if exists is None:
        conn.execute(
            schema.api_keys.insert().values(
                key_hash=digest, account_id=account_id, role=role, name=name, created_at=now_us()
            )
        )
    elif exists.account_id != account_id:
        raise ValueError("this API key already belongs to another account")
    return key


def create_key(
    conn: sa.Connection, account: Account, role: str, name: str
) -> tuple[str, KeyRecord]:
    """A new random key for the account, and its record."""
    key = add_key(conn, account.id, role, name=name)
    return key, _keys_where(conn, account, schema.api_keys.c.key_hash == hash_key(key))[0]


def list_keys(conn: sa.Connection, account: Account) -> list[KeyRecord]:
    """The account's keys, revoked ones included, oldest first."""
    return _keys_where(conn, account, sa.true())


def revoke_key(conn: sa.Connection, account: Account, id: str) -> list[KeyRecord]:
    """Revokes the account's key with this id (a key revoked already keeps its time) and
    returns it; KeyNotFound when the account has no such key. Two keys of one account whose ids
    are the same (a chance of about one in 2**48 a pair) are revoked together."""
    K = schema.api_keys
    match = K.c.key_hash.startswith(id, autoescape=True)
    conn.execute(
        K.update()
        .where(K.c.account_id == account.id, match, K.c.revoked_at.is_(None))
        .values(revoked_at=now_us())
    )
    found = _keys_where(conn, account, match)
    if not found:
        raise KeyNotFound(account.name, id)
    return found


def _keys_where(
    conn: sa.Connection, account: Account, condition: sa.ColumnElement[bool]
) -> list[KeyRecord]:
    K = schema.api_keys
    rows = conn.execute(
        sa.select(K.c.key_hash, K.c.role, K.c.name, K.c.created_at, K.c.revoked_at)
        .where(K.c.account_id == account.id, condition)
        .order_by(K.c.created_at, K.c.key_hash)
    )
    return [
        KeyRecord(
            key_id=key_id(r.key_hash),
            key_hash=r.key_hash,
            account=account.name,
            role=r.role,
            name=r.name,
            created_at=r.created_at,
            revoked_at=r.revoked_at,
        )
        for r in rows
    ]


def lookup_key(conn: sa.Connection, key: str) -> Principal | None:
    """The principal of a live key, or None for an unknown or revoked key."""
    return lookup_hash(conn, hash_key(key))


def lookup_hash(conn: sa.Connection, key_hash: str) -> Principal | None:
    """The principal of the live key with this hash, or None."""
    k, a = schema.api_keys, schema.accounts
    row = (
        conn.execute(
            sa.select(k.c.account_id, k.c.role, a.c.name, a.c.operator)
            .join(a, a.c.id == k.c.account_id)
            .where(k.c.key_hash == key_hash, k.c.revoked_at.is_(None))
        )
    ).first()
    if row is None:
        return None
    return Principal(
        account_id=row.account_id,
        account_name=row.name,
        role=row.role,
        operator=bool(row.operator),
    )
