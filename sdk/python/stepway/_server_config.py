"""Where the server commands (`dev`, `shard`, `gateway`, `migrate`) take their flags from when
the command line leaves them out: a STEPWAY_<FLAG> environment variable, then the command's
table in a TOML config file, then the flag's default.

The variable of `--partition-lease` is STEPWAY_PARTITION_LEASE; a switch such as `--example`
takes true/false, 1/0, yes/no. The config file is `--config FILE` (or STEPWAY_SERVER_CONFIG)
and holds one table per command, keyed by the flag's name:

    [shard]
    listen = "0.0.0.0:7301"
    partition-lease = 10
    metrics = "0.0.0.0:9301"

    [gateway]
    listen = "0.0.0.0:7300"

A flag wins over a variable, which wins over the file. Values go through the flag's own
parsing, so a bad one is refused at start naming where it came from.

It is in the SDK because stepway.cli applies it before parsing; the server's gateway.commands
imports add_config_arg from here by design (the server depends on the SDK, never the reverse).
"""

from __future__ import annotations

import argparse
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

COMMANDS = ("dev", "shard", "gateway", "migrate")
CONFIG_FLAG = "--config"
CONFIG_VARIABLE = "STEPWAY_SERVER_CONFIG"
_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off", "")


def add_config_arg(p: argparse.ArgumentParser) -> None:
    """The `--config FILE` flag of a server command (read before parsing, by apply)."""
    p.add_argument(
        CONFIG_FLAG,
        metavar="FILE",
        help=f"TOML file with a [{p.prog.split()[-1]}] table of flags "
        f"(env {CONFIG_VARIABLE}); a flag, then STEPWAY_<FLAG>, then the file",
    )


def variable(action: argparse.Action) -> str | None:
    """The environment variable of an option: --partition-lease → STEPWAY_PARTITION_LEASE."""
    longs = [s for s in action.option_strings if s.startswith("--")]
    if not longs or longs[0] in ("--help", CONFIG_FLAG):
        return None
    return "STEPWAY_" + longs[0][2:].upper().replace("-", "_")


def apply(parser: argparse.ArgumentParser, argv: Sequence[str], environ: Mapping[str, str]) -> None:
    """Turns the variables and the config file into the server commands' defaults."""
    subcommands = _subparsers(parser)
    command = next((a for a in argv if a in subcommands), None)
    if command not in COMMANDS:
        return
    sub = subcommands[command]
    if sub.get_default("server_missing"):
        return  # the server is not installed: the command only says so
    table = _file_table(sub, command, _config_path(argv, environ))
    for action in sub._actions:
        name = variable(action)
        if name is None:
            continue
        flag = name.removeprefix("STEPWAY_").lower().replace("_", "-")
        if name in environ:
            raw: Any = environ[name]
            source = f"environment variable {name}"
        elif flag in table or flag.replace("-", "_") in table:
            raw = table.get(flag, table.get(flag.replace("-", "_")))
            source = f"{flag} in the config file's [{command}] table"
        else:
            continue
        sub.set_defaults(**{action.dest: _convert(sub, action, raw, source)})
        action.required = False


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _config_path(argv: Sequence[str], environ: Mapping[str, str]) -> Path | None:
    for i, arg in enumerate(argv):
        if arg == CONFIG_FLAG and i + 1 < len(argv):
            return Path(argv[i + 1])
        if arg.startswith(CONFIG_FLAG + "="):
            return Path(arg.split("=", 1)[1])
    found = environ.get(CONFIG_VARIABLE)
    return Path(found) if found else None


def _file_table(sub: argparse.ArgumentParser, command: str, path: Path | None) -> dict[str, Any]:
    """The command's table of the config file; an empty one without a file."""
    if path is None:
        return {}
    try:
        document = tomllib.loads(path.read_text())
    except (OSError, tomllib.TOMLDecodeError) as err:
        sub.error(f"cannot read the config file {path}: {err}")
    table = document.get(command, {})
    if not isinstance(table, dict):
        sub.error(f"{path}: [{command}] must be a table of flags")
    known = {
        v.removeprefix("STEPWAY_").lower().replace("_", "-")
        for v in map(variable, sub._actions)
        if v is not None
    }
    unknown = sorted(k for k in table if k.replace("_", "-") not in known)
    if unknown:
        sub.error(
            f"{path}: [{command}] has unknown key(s) {', '.join(unknown)}; "
            f"the flags of `stepway {command}` are {', '.join(sorted(known))}"
        )
    return table


def _convert(sub: argparse.ArgumentParser, action: argparse.Action, raw: Any, source: str) -> Any:
    """raw parsed as the flag would parse it; a usage error naming source when it does not."""
    if action.nargs == 0:  # a switch such as --example
        text = str(raw).strip().lower()
        if text not in _TRUE + _FALSE:
            sub.error(f"{source}: {raw!r} is not true or false")
        return text in _TRUE
    text = str(raw)
    try:
        value = action.type(text) if callable(action.type) else text
    except (argparse.ArgumentTypeError, TypeError, ValueError) as err:
        sub.error(f"{source}: {raw!r} is not a valid value ({err})")
    if action.choices is not None and value not in action.choices:
        choices = ", ".join(map(str, action.choices))
        sub.error(f"{source}: {raw!r} is not one of {choices}")
    return value
