"""The web console: a small HTTP server beside a gateway's gRPC port (`--http HOST:PORT`).

It serves one page with its script and stylesheet (gateway/console_static/), and a JSON API
under /api/ that the page calls with the user's API key (`Authorization: Bearer <key>`). The
API forwards each call to the gateway's own gRPC address through the Python SDK, under that
key, so authentication, roles, per-account isolation and routing are exactly the gRPC API's.
The one exception is the overview's activity (/api/activity): the account comes from the key
through the gRPC API as well, and its per-minute figures are then read from the store
(gateway/activity.py), since no RPC serves them.

`stepway dev` on a loopback address starts it with a sign-in key: /api/session then gives the
page that key, and only to a browser on this machine (see `_local_session`).
"""

from __future__ import annotations

import asyncio
import hashlib
import ipaddress
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import grpc
import sqlalchemy as sa
from aiohttp import web

from gateway.activity import MINUTE_US, read_activity
from shards import accounts
from shards.clock import now_us
from shards.tls import CertificateFiles, https_context
from stepway import Client, InstanceStatus, NotFoundError, ResourceExhaustedError, StepwayError
from stepway import UnauthenticatedError as Unauthenticated
from stepway.client import ErrorInfo, HistoryEvent, InstanceInfo, StepRecord
from stepway.schedules import Schedule
from stepway.v1 import workflow_service_pb2 as fpb

STATIC = Path(__file__).parent / "console_static"
# How long the SDK client (one gRPC channel) of an API key is kept after its last request.
CLIENT_IDLE_SECONDS = 300.0
# Printable ASCII without spaces: what a gRPC metadata value can carry, and every key we issue.
API_KEY = re.compile(r"[\x21-\x7e]{1,256}")
MAX_PAGE_SIZE = 1000
# Workflows that "find by id" looks in (each costs one GetInstance call).
MAX_FIND_WORKFLOWS = 100
# Next fire times a schedule's page shows, at most (GetSchedule's limit).
MAX_NEXT_FIRE_TIMES = 100
STATUSES = [s.value for s in InstanceStatus if s is not InstanceStatus.UNKNOWN]

HTTP_STATUS = {
    grpc.StatusCode.INVALID_ARGUMENT: 400,
    grpc.StatusCode.UNAUTHENTICATED: 401,
    grpc.StatusCode.PERMISSION_DENIED: 403,
    grpc.StatusCode.NOT_FOUND: 404,
    grpc.StatusCode.FAILED_PRECONDITION: 409,
    grpc.StatusCode.RESOURCE_EXHAUSTED: 429,
}
CONTENT_TYPES = {".html": "text/html", ".js": "text/javascript", ".css": "text/css"}
SECURITY_HEADERS = {
    # The page runs only its own script and style, and may not be framed.
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


class BadRequest(Exception):
    """A request the console refuses before calling the gateway (HTTP 400)."""


@dataclass
class _Entry:
    connecting: asyncio.Task[Client]
    used_at: float


class Clients:
    """One SDK client per API key, found by the key's hash, closed when idle or at stop."""

    def __init__(
        self,
        address: str,
        idle_seconds: float = CLIENT_IDLE_SECONDS,
        tls: str | bool = False,
    ) -> None:
        self.address = address
        # How the gateway is verified (Client.connect's tls): its CA's file, or False.
        self.tls = tls
        self.idle_seconds = idle_seconds
        self._entries: dict[str, _Entry] = {}

    async def get(self, api_key: str) -> Client:
        """The key's client; connecting checks the key, and a refused key is not kept."""
        now = time.monotonic()
        for idle in [d for d, e in self._entries.items() if now - e.used_at > self.idle_seconds]:
            stale = self._entries.pop(idle, None)
            if stale is not None:
                await _close(stale)
        digest = _digest(api_key)
        entry = self._entries.get(digest)
        if entry is None:
            connect = Client.connect(self.address, api_key=api_key, tls=self.tls)
            entry = _Entry(asyncio.create_task(connect, name="console-connect"), now)
            self._entries[digest] = entry
        entry.used_at = now
        try:
            # Shielded: a browser that goes away does not cancel a connect others wait for.
            return await asyncio.shield(entry.connecting)
        except BaseException:
            if entry.connecting.done() and self._entries.get(digest) is entry:
                del self._entries[digest]
            raise

    async def forget(self, api_key: str) -> None:
        """Drops a key's client, as when the gateway stops accepting the key."""
        entry = self._entries.pop(_digest(api_key), None)
        if entry is not None:
            await _close(entry)

    async def close(self) -> None:
        entries, self._entries = list(self._entries.values()), {}
        for entry in entries:
            await _close(entry)


def _digest(api_key: str) -> str:
    return hashlib.sha256(api_key.encode()).hexdigest()


async def _close(entry: _Entry) -> None:
    task = entry.connecting
    if not task.done():
        task.cancel()
        await asyncio.wait([task])
    if not task.cancelled() and task.exception() is None:
        await task.result().close()


class Console:
    """A running console."""

    def __init__(self, runner: web.AppRunner, clients: Clients, port: int) -> None:
        self.runner = runner
        self.clients = clients
        self.port = port

    async def stop(self) -> None:
        await self.runner.cleanup()
        await self.clients.close()


async def start_console(
    listen: str,
    gateway_address: str,
    *,
    sign_in_key: str | None = None,
    db: sa.Engine | None = None,
    tls: CertificateFiles | None = None,
    gateway_ca: str | None = None,
) -> Console:
    """Serves the console on listen (HOST:PORT; port 0 picks a free port), calling the
    gateway at gateway_address. sign_in_key: the key a browser on this machine is signed in
    with (`stepway dev` on loopback only). db: the store the overview's activity is read
    from (without it the overview shows no charts). tls: the gateway's certificate, served
    over HTTPS too; the console then calls the gateway over TLS, trusting gateway_ca (default:
    the certificate itself, as for a self-signed one)."""
    host, _, port = listen.rpartition(":")
    clients = Clients(gateway_address, tls=False if tls is None else gateway_ca or tls.tls.cert)
    files = await asyncio.to_thread(read_static)
    app = build_app(clients, files, sign_in_key=sign_in_key, db=db)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        https = None if tls is None else https_context(tls)
        await web.TCPSite(runner, host.strip("[]") or None, int(port), ssl_context=https).start()
    except BaseException:
        await runner.cleanup()
        raise
    return Console(runner, clients, int(runner.addresses[0][1]))


def dial_address(listen: str, port: int) -> str:
    """Where a process on this machine reaches a server listening on listen's host and port."""
    host = listen.rpartition(":")[0]
    if host in ("", "0.0.0.0"):
        host = "127.0.0.1"
    elif host in ("[::]", "::"):
        host = "[::1]"
    return f"{host}:{port}"


Handler = Callable[[Client, web.Request], Awaitable[Any]]


def read_static() -> dict[str, tuple[bytes, str]]:
    """The page, its script and its stylesheet, with their content types, by file name."""
    return {p.name: (p.read_bytes(), CONTENT_TYPES[p.suffix]) for p in STATIC.iterdir()}


def build_app(
    clients: Clients,
    files: dict[str, tuple[bytes, str]],
    *,
    sign_in_key: str | None = None,
    db: sa.Engine | None = None,
) -> web.Application:
    """The console's routes: the page and its files, and the JSON API."""

    async def page(request: web.Request) -> web.Response:
        body, content_type = files["index.html"]
        return web.Response(body=body, content_type=content_type, charset="utf-8")

    async def static(request: web.Request) -> web.Response:
        name = request.match_info["name"]
        if name not in files or name == "index.html":
            raise web.HTTPNotFound()
        body, content_type = files[name]
        return web.Response(body=body, content_type=content_type, charset="utf-8")

    def api(handler: Handler) -> Callable[[web.Request], Awaitable[web.Response]]:
        async def serve(request: web.Request) -> web.Response:
            scheme, _, key = request.headers.get("Authorization", "").partition(" ")
            if scheme.lower() != "bearer" or not API_KEY.fullmatch(key):
                return _error(401, "an API key is required: Authorization: Bearer <key>")
            try:
                client = await clients.get(key)
                return web.json_response(await handler(client, request))
            except BadRequest as err:
                return _error(400, str(err))
            except StepwayError as err:
                if isinstance(err, Unauthenticated):
                    await clients.forget(key)
                return _stepway_error(err)

        return serve

    async def not_found(request: web.Request) -> web.Response:
        return _error(404, f"no such API endpoint: {request.method} {request.path}")

    async def session(request: web.Request) -> web.Response:
        if sign_in_key is None or not _local_session(request):
            return _error(404, "no local sign-in here: sign in with an API key")
        return web.json_response({"api_key": sign_in_key})

    async def activity(client: Client, request: web.Request) -> dict[str, Any]:
        return await _activity(client, db)

    app = web.Application()
    app.on_response_prepare.append(_security_headers)
    app.router.add_get("/", page)
    app.router.add_get("/static/{name}", static)
    app.router.add_get("/api/session", session)
    app.router.add_get("/api/me", api(_me))
    app.router.add_get("/api/activity", api(activity))
    app.router.add_get("/api/workflows", api(_workflows))
    app.router.add_get("/api/instances", api(_instances))
    app.router.add_post("/api/instances", api(_create))
    app.router.add_get("/api/find", api(_find))
    app.router.add_get("/api/instances/{workflow}/{id}", api(_instance))
    app.router.add_delete("/api/instances/{workflow}/{id}", api(_delete))
    for action, handler in _ACTIONS.items():
        app.router.add_post(f"/api/instances/{{workflow}}/{{id}}/{action}", api(handler))
    app.router.add_get("/api/schedules", api(_schedules))
    app.router.add_get("/api/schedules/{id}", api(_schedule))
    for action, handler in _SCHEDULE_ACTIONS.items():
        app.router.add_post(f"/api/schedules/{{id}}/{action}", api(handler))
    app.router.add_route("*", "/api/{tail:.*}", not_found)
    return app


def is_loopback_host(host: str) -> bool:
    """Whether a host name or address (IPv6 with or without brackets) is this machine's
    loopback: `localhost`, 127.0.0.0/8 or ::1."""
    host = host.strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _local_session(request: web.Request) -> bool:
    """Whether a request may receive the sign-in key: it comes from this machine (a loopback
    peer), names this console by a loopback host (a DNS-rebound name is refused), and is the
    page's own fetch, not another site's (browsers send Sec-Fetch-Site; a cross-site fetch
    could not read the answer anyway, lacking CORS headers)."""
    host = re.sub(r":\d+$", "", request.host)
    return (
        is_loopback_host(request.remote or "")
        and is_loopback_host(host)
        and request.headers.get("Sec-Fetch-Site", "same-origin") == "same-origin"
    )


async def _security_headers(request: web.Request, response: web.StreamResponse) -> None:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> web.Response:
    return web.json_response({"error": message}, status=status, headers=headers)


def _stepway_error(err: StepwayError) -> web.Response:
    status = HTTP_STATUS.get(err.code, 502) if err.code is not None else 502
    headers = None
    if isinstance(err, ResourceExhaustedError) and err.retry_after is not None:
        headers = {"Retry-After": str(max(1, round(err.retry_after)))}
    return _error(status, err.message, headers)


# The API's handlers: each calls the gateway through the SDK and answers a JSON document.


async def _me(client: Client, request: web.Request) -> dict[str, Any]:
    info = await client.server_info()
    return {"account": info.account, "version": info.version, "backend": info.backend}


async def _activity(client: Client, db: sa.Engine | None) -> dict[str, Any]:
    account = (await client.server_info()).account
    if db is None:
        return {"account": account, "activity": None}

    def read() -> dict[str, Any]:
        with db.connect() as conn:
            account_id = accounts.get_account(conn, account).id
            now = now_us()
            got = read_activity(conn, account_id, now)
        return {
            "start": _time(datetime.fromtimestamp(got.start_us / 1e6, UTC)),
            "minute_seconds": MINUTE_US // 1_000_000,
            "created": got.created,
            "completed": got.completed,
            "failed": got.failed,
            "queued": got.queued,
        }

    return {"account": account, "activity": await asyncio.to_thread(read)}


async def _workflows(client: Client, request: web.Request) -> dict[str, Any]:
    return {
        "workflows": [
            {
                "name": w.name,
                "task_queue": w.task_queue,
                "registered_at": _time(w.registered_at),
                "instances": {status.value: n for status, n in w.instances.items()},
            }
            for w in await client.list_workflows()
        ]
    }


async def _instances(client: Client, request: web.Request) -> dict[str, Any]:
    query = request.query
    statuses = [s for s in query.get("status", "").split(",") if s]
    for status in statuses:
        if status not in STATUSES:
            raise BadRequest(f"unknown status {status!r}; statuses are {', '.join(STATUSES)}")
    try:
        page_size = int(query.get("page_size", "50"))
    except ValueError:
        raise BadRequest("page_size must be a number") from None
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise BadRequest(f"page_size must be 1 to {MAX_PAGE_SIZE}")
    page = await client.list_page(
        query.get("workflow") or None,
        status=statuses or None,
        page_size=page_size,
        page_token=query.get("page_token") or None,
    )
    return {
        "instances": [_instance_json(info) for info in page.instances],
        "next_page_token": page.next_page_token,
    }


async def _instance(client: Client, request: web.Request) -> dict[str, Any]:
    workflow, id = request.match_info["workflow"], request.match_info["id"]
    # The stub, not describe(): the SDK's ErrorInfo leaves out the workflow error's details.
    get = client.call(
        client.workflows.GetInstance,
        fpb.GetInstanceRequest(workflow=workflow, instance_id=id, include_steps=True),
    )
    resp, history = await asyncio.gather(get, client.history(workflow, id))
    info = InstanceInfo.from_pb(resp.instance, resp.steps)
    return {
        "instance": _instance_json(info, resp.instance.error.details),
        "steps": [_step_json(s) for s in info.steps or ()],
        "history": [_event_json(e) for e in history],
        # The console's clock, against which the page draws what is still going on.
        "now": _time(datetime.now(UTC)),
    }


async def _body(request: web.Request) -> dict[str, Any]:
    if not request.can_read_body:
        return {}
    try:
        body = await request.json()
    except ValueError:
        raise BadRequest("the body must be a JSON object") from None
    if not isinstance(body, dict):
        raise BadRequest("the body must be a JSON object")
    return body


def _text(body: dict[str, Any], field: str) -> str:
    value = body.get(field) or ""
    if not isinstance(value, str):
        raise BadRequest(f"{field} must be a string")
    return value


async def _pause(client: Client, request: web.Request) -> dict[str, Any]:
    info = await client.pause(request.match_info["workflow"], request.match_info["id"])
    return {"instance": _instance_json(info)}


async def _resume(client: Client, request: web.Request) -> dict[str, Any]:
    info = await client.resume(request.match_info["workflow"], request.match_info["id"])
    return {"instance": _instance_json(info)}


async def _terminate(client: Client, request: web.Request) -> dict[str, Any]:
    reason = _text(await _body(request), "reason")
    info = await client.terminate(request.match_info["workflow"], request.match_info["id"], reason)
    return {"instance": _instance_json(info)}


async def _restart(client: Client, request: web.Request) -> dict[str, Any]:
    from_step = _text(await _body(request), "from_step") or None
    info = await client.restart(request.match_info["workflow"], request.match_info["id"], from_step)
    return {"instance": _instance_json(info)}


async def _event(client: Client, request: web.Request) -> dict[str, Any]:
    body = await _body(request)
    event_type = _text(body, "type")
    if not event_type:
        raise BadRequest("type is required: the event's type, as the workflow waits for it")
    workflow, id = request.match_info["workflow"], request.match_info["id"]
    try:
        delivered = await client.send_event(workflow, id, event_type, body.get("payload"))
    except ValueError as err:
        raise BadRequest(f"payload: {err}") from None
    return {"delivered": delivered}


async def _create(client: Client, request: web.Request) -> dict[str, Any]:
    body = await _body(request)
    workflow = _text(body, "workflow")
    if not workflow:
        raise BadRequest("workflow is required")
    try:
        handle = await client.create(
            workflow, id=_text(body, "id") or None, params=body.get("params")
        )
    except ValueError as err:
        raise BadRequest(f"params: {err}") from None
    return {"workflow": workflow, "id": handle.id, "created": handle.created}


async def _delete(client: Client, request: web.Request) -> dict[str, Any]:
    workflow, id = request.match_info["workflow"], request.match_info["id"]
    await client.delete(workflow, id)
    return {"deleted": {"workflow": workflow, "id": id}}


async def _find(client: Client, request: web.Request) -> dict[str, Any]:
    id = request.query.get("id", "").strip()
    if not id:
        raise BadRequest("id is required: the instance id to look for")
    workflows = [w.name for w in await client.list_workflows()][:MAX_FIND_WORKFLOWS]

    async def look(workflow: str) -> InstanceInfo | None:
        try:
            return await client.status(workflow, id)
        except NotFoundError:
            return None

    found = await asyncio.gather(*(look(w) for w in workflows))
    return {"instances": [_instance_json(info) for info in found if info is not None]}


_ACTIONS: dict[str, Handler] = {
    "pause": _pause,
    "resume": _resume,
    "terminate": _terminate,
    "restart": _restart,
    "event": _event,
}


def _size(query: Any, field: str, default: int, most: int) -> int:
    try:
        value = int(query.get(field, str(default)))
    except ValueError:
        raise BadRequest(f"{field} must be a number") from None
    if not 1 <= value <= most:
        raise BadRequest(f"{field} must be 1 to {most}")
    return value


async def _schedules(client: Client, request: web.Request) -> dict[str, Any]:
    page = await client.schedules.list_page(
        _size(request.query, "page_size", 50, MAX_PAGE_SIZE),
        request.query.get("page_token") or None,
    )
    return {
        "schedules": [_schedule_json(s) for s in page.schedules],
        "next_page_token": page.next_page_token,
    }


async def _schedule(client: Client, request: web.Request) -> dict[str, Any]:
    next_fire_times = _size(request.query, "next", 10, MAX_NEXT_FIRE_TIMES)
    schedule = await client.schedules.get(request.match_info["id"], next_fire_times)
    return {"schedule": _schedule_json(schedule)}


async def _schedule_pause(client: Client, request: web.Request) -> dict[str, Any]:
    note = _text(await _body(request), "note")
    return {
        "schedule": _schedule_json(await client.schedules.pause(request.match_info["id"], note))
    }


async def _schedule_resume(client: Client, request: web.Request) -> dict[str, Any]:
    note = _text(await _body(request), "note")
    schedule = await client.schedules.resume(request.match_info["id"], note)
    return {"schedule": _schedule_json(schedule)}


async def _schedule_trigger(client: Client, request: web.Request) -> dict[str, Any]:
    return {"instance_id": await client.schedules.trigger(request.match_info["id"])}


_SCHEDULE_ACTIONS: dict[str, Handler] = {
    "pause": _schedule_pause,
    "resume": _schedule_resume,
    "trigger": _schedule_trigger,
}


# JSON forms of the SDK's types: times as ISO 8601 in UTC, payloads as they are.


def _time(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat().replace("+00:00", "Z")


def _error_json(error: ErrorInfo | None, details: str = "") -> dict[str, str] | None:
    if error is None:
        return None
    return {"type": error.type, "message": error.message, "details": details}


def _instance_json(info: InstanceInfo, error_details: str = "") -> dict[str, Any]:
    return {
        "workflow": info.workflow,
        "id": info.id,
        "status": info.status.value,
        "finished": info.status.finished,
        "params": info.params,
        "output": info.output,
        "error": _error_json(info.error, error_details),
        "created_at": _time(info.created_at),
        "started_at": _time(info.started_at),
        "ended_at": _time(info.ended_at),
        "current_step": info.current_step,
        "task_queue": info.task_queue,
        "retention_seconds": None if info.retention is None else info.retention.total_seconds(),
        "expires_at": _time(info.expires_at),
        # docs/rollbacks.md: null, "rolling_back", "rolled_back" or "rollback_failed".
        "rollback": info.rollback,
        "rollback_step": info.rollback_step,
        "rollback_step_seq": info.rollback_step_seq,
        "rollback_error": _error_json(info.rollback_error),
        # A child workflow's parent, and the children this instance started.
        "parent": None
        if info.parent is None
        else {
            "workflow": info.parent.workflow,
            "id": info.parent.id,
            "step_name": info.parent.step_name,
            "depth": info.parent.depth,
            "parent_close": info.parent.parent_close,
        },
        "children": [
            {
                "workflow": c.workflow,
                "id": c.id,
                "step_name": c.step_name,
                "step_seq": c.step_seq,
                "parent_close": c.parent_close,
                "wait": c.wait,
                "status": None if c.status is None else c.status.value,
            }
            for c in info.children
        ],
    }


def _step_json(step: StepRecord) -> dict[str, Any]:
    return {
        "name": step.name,
        "seq": step.seq,
        "kind": step.kind,
        "state": step.state,
        "attempts": step.attempts,
        "started_at": _time(step.started_at),
        "ended_at": _time(step.ended_at),
        "output": step.output,
        "error": _error_json(step.error),
        "wake_at": _time(step.wake_at),
        "event_type": step.event_type,
        "attempt_started_at": _time(step.attempt_started_at),
    }


def _event_json(event: HistoryEvent) -> dict[str, Any]:
    return {
        "seq": event.seq,
        "time": _time(event.time),
        "type": event.type,
        "step_name": event.step_name,
        "step_seq": event.step_seq,
        "attempt": event.attempt,
        "error": _error_json(event.error),
        "until": _time(event.until),
        "event_type": event.event_type,
        "worker": event.worker,
        "reason": event.reason,
        "task_queue": event.task_queue,
        "step_type": event.step_type,
        "build_id": event.build_id,
    }


def _seconds(value: timedelta | None) -> float | None:
    return None if value is None else value.total_seconds()


def _schedule_json(schedule: Schedule) -> dict[str, Any]:
    return {
        "id": schedule.id,
        "workflow": schedule.workflow,
        "cron": schedule.cron,
        "time_zone": schedule.time_zone,
        "every_seconds": _seconds(schedule.every),
        "offset_seconds": _seconds(schedule.offset),
        "start": _time(schedule.start),
        "end": _time(schedule.end),
        "jitter_seconds": _seconds(schedule.jitter),
        "params": schedule.params,
        "task_queue": schedule.task_queue,
        "retention_seconds": _seconds(schedule.retention),
        "overlap": schedule.overlap.value,
        "catchup_window_seconds": _seconds(schedule.catchup_window),
        "paused": schedule.paused,
        "note": schedule.note,
        "created_at": _time(schedule.created_at),
        "updated_at": _time(schedule.updated_at),
        "next_fire_times": [_time(t) for t in schedule.next_fire_times],
        "recent_runs": [
            {
                "scheduled_at": _time(run.scheduled_at),
                "created_at": _time(run.created_at),
                "instance_id": run.instance_id,
                "workflow": run.workflow,
                "status": run.status.value,
            }
            for run in schedule.recent_runs
        ],
        "fired": schedule.fired,
        "skipped": schedule.skipped,
        "missed": schedule.missed,
    }
