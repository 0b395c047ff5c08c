"""docs/testing.md's examples run: the README's order workflow in under a second of wall time,
and the pytest plugin from a fresh virtual environment with the SDK and its testing extra."""

from __future__ import annotations

import os
import re
import subprocess
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import venv_with_wheels

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "testing.md"


def doc_blocks() -> list[str]:
    """The python code blocks of docs/testing.md: the first steps, the order example, the
    plugin example."""
    return re.findall(r"```python\n(.*?)```", DOC.read_text(), re.S)


def order_example() -> dict[str, Any]:
    """The names the order example defines (its workflow and its tests)."""
    namespace: dict[str, Any] = {"__name__": "testing_doc_order"}
    exec(compile(doc_blocks()[1], str(DOC), "exec"), namespace)
    return namespace


def test_the_testing_page_has_the_first_steps_the_order_example_and_the_plugin_example() -> None:
    first, order, plugin = doc_blocks()
    assert "WorkflowEnvironment.start" in first
    assert '@workflow("order")' in order
    assert "stepway_env" in plugin


@pytest.mark.alone
async def test_the_first_steps_snippet_runs_the_order_workflow() -> None:
    namespace = order_example()
    body = textwrap.indent(doc_blocks()[0], "    ")
    exec(compile(f"async def first_steps():\n{body}", str(DOC), "exec"), namespace)
    started = time.monotonic()
    await namespace["first_steps"]()
    # Nobody approves: the hour passes at once and the instance ends errored.
    assert time.monotonic() - started < 1.0


@pytest.mark.alone
async def test_the_readme_order_workflow_with_both_approval_paths_runs_in_under_a_second() -> None:
    tests = [v for k, v in order_example().items() if k.startswith("test_")]
    assert len(tests) == 2
    for test in tests:
        started = time.monotonic()
        await test()
        assert time.monotonic() - started < 1.0, test.__name__


@pytest.fixture(scope="module")
def plugin_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The python of a fresh venv holding the SDK, installed from a wheel with its testing
    extra, and the server that the extra brings, from a wheel too. The other dependencies are
    the suite's own: the venv sees them through a .pth line naming this venv's site-packages,
    so the install needs no index."""
    tmp = tmp_path_factory.mktemp("plugin-venv")
    venv = venv_with_wheels(tmp, [ROOT / "sdk" / "python", ROOT], extras="testing")
    python = venv / "bin" / "python"
    # The plugin comes from the new venv's install, not from this checkout.
    found = subprocess.run(
        [str(python), "-c", "import stepway.testing; print(stepway.testing.__file__)"],
        cwd=tmp,
        capture_output=True,
        text=True,
        check=True,
    )
    assert str(venv) in found.stdout
    return python


@pytest.mark.parametrize("mode", ["auto", "strict"])
def test_the_pytest_plugin_serves_stepway_env_from_an_sdk_installed_with_its_testing_extra(
    plugin_python: Path, tmp_path: Path, mode: str
) -> None:
    python = plugin_python
    project = tmp_path / "project"
    project.mkdir()
    body = doc_blocks()[2]
    if mode == "strict":
        body = body.replace("async def test_", "@pytest.mark.asyncio\nasync def test_")
    (project / "test_hello.py").write_text(body)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    done = subprocess.run(
        [
            str(python),
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-o",
            f"asyncio_mode={mode}",
            "test_hello.py",
        ],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 passed" in done.stdout
