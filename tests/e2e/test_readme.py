"""The README's quick start: two commands a newcomer copies one at a time, each in its own
block, and the test command the one CI runs."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def first_blocks(text: str, n: int) -> list[list[str]]:
    """The lines of the first n fenced code blocks."""
    blocks = re.findall(r"^```[a-z]*\n(.*?)^```$", text, re.MULTILINE | re.DOTALL)
    return [block.splitlines() for block in blocks[:n]]


def test_the_readme_opens_with_the_run_command_and_the_test_command_in_two_blocks() -> None:
    run, test = first_blocks((ROOT / "README.md").read_text(), 2)
    assert len(run) == 1 and len(test) == 1, (run, test)
    assert "pip install" in run[0] and run[0].endswith("stepway dev --example")
    assert "scripts/test" not in run[0]
    assert test == ["bash scripts/test"]


def test_ci_runs_the_readmes_test_command() -> None:
    _, [test] = first_blocks((ROOT / "README.md").read_text(), 2)
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert test in ci
