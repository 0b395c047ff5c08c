"""`stepway keys create --db`: an API key written into the database directly (the account
made if needed), the way to make a cluster's first key; without --db it goes to a gateway
(stepway.cli_admin)."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

import sqlalchemy as sa

from gateway.commands.common import in_tx, startup_errors
from shards.errors import InvalidArgument

ROLES = ("admin", "client", "worker")
# A key given by `keys create --key-file` is as strong as one Stepway makes: sw_ and 32
# characters at least (new_key makes 43).
KEY_FILE_MIN_CHARS = 32
KEY_FILE_RULE = f"the key is sw_ and at least {KEY_FILE_MIN_CHARS} characters of A-Z a-z 0-9 - _"


async def keys_create(args: argparse.Namespace) -> int:
    from stepway._cli_base import CommandError
    from stepway.cli_admin import keys_create_over_api

    if args.db is None:
        if args.key_file is not None:
            raise CommandError("--key-file needs --db: a gateway makes its keys itself")
        return await keys_create_over_api(args)
    with startup_errors(args.db):
        return await _keys_create_in_db(args)


async def _keys_create_in_db(args: argparse.Namespace) -> int:
    from shards.accounts import add_key, ensure_account, get_account, hash_key, key_id
    from shards.db import create_engine
    from stepway._cli_base import CommandError, View
    from stepway.cli_admin import key_created_line

    given = None if args.key_file is None else read_key_file(args.key_file)
    db = create_engine(args.db)

    def create(conn: sa.Connection) -> str | None:
        account_id = ensure_account(conn, args.account, operator=args.operator)
        if args.operator and not get_account(conn, args.account).operator:
            return None
        return add_key(conn, account_id, args.role, key=given, name=args.name or args.role)

    try:
        key = await asyncio.to_thread(in_tx, db, create)
    except InvalidArgument as exc:
        raise CommandError(exc.message) from None
    except ValueError as exc:  # the given key belongs to another account
        raise CommandError(str(exc)) from None
    finally:
        db.dispose()
    if key is None:
        raise CommandError(
            f"account {args.account!r} exists and is a tenant account; --operator "
            "makes only a new account an operator account"
        )
    document = {
        "key": key,
        "key_id": key_id(hash_key(key)),
        "account": args.account,
        "role": args.role,
        "name": args.name or args.role,
    }
    if given is not None:
        # The key is in the file already; logs (a bootstrap Job's) must not hold it.
        del document["key"]
        line = (
            f"API key from {args.key_file} stored for account {args.account!r}, role "
            f"{args.role}, id {document['key_id']}"
        )
        return View.of(args).result(document, line)
    return View.of(args).result(document, key_created_line(args.account, args.role, key))


def read_key_file(path: str) -> str:
    """The API key in a file (surrounding whitespace dropped), checked against KEY_FILE_RULE."""
    from shards.accounts import KEY_PREFIX
    from stepway._cli_base import CommandError

    try:
        key = Path(path).read_text().strip()
    except OSError as exc:
        raise CommandError(f"cannot read the key file {path}: {exc.strerror}") from None
    body = key.removeprefix(KEY_PREFIX)
    if (
        not key.startswith(KEY_PREFIX)
        or len(body) < KEY_FILE_MIN_CHARS
        or not all(c.isascii() and (c.isalnum() or c in "-_") for c in body)
    ):
        raise CommandError(f"the key in {path} is refused: {KEY_FILE_RULE}")
    return key
