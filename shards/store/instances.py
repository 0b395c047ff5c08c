"""Instance rows: finding and loading instances (one or several in one query), their params,
and inserting a new one."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import sqlalchemy as sa

from shards.core.model import Instance, Lease, Status
from shards.store.rows import (
    BY_KEY,
    INST,
    INSTANCE_COLUMNS,
    ByKeys,
    Key,
    bp,
    to_instance,
)


def new_uid() -> str:
    """A random internal id for a new instance."""
    return uuid.uuid4().hex


_FIND_INSTANCE = sa.select(*INSTANCE_COLUMNS).where(
    INST.c.account_id == bp("k_account"),
    INST.c.workflow == bp("k_workflow"),
    INST.c.instance_id == bp("k_instance_id"),
)
_LOAD_INSTANCE = sa.select(*INSTANCE_COLUMNS).where(*BY_KEY)
_LOAD_INSTANCES = ByKeys(lambda keys: sa.select(*INSTANCE_COLUMNS).where(*keys(INST)))
_LOAD_LEASES = ByKeys(
    lambda keys: sa.select(
        INST.c.partition, INST.c.uid, INST.c.account_id, INST.c.status, INST.c.lease_token
    ).where(*keys(INST))
)
_LOAD_PARAMS = ByKeys(
    lambda keys: sa.select(INST.c.partition, INST.c.uid, INST.c.params).where(*keys(INST))
)
INSERT_INSTANCE = INST.insert()


def find_instance(
    conn: sa.Connection, account_id: str, workflow: str, instance_id: str
) -> Instance | None:
    """The instance with this key, if any."""
    params = {"k_account": account_id, "k_workflow": workflow, "k_instance_id": instance_id}
    row = conn.execute(_FIND_INSTANCE, params).first()
    return None if row is None else to_instance(row)


def load_instance(conn: sa.Connection, key: Key) -> Instance | None:
    """The instance at (partition, uid), if any."""
    row = conn.execute(_LOAD_INSTANCE, {"k_partition": key[0], "k_uid": key[1]}).first()
    return None if row is None else to_instance(row)


def load_instances(conn: sa.Connection, keys: Sequence[Key]) -> dict[Key, Instance]:
    """Several instances in one query, by key."""
    if not keys:
        return {}
    found = (to_instance(r) for r in _LOAD_INSTANCES.run(conn, keys))
    return {(i.partition, i.uid): i for i in found}


def load_leases(conn: sa.Connection, keys: Sequence[Key]) -> dict[Key, Lease]:
    """The account, status and task lease of several instances in one query, by key: what a
    heartbeat checks, without reading and converting the rest of their rows."""
    if not keys:
        return {}
    rows = _LOAD_LEASES.run(conn, keys)
    return {
        (r.partition, r.uid): Lease(r.account_id, Status(r.status), r.lease_token) for r in rows
    }


def load_params(conn: sa.Connection, keys: Sequence[Key]) -> dict[Key, bytes]:
    """The params of several instances in one query."""
    if not keys:
        return {}
    rows = _LOAD_PARAMS.run(conn, keys)
    return {(r.partition, r.uid): r.params for r in rows}


def load_params_of(conn: sa.Connection, key: Key) -> bytes:
    """The params of one instance."""
    return load_params(conn, [key]).get(key, b"null")


def find_instances(
    conn: sa.Connection, account_id: str, keys: Sequence[tuple[str, str]]
) -> dict[tuple[str, str], Instance]:
    """The instances of an account with these (workflow, instance_id), in one query."""
    if not keys:
        return {}
    rows = conn.execute(
        sa.select(*INSTANCE_COLUMNS).where(
            INST.c.account_id == account_id,
            # Both columns of the unique key, so that its index finds the rows without reading
            # every instance of the account.
            INST.c.workflow.in_(sorted({w for w, _ in keys})),
            INST.c.instance_id.in_(sorted({i for _, i in keys})),
        )
    )
    wanted = set(keys)
    found = (to_instance(r) for r in rows)
    return {(i.workflow, i.instance_id): i for i in found if (i.workflow, i.instance_id) in wanted}


def insert_instance(conn: sa.Connection, inst: Instance, params: bytes) -> None:
    """Writes a new instance row."""
    values = {c.name: getattr(inst, c.name) for c in INSTANCE_COLUMNS}
    values["status"] = inst.status.value
    conn.execute(INSERT_INSTANCE, {**values, "params": params})
