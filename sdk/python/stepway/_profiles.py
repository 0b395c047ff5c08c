"""Named connection profiles for the `stepway` command, read from a TOML file.

The file is $STEPWAY_CONFIG, else $XDG_CONFIG_HOME/stepway/config.toml, else
~/.config/stepway/config.toml:

    [profiles.default]            # used when no profile is named
    address = "127.0.0.1:7300"
    api_key = "sw_..."

    [profiles.prod]               # stepway ... --profile prod (or --env prod, STEPWAY_PROFILE)
    address = "gateway.example.com:7300"
    api_key = "sw_..."
    output = "json"               # text, json or jsonl

A flag wins over a STEPWAY_* variable, which wins over the profile.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

KEYS = ("address", "api_key", "output")
OUTPUTS = ("text", "json", "jsonl")


class ProfileError(Exception):
    """The config file cannot be read, or lacks the profile asked for."""


@dataclass(frozen=True)
class Profile:
    name: str
    address: str | None = None
    api_key: str | None = None
    output: str | None = None


def config_path(environ: Mapping[str, str]) -> Path:
    """Where the config file is looked for."""
    if environ.get("STEPWAY_CONFIG"):
        return Path(environ["STEPWAY_CONFIG"])
    base = environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "stepway" / "config.toml"


def load_profile(name: str | None, environ: Mapping[str, str]) -> Profile:
    """The named profile (or `default`, which may be absent); ProfileError for a named one
    the file lacks, an unreadable file or an unknown key."""
    path = config_path(environ)
    wanted = name or "default"
    try:
        document = tomllib.loads(path.read_text())
    except FileNotFoundError:
        document = {}
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise ProfileError(f"cannot read the config file {path}: {err}") from None
    profiles = document.get("profiles", {})
    if not isinstance(profiles, dict):
        raise ProfileError(f"{path}: [profiles] must be a table of profiles")
    found = profiles.get(wanted)
    if found is None:
        if name is None:
            return Profile("default")
        known = ", ".join(sorted(profiles)) or "none"
        raise ProfileError(f"no profile {wanted!r} in {path} (profiles there: {known})")
    if not isinstance(found, dict):
        raise ProfileError(f"{path}: [profiles.{wanted}] must be a table")
    unknown = sorted(set(found) - set(KEYS))
    if unknown:
        raise ProfileError(
            f"{path}: profile {wanted!r} has unknown key(s) {', '.join(unknown)}; "
            f"the keys are {', '.join(KEYS)}"
        )
    if any(not isinstance(v, str) for v in found.values()):
        raise ProfileError(f"{path}: the values of profile {wanted!r} must be strings")
    if found.get("output") not in (None, *OUTPUTS):
        raise ProfileError(
            f"{path}: profile {wanted!r}: output must be one of {', '.join(OUTPUTS)}"
        )
    return Profile(wanted, found.get("address"), found.get("api_key"), found.get("output"))
