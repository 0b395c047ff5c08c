"""What every `stepway` command shares: how it prints (text, JSON or JSON Lines), how it says it
failed, and where its connection comes from (flags, STEPWAY_* variables, a profile)."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from dataclasses import dataclass
from typing import Any

from stepway import _profiles
from stepway import _render as render
from stepway.client import DEFAULT_ADDRESS, InstanceInfo
from stepway.errors import InvalidArgumentError, StepwayError


class CommandError(Exception):
    """A command cannot go on (a database or a port it cannot use, a bad config file): one line
    on stderr (a JSON object under --output json) and exit 1, never a traceback."""


@dataclass(frozen=True)
class View:
    """How a command prints: text, a JSON document or JSON Lines; in colour or not; how wide."""

    output: str
    color: bool
    width: int

    @classmethod
    def of(cls, args: argparse.Namespace) -> View:
        return cls(
            output=output_of(args),
            color=render.color_enabled(sys.stdout.isatty(), os.environ),
            width=shutil.get_terminal_size().columns,
        )

    @property
    def json(self) -> bool:
        return self.output != "text"

    def show(self, text: str) -> None:
        print(text, flush=True)

    def result(self, document: Any, text: str) -> int:
        """Prints a command's result: the document as JSON (with jsonl, a list one item a
        line), else the text."""
        if self.output == "jsonl":
            items = document if isinstance(document, list) else [document]
            for item in items:
                self.show(render.to_json_line(item))
        else:
            self.show(render.to_json(document) if self.json else text)
        return 0

    def status(self, info: InstanceInfo, note: str = "") -> int:
        """Prints the instance's status after a command, in one line."""
        line = render.instance_line(info.workflow, info.id, info.status.value, self.color, note)
        return self.result(info, line)


def output_of(args: argparse.Namespace) -> str:
    """text, json or jsonl: --output, else --json, else the profile's, else text."""
    if getattr(args, "output", None):
        return str(args.output)
    return "json" if getattr(args, "json", False) else "text"


def _output_args(p: argparse.ArgumentParser, json_help: str | None = None) -> None:
    p.add_argument(
        "-o",
        "--output",
        choices=_profiles.OUTPUTS,
        help="text (default), json: one JSON document, or jsonl: one JSON value a line "
        "(a list's items each on its own line); errors are JSON too",
    )
    p.add_argument(
        "--json", action="store_true", help=json_help or "print a JSON document (--output json)"
    )


def _connection_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--address",
        help="gateway HOST:PORT (env STEPWAY_ADDRESS, or the profile's; "
        f"default {DEFAULT_ADDRESS})",
    )
    p.add_argument("--api-key", help="API key (env STEPWAY_API_KEY, or the profile's)")
    p.add_argument(
        "--tls-ca",
        metavar="FILE",
        help="connect over TLS, verifying the gateway with this CA (PEM; env STEPWAY_TLS_CA; "
        "'system': the system's roots; default: plaintext)",
    )
    p.add_argument(
        "--profile",
        "--env",
        dest="profile",
        metavar="NAME",
        help="connection profile from the config file (env STEPWAY_PROFILE; default: the "
        "profile named default, if any)",
    )
    p.set_defaults(needs_key=True, parser=p, connects=True)


def resolve_connection(args: argparse.Namespace, environ: Any = os.environ) -> None:
    """Fills --address, --api-key and --output from STEPWAY_* variables, then the profile: a
    flag wins over a variable, which wins over the profile."""
    try:
        profile = _profiles.load_profile(
            args.profile or environ.get("STEPWAY_PROFILE") or None, environ
        )
    except _profiles.ProfileError as exc:
        raise CommandError(str(exc)) from None
    args.address = (
        args.address or environ.get("STEPWAY_ADDRESS") or profile.address or DEFAULT_ADDRESS
    )
    if args.api_key is None:
        args.api_key = environ.get("STEPWAY_API_KEY") or profile.api_key
    args.tls = tls_setting(args.tls_ca or environ.get("STEPWAY_TLS_CA"))
    if hasattr(args, "output") and not args.output and not args.json and profile.output:
        args.output = profile.output


def tls_setting(ca: str | None) -> str | bool:
    """Client.connect's tls for a --tls-ca value: a CA file, True for 'system', or False."""
    if not ca:
        return False
    return True if ca == "system" else ca


def report_error(
    args: argparse.Namespace,
    message: str,
    code: str = "",
    reason: str | None = None,
    retry_after: float | None = None,
) -> int:
    """Prints why a command failed, on stderr: `error: ...` (`error: REASON: ...` for a server's
    refusal with an error reason), or a JSON object {"error": {"message", "code", "reason"}}
    under --output json or jsonl (code: the gRPC status name of a server's refusal, reason: its
    ErrorInfo reason, each null for an error of the command itself; "retry_after", in seconds,
    where the server set one); returns the exit code, 1."""
    if output_of(args) == "text":
        shown = f"{reason}: {message}" if reason else message
        print(f"error: {shown}", file=sys.stderr, flush=True)
    else:
        error: dict[str, Any] = {"message": message, "code": code or None, "reason": reason}
        if retry_after is not None:
            error["retry_after"] = retry_after
        print(render.to_json_line({"error": error}), file=sys.stderr, flush=True)
    return 1


def report_refusal(args: argparse.Namespace, exc: StepwayError) -> int:
    """report_error for a server's refusal: its message, status code, reason and retry_after."""
    code = exc.code.name if exc.code is not None else ""
    return report_error(args, error_message(exc), code, exc.reason, exc.retry_after)


def error_message(exc: StepwayError) -> str:
    """A server's refusal as one line, naming the field of an invalid argument."""
    message = render.one_line(exc.message)
    if isinstance(exc, InvalidArgumentError) and exc.field and not message.startswith(exc.field):
        message = f"{exc.field}: {message}"
    return message
