"""What the server commands share: start-up errors turned into one line, the TLS flags and
the ServerTLS they give, the start-up line saying how a port is protected, the output flags,
and running a function in one database transaction."""

from __future__ import annotations

import argparse
import errno
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa

from shards.db import describe_failure
from shards.tls import ServerTLS, plaintext_warning


@contextmanager
def startup_errors(db_url: str) -> Iterator[None]:
    """Turns what stops a server command from starting (a database it cannot use, a port
    another process holds) into one line and exit 1, with the URL's password hidden."""
    from shards.rpc import AddressInUse
    from shards.tls import CertificateError
    from stepway._cli_base import CommandError

    try:
        yield
    except (AddressInUse, CertificateError) as exc:
        raise CommandError(str(exc)) from None
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE:
            raise
        raise CommandError(f"cannot listen on a port another process holds: {exc}") from None
    except Exception as exc:
        message = describe_failure(db_url, exc)
        if message is None:
            raise
        raise CommandError(message) from None


def tls_args(p: argparse.ArgumentParser, callers: str) -> None:
    """`--tls-cert` and `--tls-key`: the server's certificate chain and key (PEM), read again
    when the files change."""
    p.add_argument(
        "--tls-cert",
        metavar="FILE",
        help=f"serve TLS to {callers} with this certificate chain (PEM; env STEPWAY_TLS_CERT; "
        "read again when the file changes); default: plaintext",
    )
    p.add_argument(
        "--tls-key",
        metavar="FILE",
        help="the private key of --tls-cert (PEM; env STEPWAY_TLS_KEY)",
    )


def gateway_ca_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--tls-ca",
        metavar="FILE",
        help="the CA that issued --tls-cert, which the console and the example trust when they "
        "call this server (env STEPWAY_TLS_CA; default: --tls-cert itself, if self-signed)",
    )


def server_tls(args: argparse.Namespace, client_ca: str | None = None) -> ServerTLS | None:
    """The ServerTLS of --tls-cert and --tls-key (None when neither is given)."""
    from stepway._cli_base import CommandError

    if not args.tls_cert and not args.tls_key:
        if client_ca:
            raise CommandError("--tls-client-ca needs --tls-cert and --tls-key")
        return None
    if not args.tls_cert or not args.tls_key:
        raise CommandError("TLS needs both --tls-cert and --tls-key")
    return ServerTLS(args.tls_cert, args.tls_key, client_ca)


def tls_banner(tls: ServerTLS | None, listen: str, what: str) -> str:
    """The start-up line that says how a server's port is protected."""
    if tls is None:
        return plaintext_warning(listen, what)
    mutual = f", callers need a certificate from {tls.client_ca}" if tls.client_ca else ""
    return f"{what} serves TLS with {tls.cert} (read again when it changes{mutual})"


def output_args(p: argparse.ArgumentParser) -> None:
    from stepway._cli_base import _output_args

    _output_args(p)


def in_tx(db: sa.Engine, fn: Any) -> Any:
    from shards.db import run_tx

    return run_tx(db, fn)
