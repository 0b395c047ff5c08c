"""The `stepway accounts` commands, and `stepway keys` over the API: accounts, their quotas and
their API keys, through a gateway's AdminService (`--address`/`--api-key`, or STEPWAY_ADDRESS
and STEPWAY_API_KEY).

`stepway keys` is registered by gateway.commands, whose `keys create --db URL` writes the
database directly (the bootstrap path); the other key commands come from here.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

from stepway import _render as render
from stepway._cli_base import View, _connection_args
from stepway.admin import QUOTA_NAMES, AccountInfo, KeyInfo, Quotas
from stepway.cli import _client_command, _with_client
from stepway.client import Client

QUOTA_HEADER = ("QUOTA", "VALUE", "DEFAULT", "")
ACCOUNT_HEADER = ("NAME", "KIND", "CREATED (UTC)")
KEY_HEADER = ("ID", "ROLE", "NAME", "CREATED (UTC)", "REVOKED (UTC)")
# How long a revoked key may still work through other gateways (GatewayConfig.key_cache_seconds).
KEY_CACHE_SECONDS = 10


def add_admin_commands(sub: Any) -> None:
    """Registers `stepway accounts` on the `stepway` parser's subcommands."""
    accounts = sub.add_parser("accounts", help="accounts and their quotas (an admin key)")
    asub = accounts.add_subparsers(dest="action", required=True, metavar="ACTION")

    create = _client_command(asub, "create", _accounts_create, "create an account, without keys")
    create.add_argument("name", help="the account's name")
    create.add_argument(
        "--operator",
        action="store_true",
        help="make it an operator account, whose admin keys manage every account",
    )
    _client_command(asub, "list", _accounts_list, "list every account")
    usage = _client_command(
        asub, "usage", _accounts_usage, "instances by status, creation rate, refusals by quota"
    )
    usage.add_argument("name", help="the account's name")

    quotas = asub.add_parser("quotas", help="an account's quotas")
    qsub = quotas.add_subparsers(dest="quotas_action", required=True, metavar="ACTION")
    get = _client_command(qsub, "get", _quotas_get, "show an account's quotas and their defaults")
    get.add_argument("name", help="the account's name")
    names = ", ".join(QUOTA_NAMES)
    set_ = _client_command(
        qsub, "set", _quotas_set, "change some of an account's quotas; the others stay"
    )
    set_.add_argument("name", help="the account's name")
    set_.add_argument(
        "changes",
        nargs="+",
        type=parse_quota,
        action=QuotaChanges,
        metavar="QUOTA=VALUE",
        help=f"e.g. max_running=20; the quotas are {names}",
    )


def add_key_commands(ksub: Any) -> None:
    """Registers `stepway keys list` and `keys revoke` on the `keys` command's subcommands."""
    listing = _client_command(ksub, "list", _keys_list, "list an account's API keys")
    listing.add_argument("--account", required=True, help="account name")
    revoke = _client_command(ksub, "revoke", _keys_revoke, "revoke an API key")
    revoke.add_argument("--account", required=True, help="account name")
    revoke.add_argument("key_id", metavar="KEY_ID", help="the key's id, as `keys list` shows it")


def add_connection_args(p: argparse.ArgumentParser) -> None:
    """`--address` and `--api-key` on a command that may go over the API or not (`keys create`
    with or without --db); the command checks for a key itself."""
    _connection_args(p)
    p.set_defaults(needs_key=False)


async def keys_create_over_api(args: argparse.Namespace) -> int:
    """`stepway keys create` without --db: CreateKey through a gateway."""
    if args.operator:
        args.parser.error(
            "--operator applies to a new account made with --db; over the API, create an "
            "operator account with `stepway accounts create NAME --operator`"
        )
    if not args.api_key:
        args.parser.error(
            "an API key is needed: --api-key or STEPWAY_API_KEY (or --db URL to write the "
            "database directly)"
        )
    return await _with_client(_keys_create, args)


# ---------------------------------------------------------------------- argument types


def parse_quota(text: str) -> tuple[str, int]:
    """A `quota=value` pair, such as `max_running=20`."""
    name, eq, value = text.partition("=")
    name = name.strip()
    if not eq:
        raise argparse.ArgumentTypeError(f"{text!r} is not QUOTA=VALUE, such as max_running=20")
    if name not in QUOTA_NAMES:
        raise argparse.ArgumentTypeError(
            f"unknown quota {name!r}; the quotas are {', '.join(QUOTA_NAMES)}"
        )
    try:
        return name, int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{name}: {value.strip()!r} is not a whole number"
        ) from None


class QuotaChanges(argparse.Action):
    """Gathers `quota=value` pairs into a dict, refusing a quota given twice."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        names = [name for name, _ in values]
        twice = sorted({name for name in names if names.count(name) > 1})
        if twice:
            parser.error(f"each quota may be given once; {', '.join(twice)} given twice")
        setattr(namespace, self.dest, dict(values))


# ---------------------------------------------------------------------- what they print


def account_table(accounts: Sequence[AccountInfo]) -> list[str]:
    """Accounts as an aligned table."""
    rows = [
        [a.name, "operator" if a.operator else "tenant", render.format_time(a.created_at)]
        for a in accounts
    ]
    return render.table(ACCOUNT_HEADER, rows) if rows else ["no accounts"]


def quota_table(quotas: Quotas) -> list[str]:
    """Each quota with its value and default; `changed` marks those that differ."""
    changed = set(quotas.changed)
    rows = [
        [
            name,
            f"{getattr(quotas, name):,}",
            f"{quotas.defaults[name]:,}" if name in quotas.defaults else render.NONE,
            "changed" if name in changed else "",
        ]
        for name in QUOTA_NAMES
    ]
    return [f"quotas of account {quotas.account}:", *render.table(QUOTA_HEADER, rows, {1, 2})]


def key_table(keys: Sequence[KeyInfo]) -> list[str]:
    """API keys as an aligned table: ids and labels, never the keys."""
    rows = [
        [
            k.key_id,
            k.role.value,
            k.name or render.NONE,
            render.format_time(k.created_at),
            render.format_time(k.revoked_at),
        ]
        for k in keys
    ]
    return render.table(KEY_HEADER, rows) if rows else ["no API keys"]


def key_created_line(account: str, role: str, key: str, key_id: str | None = None) -> str:
    """What `keys create` prints: the key is the last word, for scripts."""
    named = f", id {key_id}" if key_id else ""
    return f"API key for account {account!r}, role {role}{named} (shown once): {key}"


# ---------------------------------------------------------------------- handlers


async def _accounts_create(client: Client, args: argparse.Namespace, view: View) -> int:
    made = await client.admin.create_account(args.name, operator=args.operator)
    kind = "operator account" if made.operator else "account"
    return view.result(made, f"created {kind} {made.name}")


async def _accounts_list(client: Client, args: argparse.Namespace, view: View) -> int:
    found = await client.admin.list_accounts()
    return view.result(found, "\n".join(account_table(found)))


async def _accounts_usage(client: Client, args: argparse.Namespace, view: View) -> int:
    usage = await client.admin.usage(args.name)
    lines = [
        f"account   {usage.account}",
        f"running   {usage.running:,}",
        f"queued    {usage.queued:,}",
        f"waiting   {usage.waiting:,}",
        f"paused    {usage.paused:,}",
        f"created   {usage.created_per_second:,.1f}/s over the last minute",
        "refused   " + (", ".join(f"{q} {n:,}" for q, n in usage.rejected.items()) or "nothing"),
    ]
    return view.result(usage, "\n".join(lines))


async def _quotas_get(client: Client, args: argparse.Namespace, view: View) -> int:
    quotas = await client.admin.quotas(args.name)
    return view.result(quotas, "\n".join(quota_table(quotas)))


async def _quotas_set(client: Client, args: argparse.Namespace, view: View) -> int:
    quotas = await client.admin.set_quotas(args.name, **args.changes)
    return view.result(quotas, "\n".join(quota_table(quotas)))


async def _keys_create(client: Client, args: argparse.Namespace, view: View) -> int:
    made = await client.admin.create_key(args.account, args.role, args.name)
    return view.result(made, key_created_line(made.account, made.role, made.key, made.key_id))


async def _keys_list(client: Client, args: argparse.Namespace, view: View) -> int:
    found = await client.admin.list_keys(args.account)
    return view.result(found, "\n".join(key_table(found)))


async def _keys_revoke(client: Client, args: argparse.Namespace, view: View) -> int:
    key = await client.admin.revoke_key(args.account, args.key_id)
    return view.result(
        key,
        f"revoked API key {key.key_id} of account {key.account!r} "
        f"(gateways refuse it within {KEY_CACHE_SECONDS} s)",
    )
