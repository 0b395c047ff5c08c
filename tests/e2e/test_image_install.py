"""The container image's install, reproduced outside a container: the files deploy/Dockerfile
copies, built into wheels (the SDK's and the server's) and installed (not editable) into a
fresh virtual environment; each
role the image runs (`migrate`, `shard`, `gateway`, `worker`, `dev --example`) started from
it, answering deploy/healthcheck.py SERVING, a workflow run through the gateway, and SIGTERM
ending each process cleanly. The fresh environment sees the test environment's site-packages
for the dependencies, so the install needs no network."""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import signal
import subprocess
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from stepway import Client, InstanceStatus
from tests.helpers import eventually, free_port, venv_with_wheels

ROOT = Path(__file__).resolve().parents[2]
# What deploy/Dockerfile copies into its build stage.
IMAGE_SOURCES = ("pyproject.toml", "README.md", "sdk", "gateway", "shards")
DASHBOARD = ROOT / "deploy" / "compose" / "grafana" / "dashboards" / "stepway.json"
ALERTS = ROOT / "deploy" / "compose" / "prometheus" / "alerts.yml"


def scrape(address: str) -> str:
    """The Prometheus exposition a server's /metrics answers."""
    with urllib.request.urlopen(f"http://{address}/metrics", timeout=10) as answer:
        return str(answer.read().decode())


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment holding Stepway from wheels of the image's sources."""
    base = tmp_path_factory.mktemp("image")
    src = base / "src"
    src.mkdir()
    for name in IMAGE_SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(
                ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
            )
        else:
            shutil.copy(ROOT / name, src / name)
    return venv_with_wheels(base, [src / "sdk" / "python", src])


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """The environment of a container: no STEPWAY_ settings but the ones a test gives."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STEPWAY_", "PYTHON"))}
    env["STEPWAY_CONFIG"] = str(tmp_path / "no-profiles.toml")
    return env


class Processes:
    """Server processes started from the fresh environment, stopped by SIGTERM."""

    def __init__(self, venv: Path, cwd: Path, env: dict[str, str]) -> None:
        self.venv, self.cwd, self.env = venv, cwd, env
        self.running: dict[str, subprocess.Popen[str]] = {}

    def run(self, *argv: str, extra: dict[str, str] | None = None) -> str:
        """Runs a command to its end; its stdout, after checking it exit 0."""
        done = subprocess.run(
            [str(self.venv / "bin" / "stepway"), *argv],
            cwd=self.cwd,
            env=self.env | (extra or {}),
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done
        return done.stdout

    def start(self, name: str, *argv: str, extra: dict[str, str] | None = None) -> None:
        self.running[name] = subprocess.Popen(
            [str(self.venv / "bin" / "stepway"), *argv],
            cwd=self.cwd,
            env=self.env | (extra or {}),
            stdout=(self.cwd / f"{name}.out").open("w"),
            stderr=(self.cwd / f"{name}.err").open("w"),
            text=True,
        )

    def output(self, name: str) -> str:
        return (self.cwd / f"{name}.out").read_text()

    async def healthy(self, name: str, address: str) -> None:
        """Waits until the image's health check, run by the fresh environment, passes."""

        async def probe() -> subprocess.CompletedProcess[str]:
            exited = self.running[name].poll()
            assert exited is None, (self.cwd / f"{name}.err").read_text()
            return await asyncio.to_thread(
                subprocess.run,
                [str(self.venv / "bin" / "python"), str(ROOT / "deploy" / "healthcheck.py")],
                env=self.env | {"STEPWAY_HEALTH_ADDRESS": address},
                capture_output=True,
                text=True,
                timeout=30,
            )

        done = await eventually(
            probe, lambda d: d.returncode == 0, timeout=30, interval=0.2, what="SERVING"
        )
        assert done.stdout.strip() == f"{address}: SERVING"

    def terminate(self, name: str) -> str:
        """SIGTERM, then the stderr of a process that ended by itself with exit 0."""
        process = self.running.pop(name)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0, (self.cwd / f"{name}.err").read_text()
        err = (self.cwd / f"{name}.err").read_text()
        assert "Traceback" not in err, err
        return err

    def kill_all(self) -> None:
        for process in self.running.values():
            process.kill()
            process.wait()


@pytest.fixture
def processes(venv: Path, tmp_path: Path, env: dict[str, str]) -> Iterator[Processes]:
    found = Processes(venv, tmp_path, env)
    try:
        yield found
    finally:
        found.kill_all()


def test_the_install_is_a_regular_one_holding_the_example(venv: Path, env: dict[str, str]) -> None:
    located = subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-c",
            "import stepway.examples.order as m; print(m.__file__)",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert Path(located).is_relative_to(venv), located


async def test_every_role_of_the_image_serves_a_workflow_and_stops_cleanly_on_sigterm(
    processes: Processes, pg_url: str, tmp_path: Path
) -> None:
    db = {"STEPWAY_DB": pg_url}
    # The test database comes migrated from a template: migrate finds it up to date.
    assert "is up to date" in processes.run("migrate", extra=db)
    operator = json.loads(
        processes.run(
            "keys",
            "create",
            "--operator",
            "--account",
            "ops",
            "--role",
            "admin",
            "-o",
            "json",
            extra=db,
        )
    )["key"]

    shard, shard_metrics = f"127.0.0.1:{free_port()}", f"127.0.0.1:{free_port()}"
    processes.start(
        "shard",
        "shard",
        extra=db
        | {
            "STEPWAY_LISTEN": shard,
            "STEPWAY_PARTITION_LEASE": "8",
            "STEPWAY_METRICS": shard_metrics,
        },
    )
    await processes.healthy("shard", shard)
    gateway, gateway_metrics = f"127.0.0.1:{free_port()}", f"127.0.0.1:{free_port()}"
    config = tmp_path / "gateway.toml"
    config.write_text(f'[gateway]\nlisten = "{gateway}"\nmetrics = "{gateway_metrics}"\n')
    processes.start("gateway", "gateway", "--config", str(config), extra=db)
    await processes.healthy("gateway", gateway)

    # The operator's key makes a tenant and its key through the gateway, as the runbook does.
    as_operator = ("--address", gateway, "--api-key", operator)
    processes.run("accounts", "create", "shop", *as_operator)
    tenant = json.loads(
        processes.run(
            "keys",
            "create",
            "--account",
            "shop",
            "--role",
            "admin",
            "-o",
            "json",
            *as_operator,
        )
    )["key"]
    processes.start(
        "worker", "worker", "stepway.examples.order", "--address", gateway, "--api-key", tenant
    )

    async def worker_output() -> str:
        return processes.output("worker")

    await eventually(worker_output, lambda out: "serving order" in out, timeout=30)
    async with await Client.connect(gateway, api_key=tenant) as client:
        handle = await client.create("order", id="o-1", params={"sku": "A1", "qty": 1})
        await eventually(
            handle.status,
            lambda i: i.status is InstanceStatus.WAITING and i.current_step == "approval",
            timeout=30,
            what="the order waiting for approval",
        )
        await handle.send_event("approved", {"by": "ann"})
        assert (await handle.result(timeout=30))["tracking"] == "TRACK-42"

    exported = "".join(
        [await asyncio.to_thread(scrape, a) for a in (shard_metrics, gateway_metrics)]
    )
    assert "stepway_instances_finished_total{" in exported
    queried = set(re.findall(r"stepway_[a-z_]+", DASHBOARD.read_text() + ALERTS.read_text()))
    families = set(re.findall(r"^# TYPE (stepway_[a-z_]+)", exported, re.M))
    missing = {
        name for name in queried if not any(name == f or name.startswith(f + "_") for f in families)
    }
    assert not missing, f"the dashboard or alerts query metrics no server exports: {missing}"

    processes.terminate("worker")
    processes.terminate("gateway")
    processes.terminate("shard")
    # A graceful stop leaves the cluster at once, its partitions free for the next owner.
    status = json.loads(processes.run("cluster", "status", "-o", "json", extra=db))
    assert status["members"] == [], status


async def test_dev_with_the_example_runs_it_from_the_installed_package(
    processes: Processes, tmp_path: Path
) -> None:
    address = f"127.0.0.1:{free_port()}"
    processes.start(
        "dev",
        "dev",
        "--example",
        "--http",
        "off",
        extra={"STEPWAY_LISTEN": address, "STEPWAY_DB": f"sqlite:///{tmp_path / 'dev.db'}"},
    )
    await processes.healthy("dev", address)

    async def output() -> str:
        return processes.output("dev")

    await eventually(output, lambda out: "Serving; Ctrl-C stops." in out, timeout=60)
    assert re.search(r"instance order-\w+ complete", processes.output("dev"))
    processes.terminate("dev")


def test_the_install_here_copies_what_the_dockerfile_copies_and_the_image_runs_unprivileged() -> (
    None
):
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text()
    build, runtime = dockerfile.split("\nFROM ")[1:]
    copied = {line.split()[1].rstrip("/") for line in build.splitlines() if line.startswith("COPY")}
    copied |= {
        name
        for line in build.splitlines()
        if line.startswith("COPY")
        for name in line.split()[2:-1]
    }
    assert copied == set(IMAGE_SOURCES)
    assert re.search(r"^USER 10001$", runtime, re.M)
    assert re.search(r"^EXPOSE 7300 7301 7380 9300$", runtime, re.M)
    assert "deploy/healthcheck.py /usr/local/bin/stepway-healthcheck" in runtime
