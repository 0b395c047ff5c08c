"""Accounts, API keys and quotas through AdminService: real gRPC through a dev server's gateway,
on SQLite and PostgreSQL. The dev server's key is an admin key of the operator account
`default`; tenants are made here with it."""

from __future__ import annotations

import asyncio
import json
import os
import re
import sys
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pytest

from gateway.config import GatewayConfig
from gateway.dev import DevServer
from gateway.server import start_gateway
from shards import quotas as server_quotas
from stepway import (
    AlreadyExistsError,
    Client,
    InvalidArgumentError,
    NotFoundError,
    PermissionDeniedError,
    Role,
    StepwayError,
    UnauthenticatedError,
)
from stepway.admin import QUOTA_NAMES
from stepway.v1 import admin_service_pb2 as apb
from stepway.v1 import worker_service_pb2 as wpb
from tests.helpers import eventually

KEY_CACHE_SECONDS = GatewayConfig(db_url="", cluster_secret="").key_cache_seconds


@pytest.fixture
async def connect(dev_server: DevServer) -> AsyncIterator[Callable[[str], Awaitable[Client]]]:
    """Opens clients of the dev server with other keys; closes them at the end."""
    opened: list[Client] = []

    async def open_with(key: str) -> Client:
        client = await Client.connect(dev_server.address, api_key=key)
        opened.append(client)
        return client

    yield open_with
    for client in opened:
        await client.close()


async def outcome(call: Awaitable[Any]) -> type[StepwayError] | None:
    """The type of error a call raised, or None when it succeeded."""
    try:
        await call
    except StepwayError as exc:
        return type(exc)
    return None


async def register_worker(client: Client) -> Any:
    request = wpb.RegisterWorkerRequest(
        worker_id=uuid.uuid4().hex, task_queue="default", workflows=["probe"]
    )
    return await client.call(client.workers.RegisterWorker, request)


# ---------------------------------------------------------------------- the model


def test_the_quota_message_has_one_field_per_quota_in_the_order_of_shards_quotas() -> None:
    assert list(apb.Quotas.DESCRIPTOR.fields_by_name) == list(server_quotas.NAMES)
    assert QUOTA_NAMES == server_quotas.NAMES


# ---------------------------------------------------------------------- accounts and keys


async def test_an_operator_creates_an_account_whose_keys_work_only_for_their_role(
    client: Client, connect: Callable[[str], Awaitable[Client]]
) -> None:
    acme = await client.admin.create_account("acme")
    assert (acme.name, acme.operator) == ("acme", False) and acme.created_at is not None
    made = {role: await client.admin.create_key("acme", role) for role in Role}
    for role, key in made.items():
        assert (key.account, key.role, key.name) == ("acme", role, role.value)
        assert key.key.startswith("sw_") and re.fullmatch(r"[0-9a-f]{12}", key.key_id)
        assert key.key not in repr(key)
    as_client, as_worker = (
        await connect(made[Role.CLIENT].key),
        await connect(made[Role.WORKER].key),
    )

    assert (await as_client.server_info()).account == "acme"
    assert await as_client.list_workflows() == []
    assert await outcome(register_worker(as_client)) is PermissionDeniedError
    assert await outcome(register_worker(as_worker)) is None
    assert await outcome(as_worker.list_workflows()) is PermissionDeniedError
    # The worker registered a workflow in acme, not in the operator's account.
    assert [w.name for w in await as_client.list_workflows()] == ["probe"]
    assert await client.list_workflows() == []

    listed = await client.admin.list_keys("acme")
    assert [(k.key_id, k.role, k.revoked) for k in listed] == [
        (made[r].key_id, r, False) for r in Role
    ]
    # Listings never show a key.
    assert not any(k.key in str(listed) for k in made.values())


async def test_a_revoked_key_is_refused_within_the_key_cache_time(
    client: Client, connect: Callable[[str], Awaitable[Client]]
) -> None:
    await client.admin.create_account("acme")
    key = await client.admin.create_key("acme", "client", name="ci")
    as_client = await connect(key.key)
    await as_client.list_workflows()  # the gateway caches the key's account now

    revoked = await client.admin.revoke_key("acme", key.key_id)
    assert revoked.key_id == key.key_id and revoked.revoked_at is not None
    await eventually(
        lambda: outcome(as_client.list_workflows()),
        lambda error: error is UnauthenticatedError,
        timeout=KEY_CACHE_SECONDS + 5,
        what="the revoked key refused",
    )
    with pytest.raises(UnauthenticatedError, match="unknown or revoked"):
        await Client.connect(as_client.address, api_key=key.key)
    again = await client.admin.revoke_key("acme", key.key_id)
    assert again.revoked_at == revoked.revoked_at
    [listed] = await client.admin.list_keys("acme")
    assert listed.revoked_at == revoked.revoked_at and listed.name == "ci"


async def test_another_gateway_refuses_a_revoked_key_once_its_cache_entry_expires(
    dev_server: DevServer, client: Client
) -> None:
    cache_seconds = 1.0
    config = GatewayConfig(
        db_url=dev_server.config.db_url,
        cluster_secret="unused: AdminService is not forwarded",
        listen="127.0.0.1:0",
        key_cache_seconds=cache_seconds,
    )
    other = await start_gateway(config, dev_server.db, dev_server.gateway.router.partitions)
    try:
        await client.admin.create_account("acme")
        key = await client.admin.create_key("acme", "client")
        through_other = await Client.connect(f"127.0.0.1:{other.port}", api_key=key.key)
        try:
            await client.admin.revoke_key("acme", key.key_id)
            await eventually(
                lambda: outcome(through_other.server_info()),
                lambda error: error is UnauthenticatedError,
                timeout=cache_seconds + 5,
                what="the key revoked through another gateway refused",
            )
        finally:
            await through_other.close()
    finally:
        await other.stop(grace=0.2)


async def test_revoking_an_unknown_or_malformed_key_id_is_refused(client: Client) -> None:
    await client.admin.create_account("acme")
    key = await client.admin.create_key("acme", "client")
    with pytest.raises(NotFoundError, match="no API key with id 'aaaaaaaaaaaa'"):
        await client.admin.revoke_key("acme", "aaaaaaaaaaaa")
    # A key id names a key of the account given, not of another one.
    with pytest.raises(NotFoundError):
        await client.admin.revoke_key("default", key.key_id)
    with pytest.raises(InvalidArgumentError, match="12 lowercase hex") as bad:
        await client.admin.revoke_key("acme", key.key_id[:6] + "%")
    assert bad.value.field == "key_id"
    assert not (await client.admin.list_keys("acme"))[0].revoked


async def test_a_tenant_admin_manages_only_its_own_accounts_keys(
    client: Client, connect: Callable[[str], Awaitable[Client]]
) -> None:
    for name in ("acme", "globex"):
        await client.admin.create_account(name)
    other_key = await client.admin.create_key("globex", "client")
    tenant = (await connect((await client.admin.create_key("acme", "admin")).key)).admin

    made = await tenant.create_key("acme", "worker", name="w1")
    assert [k.key_id for k in await tenant.list_keys("acme")][-1] == made.key_id
    assert (await tenant.quotas("acme")).max_running == server_quotas.DEFAULTS.max_running
    assert (await tenant.revoke_key("acme", made.key_id)).revoked

    # Another account, whether it exists or not, is refused with the same answer.
    answers = []
    for name in ("globex", "nobody"):
        for call in (
            tenant.create_key(name, "admin"),
            tenant.list_keys(name),
            tenant.revoke_key(name, other_key.key_id),
            tenant.quotas(name),
        ):
            with pytest.raises(PermissionDeniedError) as denied:
                await call
            answers.append(denied.value.message)
    assert set(answers) == {"an admin key of tenant account 'acme' may manage only its own account"}
    for operators_only in (
        tenant.create_account("initech"),
        tenant.list_accounts(),
        tenant.set_quotas("acme", max_running=10),
    ):
        with pytest.raises(PermissionDeniedError, match="only an admin key of an operator account"):
            await operators_only
    assert not (await client.admin.list_keys("globex"))[0].revoked
    assert [a.name for a in await client.admin.list_accounts()] == ["acme", "default", "globex"]
    assert (await client.admin.quotas("acme")).changed == ()


async def test_client_and_worker_keys_may_call_only_get_server_info(
    client: Client, connect: Callable[[str], Awaitable[Client]]
) -> None:
    await client.admin.create_account("acme")
    for role in ("client", "worker"):
        other = await connect((await client.admin.create_key("acme", role)).key)
        assert (await other.server_info()).account == "acme"
        admin = other.admin
        for call in (
            admin.create_account("initech"),
            admin.list_accounts(),
            admin.quotas("acme"),
            admin.set_quotas("acme", max_running=10),
            admin.create_key("acme", "admin"),
            admin.list_keys("acme"),
            admin.revoke_key("acme", "aaaaaaaaaaaa"),
        ):
            with pytest.raises(PermissionDeniedError, match=f"role '{role}' may call only"):
                await call
    assert [a.name for a in await client.admin.list_accounts()] == ["acme", "default"]


async def test_account_names_are_unique_ids_and_operator_accounts_manage_every_account(
    client: Client, connect: Callable[[str], Awaitable[Client]]
) -> None:
    ops = await client.admin.create_account("ops", operator=True)
    assert ops.operator
    with pytest.raises(AlreadyExistsError, match="account 'ops' already exists"):
        await client.admin.create_account("ops")
    with pytest.raises(InvalidArgumentError, match="must match") as bad:
        await client.admin.create_account("no spaces")
    assert bad.value.field == "name"
    with pytest.raises(NotFoundError, match="account 'nobody' not found"):
        await client.admin.quotas("nobody")
    with pytest.raises(NotFoundError):
        await client.admin.create_key("nobody", "client")
    with pytest.raises(ValueError, match="role must be one of admin, client, worker"):
        await client.admin.create_key("ops", "root")

    operator = (await connect((await client.admin.create_key("ops", "admin")).key)).admin
    await operator.create_account("acme")
    await operator.set_quotas("acme", max_running=7)
    accounts = await operator.list_accounts()
    assert [(a.name, a.operator) for a in accounts] == [
        ("acme", False),
        ("default", True),
        ("ops", True),
    ]
    assert (await client.admin.quotas("acme")).max_running == 7


# ---------------------------------------------------------------------- quotas


async def test_quotas_round_trip_and_unset_quotas_keep_their_values(client: Client) -> None:
    await client.admin.create_account("acme")
    first = await client.admin.quotas("acme")
    defaults = {n: getattr(server_quotas.DEFAULTS, n) for n in server_quotas.NAMES}
    assert first.defaults == defaults and first.changed == ()
    assert {n: getattr(first, n) for n in QUOTA_NAMES} == defaults

    changed = await client.admin.set_quotas("acme", max_running=20, creations_per_second=50)
    assert (changed.max_running, changed.creations_per_second) == (20, 50)
    assert changed.changed == ("creations_per_second", "max_running")
    later = await client.admin.set_quotas("acme", retention_seconds=86_400)
    assert (later.max_running, later.creations_per_second, later.retention_seconds) == (
        20,
        50,
        86_400,
    )
    assert await client.admin.quotas("acme") == later
    # Setting a quota to its default makes it follow the default again.
    back = await client.admin.set_quotas("acme", max_running=defaults["max_running"])
    assert back.changed == ("creations_per_second", "retention_seconds")
    # The dev server's own account starts without rate limits (gateway.dev.lift_rate_limits).
    assert (await client.admin.quotas("default")).changed == (
        "creations_per_second",
        "requests_per_second",
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("max_running", 0),
        ("creations_per_second", server_quotas.MAXIMUM["creations_per_second"] + 1),
        ("max_payload_bytes", -1),
    ],
)
async def test_a_quota_out_of_its_bounds_is_refused_naming_it_and_nothing_changes(
    client: Client, name: str, value: int
) -> None:
    await client.admin.create_account("acme")
    with pytest.raises(InvalidArgumentError) as bad:
        await client.admin.set_quotas("acme", max_steps_per_instance=500, **{name: value})
    assert bad.value.field == f"quotas.{name}"
    low, high = server_quotas.MINIMUM[name], server_quotas.MAXIMUM[name]
    assert f"{name} must be between {low:,} and {high:,}, not {value:,}" in bad.value.message
    assert (await client.admin.quotas("acme")).changed == ()
    with pytest.raises(ValueError, match="unknown quota 'max_workers'"):
        await client.admin.set_quotas("acme", max_workers=3)


# ---------------------------------------------------------------------- the command


@dataclass(frozen=True)
class Ran:
    code: int
    out: str
    err: str

    def rows(self) -> dict[str, list[str]]:
        """A table's rows by their first cell, header left out (cells are 2+ spaces apart)."""
        cells = [re.split(r"\s{2,}", line.strip()) for line in self.out.splitlines()]
        return {row[0]: row for row in cells[1:]}


async def stepway(*args: str, key: str | None = None, server: DevServer) -> Ran:
    """The `stepway` command as a subprocess, against the dev server (with key if given)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("STEPWAY_")}
    env["COLUMNS"] = "120"
    if key is not None:
        env.update(STEPWAY_ADDRESS=server.address, STEPWAY_API_KEY=key)
    proc = await asyncio.create_subprocess_exec(
        *(sys.executable, "-m", "stepway", *args),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=env,
    )
    out, err = await asyncio.wait_for(proc.communicate(), 30)
    assert proc.returncode is not None
    return Ran(proc.returncode, out.decode(), err.decode())


async def test_the_accounts_commands_create_list_and_change_quotas(
    dev_server: DevServer, client: Client
) -> None:
    admin_key = dev_server.api_key
    created, operator = await asyncio.gather(
        stepway("accounts", "create", "acme", key=admin_key, server=dev_server),
        stepway(
            "accounts", "create", "ops", "--operator", "--json", key=admin_key, server=dev_server
        ),
    )
    assert (created.code, created.out) == (0, "created account acme\n"), created
    assert json.loads(operator.out)["operator"] is True
    listing, changed, bad, again = await asyncio.gather(
        stepway("accounts", "list", key=admin_key, server=dev_server),
        stepway(
            *("accounts", "quotas", "set", "acme", "max_running=20", "creations_per_second=50"),
            key=admin_key,
            server=dev_server,
        ),
        stepway(
            "accounts", "quotas", "set", "acme", "max_running=0", key=admin_key, server=dev_server
        ),
        stepway("accounts", "create", "acme", key=admin_key, server=dev_server),
    )
    assert listing.out.split("\n")[0].split() == ["NAME", "KIND", "CREATED", "(UTC)"]
    assert {n: r[1] for n, r in listing.rows().items()} == {
        "acme": "tenant",
        "default": "operator",
        "ops": "operator",
    }
    assert changed.code == 0, changed.err
    assert changed.out.startswith("quotas of account acme:\n")
    table = Ran(0, changed.out.split("\n", 1)[1], "").rows()
    default = server_quotas.DEFAULTS
    assert table["max_running"] == ["max_running", "20", f"{default.max_running:,}", "changed"]
    assert table["creations_per_second"][1:] == [
        "50",
        f"{default.creations_per_second:,}",
        "changed",
    ]
    queued = f"{default.max_queued_per_workflow:,}"
    assert table["max_queued_per_workflow"][1:] == [queued, queued]
    assert (bad.code, bad.out) == (1, "")
    high = server_quotas.MAXIMUM["max_running"]
    assert bad.err == (
        "error: INVALID_FIELD: "
        f"quotas.max_running: max_running must be between 1 and {high:,}, not 0\n"
    )
    assert (again.code, again.err) == (
        1,
        "error: ACCOUNT_EXISTS: account 'acme' already exists\n",
    )

    got = await stepway(
        "accounts", "quotas", "get", "acme", "--json", key=admin_key, server=dev_server
    )
    document = json.loads(got.out)
    assert (document["max_running"], document["creations_per_second"]) == (20, 50)
    assert document["defaults"]["max_running"] == server_quotas.DEFAULTS.max_running
    assert (await client.admin.quotas("acme")).max_running == 20


async def test_bad_quota_arguments_exit_2_before_any_call(dev_server: DevServer) -> None:
    runs = await asyncio.gather(
        *(
            stepway("accounts", "quotas", "set", "acme", *pairs, key="k", server=dev_server)
            for pairs in (["max_running"], ["max_workers=3"], ["max_running=lots"])
        ),
        stepway(
            *("accounts", "quotas", "set", "acme", "max_running=1", "max_running=2"),
            key="k",
            server=dev_server,
        ),
    )
    messages = [
        "'max_running' is not QUOTA=VALUE",
        "unknown quota 'max_workers'; the quotas are creations_per_second, max_running,",
        "max_running: 'lots' is not a whole number",
        "each quota may be given once; max_running given twice",
    ]
    for ran, message in zip(runs, messages, strict=True):
        assert (ran.code, ran.out) == (2, ""), ran
        assert ran.err.startswith("usage: stepway accounts quotas set") and message in ran.err


async def test_the_key_commands_create_list_and_revoke_over_the_api(
    dev_server: DevServer, client: Client, connect: Callable[[str], Awaitable[Client]]
) -> None:
    await client.admin.create_account("acme")
    admin_key = dev_server.api_key
    made = await stepway(
        *("keys", "create", "--account", "acme", "--role", "worker", "--name", "w1"),
        key=admin_key,
        server=dev_server,
    )
    assert made.code == 0, made.err
    key = made.out.split()[-1]
    assert made.out.startswith("API key for account 'acme', role worker, id ")
    as_worker = await connect(key)
    assert await outcome(register_worker(as_worker)) is None

    listing = await stepway("keys", "list", "--account", "acme", key=admin_key, server=dev_server)
    assert listing.out.split("\n")[0].split()[:3] == ["ID", "ROLE", "NAME"]
    [(key_id, row)] = listing.rows().items()
    assert row[1:3] == ["worker", "w1"] and row[-1] == "-"
    assert key not in listing.out

    revoked, missing = await asyncio.gather(
        stepway("keys", "revoke", "--account", "acme", key_id, key=admin_key, server=dev_server),
        stepway(
            "keys", "revoke", "--account", "acme", "aaaaaaaaaaaa", key=admin_key, server=dev_server
        ),
    )
    assert revoked.out.startswith(f"revoked API key {key_id} of account 'acme'"), revoked
    assert missing.code == 1 and "no API key with id 'aaaaaaaaaaaa'" in missing.err
    await eventually(
        lambda: outcome(register_worker(as_worker)),
        lambda error: error is UnauthenticatedError,
        timeout=KEY_CACHE_SECONDS + 5,
        what="the revoked key refused",
    )
    document = json.loads(
        (
            await stepway(
                "keys", "list", "--account", "acme", "--json", key=admin_key, server=dev_server
            )
        ).out
    )
    assert document[0]["key_id"] == key_id and document[0]["revoked_at"] is not None


async def test_keys_create_with_db_bootstraps_an_operator_account(
    dev_server: DevServer, client: Client, connect: Callable[[str], Awaitable[Client]]
) -> None:
    db = dev_server.config.db_url
    await client.admin.create_account("acme")
    made, refused, no_key = await asyncio.gather(
        stepway(
            *("keys", "create", "--db", db, "--account", "ops", "--role", "admin", "--operator"),
            server=dev_server,
        ),
        stepway(
            *("keys", "create", "--db", db, "--account", "acme", "--role", "admin", "--operator"),
            server=dev_server,
        ),
        stepway("keys", "create", "--account", "acme", server=dev_server),
    )
    assert made.code == 0, made.err
    assert made.out.startswith("API key for account 'ops', role admin (shown once): sw_")
    operator = (await connect(made.out.split()[-1])).admin
    assert "acme" in [a.name for a in await operator.list_accounts()]
    assert refused.code == 1 and "'acme' exists and is a tenant account" in refused.err
    assert [k.role for k in await client.admin.list_keys("acme")] == []
    assert no_key.code == 2 and "an API key is needed" in no_key.err
