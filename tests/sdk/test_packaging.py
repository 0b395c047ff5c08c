"""The two distributions: the SDK (sdk/python, `stepway`) never imports the server's packages
and the packages import each other without a cycle; installed alone into a fresh virtual
environment, the SDK runs a worker and a client against a server, with no database library
in that environment, and its server commands say what to install."""

from __future__ import annotations

import ast
import asyncio
import importlib.metadata
import json
import os
import signal
import subprocess
import sys
import sysconfig
import tomllib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from gateway.dev import DevConfig, DevServer, start_dev
from tests.helpers import eventually, one_build_at_a_time

ROOT = Path(__file__).resolve().parents[2]
SDK = ROOT / "sdk" / "python"
PACKAGES = {"stepway": SDK / "stepway", "gateway": ROOT / "gateway", "shards": ROOT / "shards"}

WORKFLOW = """
from stepway import Step, WorkflowEvent, workflow


def double(n):
    return n * 2


@workflow("double")
async def doubled(event: WorkflowEvent, step: Step):
    return await step.do("double", double, event.params["n"])
"""


def imported_packages(path: Path) -> set[str]:
    """The top-level names a module imports (absolute imports only)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def package_graph() -> dict[str, set[str]]:
    """Which of stepway, gateway and shards each of them imports."""
    return {
        name: {
            other
            for module in folder.rglob("*.py")
            for other in imported_packages(module) & PACKAGES.keys()
            if other != name
        }
        for name, folder in PACKAGES.items()
    }


def test_no_module_of_the_sdk_imports_gateway_or_shards() -> None:
    offenders = {
        str(module.relative_to(ROOT)): sorted(imported_packages(module) & {"gateway", "shards"})
        for module in (SDK / "stepway").rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_packages_import_each_other_without_a_cycle() -> None:
    graph = package_graph()
    assert graph == {"stepway": set(), "shards": {"stepway"}, "gateway": {"shards", "stepway"}}

    def reaches(start: str, goal: str, seen: frozenset[str] = frozenset()) -> bool:
        return any(
            nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt}))
            for nxt in graph[start]
        )

    assert not any(reaches(name, name) for name in graph)


def sdk_requirements() -> set[str]:
    """The distributions an install of the SDK (no extras) needs: its requirements, as
    sdk/python/pyproject.toml states them, and theirs, as this environment has them installed."""
    wanted: set[str] = set()
    todo: list[str] = []
    project = tomllib.loads((SDK / "pyproject.toml").read_text())["project"]
    for line in project["dependencies"]:
        dep = canonicalize_name(Requirement(line).name)
        wanted.add(dep)
        todo.append(dep)
    while todo:
        name = todo.pop()
        for line in importlib.metadata.requires(name) or []:
            req = Requirement(line)
            if req.marker is not None and not req.marker.evaluate({"extra": ""}):
                continue
            dep = canonicalize_name(req.name)
            if dep not in wanted:
                wanted.add(dep)
                todo.append(dep)
    return wanted


def link_distribution(name: str, site: Path) -> None:
    """The installed files of a distribution of this environment, linked into site."""
    dist = importlib.metadata.distribution(name)
    for file in dist.files or []:
        if file.parts[0] == "..":  # scripts in bin/: the SDK's dependencies need none
            continue
        target = site / file
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists():
            target.symlink_to(Path(str(dist.locate_file(file))).resolve())


@pytest.fixture(scope="module")
def sdk_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment (no system site-packages) holding the SDK from a wheel of
    sdk/python, installed by pip with its dependency check; the dependencies, found from the
    SDK's metadata, are this environment's installed files, linked, so the install needs no
    index and pip refuses it if the SDK needs anything more."""
    base = tmp_path_factory.mktemp("sdk-only")
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    with one_build_at_a_time():
        subprocess.run(
            [*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(base), str(SDK)],
            check=True,
            capture_output=True,
            cwd=base,
        )
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    purelib = sysconfig.get_paths(vars={"base": str(venv), "platbase": str(venv)})["purelib"]
    for name in sorted(sdk_requirements()):
        link_distribution(name, Path(purelib))
    [wheel] = base.glob("stepway-*.whl")
    subprocess.run(
        [*pip, "--python", str(venv / "bin" / "python"), "install", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
        text=True,
    )
    return venv


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """A plain environment: no STEPWAY_ settings, no profiles, no PYTHONPATH to this checkout."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STEPWAY_", "PYTHON"))}
    env["STEPWAY_CONFIG"] = str(tmp_path / "no-profiles.toml")
    return env


def run(
    venv: Path, argv: list[str], env: dict[str, str], cwd: Path
) -> subprocess.CompletedProcess[str]:
    """argv run with the venv's program argv[0]."""
    return subprocess.run(
        [str(venv / "bin" / argv[0]), *argv[1:]],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_sdk_installs_without_the_servers_database_and_http_libraries(
    sdk_venv: Path, env: dict[str, str], tmp_path: Path
) -> None:
    for name in ("sqlalchemy", "alembic", "psycopg", "aiohttp", "gateway", "shards"):
        done = run(sdk_venv, ["python", "-c", f"import {name}"], env, tmp_path)
        assert done.returncode == 1 and "ModuleNotFoundError" in done.stderr, (name, done)
    python = str(sdk_venv / "bin" / "python")
    shown = subprocess.run(
        [sys.executable, "-m", "pip", "--python", python, "show", "sqlalchemy"],
        capture_output=True,
        text=True,
    )
    assert shown.returncode == 1 and "not found" in shown.stderr, shown


def test_without_the_server_its_commands_the_test_kit_and_otlp_export_say_what_to_install(
    sdk_venv: Path, env: dict[str, str], tmp_path: Path
) -> None:
    for argv in (["dev", "--example"], ["migrate", "--db", "sqlite:///x.db"], ["shard"]):
        done = run(sdk_venv, ["stepway", *argv], env, tmp_path)
        assert done.returncode == 1, done
        assert done.stderr == (
            f"error: `stepway {argv[0]}` is a server command, and the Stepway server is not "
            "installed here: pip install stepway-server\n"
        )
    export = ["--otlp-endpoint", "http://127.0.0.1:4317"]
    traced = run(
        sdk_venv, ["stepway", *export, "workflows", "list", "--api-key", "sw_x"], env, tmp_path
    )
    assert traced.returncode == 1 and "pip install 'stepway[otlp]'" in traced.stderr, traced
    kit = (
        "import asyncio\n"
        "from stepway.testing import WorkflowEnvironment\n"
        "async def main():\n"
        "    async with WorkflowEnvironment.start([]):\n"
        "        pass\n"
        "asyncio.run(main())\n"
    )
    done = run(sdk_venv, ["python", "-c", kit], env, tmp_path)
    assert done.returncode == 1
    assert "pip install 'stepway[testing]'" in done.stderr, done.stderr


@pytest.fixture
async def server(tmp_path: Path) -> AsyncIterator[DevServer]:
    """A dev server from this environment (the server distribution), on SQLite."""
    config = DevConfig(db_url=f"sqlite:///{tmp_path / 'dev.db'}", listen="127.0.0.1:0")
    started = await start_dev(config)
    try:
        yield started
    finally:
        await started.stop()


async def test_a_worker_and_a_client_of_the_sdk_alone_run_a_workflow(
    sdk_venv: Path, server: DevServer, env: dict[str, str], tmp_path: Path
) -> None:
    (tmp_path / "doubling.py").write_text(WORKFLOW)
    connect = ["--address", server.address, "--api-key", server.api_key]
    with (
        (tmp_path / "worker.out").open("w") as stdout,
        (tmp_path / "worker.err").open("w") as errors,
    ):
        worker = await asyncio.create_subprocess_exec(
            str(sdk_venv / "bin" / "stepway"),
            "worker",
            "doubling",
            *connect,
            cwd=tmp_path,
            env=env,
            stdout=stdout,
            stderr=errors,
        )
    try:

        async def output() -> str:
            assert worker.returncode is None, (tmp_path / "worker.err").read_text()
            return (tmp_path / "worker.out").read_text()

        await eventually(output, lambda out: "serving double" in out, timeout=30)
        client = await asyncio.create_subprocess_exec(
            str(sdk_venv / "bin" / "stepway"),
            "instances",
            "create",
            "double",
            "--params",
            '{"n": 21}',
            "--wait",
            "-o",
            "json",
            *connect,
            cwd=tmp_path,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        out, err = await asyncio.wait_for(client.communicate(), timeout=60)
        assert client.returncode == 0, err.decode()
        document = json.loads(out)
        assert (document["status"], document["output"]) == ("complete", 42)
    finally:
        if worker.returncode is None:
            worker.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(worker.wait(), timeout=30) == 0
    assert "Traceback" not in (tmp_path / "worker.err").read_text()
