"""The console's schedules: its JSON API lists and shows schedules and pauses, resumes and
triggers them, on SQLite and PostgreSQL; in a real headless Chromium a user opens a schedule
from the list, reads its next fire times, triggers it and follows the run to its instance."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.async_api import Page, async_playwright, expect

from gateway.dev import DevConfig, DevServer, start_dev
from stepway import Client
from tests.gateway.test_console import CHROMIUM, VIEWPORT, call, screenshot
from tests.helpers import needs

# Instances that schedules create wait on this queue; no worker polls it, so they stay queued.
QUEUE = "scheduled"


@pytest.fixture
async def dev_server(db_url: str) -> AsyncIterator[DevServer]:
    """conftest's dev server (which the `client` fixture connects to), with the console on."""
    server = await start_dev(DevConfig(db_url=db_url, listen="127.0.0.1:0", http="127.0.0.1:0"))
    try:
        yield server
    finally:
        await server.stop()


async def test_the_api_lists_and_shows_schedules_with_their_spec_and_next_fire_times(
    dev_server: DevServer, client: Client
) -> None:
    key = dev_server.api_key
    await client.schedules.create(
        "nightly",
        "report",
        cron="0 3 * * *",
        time_zone="Europe/Paris",
        params={"kind": "daily"},
        task_queue=QUEUE,
    )
    await client.schedules.create(
        "poller", "poll", every=timedelta(minutes=15), offset=60, task_queue=QUEUE, paused=True
    )
    status, body = await call(dev_server, "GET", "/api/schedules", key)
    assert status == 200 and body["next_page_token"] is None
    nightly, poller = body["schedules"]
    assert (nightly["id"], nightly["workflow"], nightly["cron"], nightly["time_zone"]) == (
        "nightly",
        "report",
        "0 3 * * *",
        "Europe/Paris",
    )
    assert (nightly["paused"], len(nightly["next_fire_times"]), nightly["overlap"]) == (
        False,
        1,
        "skip",
    )
    assert (poller["every_seconds"], poller["offset_seconds"], poller["paused"]) == (900, 60, True)
    assert poller["next_fire_times"] == []
    status, page = await call(dev_server, "GET", "/api/schedules?page_size=1", key)
    assert [s["id"] for s in page["schedules"]] == ["nightly"] and page["next_page_token"]

    status, body = await call(dev_server, "GET", "/api/schedules/nightly?next=3", key)
    assert status == 200
    shown = body["schedule"]
    assert shown["params"] == {"kind": "daily"} and shown["recent_runs"] == []
    fires = [datetime.fromisoformat(t) for t in shown["next_fire_times"]]
    assert len(fires) == 3 and all(t > datetime.now(UTC) for t in fires)
    assert all(t.minute == 0 and t.hour in (1, 2) for t in fires)  # 03:00 in Paris


async def test_the_api_pauses_resumes_and_triggers_a_schedule_and_shows_its_run(
    dev_server: DevServer, client: Client
) -> None:
    key = dev_server.api_key
    await client.schedules.create("hourly", "report", every=timedelta(hours=1), task_queue=QUEUE)
    status, body = await call(
        dev_server, "POST", "/api/schedules/hourly/pause", key, {"note": "maintenance"}
    )
    assert status == 200
    assert (body["schedule"]["paused"], body["schedule"]["note"]) == (True, "maintenance")
    status, body = await call(dev_server, "POST", "/api/schedules/hourly/trigger", key)
    assert status == 200 and body["instance_id"].startswith("hourly-")
    instance_id = body["instance_id"]
    status, body = await call(dev_server, "POST", "/api/schedules/hourly/resume", key)
    assert (status, body["schedule"]["paused"], body["schedule"]["note"]) == (200, False, "")
    status, body = await call(dev_server, "GET", "/api/schedules/hourly", key)
    [run] = body["schedule"]["recent_runs"]
    assert (run["instance_id"], run["workflow"], run["status"]) == (instance_id, "report", "queued")
    assert body["schedule"]["fired"] == 1
    assert (await client.status("report", instance_id)).task_queue == QUEUE


async def test_the_api_answers_an_unknown_schedule_404_and_a_bad_query_400(
    dev_server: DevServer,
) -> None:
    key = dev_server.api_key
    status, body = await call(dev_server, "GET", "/api/schedules/nope", key)
    assert status == 404 and "nope" in body["error"]
    assert (await call(dev_server, "POST", "/api/schedules/nope/trigger", key))[0] == 404
    status, body = await call(dev_server, "GET", "/api/schedules/nope?next=0", key)
    assert status == 400 and "next must be 1 to 100" in body["error"]
    status, body = await call(dev_server, "GET", "/api/schedules?page_size=x", key)
    assert status == 400 and "page_size must be a number" in body["error"]
    assert (await call(dev_server, "GET", "/api/schedules"))[0] == 401


@pytest.fixture
async def browser_server(tmp_path: Path) -> AsyncIterator[tuple[DevServer, Client]]:
    """A dev server on SQLite whose console signs the local browser in, and a client of it."""
    server = await start_dev(
        DevConfig(
            db_url=f"sqlite:///{tmp_path / 'stepway.db'}",
            listen="127.0.0.1:0",
            http="127.0.0.1:0",
            console_sign_in=True,
        )
    )
    client = await Client.connect(server.address, api_key=server.api_key)
    try:
        yield server, client
    finally:
        await client.close()
        await server.stop()


@needs(os.path.exists(CHROMIUM), f"needs {CHROMIUM}: install the Debian package chromium")
async def test_a_user_opens_a_schedule_triggers_it_pauses_it_and_follows_its_run(
    browser_server: tuple[DevServer, Client], tmp_path: Path
) -> None:
    server, client = browser_server
    await client.schedules.create(
        "nightly",
        "report",
        cron="0 3 * * *",
        time_zone="Europe/Paris",
        params={"kind": "daily"},
        task_queue=QUEUE,
    )
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM)
        try:
            page = await browser.new_page(viewport=VIEWPORT)  # type: ignore[arg-type]
            page.on("dialog", lambda dialog: dialog.accept("holiday"))
            await use_the_schedules_page(page, server, client, tmp_path)
        finally:
            await browser.close()


async def use_the_schedules_page(
    page: Page, server: DevServer, client: Client, shots: Path
) -> None:
    page.set_default_timeout(20_000)
    await page.goto(f"http://127.0.0.1:{server.http_port}/")
    await expect(page.locator("#account")).to_have_text("account default")

    # The list: its spec, state and next fire.
    await page.get_by_role("link", name="Schedules").click()
    row = page.locator('#schedules tr[data-schedule="nightly"]')
    await expect(row.locator(".spec")).to_have_text('cron "0 3 * * *" Europe/Paris')
    await expect(row).to_contain_text("active")
    await expect(row.locator(".next-fire")).to_contain_text("UTC")

    # Its page: ten next fire times, at 03:00 in Paris, and no run yet.
    await row.get_by_role("link", name="nightly").click()
    await expect(page.locator("#schedule-id")).to_have_text("nightly")
    fires = page.locator("#next-fires tbody tr")
    await expect(fires).to_have_count(10)
    await expect(fires.first.locator("td").first).to_contain_text("03:00:00")
    await expect(page.locator("#recent-runs")).to_have_text("No runs yet.")
    await expect(page.locator("#schedule-params")).to_contain_text('"kind": "daily"')

    # Trigger it: the run is listed, with a link to its instance.
    await page.get_by_role("button", name="Trigger now").click()
    await expect(page.locator("#notice")).to_contain_text("Triggered: created instance nightly-")
    run = page.locator("#recent-runs tbody tr")
    await expect(run).to_have_count(1)
    await expect(run).to_contain_text("queued")
    await screenshot(page, shots / "schedule.png")

    # Pause it with a note, then resume it.
    await page.get_by_role("button", name="Pause").click()
    await expect(page.locator("#schedule-state")).to_have_text("paused holiday")
    await expect(page.locator("#next-fires")).to_have_text("Paused: no next fire.")
    assert (await client.schedules.get("nightly")).paused
    await page.get_by_role("button", name="Resume").click()
    await expect(page.locator("#schedule-state")).to_have_text("active holiday")
    await expect(fires).to_have_count(10)

    # The run's link opens its instance.
    await run.get_by_role("link").click()
    await expect(page.locator("#instance-id")).to_contain_text("nightly-")
    await expect(page.locator("#status")).to_have_text("queued")
