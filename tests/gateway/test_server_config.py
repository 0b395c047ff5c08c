"""Server flags from STEPWAY_<FLAG> variables and a TOML config file, flags winning."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import pytest

from stepway import _server_config
from stepway.cli import build_parser


def parse(argv: list[str], environ: dict[str, str]) -> argparse.Namespace:
    parser = build_parser()
    _server_config.apply(parser, argv, environ)
    return parser.parse_args(argv)


def test_every_shard_flag_comes_from_its_environment_variable() -> None:
    args = parse(
        ["shard"],
        {
            "STEPWAY_DB": "postgresql://u@db/stepway",
            "STEPWAY_LISTEN": "0.0.0.0:7301",
            "STEPWAY_PARTITION_LEASE": "12.5",
            "STEPWAY_PARTITIONS": "64",
            "STEPWAY_METRICS": "0.0.0.0:9301",
        },
    )
    assert (args.db, args.listen, args.partition_lease, args.partitions, args.metrics) == (
        "postgresql://u@db/stepway",
        "0.0.0.0:7301",
        12.5,
        64,
        "0.0.0.0:9301",
    )


def test_a_flag_wins_over_the_variable_which_wins_over_the_config_file(tmp_path: Path) -> None:
    config = tmp_path / "stepway.toml"
    config.write_text(
        '[gateway]\ndb = "sqlite:///file.db"\nlisten = "0.0.0.0:1"\nmetrics = "0.0.0.0:9300"\n'
    )
    args = parse(
        ["gateway", "--config", str(config), "--listen", "0.0.0.0:3"],
        {"STEPWAY_METRICS": "0.0.0.0:2"},
    )
    assert (args.db, args.listen, args.metrics) == ("sqlite:///file.db", "0.0.0.0:3", "0.0.0.0:2")


def test_a_switch_reads_true_and_false_from_the_environment() -> None:
    assert parse(["dev"], {"STEPWAY_EXAMPLE": "true"}).example is True
    assert parse(["dev"], {"STEPWAY_EXAMPLE": "0"}).example is False


def test_a_bad_value_from_the_environment_is_refused_naming_the_variable(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        parse(["shard", "--db", "sqlite://"], {"STEPWAY_PARTITIONS": "many"})
    assert "STEPWAY_PARTITIONS" in capsys.readouterr().err


def test_an_unknown_key_in_the_config_file_is_refused_naming_the_flags(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "stepway.toml"
    config.write_text('[shard]\nlisen = "0.0.0.0:7301"\n')
    with pytest.raises(SystemExit):
        parse(["shard", "--config", str(config)], {})
    assert "lisen" in capsys.readouterr().err


def test_migrate_never_prints_the_password_of_the_database_url() -> None:
    url = "postgresql://stepway:s3cret-pw@127.0.0.1:1/stepway"
    done = subprocess.run(
        [sys.executable, "-m", "stepway", "migrate"],
        env={"STEPWAY_DB": url, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert "s3cret-pw" not in done.stdout + done.stderr
    assert "***" in done.stdout + done.stderr
