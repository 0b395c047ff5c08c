"""What a user of Temporal's CLI or wrangler reaches for in `stepway`: JSON and JSON Lines output
with JSON errors, profiles, shell completion, `create --wait`, `latest`, a progress bar, and
plain answers for an unknown workflow, `--version` and the help. Each runs the real command as
a subprocess against a dev server, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from gateway.dev import DevServer
from shards import schema
from shards.clock import now_us
from stepway import (
    Client,
    InstanceStatus,
    QuotaExceededError,
    Step,
    Worker,
    WorkflowEvent,
    workflow,
)
from stepway.v1 import worker_service_pb2 as wpb
from tests.helpers import eventually
from tests.sdk.test_cli import WORKFLOWS, Cli, command_env, until_waiting
from tests.shards.test_quotas import _default_account, set_quotas


@pytest.fixture(scope="module")
def cli_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return command_env(tmp_path_factory.mktemp("pycache"))


@pytest.fixture
def cli(cli_env: dict[str, str], dev_server: DevServer) -> Cli:
    return Cli(cli_env, dev_server)


@pytest.fixture
async def worker(client: Client) -> AsyncIterator[Worker]:
    async with Worker(client, workflows=WORKFLOWS) as w:
        yield w


def json_error(err: str) -> dict[str, Any]:
    """The error object a command printed on stderr under --output json or jsonl."""
    [line] = err.splitlines()
    document = json.loads(line)
    assert set(document) == {"error"}
    error: dict[str, Any] = document["error"]
    return error


# ---------------------------------------------------------------------- output


async def test_json_and_jsonl_output_reach_every_command_and_errors_come_as_json(
    client: Client, worker: Worker, cli: Cli
) -> None:
    for id in ("j1", "j2"):
        await (await client.create("pipeline", id=id)).result(timeout=30)
    missing, missing_jsonl, lines, history = await asyncio.gather(
        cli("instances", "describe", "pipeline", "nope", "--json"),
        cli("instances", "describe", "pipeline", "nope", "-o", "jsonl"),
        cli("instances", "list", "--workflow", "pipeline", "--output", "jsonl"),
        cli("instances", "history", "pipeline", "j1", "--output", "jsonl"),
    )
    for ran in (missing, missing_jsonl):
        assert (ran.code, ran.out) == (1, ""), ran
        error = json_error(ran.err)
        assert error["code"] == "NOT_FOUND"
        assert error["reason"] == "INSTANCE_NOT_FOUND" and "retry_after" not in error
        assert error["message"] == "instance 'nope' of workflow 'pipeline' not found"
    assert [json.loads(line)["id"] for line in lines.lines] == ["j2", "j1"]
    events = [json.loads(line) for line in history.lines]
    assert events[0]["type"] == "created" and events[-1]["type"] == "completed"


async def test_a_servers_refusal_shows_its_reason_and_retry_after_in_text_and_json(
    dev_server: DevServer, client: Client, cli: Cli
) -> None:
    set_quotas(dev_server.db, _default_account(dev_server), max_queued_per_workflow=1)
    await client.call(
        client.workers.RegisterWorker,
        wpb.RegisterWorkerRequest(worker_id="idle", task_queue="default", workflows=["idle"]),
    )
    ids = (f"fill{n}" for n in range(1000))

    async def full() -> bool:
        try:
            await client.create("idle", id=next(ids))
        except QuotaExceededError:
            return True
        return False

    await eventually(full, lambda refused: refused, what="the queue limit in force")
    text, jsonl = await asyncio.gather(
        cli("instances", "create", "idle", "--id", "past-it"),
        cli("instances", "create", "idle", "--id", "past-it", "-o", "jsonl"),
    )
    assert (text.code, text.out) == (1, ""), text
    assert text.err.startswith("error: QUOTA_EXCEEDED: workflow 'idle' has 1 queued instances")
    assert "quota max_queued_per_workflow (1) exceeded" in text.err
    assert (jsonl.code, jsonl.out) == (1, ""), jsonl
    error = json_error(jsonl.err)
    assert (error["code"], error["reason"]) == ("RESOURCE_EXHAUSTED", "QUOTA_EXCEEDED")
    assert isinstance(error["retry_after"], float) and error["retry_after"] > 0


async def test_cluster_status_answers_json_and_forget_drops_only_an_expired_member(
    dev_server: DevServer, cli_env: dict[str, str]
) -> None:
    url = dev_server.config.db_url
    with dev_server.db.begin() as conn:
        gone = now_us() - 60_000_000
        conn.execute(
            schema.members.insert().values(
                id="shard@gone",
                address="10.0.0.9:7301",
                started_at=gone,
                heartbeat_at=gone,
                lease_until=gone,
            )
        )
    bare = Cli(cli_env)
    status = await bare("cluster", "status", "--db", url, "--json")
    assert status.code == 0, status.err
    states = {m["id"]: m["state"] for m in status.json()["members"]}
    assert states == {"dev": "live", "shard@gone": "expired"}
    forgotten, live, unknown = await asyncio.gather(
        bare("cluster", "forget", "shard@gone", "--db", url),
        bare("cluster", "forget", "dev", "--db", url),
        bare("cluster", "forget", "nobody", "--db", url, "--json"),
    )
    assert (forgotten.code, forgotten.out) == (0, "forgot member shard@gone\n"), forgotten
    assert live.code == 1 and "member 'dev' is live" in live.err
    assert json_error(unknown.err)["message"] == "no member 'nobody' in this cluster"
    after = await bare("cluster", "status", "--db", url, "--json")
    assert [m["id"] for m in after.json()["members"]] == ["dev"]


# ---------------------------------------------------------------------- plain answers


async def test_version_and_the_worker_help_read_plainly(cli_env: dict[str, str]) -> None:
    bare = Cli(cli_env)
    long, short, help = await asyncio.gather(
        bare("--version"), bare("-V"), bare("worker", "--help")
    )
    assert long.code == 0 and long.out.startswith("stepway ") and long.out == short.out
    assert "default default" not in help.out and "(default: 'default')" in help.out


async def test_an_unknown_workflow_is_named_by_list_and_by_instance_commands(
    client: Client, worker: Worker, cli: Cli
) -> None:
    listing, typo, latest, known = await asyncio.gather(
        cli("instances", "list", "--workflow", "nosuch"),
        cli("instances", "describe", "ordr", "order-42"),
        cli("instances", "describe", "ordr", "latest"),
        cli("instances", "describe", "pipeline", "order-42"),
    )
    for ran in (listing, typo, latest):
        assert (ran.code, ran.out) == (1, ""), ran
    assert listing.err.startswith("error: workflow 'nosuch' not found (the workflows: approval,")
    assert typo.err.startswith("error: workflow 'ordr' not found (the workflows: approval,")
    assert latest.err == typo.err
    assert known.err == (
        "error: INSTANCE_NOT_FOUND: instance 'order-42' of workflow 'pipeline' not found\n"
    )


async def test_describe_says_utc_on_every_time_and_json_has_whole_seconds_and_no_list_params(
    client: Client, worker: Worker, cli: Cli
) -> None:
    await (await client.create("pipeline", id="t1", params={"n": 1})).result(timeout=30)
    text, doc, listing = await asyncio.gather(
        cli("instances", "describe", "pipeline", "t1"),
        cli("instances", "describe", "pipeline", "t1", "--json"),
        cli("instances", "list", "--json"),
    )
    facts = {line.split(":", 1)[0]: line for line in text.lines if ":" in line}
    for label in ("Created", "Started", "Ended"):
        assert facts[label].endswith(" UTC"), facts[label]
    assert '"retention": 2592000,' in doc.out  # 30 days, a whole number of seconds
    assert doc.json()["params"] == {"n": 1}
    [row] = listing.json()["instances"]
    assert row["id"] == "t1" and "params" not in row and "output" not in row


# ---------------------------------------------------------------------- create


async def test_create_wait_prints_the_result_and_exits_1_when_the_instance_fails(
    client: Client, worker: Worker, cli: Cli
) -> None:
    done, doc, failed = await asyncio.gather(
        cli("instances", "create", "pipeline", "--id", "w1", "--wait"),
        cli("instances", "create", "pipeline", "--id", "w2", "--wait", "--json"),
        cli("instances", "create", "doomed", "--id", "w3", "--wait"),
    )
    assert done.code == 0, done.err
    assert done.lines == ["created instance w1 of workflow pipeline", '"stored 3 rows"']
    assert doc.json() == {
        "workflow": "pipeline",
        "id": "w2",
        "created": True,
        "status": "complete",
        "output": "stored 3 rows",
    }
    assert failed.code == 1
    assert failed.lines[-1] == "instance w3 of workflow doomed: errored"
    assert failed.err.startswith("error: instance w3 errored:") and "out of stock" in failed.err


async def test_latest_names_the_workflows_most_recently_created_instance(
    client: Client, worker: Worker, cli: Cli
) -> None:
    for id in ("first", "second"):
        await client.create("approval", id=id)
    described = await cli("instances", "describe", "approval", "latest", "--json")
    assert described.json()["id"] == "second"
    sent = await cli("instances", "send-event", "approval", "latest", "approved")
    assert sent.code == 0, sent.err
    assert await client.get_handle("approval", "second").result(timeout=30) is None
    assert (await client.status("approval", "first")).status is not InstanceStatus.COMPLETE


@workflow("later")
async def later(event: WorkflowEvent, step: Step) -> str:
    return str(await step.do("greet", greet, event.params["name"]))


async def greet(name: str) -> str:
    return f"hello {name}"


async def test_a_create_naming_its_task_queue_waits_for_a_worker_that_registers_later(
    client: Client, cli: Cli
) -> None:
    named, unnamed = await asyncio.gather(
        cli(
            *("instances", "create", "later", "--id", "q1", "--task-queue", "jobs"),
            *("--params", '{"name": "ann"}'),
        ),
        cli("instances", "create", "later", "--id", "q2"),
    )
    assert (named.code, named.out) == (0, "created instance q1 of workflow later\n"), named
    assert unnamed.code == 1
    assert unnamed.err.startswith(
        "error: WORKFLOW_NOT_REGISTERED: workflow 'later' is not registered in this account"
    )
    [batch] = await client.create_batch(
        "later", [{"id": "q3", "params": {"name": "bo"}}], task_queue="jobs"
    )
    assert batch.created, batch.error
    assert (await client.status("later", "q1")).status is InstanceStatus.QUEUED
    async with Worker(client, task_queue="jobs", workflows=[later]):
        assert await client.get_handle("later", "q1").result(timeout=30) == "hello ann"
        assert await client.get_handle("later", "q3").result(timeout=30) == "hello bo"


def read_pty(master: int) -> bytes:
    """Everything written to a pseudo-terminal until its last writer closes it."""
    got = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # EIO: the other side is closed
            return got
        if not chunk:
            return got
        got += chunk


async def on_terminal(cli: Cli, *args: str) -> tuple[int, str, str]:
    """Runs the command with its stderr on a pseudo-terminal: exit code, stdout, what the
    terminal showed."""
    master, slave = os.openpty()
    try:
        proc = await asyncio.create_subprocess_exec(
            *(sys.executable, "-m", "stepway", *cli.argv(args)),
            stdout=asyncio.subprocess.PIPE,
            stderr=slave,
            env=cli.env,
        )
        os.close(slave)
        drawn, (out, _) = await asyncio.gather(
            asyncio.to_thread(read_pty, master), asyncio.wait_for(proc.communicate(), 60)
        )
    finally:
        os.close(master)
    assert proc.returncode is not None
    return proc.returncode, out.decode(), drawn.decode()


async def test_create_from_a_jsonl_file_draws_a_progress_bar_only_on_a_terminal(
    client: Client, worker: Worker, cli: Cli, tmp_path: Path
) -> None:
    batch = tmp_path / "batch.jsonl"
    lines = [json.dumps({"id": f"b{n}", "params": {"n": n}}) for n in range(700)]
    batch.write_text("\n".join([*lines, "", '{"id": "no spaces allowed"}']) + "\n")
    # On a queue no worker polls, so that the instances wait without running.
    command = ("instances", "create", "napper", "--from-file", str(batch), "--task-queue", "idle")
    code, out, drawn = await on_terminal(cli, *command)
    refused = "  item 701 (no spaces allowed): instance_id: 'no spaces allowed' must match"
    assert code == 1, drawn
    assert out.startswith(f"700 created, 0 existed already, 1 refused\n{refused}")
    assert "creating napper [" in drawn and "701/701 100%" in drawn
    assert f"error: 1 item(s) of {batch} refused" in drawn
    piped = await cli(*command)
    assert (piped.code, piped.err) == (1, f"error: 1 item(s) of {batch} refused\n")
    assert piped.out.startswith(f"0 created, 700 existed already, 1 refused\n{refused}")
    assert (await client.list_page("napper", page_size=1)).instances[0].id.startswith("b")


async def test_bulk_says_what_it_would_touch_then_does_it_with_a_bar_only_on_a_terminal(
    client: Client, worker: Worker, cli: Cli
) -> None:
    await client.create_batch(
        "napper", [{"id": f"n{n}", "params": {"seconds": 600}} for n in range(40)]
    )
    await client.create("approval", id="other")
    for n in (0, 39):
        await until_waiting(client, "napper", f"n{n}")
    asked = await cli("instances", "bulk", "terminate", "--workflow", "napper")
    assert asked.out == "would terminate 40 instance(s) of workflow napper; add --yes to do it\n"
    assert (await client.status("napper", "n0")).status is InstanceStatus.WAITING
    code, out, drawn = await on_terminal(
        cli, "instances", "bulk", "terminate", "--workflow", "napper", "--reason", "x", "--yes"
    )
    assert (code, out) == (0, "terminated 40 of 40 instance(s) of workflow napper\n"), drawn
    assert "terminate napper [" in drawn and "40/40 100%" in drawn
    again = await cli(
        "instances", "bulk", "delete", "--workflow", "napper", "--status", "terminated", "--yes"
    )
    assert (again.code, again.err) == (0, ""), again
    assert again.out == "deleted 40 of 40 instance(s) of workflow napper\n"
    assert (await client.list_page("napper")).instances == []
    assert (await client.status("approval", "other")).status is not InstanceStatus.TERMINATED


# ---------------------------------------------------------------------- profiles, completion


async def test_a_profile_gives_address_and_key_and_variables_then_flags_override_it(
    dev_server: DevServer, cli_env: dict[str, str], tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        f'[profiles.local]\naddress = "{dev_server.address}"\napi_key = "{dev_server.api_key}"\n'
        'output = "json"\n'
    )
    env = {**cli_env, "STEPWAY_CONFIG": str(config)}
    profiled = Cli(env)
    by_flag, by_env, overridden, flag_wins, missing = await asyncio.gather(
        profiled("workflows", "list", "--profile", "local"),
        Cli({**env, "STEPWAY_PROFILE": "local"})("workflows", "list", "--env", "local"),
        Cli({**env, "STEPWAY_API_KEY": "sw_wrong"})("workflows", "list", "--profile", "local"),
        Cli({**env, "STEPWAY_API_KEY": "sw_wrong"})(
            "workflows", "list", "--profile", "local", "--api-key", dev_server.api_key
        ),
        profiled("workflows", "list", "--profile", "prod"),
    )
    for ran in (by_flag, by_env, flag_wins):
        assert (ran.code, ran.out) == (0, "[]\n"), ran
    assert overridden.code == 1
    assert "API key is not valid" in str(json_error(overridden.err)["message"])
    assert missing.code == 1
    assert missing.err == f"error: no profile 'prod' in {config} (profiles there: local)\n"


async def test_completion_scripts_complete_commands_flags_and_choices(
    cli_env: dict[str, str],
) -> None:
    bare = Cli(cli_env)
    bash, zsh, fish, actions, flags, statuses = await asyncio.gather(
        bare("completion", "bash"),
        bare("completion", "zsh"),
        bare("completion", "fish"),
        bare("__complete", "instances", "c"),
        bare("__complete", "instances", "list", "--st"),
        bare("__complete", "instances", "list", "--status", "wa"),
    )
    for ran in (bash, zsh, fish):
        assert ran.code == 0 and "stepway __complete" in ran.out, ran
    assert actions.lines == ["create"]
    assert flags.lines == ["--status"]
    assert statuses.lines == ["waiting", "waitingForPause"]
    env = {**cli_env, "PATH": f"{Path(sys.executable).parent}:{cli_env['PATH']}"}
    script = (
        f"{bash.out}\nCOMP_WORDS=(stepway instances des); COMP_CWORD=2; _stepway_complete; "
        'printf "%s\\n" "${COMPREPLY[@]}"'
    )
    proc = await asyncio.create_subprocess_exec(
        "bash", "-c", script, stdout=asyncio.subprocess.PIPE, env=env
    )
    out, _ = await asyncio.wait_for(proc.communicate(), 30)
    assert out.decode().split() == ["describe"]
