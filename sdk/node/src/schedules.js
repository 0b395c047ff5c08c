'use strict';
// Schedules, as `client.schedules`: start a workflow on a cron expression in a time zone or at
// a fixed interval; pause, resume, update and delete them, fire one now, or backfill a past
// range (ScheduleService). Each fire creates the instance `<scheduleId>-<YYYYMMDDTHHMMSSZ>`.

const { STATUS } = require('./_instance_info');
const { toPayload, fromPayload, durationFromMs, msFromDuration, dateFromTimestamp, timestampFromDate } = require('./convert');

const CALL_TIMEOUT_MS = 30_000;
const BACKFILL_TIMEOUT_MS = 120_000;

/** The overlap policies by name, as the Python SDK and the CLI name them. */
const OVERLAPS = Object.freeze({
  skip: 'OVERLAP_POLICY_SKIP',
  buffer_one: 'OVERLAP_POLICY_BUFFER_ONE',
  allow_all: 'OVERLAP_POLICY_ALLOW_ALL',
  terminate_previous: 'OVERLAP_POLICY_TERMINATE_PREVIOUS',
});
const OVERLAP_NAMES = Object.fromEntries(Object.entries(OVERLAPS).map(([name, value]) => [value, name]));

// The settings create() takes and update() changes, each keeping its current value when absent.
const SETTINGS = [
  'workflow',
  'cron',
  'timeZone',
  'everyMs',
  'offsetMs',
  'start',
  'end',
  'jitterMs',
  'params',
  'taskQueue',
  'retentionMs',
  'overlap',
  'catchupWindowMs',
];

/** An OverlapPolicy value for a policy's name; unspecified for null or undefined. */
function overlapValue(overlap) {
  if (overlap === undefined || overlap === null) return 'OVERLAP_POLICY_UNSPECIFIED';
  const value = OVERLAPS[overlap];
  if (!value) throw new TypeError(`overlap must be one of ${Object.keys(OVERLAPS).join(', ')}, not ${JSON.stringify(overlap)}`);
  return value;
}

const given = (value) => value !== undefined && value !== null;
const duration = (ms) => (given(ms) ? durationFromMs(ms) : null);
const timestamp = (date) => (given(date) ? timestampFromDate(date) : null);

/** The spec, action and policy of a schedule's settings. */
function scheduleParts(settings) {
  const { workflow, cron, timeZone, everyMs, offsetMs, start, end, jitterMs, params, taskQueue, retentionMs, overlap, catchupWindowMs } =
    settings;
  if (given(cron) === given(everyMs)) throw new TypeError('a schedule needs exactly one of cron and everyMs');
  if (!given(cron) && given(timeZone)) throw new TypeError('timeZone applies to cron; an interval is read in UTC');
  if (!given(everyMs) && given(offsetMs)) throw new TypeError('offsetMs applies to everyMs');
  const spec = {
    startTime: timestamp(start),
    endTime: timestamp(end),
    jitter: duration(jitterMs),
    ...(given(cron) ? { cron: { expression: cron, timeZone: timeZone ?? '' } } : { interval: { every: duration(everyMs), offset: duration(offsetMs) } }),
  };
  const action = { workflow, params: toPayload(params ?? null), taskQueue: taskQueue ?? '', retention: duration(retentionMs) };
  const policy = { overlap: overlapValue(overlap), catchupWindow: duration(catchupWindowMs) };
  return { spec, action, policy };
}

/** One instance a schedule created. */
function scheduleRun(run) {
  return {
    scheduledAt: dateFromTimestamp(run.scheduledAt),
    createdAt: dateFromTimestamp(run.createdAt),
    instanceId: run.instanceId,
    status: STATUS[run.status] ?? 'unknown',
    workflow: run.workflow,
  };
}

/** A stepway.v1.Schedule as a plain object, as the Python SDK's Schedule shows it. */
function scheduleInfo(schedule) {
  const { spec, action, policy } = schedule;
  const cron = spec.trigger === 'cron' ? spec.cron : null;
  const interval = spec.trigger === 'interval' ? spec.interval : null;
  return {
    id: schedule.scheduleId,
    workflow: action.workflow,
    cron: cron ? cron.expression : null,
    timeZone: cron ? cron.timeZone || 'UTC' : null,
    everyMs: interval ? msFromDuration(interval.every) : null,
    offsetMs: interval ? (msFromDuration(interval.offset) ?? 0) : null,
    start: dateFromTimestamp(spec.startTime),
    end: dateFromTimestamp(spec.endTime),
    jitterMs: msFromDuration(spec.jitter),
    params: fromPayload(action.params),
    taskQueue: action.taskQueue || null,
    retentionMs: msFromDuration(action.retention),
    overlap: OVERLAP_NAMES[policy.overlap] ?? 'skip',
    catchupWindowMs: msFromDuration(policy.catchupWindow),
    paused: schedule.paused,
    note: schedule.note,
    createdAt: dateFromTimestamp(schedule.createdAt),
    updatedAt: dateFromTimestamp(schedule.updatedAt),
    nextFireTimes: schedule.nextFireTimes.map(dateFromTimestamp),
    recentRuns: schedule.recentRuns.map(scheduleRun),
    fired: Number(schedule.fired),
    skipped: Number(schedule.skipped),
    missed: Number(schedule.missed),
  };
}

/** ScheduleService's calls, with the client's key. */
class Schedules {
  constructor(client) {
    this.client = client;
  }

  call(method, request, opts = { timeoutMs: CALL_TIMEOUT_MS }) {
    return this.client.stubs.schedule[method](request, opts);
  }

  /**
   * Creates a schedule that starts `workflow` with `params` on `cron` (read in `timeZone`,
   * default UTC) or every `everyMs` (phase `offsetMs`); resolves to the schedule. Rejects with
   * ScheduleExistsError when the id is taken.
   */
  async create(scheduleId, workflow, options = {}) {
    const { paused = false, ...settings } = options;
    const parts = scheduleParts({ ...settings, workflow });
    const response = await this.call('createSchedule', { scheduleId, ...parts, paused });
    return scheduleInfo(response.schedule);
  }

  /** The schedule with its next `nextFireTimes` fire times (at most 100) and its recent runs. */
  async get(scheduleId, { nextFireTimes = 10 } = {}) {
    return scheduleInfo((await this.call('getSchedule', { scheduleId, nextFireTimes })).schedule);
  }

  /** One page of the account's schedules by id: { schedules, nextPageToken } (null on the last). */
  async listPage({ pageSize = 100, pageToken = null } = {}) {
    const response = await this.call('listSchedules', { pageSize, pageToken: pageToken ?? '' });
    return { schedules: response.schedules.map(scheduleInfo), nextPageToken: response.nextPageToken || null };
  }

  /** Every schedule of the account by id, fetched a page at a time. */
  async *list({ pageSize = 100 } = {}) {
    let pageToken = null;
    do {
      const page = await this.listPage({ pageSize, pageToken });
      yield* page.schedules;
      pageToken = page.nextPageToken;
    } while (pageToken !== null);
  }

  /**
   * Changes the settings named in `changes` (create()'s, and `workflow`; null clears one) and
   * keeps the rest: reads the schedule, then replaces its spec, action and policy. `cron`
   * replaces an interval and `everyMs` a cron.
   */
  async update(scheduleId, changes = {}) {
    const now = await this.get(scheduleId, { nextFireTimes: 1 });
    const settings = Object.fromEntries(SETTINGS.map((name) => [name, name in changes && changes[name] !== undefined ? changes[name] : now[name]]));
    if (given(changes.cron)) Object.assign(settings, { everyMs: null, offsetMs: changes.offsetMs ?? null });
    else if (given(changes.everyMs)) Object.assign(settings, { cron: null, timeZone: changes.timeZone ?? null });
    const response = await this.call('updateSchedule', { scheduleId, ...scheduleParts(settings) });
    return scheduleInfo(response.schedule);
  }

  /** Pauses the schedule: no fire until resumed, and none made up after. */
  async pause(scheduleId, note = '') {
    return scheduleInfo((await this.call('pauseSchedule', { scheduleId, note })).schedule);
  }

  /** Resumes the schedule from now. */
  async resume(scheduleId, note = '') {
    return scheduleInfo((await this.call('resumeSchedule', { scheduleId, note })).schedule);
  }

  /** Deletes the schedule; the instances it created are kept. */
  async delete(scheduleId) {
    await this.call('deleteSchedule', { scheduleId });
  }

  /**
   * Fires the schedule now, once, even when paused, under `overlap` (default: the schedule's);
   * resolves to the id of the instance created, or null when the policy skipped the fire.
   */
  async trigger(scheduleId, { overlap } = {}) {
    const response = await this.call('triggerSchedule', { scheduleId, overlap: overlapValue(overlap) });
    return response.instanceId || null;
  }

  /**
   * Fires the schedule for each time its spec gives in [start, end), as if on time, under
   * `overlap` (default allow_all); resolves to { created, existing, skipped }.
   */
  async backfill(scheduleId, start, end, { overlap } = {}) {
    const request = { scheduleId, startTime: timestampFromDate(start), endTime: timestampFromDate(end), overlap: overlapValue(overlap) };
    const response = await this.call('backfillSchedule', request, { timeoutMs: BACKFILL_TIMEOUT_MS });
    return { created: Number(response.created), existing: Number(response.existing), skipped: Number(response.skipped) };
  }
}

module.exports = { Schedules, OVERLAPS };
