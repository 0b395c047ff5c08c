"""Accounts and API keys: keys are random, shown once, stored as a SHA-256 hash."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass

import sqlalchemy as sa

from shards import schema
from shards.clock import now_us
from shards.db import insert_missing

ROLES = ("admin", "client", "worker")
KEY_PREFIX = "sw_"


@dataclass(frozen=True)
class Principal:
    """Who is calling: the account a key belongs to, and the key's role."""

    account_id: str
    account_name: str
    role: str


def new_key() -> str:
    """A new random API key."""
    return KEY_PREFIX + secrets.token_urlsafe(32)


def hash_key(key: str) -> str:
    """The stored form of a key."""
    return hashlib.sha256(key.encode()).hexdigest()


def ensure_account(conn: sa.Connection, name: str) -> str:
    """The id of the account called name, created if missing."""
    row = (
        conn.execute(sa.select(schema.accounts.c.id).where(schema.accounts.c.name == name))
    ).first()
    if row is not None:
        return str(row.id)
    insert_missing(
        conn, schema.accounts, [{"id": uuid.uuid4().hex, "name": name, "created_at": now_us()}]
    )
    return str(
        conn.execute(
            sa.select(schema.accounts.c.id).where(schema.accounts.c.name == name)
        ).scalar_one()
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


def lookup_key(conn: sa.Connection, key: str) -> Principal | None:
    """The principal of a live key, or None for an unknown or revoked key."""
    k, a = schema.api_keys, schema.accounts
    row = (
        conn.execute(
            sa.select(k.c.account_id, k.c.role, a.c.name)
            .join(a, a.c.id == k.c.account_id)
            .where(k.c.key_hash == hash_key(key), k.c.revoked_at.is_(None))
        )
    ).first()
    if row is None:
        return None
    return Principal(account_id=row.account_id, account_name=row.name, role=row.role)
