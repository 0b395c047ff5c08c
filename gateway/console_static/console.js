// The Stepway console. Pages, chosen by the URL's hash:
//   #/                                  workflows with their instances by status
//   #/account                           the account's activity over the last hour, as charts
//   #/instances?workflow=W&status=S     instances, newest first, a page at a time
//   #/find?id=ID                        the instances with this id, in every workflow
//   #/new                               a form that creates an instance
//   #/instance/W/ID                     one instance: its data, controls and step timeline
//   #/schedules                         schedules with their spec, state and next fire
//   #/schedule/ID                       one schedule: next fire times, recent runs, controls
// Everything comes from the console's JSON API (/api/...), called with the API key that the
// sign-in form keeps in sessionStorage; `stepway dev` on loopback hands the page its key
// (/api/session). Text is always set as text, never parsed as HTML.
"use strict";

const KEY = "stepway.apiKey";
// Set by Sign out: this tab then asks for a key instead of taking the local session's.
const SIGNED_OUT = "stepway.signedOut";
const SVG = "http://www.w3.org/2000/svg";
const ACTIVITY_REFRESH_MS = 10000;
const STATUSES = [
  "queued", "running", "waiting", "waitingForPause", "paused", "errored", "terminated", "complete",
];
const UNFINISHED = STATUSES.filter((s) => !["errored", "terminated", "complete"].includes(s));
const REFRESH_MS = 2000;
const PAGE_SIZE = 50;
const ACTIONS = {
  pause: { label: "Pause", allowed: ["queued", "running", "waiting"] },
  resume: { label: "Resume", allowed: ["paused", "waitingForPause"] },
  terminate: { label: "Terminate", allowed: UNFINISHED },
  restart: { label: "Restart", allowed: STATUSES },
};

// Bumped by every navigation: a render or refresh of an older page stops.
let generation = 0;
let refreshTimer = null;
let historyOpen = false;
// A notice for the page being navigated to (route() clears the old page's).
let nextNotice = null;

const $ = (selector) => document.querySelector(selector);

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") node.className = value;
    else if (name === "style") Object.assign(node.style, value);
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// The API.

class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function api(path, options = {}) {
  const headers = { Authorization: `Bearer ${sessionStorage.getItem(KEY) || ""}` };
  const init = { method: options.method || "GET", headers };
  if (options.body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(options.body);
  }
  const resp = await fetch(path, init);
  const doc = await resp.json().catch(() => null);
  if (!resp.ok) {
    const message = (doc && doc.error) || `${resp.status} ${resp.statusText}`;
    if (resp.status === 401) signOut(`The API key was refused: ${message}`);
    throw new ApiError(resp.status, message);
  }
  return doc;
}

const instancePath = (workflow, id) =>
  `/api/instances/${encodeURIComponent(workflow)}/${encodeURIComponent(id)}`;

// Signing in and out.

function signOut(message) {
  sessionStorage.removeItem(KEY);
  stopRefresh();
  generation += 1;
  $("#main").hidden = true;
  $("#nav").hidden = true;
  $("#sign-out").hidden = true;
  $("#account").textContent = "";
  $("#login").hidden = false;
  $("#login-error").textContent = message || "";
  $("#api-key").focus();
}

async function signIn(event) {
  event.preventDefault();
  const key = $("#api-key").value.trim();
  if (!key) return;
  sessionStorage.setItem(KEY, key);
  sessionStorage.removeItem(SIGNED_OUT);
  try {
    await start();
    $("#api-key").value = "";
  } catch (err) {
    if (err.status !== 401) signOut(err.message);
  }
}

async function start() {
  const me = await api("/api/me");
  $("#login").hidden = true;
  $("#main").hidden = false;
  $("#nav").hidden = false;
  $("#sign-out").hidden = false;
  $("#account").textContent = `account ${me.account}`;
  await route();
}

// Navigation.

function go(hash, message, kind) {
  nextNotice = message ? [message, kind] : null;
  if (location.hash === hash) route();
  else location.hash = hash;
}

function listHash(filters) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(filters)) if (value) query.set(name, value);
  const text = query.toString();
  return text ? `#/instances?${text}` : "#/instances";
}

const instanceHash = (workflow, id) =>
  `#/instance/${encodeURIComponent(workflow)}/${encodeURIComponent(id)}`;

function stopRefresh() {
  clearTimeout(refreshTimer);
  refreshTimer = null;
}

async function route() {
  if (!sessionStorage.getItem(KEY)) return signOut("");
  stopRefresh();
  notice(...(nextNotice || [""]));
  nextNotice = null;
  const gen = ++generation;
  const [path, query] = location.hash.replace(/^#/, "").split("?");
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  const section = {
    instances: "instances", instance: "instances", find: "instances", account: "account", new: "new",
    schedules: "schedules", schedule: "schedules",
  }[parts[0]] || "overview";
  for (const link of document.querySelectorAll("[data-nav]")) {
    link.classList.toggle("current", link.dataset.nav === section);
  }
  try {
    if (parts[0] === "instances") await renderList(gen, new URLSearchParams(query || ""));
    else if (parts[0] === "account") await renderAccount(gen);
    else if (parts[0] === "find") await renderFind(gen, new URLSearchParams(query || "").get("id") || "");
    else if (parts[0] === "new") await renderCreate(gen);
    else if (parts[0] === "instance" && parts.length === 3) await renderInstance(gen, parts[1], parts[2]);
    else if (parts[0] === "schedules") await renderSchedules(gen, new URLSearchParams(query || ""));
    else if (parts[0] === "schedule" && parts.length === 2) await renderSchedule(gen, parts[1]);
    else await renderOverview(gen);
  } catch (err) {
    if (gen === generation && err.status !== 401) {
      show(gen, el("h1", {}, "Cannot show this page"), el("p", { class: "error-text" }, err.message));
    }
  }
}

function show(gen, ...nodes) {
  if (gen !== generation) return false;
  $("#main").replaceChildren(...nodes.flat());
  return true;
}

function notice(message, kind) {
  const box = $("#notice");
  delete box.dataset.refresh;
  box.textContent = message;
  box.className = kind || "";
  box.hidden = !message;
}

// Formatting.

const badge = (status) => el("span", { class: `badge status-${status}` }, status);

function fmtTime(value) {
  if (value === null || value === undefined) return "-";
  const ms = typeof value === "number" ? value : Date.parse(value);
  return new Date(ms).toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC");
}

function fmtClock(ms) {
  return new Date(ms).toISOString().slice(11, 23);
}

function fmtDuration(ms) {
  ms = Math.max(0, ms);
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60000) return `${+(ms / 1000).toFixed(ms < 10000 ? 2 : 1)}s`;
  const units = [["d", 86400000], ["h", 3600000], ["m", 60000], ["s", 1000]];
  const parts = [];
  let rest = Math.round(ms / 1000) * 1000;
  for (const [unit, size] of units) {
    if (rest >= size && parts.length < 2) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    } else if (parts.length) break;
  }
  return parts.join("");
}

const json = (value) => JSON.stringify(value, null, 2);
const errorText = (error) => (error ? `${error.type}: ${error.message}` : "");

// Page: workflows.

async function renderOverview(gen) {
  const { workflows } = await api("/api/workflows");
  const title = el("h1", {}, "Workflows");
  if (!workflows.length) {
    return show(gen, title, el("p", { class: "empty" },
      "No workflows yet: a workflow appears here once a worker registers it."));
  }
  const head = el("tr", {},
    el("th", {}, "Workflow"), el("th", {}, "Task queue"),
    STATUSES.map((s) => el("th", { class: "num" }, badge(s))),
    el("th", { class: "num" }, "total"));
  const rows = workflows.map((w) => {
    const total = Object.values(w.instances).reduce((a, b) => a + b, 0);
    return el("tr", { "data-workflow": w.name },
      el("td", {}, el("a", { href: listHash({ workflow: w.name }) }, w.name)),
      el("td", {}, w.task_queue),
      STATUSES.map((s) => {
        const n = w.instances[s] || 0;
        const href = listHash({ workflow: w.name, status: s });
        return el("td", { class: "num" },
          n ? el("a", { href, "data-status": s }, n) : el("span", { class: "zero" }, "0"));
      }),
      el("td", { class: "num" }, el("a", { href: listHash({ workflow: w.name }) }, total)));
  });
  show(gen, title, el("table", { id: "workflows", class: "grid" },
    el("thead", {}, head), el("tbody", {}, rows)));
}

// Page: instances.

async function renderList(gen, params) {
  const workflow = params.get("workflow") || "";
  const status = params.get("status") || "";
  const token = params.get("page_token") || "";
  const query = new URLSearchParams({ page_size: String(PAGE_SIZE) });
  if (workflow) query.set("workflow", workflow);
  if (status) query.set("status", status);
  if (token) query.set("page_token", token);
  const [{ workflows }, page] = await Promise.all([
    api("/api/workflows"), api(`/api/instances?${query}`),
  ]);
  const names = workflows.map((w) => w.name);
  if (workflow && !names.includes(workflow)) names.push(workflow);
  const filters = el("form", { class: "filters", onsubmit: (e) => e.preventDefault() },
    el("label", {}, "Workflow ",
      el("select", {
        id: "filter-workflow",
        onchange: (e) => go(listHash({ workflow: e.target.value, status })),
      }, el("option", { value: "" }, "all"),
      names.map((n) => el("option", { value: n, selected: n === workflow }, n)))),
    el("label", {}, "Status ",
      el("select", {
        id: "filter-status",
        onchange: (e) => go(listHash({ workflow, status: e.target.value })),
      }, el("option", { value: "" }, "any"),
      STATUSES.map((s) => el("option", { value: s, selected: s === status }, s)))));
  const rows = page.instances.map((i) => el("tr", { "data-instance": i.id },
    el("td", {}, el("a", { href: instanceHash(i.workflow, i.id) }, i.id)),
    el("td", {}, i.workflow),
    el("td", {}, badge(i.status)),
    el("td", {}, fmtTime(i.created_at)),
    el("td", {}, fmtTime(i.ended_at)),
    el("td", {}, i.current_step || ""),
    el("td", { class: "error-text" }, errorText(i.error))));
  const table = rows.length ? instanceTable(rows) : el("p", { class: "empty" }, "No instances match.");
  const paging = el("p", { class: "paging" },
    token ? el("a", { href: listHash({ workflow, status }) }, "« first page") : null,
    page.next_page_token
      ? el("a", { id: "next-page", href: listHash({ workflow, status, page_token: page.next_page_token }) },
        "next page »")
      : null);
  show(gen, el("h1", {}, "Instances"), filters, table, paging);
}

function instanceTable(rows) {
  // "Step" as in `stepway instances list`: the step an instance is at, or ended at.
  return el("table", { id: "instances", class: "grid" },
    el("thead", {}, el("tr", {}, ["Instance", "Workflow", "Status", "Created", "Ended",
      "Step", "Error"].map((h) => el("th", {}, h)))),
    el("tbody", {}, rows));
}

// Page: the instances with an id, in every workflow.

async function renderFind(gen, id) {
  const title = el("h1", {}, "Find an instance");
  if (!id) return show(gen, title, el("p", { class: "empty" }, "Type an instance id in the search box."));
  const { instances } = await api(`/api/find?${new URLSearchParams({ id })}`);
  if (instances.length === 1) return go(instanceHash(instances[0].workflow, instances[0].id));
  const rows = instances.map((i) => el("tr", { "data-instance": i.id },
    el("td", {}, el("a", { href: instanceHash(i.workflow, i.id) }, i.id)),
    el("td", {}, i.workflow), el("td", {}, badge(i.status)),
    el("td", {}, fmtTime(i.created_at)), el("td", {}, fmtTime(i.ended_at)),
    el("td", {}, i.current_step || ""), el("td", { class: "error-text" }, errorText(i.error))));
  show(gen, title, rows.length ? instanceTable(rows)
    : el("p", { id: "not-found", class: "empty" }, `No workflow has an instance with id ${id}.`));
}

function find(event) {
  event.preventDefault();
  const id = $("#find-id").value.trim();
  if (id) go(`#/find?${new URLSearchParams({ id })}`);
}

// Page: create an instance.

async function renderCreate(gen) {
  const { workflows } = await api("/api/workflows");
  const error = el("p", { id: "create-error", class: "error-text" });
  const form = el("form", { id: "create", class: "form" },
    el("label", { for: "create-workflow" }, "Workflow"),
    el("select", { id: "create-workflow", required: true },
      workflows.map((w) => el("option", { value: w.name }, w.name))),
    el("label", { for: "create-id" }, "Instance id (optional: a new one is generated)"),
    el("input", { id: "create-id", autocomplete: "off", spellcheck: "false" }),
    el("label", { for: "create-params" }, "Params (JSON)"),
    el("textarea", { id: "create-params", rows: 6, spellcheck: "false" }, "{}"),
    el("button", { type: "submit" }, "Create"), error);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    let params;
    try {
      params = JSON.parse($("#create-params").value || "null");
    } catch (err) {
      error.textContent = `Params are not JSON: ${err.message}`;
      return;
    }
    try {
      const done = await api("/api/instances", {
        method: "POST",
        body: { workflow: $("#create-workflow").value, id: $("#create-id").value.trim(), params },
      });
      go(instanceHash(done.workflow, done.id), done.created ? `Created ${done.workflow}/${done.id}.`
        : `${done.workflow}/${done.id} exists already: here it is.`, "ok");
    } catch (err) {
      if (err.status !== 401) error.textContent = err.message;
    }
  });
  const title = el("h1", {}, "New instance");
  if (!workflows.length) {
    return show(gen, title, el("p", { class: "empty" },
      "No workflows yet: a workflow can be created once a worker registers it."));
  }
  show(gen, title, form);
}

// Pages: schedules.

const schedulePath = (id) => `/api/schedules/${encodeURIComponent(id)}`;
const scheduleHash = (id) => `#/schedule/${encodeURIComponent(id)}`;
// Next fire times a schedule's page shows.
const NEXT_FIRE_TIMES = 10;

function fmtSpan(seconds) {
  return seconds === null || seconds === undefined ? "-" : fmtDuration(seconds * 1000) || "0s";
}

// The trigger in a few words, as `stepway schedules list` writes it.
function specText(s) {
  if (s.cron !== null) return `cron "${s.cron}" ${s.time_zone || "UTC"}`;
  return s.offset_seconds ? `every ${fmtSpan(s.every_seconds)} +${fmtSpan(s.offset_seconds)}`
    : `every ${fmtSpan(s.every_seconds)}`;
}

const scheduleState = (s) => el("span", { class: `badge status-${s.paused ? "paused" : "running"}` },
  s.paused ? "paused" : "active");

// A time in a time zone as `2026-12-08 03:00:00 GMT+1`, as fmtTime writes UTC.
function fmtZoned(value, timeZone) {
  const format = new Intl.DateTimeFormat("en-US", {
    timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit", second: "2-digit", timeZoneName: "short",
  });
  const p = Object.fromEntries(format.formatToParts(new Date(Date.parse(value))).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second} ${p.timeZoneName}`;
}

async function renderSchedules(gen, params) {
  const token = params.get("page_token") || "";
  const query = new URLSearchParams({ page_size: String(PAGE_SIZE) });
  if (token) query.set("page_token", token);
  const page = await api(`/api/schedules?${query}`);
  const title = el("h1", {}, "Schedules");
  if (!page.schedules.length && !token) {
    return show(gen, title, el("p", { class: "empty" },
      "No schedules yet: create one with `stepway schedules create` or client.schedules.create()."));
  }
  const rows = page.schedules.map((s) => el("tr", { "data-schedule": s.id },
    el("td", {}, el("a", { href: scheduleHash(s.id) }, s.id)),
    el("td", {}, el("a", { href: listHash({ workflow: s.workflow }) }, s.workflow)),
    el("td", { class: "spec" }, specText(s)),
    el("td", {}, s.overlap),
    el("td", {}, scheduleState(s)),
    el("td", { class: "next-fire" }, s.next_fire_times.length ? fmtTime(s.next_fire_times[0]) : "-"),
    el("td", { class: "num" }, s.fired),
    el("td", { class: "num" }, s.skipped),
    el("td", { class: "num" }, s.missed)));
  const table = el("table", { id: "schedules", class: "grid" },
    el("thead", {}, el("tr", {}, ["Schedule", "Workflow", "Spec", "Overlap", "State", "Next fire",
      "Fired", "Skipped", "Missed"].map((h) => el("th", {}, h)))),
    el("tbody", {}, rows));
  const paging = el("p", { class: "paging" },
    token ? el("a", { href: "#/schedules" }, "« first page") : null,
    page.next_page_token
      ? el("a", { id: "next-page", href: `#/schedules?${new URLSearchParams({ page_token: page.next_page_token })}` },
        "next page »")
      : null);
  show(gen, title, table, paging);
}

async function renderSchedule(gen, id) {
  const { schedule: s } = await api(`${schedulePath(id)}?next=${NEXT_FIRE_TIMES}`);
  // Local times in the schedule's zone (a cron's; the browser's for an interval).
  const zone = s.time_zone || Intl.DateTimeFormat().resolvedOptions().timeZone;
  const button = (action, label, disabled) => el("button", {
    type: "button", id: `schedule-${action}`, disabled, onclick: () => scheduleAct(gen, s, action),
  }, label);
  const facts = [
    ["State", el("span", { id: "schedule-state" }, scheduleState(s), s.note ? ` ${s.note}` : "")],
    ["Workflow", el("a", { href: listHash({ workflow: s.workflow }) }, s.workflow)],
    ["Spec", el("span", { id: "schedule-spec" }, specText(s))],
    ["Start", fmtTime(s.start)],
    ["End", fmtTime(s.end)],
    ["Jitter", fmtSpan(s.jitter_seconds)],
    ["Overlap", s.overlap],
    ["Catch-up window", fmtSpan(s.catchup_window_seconds)],
    ["Task queue", s.task_queue || "the workflow's"],
    ["Retention", s.retention_seconds === null ? "account default" : fmtSpan(s.retention_seconds)],
    ["Fires", `${s.fired} fired, ${s.skipped} skipped, ${s.missed} missed`],
    ["Created", fmtTime(s.created_at)],
    ["Updated", fmtTime(s.updated_at)],
  ];
  const nextFires = s.next_fire_times.length
    ? el("table", { id: "next-fires", class: "grid" },
      el("thead", {}, el("tr", {}, el("th", {}, `Local (${zone})`), el("th", {}, "UTC"))),
      el("tbody", {}, s.next_fire_times.map((t) => el("tr", {},
        el("td", {}, fmtZoned(t, zone)), el("td", {}, fmtTime(t))))))
    : el("p", { id: "next-fires", class: "empty" }, s.paused ? "Paused: no next fire." : "No next fire: past its end.");
  const runs = s.recent_runs.length
    ? el("table", { id: "recent-runs", class: "grid" },
      el("thead", {}, el("tr", {}, ["Scheduled", "Created", "Instance", "Status"].map((h) => el("th", {}, h)))),
      el("tbody", {}, s.recent_runs.map((r) => el("tr", { "data-instance": r.instance_id },
        el("td", {}, fmtTime(r.scheduled_at)), el("td", {}, fmtTime(r.created_at)),
        el("td", {}, r.status === "unknown" ? r.instance_id
          : el("a", { href: instanceHash(r.workflow, r.instance_id) }, r.instance_id)),
        el("td", {}, r.status === "unknown" ? "deleted" : badge(r.status))))))
    : el("p", { id: "recent-runs", class: "empty" }, "No runs yet.");
  show(gen,
    el("h1", {}, el("a", { href: "#/schedules" }, "Schedules"), " / ", el("span", { id: "schedule-id" }, s.id)),
    el("div", { class: "actions" },
      button("pause", "Pause", s.paused), button("resume", "Resume", !s.paused), button("trigger", "Trigger now", false)),
    el("div", { class: "columns" },
      el("dl", { class: "facts" }, facts.map(([k, v]) => [el("dt", {}, k), el("dd", {}, v)])),
      el("div", { class: "payloads" }, el("h2", {}, "Params"), el("pre", { id: "schedule-params" }, json(s.params)))),
    el("h2", {}, "Next fire times"), nextFires,
    el("h2", {}, "Recent runs"), runs);
}

async function scheduleAct(gen, s, action) {
  let body;
  if (action === "pause" || action === "resume") {
    const note = prompt(`${action === "pause" ? "Pause" : "Resume"} schedule ${s.id}? Note (optional):`, "");
    if (note === null) return;
    body = { note };
  }
  for (const button of document.querySelectorAll(".actions button")) button.disabled = true;
  try {
    const done = await api(`${schedulePath(s.id)}/${action}`, { method: "POST", body });
    if (action === "trigger") {
      notice(done.instance_id ? `Triggered: created instance ${done.instance_id}.`
        : "Triggered: the overlap policy skipped the fire.", "ok");
    } else {
      notice(`Schedule ${s.id} is now ${done.schedule.paused ? "paused" : "active"}.`, "ok");
    }
  } catch (err) {
    if (err.status === 401) return;
    notice(err.message, "error");
  }
  if (gen !== generation) return;
  await renderSchedule(gen, s.id);
}

// Page: the account's activity over the last hour.

async function renderAccount(gen) {
  const doc = await api("/api/activity");
  const title = el("h1", {}, `Account ${doc.account}: the last hour`);
  if (!doc.activity) {
    return show(gen, title, el("p", { class: "empty" }, "This console has no store to read activity from."));
  }
  const a = doc.activity;
  const start = Date.parse(a.start);
  const minute = a.minute_seconds * 1000;
  const sum = (xs) => xs.reduce((x, y) => x + y, 0);
  const charts = [
    ["created", "Creations", `${sum(a.created)} in the hour`, "per minute"],
    ["completed", "Completions", `${sum(a.completed)} in the hour`, "per minute"],
    ["failed", "Failures", `${sum(a.failed)} in the hour`, "per minute (errored)"],
    ["queued", "Queue depth", `${a.queued[a.queued.length - 1]} now`, "created, not yet started"],
  ].map(([field, label, total, unit]) => el("figure", { class: "chart", "data-chart": field },
    el("figcaption", {}, el("strong", {}, label), " ", el("span", { class: "total" }, total),
      el("span", { class: "unit" }, unit)),
    barChart(a[field], start, minute, field)));
  const shown = show(gen, title,
    el("p", { class: "muted" }, "Read from the store by time, minute by minute; refreshed every 10 s."),
    el("div", { id: "activity", class: "charts" }, charts));
  if (shown) {
    refreshTimer = setTimeout(() => { if (gen === generation) renderAccount(gen).catch(() => {}); },
      ACTIVITY_REFRESH_MS);
  }
}

function svg(tag, attrs, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return node;
}

function barChart(values, start, minute, field) {
  const width = 360, height = 120, left = 34, bottom = 18;
  const top = Math.max(1, ...values);
  const bar = (width - left) / values.length;
  const y = (v) => (height - bottom) * (1 - v / top);
  const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", class: `bars bars-${field}` },
    svg("line", { x1: left, y1: height - bottom, x2: width, y2: height - bottom, class: "axis" }),
    svg("text", { x: left - 4, y: 10, class: "axis-label", "text-anchor": "end" }, top),
    svg("text", { x: left - 4, y: height - bottom, class: "axis-label", "text-anchor": "end" }, 0),
    svg("text", { x: left, y: height - 4, class: "axis-label" }, `${fmtClock(start).slice(0, 5)} UTC`),
    svg("text", { x: width, y: height - 4, class: "axis-label", "text-anchor": "end" }, "now"));
  values.forEach((v, i) => {
    if (!v) return;
    const t = start + i * minute;
    chart.append(svg("rect", {
      x: left + i * bar + 0.5, y: y(v), width: Math.max(1, bar - 1), height: height - bottom - y(v),
      class: "bar-value",
    }, svg("title", {}, `${v} · ${fmtClock(t).slice(0, 5)}–${fmtClock(t + minute).slice(0, 5)} UTC`)));
  });
  return chart;
}

// Page: one instance.

async function renderInstance(gen, workflow, id) {
  // A refresh waits while the user types an event, so that the form keeps its focus.
  const typing = () => Boolean($("#event-form") && $("#event-form").contains(document.activeElement));
  const refresh = () => {
    refreshTimer = setTimeout(() => {
      if (typing()) refresh();
      else renderInstance(gen, workflow, id).catch(() => {});
    }, REFRESH_MS);
  };
  let doc;
  try {
    doc = await api(instancePath(workflow, id));
  } catch (err) {
    // A failed refresh leaves the page as it was and tries again (unless the instance is gone);
    // a failed first load is shown instead of the page.
    if (gen !== generation || err.status === 401 || !$("#instance")) throw err;
    notice(`Refresh failed: ${err.message}`, "error");
    $("#notice").dataset.refresh = "failed";
    if (err.status !== 404) refresh();
    return;
  }
  if ($("#notice").dataset.refresh) notice("");
  const inst = doc.instance;
  const buttons = Object.entries(ACTIONS).map(([action, { label, allowed }]) =>
    el("button", {
      type: "button",
      id: `action-${action}`,
      class: action === "terminate" ? "danger" : "",
      disabled: !allowed.includes(inst.status),
      onclick: () => act(gen, inst, action),
    }, label));
  const firstNames = [...new Set(doc.steps.map((s) => s.name))];
  const restartFrom = el("select", { id: "restart-from", title: "where Restart begins" },
    el("option", { value: "" }, "from the beginning"),
    firstNames.map((n) => el("option", { value: n }, `from step ${n}`)));
  const retention = inst.retention_seconds === null ? "account default" : fmtDuration(inst.retention_seconds * 1000);
  const facts = [
    ["Status", el("span", { id: "status" }, badge(inst.status))],
    ["Workflow", inst.workflow],
    ["Created", fmtTime(inst.created_at)],
    ["Started", fmtTime(inst.started_at)],
    ["Ended", fmtTime(inst.ended_at)],
    ["Duration", inst.started_at
      ? fmtDuration(Date.parse(inst.ended_at || doc.now) - Date.parse(inst.started_at)) : "-"],
    // As in `stepway instances describe`: the step at work only while the instance runs.
    inst.finished ? null : ["Current step", inst.current_step || "-"],
    ["Last successful step", lastSucceeded(doc.steps) || "-"],
    inst.rollback ? ["Rollback", el("span", { id: "rollback" }, rollbackText(inst))] : null,
    ["Task queue", inst.task_queue || "-"],
    ["Retention", inst.expires_at ? `${retention}, deleted after ${fmtTime(inst.expires_at)}` : retention],
    // A child workflow links to its parent, and the step that started it.
    inst.parent ? ["Parent", el("span", { id: "parent" },
      el("a", { href: instanceHash(inst.parent.workflow, inst.parent.id) },
        `${inst.parent.workflow} / ${inst.parent.id}`),
      ` (step ${inst.parent.step_name}, ${inst.parent.parent_close} on its end)`)] : null,
  ];
  const children = (inst.children || []).length === 0 ? null : [
    el("h2", {}, "Children"),
    el("table", { id: "children" },
      el("tr", {}, ["Step", "Child", "Waited", "On parent's end", "Status"].map((h) => el("th", {}, h))),
      inst.children.map((c) => el("tr", {},
        el("td", {}, `${c.step_name} #${c.step_seq}`),
        el("td", {}, el("a", { href: instanceHash(c.workflow, c.id) }, `${c.workflow} / ${c.id}`)),
        el("td", {}, c.wait ? "yes" : "no"),
        el("td", {}, c.parent_close),
        el("td", {}, c.status ? badge(c.status) : "-")))),
  ];
  const sections = [
    el("h1", {}, el("a", { href: listHash({ workflow: inst.workflow }) }, inst.workflow), " / ",
      el("span", { id: "instance-id" }, inst.id)),
    el("div", { class: "actions" }, buttons, restartFrom,
      el("button", {
        type: "button", id: "action-delete", class: "danger", disabled: !inst.finished,
        title: inst.finished ? "delete the instance with its steps and history"
          : "only a finished instance can be deleted",
        onclick: () => remove(inst),
      }, "Delete")),
    inst.finished ? null : eventForm(gen, inst),
    el("div", { id: "instance", class: "columns" },
      el("dl", { class: "facts" },
        facts.filter(Boolean).map(([k, v]) => [el("dt", {}, k), el("dd", {}, v)])),
      el("div", { class: "payloads" },
        el("h2", {}, "Params"), el("pre", { id: "params" }, json(inst.params)),
        inst.output !== null || inst.status === "complete"
          ? [el("h2", {}, "Output"), el("pre", { id: "output" }, json(inst.output))] : null,
        inst.error ? [
          el("h2", {}, "Error"),
          el("div", { id: "error", class: "error-box" },
            el("strong", {}, inst.error.type), ": ", inst.error.message,
            inst.error.details ? el("pre", {}, inst.error.details) : null),
        ] : null)),
    children,
    el("h2", {}, "Timeline"),
    gantt(timeline(doc)),
    legend(),
    historyTable(doc.history),
  ];
  const chosen = $("#restart-from") ? $("#restart-from").value : "";
  if (!show(gen, sections)) return;
  restartFrom.value = firstNames.includes(chosen) ? chosen : "";
  if (!inst.finished) refresh();
}

// The instance's rollback outcome (docs/rollbacks.md), naming the step whose rollback failed.
function rollbackText(inst) {
  const outcome = inst.rollback.replace(/_/g, " ");
  if (!inst.rollback_step) return outcome;
  const error = inst.rollback_error ? `, ${errorText(inst.rollback_error)}` : "";
  return `${outcome}: step ${inst.rollback_step} #${inst.rollback_step_seq || 1}${error}`;
}

async function act(gen, inst, action) {
  const name = `${inst.workflow}/${inst.id}`;
  let body;
  if (action === "terminate") {
    const reason = prompt(`Terminate ${name}? It ends at once and cannot be resumed.\n` +
      "Reason (optional):", "");
    if (reason === null) return;
    body = { reason };
  } else if (action === "restart") {
    const from = $("#restart-from").value;
    if (!confirm(`Restart ${name} ${from ? `from step ${from}` : "from the beginning"}?`)) return;
    body = from ? { from_step: from } : {};
  }
  for (const button of document.querySelectorAll(".actions button")) button.disabled = true;
  try {
    const done = await api(`${instancePath(inst.workflow, inst.id)}/${action}`, { method: "POST", body });
    notice(`${ACTIONS[action].label}: the instance is now ${done.instance.status}.`, "ok");
  } catch (err) {
    if (err.status === 401) return;
    notice(err.message, "error");
  }
  if (gen !== generation) return;
  stopRefresh();
  await renderInstance(gen, inst.workflow, inst.id);
}

const lastSucceeded = (steps) => {
  const done = steps.filter((s) => s.state === "succeeded" && s.kind !== "rollback");
  return done.length ? done[done.length - 1].name : null;
};

function eventForm(gen, inst) {
  const saved = $("#event-form") ? { type: $("#event-type").value, payload: $("#event-payload").value } : null;
  const form = el("form", { id: "event-form", class: "inline-form" },
    el("label", { for: "event-type" }, "Send event"),
    el("input", { id: "event-type", placeholder: "type", autocomplete: "off", spellcheck: "false",
      required: true, value: saved ? saved.type : "" }),
    el("input", { id: "event-payload", placeholder: "payload (JSON, optional)", autocomplete: "off",
      spellcheck: "false", value: saved ? saved.payload : "" }),
    el("button", { type: "submit" }, "Send"));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const type = $("#event-type").value.trim();
    const text = $("#event-payload").value.trim();
    let payload = null;
    try {
      if (text) payload = JSON.parse(text);
    } catch (err) {
      notice(`The payload is not JSON: ${err.message}`, "error");
      return;
    }
    try {
      const done = await api(`${instancePath(inst.workflow, inst.id)}/event`, {
        method: "POST", body: { type, payload },
      });
      $("#event-type").value = "";
      $("#event-payload").value = "";
      notice(done.delivered ? `Event ${type} sent.` : `Event ${type} was not delivered.`, "ok");
    } catch (err) {
      if (err.status === 401) return;
      notice(err.message, "error");
    }
    if (gen !== generation) return;
    stopRefresh();
    await renderInstance(gen, inst.workflow, inst.id);
  });
  return form;
}

async function remove(inst) {
  const name = `${inst.workflow}/${inst.id}`;
  if (!confirm(`Delete ${name} with its steps and history? This cannot be undone.`)) return;
  try {
    await api(instancePath(inst.workflow, inst.id), { method: "DELETE" });
  } catch (err) {
    if (err.status !== 401) notice(err.message, "error");
    return;
  }
  go(listHash({ workflow: inst.workflow }), `Deleted ${name}.`, "ok");
}

function historyTable(events) {
  const details = el("details", { id: "history", open: historyOpen },
    el("summary", {}, `History (${events.length} events)`),
    el("table", { class: "grid" },
      el("thead", {}, el("tr", {}, ["#", "Time", "Event", "Step", "Attempt", "Detail"]
        .map((h) => el("th", {}, h)))),
      el("tbody", {}, events.map((e) => el("tr", {},
        el("td", { class: "num" }, e.seq),
        el("td", {}, e.time ? new Date(Date.parse(e.time)).toISOString().replace("T", " ") : ""),
        el("td", {}, e.type),
        el("td", {}, e.step_name ? `${e.step_name}#${e.step_seq || 1}` : ""),
        el("td", { class: "num" }, e.attempt || ""),
        el("td", {}, eventDetail(e)))))));
  details.addEventListener("toggle", () => { historyOpen = details.open; });
  return details;
}

function eventDetail(e) {
  const parts = [];
  if (e.error) parts.push(errorText(e.error));
  if (e.event_type) parts.push(`event ${e.event_type}`);
  if (e.until) parts.push(`until ${fmtTime(e.until)}`);
  if (e.step_type) parts.push(`${e.step_type} on step task queue ${e.task_queue}`);
  if (e.worker) parts.push(`worker ${e.worker}`);
  if (e.reason) parts.push(e.reason);
  return parts.join("; ");
}

// The timeline: spans and marks per row, read from the history in order. The first row is the
// instance (queued, running, waiting for a pause, paused); then one row per step, name#seq.

const STATE_LABELS = {
  queued: "queued", running: "running on a worker",
  waitingForPause: "waiting for the step to end, then paused", paused: "paused",
};

function timeline(doc) {
  const now = Date.parse(doc.now);
  const instanceRow = { key: "", label: "instance", spans: [], marks: [] };
  const rows = [instanceRow];
  const byKey = new Map();
  const open = new Map();
  let base = null; // queued, running or waiting
  let pause = null; // waitingForPause or paused, over base
  let stateSpan = null;
  let last = now;

  const rowOf = (e) => {
    const key = `${e.step_name}#${e.step_seq || 1}`;
    if (!byKey.has(key)) {
      const row = { key, label: key, spans: [], marks: [] };
      byKey.set(key, row);
      rows.push(row);
    }
    return byKey.get(key);
  };
  const begin = (row, slot, span) => {
    row.spans.push(span);
    open.set(`${row.key}\n${slot}`, span);
  };
  const finish = (row, slot, t, cls, note) => {
    const span = open.get(`${row.key}\n${slot}`);
    if (!span) return null;
    open.delete(`${row.key}\n${slot}`);
    span.end = Math.max(t, span.start);
    if (cls) span.cls = cls;
    if (note) span.label += `: ${note}`;
    return span;
  };
  const mark = (row, t, cls, label) => row.marks.push({ t, cls, label });
  const closeAll = (t) => {
    for (const span of open.values()) span.end = Math.max(t, span.start);
    open.clear();
  };
  const settle = (t) => {
    const state = pause || base;
    if (stateSpan && stateSpan.state === state) return;
    if (stateSpan) stateSpan.end = t;
    stateSpan = null;
    if (STATE_LABELS[state]) {
      stateSpan = { state, cls: `inst-${state}`, start: t, end: null, label: STATE_LABELS[state] };
      instanceRow.spans.push(stateSpan);
    }
  };
  const wake = () => { if (base === "waiting") base = "queued"; };
  // CALL steps: their attempts run on step workers while the instance waits, and between
  // attempts their task waits on its step task queue.
  const callQueues = new Map(); // row key -> step task queue
  const awaitWorker = (row, t) => begin(row, "call-queue", {
    cls: "call-queued", start: t, end: null,
    label: `${row.key} waiting on step task queue ${callQueues.get(row.key)} for a step worker`,
  });
  const suspend = () => { if (base === "running") base = "waiting"; };

  for (const e of doc.history) {
    const t = Date.parse(e.time);
    last = t;
    switch (e.type) {
      case "created": mark(instanceRow, t, "mark-created", "created"); break;
      case "queued": base = "queued"; break;
      case "started": case "resumed_on_worker": base = "running"; break;
      case "lease_expired": case "task_released":
        if (e.step_name && callQueues.has(rowOf(e).key)) {
          // A step worker gave the attempt back: it waits on the queue again.
          finish(rowOf(e), `attempt ${e.attempt}`, t, "attempt-failed", "given back");
          awaitWorker(rowOf(e), t);
        } else if (base === "running") base = "queued";
        break;
      case "call_scheduled":
        callQueues.set(rowOf(e).key, e.task_queue);
        awaitWorker(rowOf(e), t);
        suspend();
        break;
      case "step_attempt_started": {
        const row = rowOf(e);
        const onStepWorker = callQueues.has(row.key);
        if (onStepWorker) finish(row, "call-queue", t);
        begin(row, `attempt ${e.attempt}`, {
          cls: "attempt", start: t, end: null,
          label: `${row.key} attempt ${e.attempt}` + (onStepWorker && e.worker ? ` on step worker ${e.worker}` : ""),
        });
        break;
      }
      case "step_succeeded":
        if (!finish(rowOf(e), `attempt ${e.attempt}`, t, "attempt-ok", "succeeded")) {
          mark(rowOf(e), t, "mark-ok", `${rowOf(e).key} succeeded`);
        }
        break;
      case "step_attempt_failed":
        finish(rowOf(e), `attempt ${e.attempt}`, t, "attempt-failed", `failed, ${errorText(e.error)}`);
        break;
      case "step_failed":
        mark(rowOf(e), t, "mark-failed", `${rowOf(e).key} failed for good (${e.reason || errorText(e.error)})`);
        break;
      case "step_retry_scheduled":
        begin(rowOf(e), "retry", {
          cls: "retry", start: t, end: null,
          label: `${rowOf(e).key} retry delay before attempt ${e.attempt}, due ${fmtClock(Date.parse(e.until))}`,
        });
        suspend();
        break;
      case "step_retry_due":
        finish(rowOf(e), "retry", t);
        // A CALL step's next attempt goes back on its queue; the instance keeps waiting.
        if (callQueues.has(rowOf(e).key)) awaitWorker(rowOf(e), t);
        else wake();
        break;
      case "sleeping":
        begin(rowOf(e), "sleep", {
          cls: "sleep", start: t, end: null,
          label: `${rowOf(e).key} sleeping until ${fmtClock(Date.parse(e.until))}`,
        });
        suspend();
        break;
      case "woke":
        if (!finish(rowOf(e), "sleep", t, null, "woke")) mark(rowOf(e), t, "mark-sleep", `${rowOf(e).key} slept (already due)`);
        wake();
        break;
      case "waiting_for_event":
        begin(rowOf(e), "wait", {
          cls: "wait", start: t, end: null,
          label: `${rowOf(e).key} waiting for event ${e.event_type}` +
            (e.until ? `, times out ${fmtTime(e.until)}` : ""),
        });
        suspend();
        break;
      case "event_taken":
        if (!finish(rowOf(e), "wait", t, null, `took event ${e.event_type || ""}`)) {
          mark(rowOf(e), t, "mark-event", `${rowOf(e).key} took a buffered event ${e.event_type || ""}`);
        }
        wake();
        break;
      case "event_wait_timed_out": finish(rowOf(e), "wait", t, "wait-timeout", "timed out"); wake(); break;
      case "event_received": mark(instanceRow, t, "mark-event", `event ${e.event_type} received`); break;
      case "pause_requested": pause = "waitingForPause"; break;
      case "paused":
        // A step that ended during waitingForPause leaves the instance ready for a worker.
        if (base === "running") base = "queued";
        pause = "paused";
        break;
      case "resumed": pause = null; break;
      case "non_determinism":
        // Blocked: the instance waits, holding no worker, for code of another build.
        suspend();
        mark(instanceRow, t, "mark-failed", `blocked by non-determinism: ${errorText(e.error)}`);
        break;
      case "build_moved":
        mark(instanceRow, t, "mark-restarted", `moved to build ${e.build_id || "(unversioned)"}`);
        break;
      case "restarted":
        closeAll(t);
        base = "queued";
        pause = null;
        mark(instanceRow, t, "mark-restarted", `restarted${e.step_name ? ` from step ${e.step_name}` : ""}`);
        break;
      case "completed": case "errored": case "terminated":
        closeAll(t);
        base = pause = null;
        mark(instanceRow, t, `mark-${e.type}`, [e.type, errorText(e.error), e.reason].filter(Boolean).join(": "));
        break;
      default: break;
    }
    settle(t);
  }
  // What is still going on ends now, drawn as open; a finished instance's spans are all closed.
  const end = doc.instance.finished ? last : Math.max(now, last);
  for (const span of [...open.values(), stateSpan].filter(Boolean)) {
    span.end = Math.max(end, span.start);
    span.running = !doc.instance.finished;
  }
  const times = rows.flatMap((r) => [...r.spans.flatMap((s) => [s.start, s.end]), ...r.marks.map((m) => m.t)]);
  const t0 = Math.min(...times, end);
  const t1 = Math.max(...times, end);
  return { rows, t0, t1: t1 > t0 ? t1 : t0 + 1000 };
}

const TICKS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 15e3, 3e4, 6e4, 12e4, 3e5,
  6e5, 9e5, 18e5, 36e5, 72e5, 108e5, 216e5, 432e5, 864e5, 1728e5, 6048e5, 12096e5, 2592e6];

function gantt({ rows, t0, t1 }) {
  const pct = (t) => `${((t - t0) / (t1 - t0)) * 100}%`;
  const step = TICKS.find((s) => (t1 - t0) / s <= 8) || TICKS[TICKS.length - 1];
  const ticks = [];
  for (let d = 0; d <= t1 - t0; d += step) ticks.push(d);
  const spanTitle = (s) => `${s.label}\n${fmtClock(s.start)} → ${s.running ? "now" : fmtClock(s.end)}` +
    ` (${fmtDuration(s.end - s.start)}${s.running ? " so far" : ""})`;
  const axis = el("div", { class: "gantt-axis" },
    el("div", { class: "gantt-label", title: fmtTime(t0) }, fmtClock(t0).slice(0, 8), " UTC"),
    el("div", { class: "gantt-track" },
      ticks.map((d) => el("span", { class: "tick", style: { left: pct(t0 + d) } }, `+${fmtDuration(d)}`))));
  const grid = el("div", { class: "gantt-grid" },
    ticks.map((d) => el("span", { style: { left: pct(t0 + d) } })));
  const body = rows.map((row) => el("div", {
    class: row.key ? "gantt-row" : "gantt-row instance-row",
    "data-step": row.key || null,
  },
  el("div", { class: "gantt-label", title: row.label }, row.label),
  el("div", { class: "gantt-track" },
    row.spans.map((s) => el("div", {
      class: `bar ${s.cls}${s.running ? " open" : ""}`,
      style: { left: pct(s.start), width: `calc(${pct(s.end)} - ${pct(s.start)})` },
      title: spanTitle(s),
    })),
    row.marks.map((m) => el("div", {
      class: `mark ${m.cls}`, style: { left: pct(m.t) }, title: `${m.label}\n${fmtClock(m.t)}`,
    })))));
  return el("div", { id: "timeline", class: "gantt" }, axis, el("div", { class: "gantt-body" }, grid, body));
}

function legend() {
  const items = [
    ["attempt", "attempt running"], ["attempt-ok", "attempt succeeded"], ["attempt-failed", "attempt failed"],
    ["retry", "retry delay"], ["call-queued", "waiting for a step worker"],
    ["sleep", "sleep"], ["wait", "event wait"],
    ["inst-queued", "queued"], ["inst-running", "on a worker"],
    ["inst-waitingForPause", "waiting for pause"], ["inst-paused", "paused"],
  ];
  return el("div", { class: "legend" },
    items.map(([cls, text]) => el("span", {}, el("i", { class: `bar ${cls}` }), text)));
}

// Start.

// A dev server on loopback signs a browser on this machine in (404 everywhere else).
async function localSession() {
  if (sessionStorage.getItem(SIGNED_OUT)) return false;
  const resp = await fetch("/api/session").catch(() => null);
  if (!resp || !resp.ok) return false;
  const doc = await resp.json().catch(() => null);
  if (!doc || !doc.api_key) return false;
  sessionStorage.setItem(KEY, doc.api_key);
  return true;
}

document.addEventListener("DOMContentLoaded", async () => {
  $("#login").addEventListener("submit", signIn);
  $("#find").addEventListener("submit", find);
  $("#sign-out").addEventListener("click", () => {
    sessionStorage.setItem(SIGNED_OUT, "1");
    signOut("");
  });
  window.addEventListener("hashchange", () => { if (sessionStorage.getItem(KEY)) route(); });
  if (!sessionStorage.getItem(KEY) && !(await localSession())) return signOut("");
  start().catch((err) => { if (err.status !== 401) signOut(err.message); });
});
