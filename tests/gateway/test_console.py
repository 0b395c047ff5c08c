"""The web console: its JSON API answers as the gRPC API does (keys, roles, accounts), and in a
real headless Chromium a user signs in, finds an instance, sees its step timeline and pauses it.

The browser is driven with Playwright's Python package over the Debian `chromium` binary
(`executable_path`, no browser download): its locators and `expect` wait with deadlines, so
the test reads as the user's clicks, without sleeps or hand-written DevTools messages.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import struct
import threading
import zlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from playwright.async_api import Page, async_playwright, expect

from gateway.activity import read_activity
from gateway.dev import DevConfig, DevServer, start_dev
from shards import accounts
from shards.clock import now_us
from stepway import (
    Client,
    InstanceInfo,
    InstanceStatus,
    NotFoundError,
    RetryPolicy,
    Step,
    StepWorker,
    Worker,
    WorkflowEvent,
    workflow,
)
from tests.helpers import eventually, needs

CHROMIUM = "/usr/bin/chromium"
VIEWPORT = {"width": 1280, "height": 800}
# Where the browser test copies its screenshots when set (docs/console.png is one of them).
SCREENSHOTS = os.environ.get("STEPWAY_SCREENSHOTS")

charges: dict[str, int] = {}


def charge_card(instance_id: str) -> dict[str, Any]:
    charges[instance_id] = charges.get(instance_id, 0) + 1
    if charges[instance_id] == 1:
        raise ConnectionError("card processor timed out")
    return {"charge_id": f"ch_{instance_id}", "attempt": charges[instance_id]}


@workflow("order")
async def order(event: WorkflowEvent, step: Step) -> Any:
    reserved = await step.do("reserve", lambda: {"sku": event.params["sku"]})
    charged = await step.do(
        "charge", charge_card, event.instance_id, retries=RetryPolicy(limit=3, delay=0.3)
    )
    await step.sleep("cool off", 0.3)
    approval = await step.wait_for_event("approval", type="approved", timeout=3600)
    return {"reserved": reserved, "charged": charged, "by": approval.payload["by"]}


def refuse(reason: str) -> None:
    raise ValueError(reason)


@workflow("refund")
async def refund(event: WorkflowEvent, step: Step) -> Any:
    if event.params.get("refuse"):
        await step.do("check", refuse, "refund window closed", retries=RetryPolicy(limit=0))
    return {"refunded": True}


@pytest.fixture(autouse=True)
def _reset() -> None:
    charges.clear()


@pytest.fixture
async def dev_server(db_url: str) -> AsyncIterator[DevServer]:
    """conftest's dev server (which the `client` fixture connects to), with the console on."""
    server = await start_dev(DevConfig(db_url=db_url, listen="127.0.0.1:0", http="127.0.0.1:0"))
    try:
        yield server
    finally:
        await server.stop()


async def waiting_for_approval(client: Client, instance_id: str) -> InstanceInfo:
    """The instance once it waits for its approval event, every earlier step recorded."""
    return await eventually(
        lambda: client.describe("order", instance_id),
        lambda info: (
            info.status is InstanceStatus.WAITING
            and any(s.name == "approval" for s in info.steps or ())
        ),
        what=f"{instance_id} waiting for approval",
    )


async def call(
    server: DevServer, method: str, path: str, key: str | None = None, body: Any = None
) -> tuple[int, Any]:
    """One request to the console's API: the status and the decoded JSON body."""
    headers = {"Authorization": f"Bearer {key}"} if key is not None else {}
    url = f"http://127.0.0.1:{server.http_port}{path}"
    async with (
        aiohttp.ClientSession() as session,
        session.request(method, url, headers=headers, json=body) as resp,
    ):
        return resp.status, await resp.json()


async def test_the_api_refuses_requests_without_a_valid_key(dev_server: DevServer) -> None:
    status, body = await call(dev_server, "GET", "/api/workflows")
    assert status == 401 and "API key" in body["error"]
    assert (await call(dev_server, "GET", "/api/workflows", "sw_not_a_key"))[0] == 401
    async with aiohttp.ClientSession() as session:
        url = f"http://127.0.0.1:{dev_server.http_port}/api/workflows"
        basic = {"Authorization": "Basic dXNlcjpwdw=="}
        async with session.get(url, headers=basic) as resp:
            assert resp.status == 401
    status, body = await call(dev_server, "GET", "/api/me", dev_server.api_key)
    assert (status, body["account"]) == (200, "default")
    status, body = await call(dev_server, "GET", "/api/nothing", dev_server.api_key)
    assert status == 404 and "no such API endpoint" in body["error"]


async def test_the_page_and_its_files_are_served_with_a_strict_policy(
    dev_server: DevServer,
) -> None:
    base = f"http://127.0.0.1:{dev_server.http_port}"
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{base}/") as resp:
            assert resp.status == 200 and resp.content_type == "text/html"
            assert '<script src="/static/console.js"' in await resp.text()
            assert resp.headers["Content-Security-Policy"].startswith("default-src 'self'")
            assert resp.headers["X-Frame-Options"] == "DENY"
        for name, content_type in [("console.js", "text/javascript"), ("console.css", "text/css")]:
            async with session.get(f"{base}/static/{name}") as resp:
                assert (resp.status, resp.content_type) == (200, content_type)
        async with session.get(f"{base}/static/missing.js") as resp:
            assert resp.status == 404


async def test_the_api_lists_workflows_and_instances_and_shows_an_instance_with_its_history(
    dev_server: DevServer, client: Client
) -> None:
    key = dev_server.api_key
    async with Worker(client, workflows=[order]):
        for n in (1, 2, 3):
            await client.create("order", id=f"order-{n}", params={"sku": f"A{n}"})
        for n in (1, 2, 3):
            await waiting_for_approval(client, f"order-{n}")

        status, body = await call(dev_server, "GET", "/api/workflows", key)
        assert status == 200
        [wf] = body["workflows"]
        assert (wf["name"], wf["task_queue"], wf["instances"]) == (
            "order",
            "default",
            {"waiting": 3},
        )

        status, first = await call(
            dev_server, "GET", "/api/instances?workflow=order&status=waiting&page_size=2", key
        )
        assert status == 200
        assert [i["id"] for i in first["instances"]] == ["order-3", "order-2"]
        token = first["next_page_token"]
        assert token
        _, second = await call(
            dev_server,
            "GET",
            f"/api/instances?workflow=order&status=waiting&page_size=2&page_token={token}",
            key,
        )
        assert [i["id"] for i in second["instances"]] == ["order-1"]
        assert second["next_page_token"] is None
        _, none = await call(dev_server, "GET", "/api/instances?status=complete", key)
        assert none["instances"] == []

        status, body = await call(dev_server, "GET", "/api/instances?status=stuck", key)
        assert status == 400 and "unknown status" in body["error"]
        assert (await call(dev_server, "GET", "/api/instances?page_size=0", key))[0] == 400

        status, doc = await call(dev_server, "GET", "/api/instances/order/order-1", key)
    assert status == 200
    instance = doc["instance"]
    assert (instance["status"], instance["finished"]) == ("waiting", False)
    assert instance["params"] == {"sku": "A1"}
    assert instance["current_step"] == "approval"
    assert [(s["name"], s["kind"], s["state"]) for s in doc["steps"]] == [
        ("reserve", "do", "succeeded"),
        ("charge", "do", "succeeded"),
        ("cool off", "sleep", "succeeded"),
        ("approval", "wait_for_event", "pending"),
    ]
    assert doc["steps"][1]["attempts"] == 2
    assert doc["steps"][1]["output"] == {"charge_id": "ch_order-1", "attempt": 2}
    events = [(e["type"], e["step_name"], e["attempt"]) for e in doc["history"]]
    for expected in [
        ("step_attempt_failed", "charge", 1),
        ("step_retry_scheduled", "charge", 2),
        ("step_succeeded", "charge", 2),
        ("sleeping", "cool off", None),
        ("woke", "cool off", None),
        ("waiting_for_event", "approval", None),
    ]:
        assert expected in events
    failed = next(e for e in doc["history"] if e["type"] == "step_attempt_failed")
    assert failed["error"]["type"] == "ConnectionError"
    assert doc["history"][-1]["until"] is not None
    assert doc["now"].endswith("Z")

    status, body = await call(dev_server, "GET", "/api/instances/order/order-9", key)
    assert status == 404 and "order-9" in body["error"]


def _fail_to_refund(booking: Any) -> None:
    raise ValueError(f"cannot refund {booking['sku']}")


@workflow("rolled_order")
async def rolled_order(event: WorkflowEvent, step: Step) -> Any:
    await step.do(
        "reserve",
        lambda: {"sku": "A1"},
        rollback=_fail_to_refund,
        rollback_retries=RetryPolicy(limit=0),
    )
    raise RuntimeError("payment declined")


async def test_the_api_shows_an_instances_rollback_outcome_and_the_step_it_failed_on(
    dev_server: DevServer, client: Client
) -> None:
    async with Worker(client, workflows=[rolled_order]):
        handle = await client.create("rolled_order", id="ro-1")
        await eventually(handle.status, lambda i: i.status is InstanceStatus.ERRORED)
    status, doc = await call(
        dev_server, "GET", "/api/instances/rolled_order/ro-1", dev_server.api_key
    )
    assert status == 200
    instance = doc["instance"]
    assert instance["error"]["message"] == "payment declined"
    assert (instance["rollback"], instance["rollback_step"], instance["rollback_step_seq"]) == (
        "rollback_failed",
        "reserve",
        1,
    )
    assert instance["rollback_error"]["message"] == "cannot refund A1"
    assert ("reserve", "rollback", "failed") in [
        (s["name"], s["kind"], s["state"]) for s in doc["steps"]
    ]


async def test_the_api_pauses_resumes_terminates_and_restarts_an_instance(
    dev_server: DevServer, client: Client
) -> None:
    key = dev_server.api_key
    path = "/api/instances/order/o-ctl"
    async with Worker(client, workflows=[order]):
        await client.create("order", id="o-ctl", params={"sku": "A1"})
        await waiting_for_approval(client, "o-ctl")

        status, body = await call(dev_server, "POST", f"{path}/pause", key)
        assert status == 200, body
        assert body["instance"]["status"] == "paused"
        assert (await client.status("order", "o-ctl")).status is InstanceStatus.PAUSED
        status, body = await call(dev_server, "POST", f"{path}/pause", key)
        assert status == 409 and "paused" in body["error"]

        status, body = await call(dev_server, "POST", f"{path}/resume", key)
        assert (status, body["instance"]["status"]) == (200, "waiting")

        status, body = await call(dev_server, "POST", f"{path}/terminate", key, {"reason": 7})
        assert status == 400 and "reason" in body["error"]
        status, body = await call(
            dev_server, "POST", f"{path}/terminate", key, {"reason": "customer cancelled"}
        )
        assert (status, body["instance"]["status"]) == (200, "terminated")
        history = await client.history("order", "o-ctl")
        assert history[-1].type == "terminated"
        assert history[-1].reason == "customer cancelled"
        assert (await call(dev_server, "POST", f"{path}/resume", key))[0] == 409

        status, body = await call(
            dev_server, "POST", f"{path}/restart", key, {"from_step": "cool off"}
        )
        assert (status, body["instance"]["status"]) == (200, "queued")
        # The restart keeps reserve and charge: the run goes on from the sleep to the wait.
        await waiting_for_approval(client, "o-ctl")
        assert charges["o-ctl"] == 2

        status, body = await call(
            dev_server, "POST", f"{path}/restart", key, {"from_step": "never ran"}
        )
        assert status == 409 and "has not run" in body["error"]


async def test_another_accounts_instance_is_not_found_and_a_worker_key_is_refused(
    dev_server: DevServer, client: Client
) -> None:
    await client.admin.create_account("other")
    other = (await client.admin.create_key("other", "admin")).key
    worker = (await client.admin.create_key("default", "worker")).key
    async with Worker(client, workflows=[order]):
        await client.create("order", id="mine", params={"sku": "A1"})
        await waiting_for_approval(client, "mine")

    status, body = await call(dev_server, "GET", "/api/me", other)
    assert (status, body["account"]) == (200, "other")
    assert (await call(dev_server, "GET", "/api/instances/order/mine", other))[0] == 404
    assert (await call(dev_server, "POST", "/api/instances/order/mine/pause", other))[0] == 404
    assert (await call(dev_server, "POST", "/api/instances/order/mine/terminate", other))[0] == 404
    assert (await call(dev_server, "GET", "/api/instances", other))[1]["instances"] == []
    assert (await call(dev_server, "GET", "/api/workflows", other))[1]["workflows"] == []
    assert (await client.status("order", "mine")).status is InstanceStatus.WAITING

    assert (await call(dev_server, "GET", "/api/find?id=mine", other))[1]["instances"] == []
    assert (await call(dev_server, "DELETE", "/api/instances/order/mine", other))[0] == 404
    event = {"type": "approved", "payload": {"by": "eve"}}
    assert (await call(dev_server, "POST", "/api/instances/order/mine/event", other, event))[
        0
    ] == 404
    assert (await call(dev_server, "POST", "/api/instances", other, {"workflow": "order"}))[
        0
    ] == 404
    assert (await client.status("order", "mine")).status is InstanceStatus.WAITING

    status, body = await call(dev_server, "GET", "/api/workflows", worker)
    assert status == 403 and "role" in body["error"]


async def test_the_api_creates_finds_sends_an_event_to_and_deletes_an_instance(
    dev_server: DevServer, client: Client
) -> None:
    key = dev_server.api_key
    async with Worker(client, workflows=[order]):
        create = {"workflow": "order", "id": "o-new", "params": {"sku": "A1"}}
        status, body = await call(dev_server, "POST", "/api/instances", key, create)
        assert (status, body) == (200, {"workflow": "order", "id": "o-new", "created": True})
        status, body = await call(dev_server, "POST", "/api/instances", key, create)
        assert (status, body["created"]) == (200, False)
        status, body = await call(dev_server, "POST", "/api/instances", key, {"id": "x"})
        assert status == 400 and "workflow" in body["error"]
        status, body = await call(dev_server, "POST", "/api/instances", key, {"workflow": "nope"})
        assert status == 404 and "nope" in body["error"]
        # JSON that Python reads but Stepway's strict JSON refuses: a 400, not a 502.
        async with (
            aiohttp.ClientSession() as session,
            session.post(
                f"http://127.0.0.1:{dev_server.http_port}/api/instances",
                headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
                data='{"workflow": "order", "params": {"x": NaN}}',
            ) as resp,
        ):
            assert resp.status == 400 and "params" in (await resp.json())["error"]
        anonymous = {"workflow": "order"}
        generated = (await call(dev_server, "POST", "/api/instances", key, anonymous))[1]
        assert generated["created"] and generated["id"]
        await waiting_for_approval(client, "o-new")

        status, body = await call(dev_server, "GET", "/api/find?id=o-new", key)
        assert status == 200
        assert [(i["workflow"], i["id"]) for i in body["instances"]] == [("order", "o-new")]
        assert (await call(dev_server, "GET", "/api/find?id=nosuch", key))[1]["instances"] == []
        assert (await call(dev_server, "GET", "/api/find", key))[0] == 400

        path = "/api/instances/order/o-new"
        status, body = await call(dev_server, "DELETE", path, key)
        assert status == 409, body
        status, body = await call(dev_server, "POST", f"{path}/event", key, {"payload": 1})
        assert status == 400 and "type" in body["error"]
        event = {"type": "approved", "payload": {"by": "ann"}}
        status, body = await call(dev_server, "POST", f"{path}/event", key, event)
        assert (status, body) == (200, {"delivered": True})
        assert (await client.get_handle("order", "o-new").result(timeout=20))["by"] == "ann"

    status, body = await call(dev_server, "DELETE", path, key)
    assert (status, body) == (200, {"deleted": {"workflow": "order", "id": "o-new"}})
    assert (await call(dev_server, "GET", path, key))[0] == 404
    assert (await call(dev_server, "DELETE", path, key))[0] == 404


async def test_the_overview_counts_creations_completions_failures_and_the_queue_per_minute(
    dev_server: DevServer, client: Client
) -> None:
    key = dev_server.api_key
    async with Worker(client, workflows=[refund]):
        for n in range(3):
            await client.create("refund", id=f"r-{n}", params={})
        await client.create("refund", id="r-refused", params={"refuse": True})
        for id in ("r-0", "r-1", "r-2", "r-refused"):
            await client.get_handle("refund", id).wait(timeout=20)
    # No worker now: the next two wait in the queue, never started. (The worker's last poll
    # may still be open at the shard when the first is created: its claim is given back, as
    # never started, once the poll's cancellation arrives.)
    await client.create("refund", id="r-later-1", params={})
    await client.create("refund", id="r-later-2", params={})

    status, body = await eventually(
        functools.partial(call, dev_server, "GET", "/api/activity", key),
        lambda answer: answer[0] != 200 or answer[1]["activity"]["queued"][-1] == 2,
        what="two instances queued in the overview",
    )
    assert status == 200 and body["account"] == "default"
    activity = body["activity"]
    assert activity["minute_seconds"] == 60
    for field in ("created", "completed", "failed", "queued"):
        assert len(activity[field]) == 60
    assert (sum(activity["created"]), sum(activity["completed"]), sum(activity["failed"])) == (
        6,
        3,
        1,
    )
    assert activity["queued"][-1] == 2
    # An hour later every figure has left the window, but the two queued still wait.
    db, account = dev_server.db, "default"
    with db.connect() as conn:
        account_id = accounts.get_account(conn, account).id
        later = read_activity(conn, account_id, now_us() + 3600 * 1_000_000)
        half = read_activity(conn, account_id, now_us() + 1800 * 1_000_000)
    assert sum(later.created) == sum(later.completed) == sum(later.failed) == 0
    assert later.queued == [2] * 60
    # Half an hour later, the creations sit about 30 minutes back, and the queue was empty
    # before them.
    assert sum(half.created) == 6 and half.created.index(max(half.created)) in (28, 29, 30)
    assert half.queued[0] == 0 and half.queued[-1] == 2

    # Another account sees its own hour: nothing.
    await client.admin.create_account("other")
    other = (await client.admin.create_key("other", "admin")).key
    status, body = await call(dev_server, "GET", "/api/activity", other)
    assert (status, body["account"], sum(body["activity"]["created"])) == (200, "other", 0)


async def test_stopping_the_gateway_stops_the_console(tmp_path: Path) -> None:
    server = await start_dev(
        DevConfig(db_url=f"sqlite:///{tmp_path / 'stepway.db'}", listen="127.0.0.1:0")
    )
    try:
        assert server.http_port is None
    finally:
        await server.stop()
    server = await start_dev(
        DevConfig(
            db_url=f"sqlite:///{tmp_path / 'stepway.db'}",
            listen="127.0.0.1:0",
            http="127.0.0.1:0",
        )
    )
    try:
        assert (await call(server, "GET", "/api/me", server.api_key))[0] == 200
    finally:
        await server.stop()
    with pytest.raises(aiohttp.ClientConnectionError):
        await call(server, "GET", "/api/me", server.api_key)


def png_size(path: Path) -> tuple[int, int]:
    """The width and height of a PNG that has something drawn on it; fails on a blank one."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    pixels, pos = [], 8
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        if data[pos + 4 : pos + 8] == b"IDAT":
            pixels.append(data[pos + 8 : pos + 8 + length])
        pos += 12 + length
    # A blank page's rows filter to runs of one byte value and compress to a few kilobytes; a
    # page with text, tables and bars spreads over nearly every byte value.
    raw = zlib.decompress(b"".join(pixels))
    assert len(raw) == height * (1 + 4 * width) or len(raw) == height * (1 + 3 * width)
    assert len(set(raw)) > 128, f"{path} looks blank"
    assert len(data) > 15_000, f"{path} looks blank ({len(data)} bytes)"
    return width, height


async def screenshot(page: Page, path: Path) -> None:
    await page.screenshot(path=path)
    assert png_size(path) == (VIEWPORT["width"], VIEWPORT["height"])
    if SCREENSHOTS:
        keep(path, Path(SCREENSHOTS))


def keep(path: Path, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(path, folder / path.name)


@pytest.fixture
def console_sign_in() -> bool:
    """Whether the browser tests' console signs the local user in (the sign-in form's tests
    turn it off)."""
    return False


@pytest.fixture
async def browser_server(
    tmp_path: Path, console_sign_in: bool
) -> AsyncIterator[tuple[DevServer, Client]]:
    """A dev server on SQLite with the console on, and a client of it, for the browser tests."""
    server = await start_dev(
        DevConfig(
            db_url=f"sqlite:///{tmp_path / 'stepway.db'}",
            listen="127.0.0.1:0",
            http="127.0.0.1:0",
            console_sign_in=console_sign_in,
        )
    )
    client = await Client.connect(server.address, api_key=server.api_key)
    try:
        yield server, client
    finally:
        await client.close()
        await server.stop()


@needs(os.path.exists(CHROMIUM), f"needs {CHROMIUM}: install the Debian package chromium")
async def test_a_user_finds_an_instance_in_the_browser_sees_its_timeline_and_pauses_it(
    browser_server: tuple[DevServer, Client], tmp_path: Path
) -> None:
    server, client = browser_server
    async with Worker(client, workflows=[order]), async_playwright() as pw:
        await client.create("order", id="order-7", params={"sku": "A1", "qty": 2})
        await waiting_for_approval(client, "order-7")
        browser = await pw.chromium.launch(executable_path=CHROMIUM)
        try:
            page = await browser.new_page(viewport=VIEWPORT)  # type: ignore[arg-type]
            await use_the_console(page, server, client, tmp_path)
        finally:
            await browser.close()


async def use_the_console(page: Page, server: DevServer, client: Client, shots: Path) -> None:
    page.set_default_timeout(20_000)
    await page.goto(f"http://127.0.0.1:{server.http_port}/")

    # Sign in: a wrong key is refused on the form, the right one opens the overview.
    await page.fill("#api-key", "sw_wrong")
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.locator("#login-error")).to_contain_text("refused")
    await page.fill("#api-key", server.api_key)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.locator("#account")).to_have_text("account default")

    # Overview → the workflow's waiting instances → the instance.
    waiting = page.locator('#workflows tr[data-workflow="order"] a[data-status="waiting"]')
    await expect(waiting).to_have_text("1")
    await screenshot(page, shots / "overview.png")
    await waiting.click()
    link = page.locator('#instances tr[data-instance="order-7"] a')
    await expect(link).to_have_text("order-7")
    await screenshot(page, shots / "instances.png")
    await link.click()
    await expect(page.locator("#instance-id")).to_have_text("order-7")
    await expect(page.locator("#status")).to_have_text("waiting")
    await expect(page.locator("#params")).to_contain_text('"qty": 2')

    # The timeline: a row per step, the failed attempt, its retry delay and the retried
    # attempt, the sleep, and the event wait still open.
    timeline = page.locator("#timeline")
    rows = timeline.locator(".gantt-row[data-step]")
    await expect(rows).to_have_count(4)
    labels = [await rows.nth(n).get_attribute("data-step") for n in range(4)]
    assert labels == ["reserve#1", "charge#1", "cool off#1", "approval#1"]
    charge = timeline.locator('.gantt-row[data-step="charge#1"]')
    await expect(charge.locator(".bar.attempt-failed")).to_have_count(1)
    await expect(charge.locator(".bar.retry")).to_have_count(1)
    await expect(charge.locator(".bar.attempt-ok")).to_have_count(1)
    title = await charge.locator(".bar.attempt-failed").get_attribute("title")
    assert title is not None and "ConnectionError: card processor timed out" in title
    await expect(timeline.locator('[data-step="reserve#1"] .bar.attempt-ok')).to_have_count(1)
    await expect(timeline.locator('[data-step="cool off#1"] .bar.sleep')).to_have_count(1)
    await expect(timeline.locator('[data-step="approval#1"] .bar.wait.open')).to_have_count(1)
    await expect(page.locator("#action-resume")).to_be_disabled()
    await screenshot(page, shots / "instance.png")

    # Pause, seen on the page and through the gRPC API, then Resume.
    await page.get_by_role("button", name="Pause").click()
    await expect(page.locator("#status")).to_have_text("paused")
    assert (await client.status("order", "order-7")).status is InstanceStatus.PAUSED
    await expect(timeline.locator(".instance-row .bar.inst-paused.open")).to_have_count(1)
    await expect(page.locator("#action-pause")).to_be_disabled()
    await screenshot(page, shots / "paused.png")
    await page.get_by_role("button", name="Resume").click()
    await expect(page.locator("#status")).to_have_text("waiting")
    assert (await client.status("order", "order-7")).status is InstanceStatus.WAITING
    await expect(timeline.locator(".instance-row .bar.inst-paused")).to_have_count(1)
    await expect(timeline.locator(".instance-row .bar.inst-paused.open")).to_have_count(0)
    await screenshot(page, shots / "resumed.png")

    # The page follows the instance: the approval sent through the SDK completes it.
    await client.send_event("order", "order-7", "approved", {"by": "ann"})
    await expect(page.locator("#status")).to_have_text("complete")
    await expect(page.locator("#output")).to_contain_text('"by": "ann"')
    await expect(timeline.locator(".bar.open")).to_have_count(0)
    await expect(page.locator("#action-terminate")).to_be_disabled()
    # Worded as `stepway instances describe`: no current step once it ended.
    facts = page.locator("#instance .facts")
    await expect(facts).to_contain_text("Last successful step")
    await expect(facts).not_to_contain_text("Current step")


@workflow("render_doc")
async def render_doc(event: WorkflowEvent, step: Step) -> Any:
    return await step.call("render", task_queue="pdf", step_type="render_pdf", input=event.params)


@needs(os.path.exists(CHROMIUM), f"needs {CHROMIUM}: install the Debian package chromium")
async def test_the_timeline_shows_a_remote_step_waiting_for_a_step_worker_then_its_attempt(
    browser_server: tuple[DevServer, Client], tmp_path: Path
) -> None:
    server, client = browser_server
    pdf = StepWorker(client, task_queue="pdf", handlers={"render_pdf": lambda i, ctx: "doc.pdf"})
    async with Worker(client, workflows=[render_doc]), async_playwright() as pw:
        await client.create("render_doc", id="d-1", params={"pages": 3})
        await eventually(
            lambda: client.describe("render_doc", "d-1"),
            lambda info: any(s.name == "render" for s in info.steps or ()),
            what="the call scheduled",
        )
        browser = await pw.chromium.launch(executable_path=CHROMIUM)
        try:
            page = await browser.new_page(viewport=VIEWPORT)  # type: ignore[arg-type]
            page.set_default_timeout(20_000)
            await page.goto(f"http://127.0.0.1:{server.http_port}/#/instance/render_doc/d-1")
            await page.fill("#api-key", server.api_key)
            await page.get_by_role("button", name="Sign in").click()
            await expect(page.locator("#status")).to_have_text("waiting")
            render = page.locator('#timeline .gantt-row[data-step="render#1"]')
            queued = render.locator(".bar.call-queued")
            await expect(queued).to_have_count(1)
            await expect(queued).to_have_class(re.compile(r"\bopen\b"))
            title = await queued.get_attribute("title")
            assert title is not None and "step task queue pdf" in title
            await expect(page.locator("#history")).to_contain_text(
                "render_pdf on step task queue pdf"
            )

            async with pdf:  # a step worker comes: the attempt runs, the instance completes
                await expect(page.locator("#status")).to_have_text("complete")
            await expect(render.locator(".bar.call-queued.open")).to_have_count(0)
            attempt = render.locator(".bar.attempt-ok")
            await expect(attempt).to_have_count(1)
            title = await attempt.get_attribute("title")
            assert title is not None and f"on step worker {pdf.id}" in title
            await screenshot(page, tmp_path / "call.png")
        finally:
            await browser.close()


@needs(os.path.exists(CHROMIUM), f"needs {CHROMIUM}: install the Debian package chromium")
@pytest.mark.parametrize("console_sign_in", [True])
async def test_a_local_user_creates_signals_finds_and_deletes_an_instance_and_sees_the_hour(
    browser_server: tuple[DevServer, Client], tmp_path: Path
) -> None:
    server, client = browser_server
    async with Worker(client, workflows=[order, refund]), async_playwright() as pw:
        await client.create("refund", id="refund-1", params={})
        await client.create("refund", id="refund-2", params={"refuse": True})
        browser = await pw.chromium.launch(executable_path=CHROMIUM)
        try:
            page = await browser.new_page(viewport=VIEWPORT)  # type: ignore[arg-type]
            page.on("dialog", lambda dialog: dialog.accept())
            await create_signal_find_delete(page, server, client, tmp_path)
        finally:
            await browser.close()


async def create_signal_find_delete(
    page: Page, server: DevServer, client: Client, shots: Path
) -> None:
    page.set_default_timeout(20_000)
    # No key to paste: the dev server signs this machine's browser in.
    await page.goto(f"http://127.0.0.1:{server.http_port}/")
    await expect(page.locator("#account")).to_have_text("account default")

    # Create an instance from the form; its page opens.
    await page.get_by_role("link", name="New instance").click()
    await page.select_option("#create-workflow", "order")
    await page.fill("#create-id", "order-9")
    await page.fill("#create-params", '{"sku": "B7", "qty": 1}')
    await page.get_by_role("button", name="Create").click()
    await expect(page.locator("#instance-id")).to_have_text("order-9")
    await expect(page.locator("#status")).to_have_text("waiting")
    assert (await client.status("order", "order-9")).params == {"sku": "B7", "qty": 1}
    facts = page.locator("#instance .facts")
    await expect(facts).to_contain_text("Current step")
    await expect(page.locator("#action-delete")).to_be_disabled()

    # Send the event it waits for: it completes.
    await page.fill("#event-type", "approved")
    await page.fill("#event-payload", '{"by": "bob"}')
    await page.get_by_role("button", name="Send").click()
    await expect(page.locator("#status")).to_have_text("complete")
    await expect(page.locator("#output")).to_contain_text('"by": "bob"')
    await expect(facts).not_to_contain_text("Current step")

    # The account's hour: three creations, two completions, one failure, an empty queue.
    await page.get_by_role("link", name="Account").click()
    charts = page.locator("#activity")
    await expect(charts.locator('[data-chart="created"] .total')).to_have_text("3 in the hour")
    await expect(charts.locator('[data-chart="completed"] .total')).to_have_text("2 in the hour")
    await expect(charts.locator('[data-chart="failed"] .total')).to_have_text("1 in the hour")
    await expect(charts.locator('[data-chart="queued"] .total')).to_have_text("0 now")
    await expect(charts.locator('[data-chart="created"] rect.bar-value')).not_to_have_count(0)
    await screenshot(page, shots / "account.png")

    # Find it by id alone, from the header's search box, then delete it.
    await page.fill("#find-id", "order-9")
    await page.press("#find-id", "Enter")
    await expect(page.locator("#instance-id")).to_have_text("order-9")
    await page.get_by_role("button", name="Delete").click()
    await expect(page.locator("#notice")).to_have_text("Deleted order/order-9.")
    with pytest.raises(NotFoundError):
        await client.status("order", "order-9")
    await page.fill("#find-id", "order-9")
    await page.press("#find-id", "Enter")
    await expect(page.locator("#not-found")).to_contain_text("order-9")

    # Signing out sticks in this tab: a reload asks for a key.
    await page.get_by_role("button", name="Sign out").click()
    await page.reload()
    await expect(page.locator("#login")).to_be_visible()


running_released = threading.Event()


def long_render() -> str:
    running_released.wait(20)  # runs until the test has watched it
    return "rendered"


@workflow("long_step")
async def long_step(event: WorkflowEvent, step: Step) -> Any:
    return await step.do("render", long_render, timeout=60)


def so_far_ms(title: str | None) -> float:
    """How long a running bar's title says its span has run, in milliseconds."""
    found = re.search(r"\(([\d.]+)(ms|s) so far\)", title or "")
    assert found, f"not a running span's title: {title!r}"
    return float(found[1]) * (1 if found[2] == "ms" else 1000)


@needs(os.path.exists(CHROMIUM), f"needs {CHROMIUM}: install the Debian package chromium")
async def test_the_timeline_shows_a_running_steps_bar_growing_until_it_ends(
    browser_server: tuple[DevServer, Client], tmp_path: Path
) -> None:
    server, client = browser_server
    running_released.clear()
    async with Worker(client, workflows=[long_step]), async_playwright() as pw:
        await client.create("long_step", id="long-1")
        await eventually(
            lambda: client.describe("long_step", "long-1"),
            lambda info: any(s.state == "running" for s in info.steps or ()),
            what="the step running",
        )
        browser = await pw.chromium.launch(executable_path=CHROMIUM)
        try:
            page = await browser.new_page(viewport=VIEWPORT)  # type: ignore[arg-type]
            page.set_default_timeout(20_000)
            await page.goto(f"http://127.0.0.1:{server.http_port}/#/instance/long_step/long-1")
            await page.fill("#api-key", server.api_key)
            await page.get_by_role("button", name="Sign in").click()
            await expect(page.locator("#status")).to_have_text("running")
            bar = page.locator('#timeline .gantt-row[data-step="render#1"] .bar.attempt.open')
            await expect(bar).to_have_count(1)
            first_title = await bar.get_attribute("title")
            assert first_title is not None and "render#1 attempt 1" in first_title
            first_box = await bar.bounding_box()
            assert first_box is not None
            # Each refresh of the page draws the bar to the new now: longer, and wider.
            await eventually(
                lambda: bar.get_attribute("title"),
                lambda title: so_far_ms(title) > so_far_ms(first_title) + 500,
                what="the running bar grown by half a second",
            )
            later_box = await bar.bounding_box()
            assert later_box is not None and later_box["width"] > first_box["width"]
            await screenshot(page, tmp_path / "running.png")
            running_released.set()
            await expect(page.locator("#status")).to_have_text("complete")
            row = page.locator('#timeline .gantt-row[data-step="render#1"]')
            await expect(row.locator(".bar.attempt-ok")).to_have_count(1)
            await expect(row.locator(".bar.open")).to_have_count(0)
        finally:
            running_released.set()
            await browser.close()


@workflow("console_kid")
async def console_kid(event: WorkflowEvent, step: Step) -> Any:
    return {"got": event.params}


@workflow("console_mom")
async def console_mom(event: WorkflowEvent, step: Step) -> Any:
    return await step.run_workflow("console_kid", 7, id="kid-7")


async def test_the_api_links_a_parent_and_its_child_both_ways(
    dev_server: DevServer, client: Client
) -> None:
    key = dev_server.api_key
    async with Worker(client, workflows=[console_kid, console_mom]):
        handle = await client.create("console_mom", id="mom-7")
        assert await handle.result(timeout=30) == {"got": 7}
    _, mom = await call(dev_server, "GET", "/api/instances/console_mom/mom-7", key)
    [kid] = mom["instance"]["children"]
    assert (kid["workflow"], kid["id"], kid["wait"], kid["status"]) == (
        "console_kid",
        "kid-7",
        True,
        "complete",
    )
    assert {e["type"] for e in mom["history"]} >= {"child_started", "child_ended"}
    _, child = await call(dev_server, "GET", "/api/instances/console_kid/kid-7", key)
    assert child["instance"]["parent"] == {
        "workflow": "console_mom",
        "id": "mom-7",
        "step_name": "child:console_kid",
        "depth": 1,
        "parent_close": "terminate",
    }
