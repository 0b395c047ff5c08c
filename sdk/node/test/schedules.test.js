'use strict';
// client.schedules against a real `stepway dev`: create, get, list, update, pause, resume,
// trigger, backfill and delete, and the typed errors. The instances that schedules create wait
// on a task queue that no worker polls, so they stay queued.

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { Client, InvalidFieldError, ScheduleExistsError, ScheduleNotFoundError } = require('../src');
const { findStepwayBin, startDevServer } = require('../testing/dev_server');

const bin = findStepwayBin();
const skip = bin ? false : 'stepway not found: set STEPWAY_BIN, or create the repository .venv (pip install -e ./sdk/python -e .)';
const QUEUE = 'scheduled';
const HOUR_MS = 3_600_000;

/** The hour of a Date in a time zone, by Intl. */
function hourIn(date, timeZone) {
  return Number(new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', hourCycle: 'h23' }).format(date));
}

describe('client.schedules', { skip }, () => {
  let server;
  let client;
  before(async () => {
    server = await startDevServer(bin);
    client = await Client.connect(server.address, { apiKey: server.apiKey });
  });
  after(async () => {
    client?.close();
    await server?.stop();
  });

  test('create() with a cron in a time zone reads back its settings and next fire times', async () => {
    const made = await client.schedules.create('nightly', 'report', {
      cron: '0 3 * * *',
      timeZone: 'Europe/Paris',
      params: { kind: 'daily' },
      taskQueue: QUEUE,
      retentionMs: 2 * 24 * HOUR_MS,
      overlap: 'buffer_one',
      jitterMs: 30_000,
    });
    assert.deepEqual(
      [made.id, made.workflow, made.cron, made.timeZone, made.everyMs, made.overlap, made.jitterMs, made.retentionMs],
      ['nightly', 'report', '0 3 * * *', 'Europe/Paris', null, 'buffer_one', 30_000, 2 * 24 * HOUR_MS],
    );
    assert.deepEqual(made.params, { kind: 'daily' });
    const got = await client.schedules.get('nightly', { nextFireTimes: 3 });
    assert.equal(got.nextFireTimes.length, 3);
    for (const when of got.nextFireTimes) {
      assert.ok(when instanceof Date && when > new Date());
      assert.equal(hourIn(when, 'Europe/Paris'), 3);
    }
    assert.deepEqual([got.fired, got.skipped, got.missed, got.recentRuns], [0, 0, 0, []]);
  });

  test('list() goes through every schedule by id, a page at a time', async () => {
    for (const id of ['l2', 'l0', 'l1']) await client.schedules.create(id, 'poll', { everyMs: HOUR_MS, taskQueue: QUEUE });
    const ids = [];
    for await (const schedule of client.schedules.list({ pageSize: 2 })) ids.push(schedule.id);
    assert.deepEqual(
      ids.filter((id) => id.startsWith('l')),
      ['l0', 'l1', 'l2'],
    );
    const first = await client.schedules.listPage({ pageSize: 1 });
    assert.equal(first.schedules.length, 1);
    assert.ok(first.nextPageToken);
  });

  test('pause() and resume() keep their notes; update() changes only what it names', async () => {
    await client.schedules.create('held', 'poll', { everyMs: HOUR_MS, offsetMs: 60_000, taskQueue: QUEUE, params: { n: 1 } });
    const paused = await client.schedules.pause('held', 'maintenance');
    assert.deepEqual([paused.paused, paused.note, paused.nextFireTimes], [true, 'maintenance', []]);
    const resumed = await client.schedules.resume('held', 'done');
    assert.deepEqual([resumed.paused, resumed.note, resumed.nextFireTimes.length], [false, 'done', 1]);
    const updated = await client.schedules.update('held', { overlap: 'allow_all' });
    assert.deepEqual([updated.everyMs, updated.offsetMs, updated.overlap, updated.taskQueue], [HOUR_MS, 60_000, 'allow_all', QUEUE]);
    assert.deepEqual(updated.params, { n: 1 });
    const toCron = await client.schedules.update('held', { cron: '@daily' });
    assert.deepEqual([toCron.cron, toCron.timeZone, toCron.everyMs, toCron.offsetMs], ['@daily', 'UTC', null, null]);
  });

  test('trigger() creates the instance named by the schedule and the time; backfill() creates each fire once', async () => {
    const since = new Date('2026-01-01T00:00:00Z');
    await client.schedules.create('hourly', 'report', { everyMs: HOUR_MS, taskQueue: QUEUE, params: { x: 1 }, start: since });
    const instanceId = await client.schedules.trigger('hourly');
    assert.match(instanceId, /^hourly-\d{8}T\d{6}Z$/);
    const info = await client.status('report', instanceId);
    assert.deepEqual([info.status, info.params], ['queued', { x: 1 }]);
    const [run] = (await client.schedules.get('hourly')).recentRuns;
    assert.deepEqual([run.instanceId, run.status, run.workflow], [instanceId, 'queued', 'report']);

    const end = new Date(Math.floor(Date.now() / HOUR_MS) * HOUR_MS - HOUR_MS);
    const start = new Date(end.getTime() - 2 * HOUR_MS);
    assert.deepEqual(await client.schedules.backfill('hourly', start, end), { created: 2, existing: 0, skipped: 0 });
    assert.deepEqual(await client.schedules.backfill('hourly', start, end, { overlap: 'allow_all' }), { created: 0, existing: 2, skipped: 0 });
  });

  test('the errors are typed: an unknown schedule, a taken id, a bad cron', async () => {
    await assert.rejects(client.schedules.get('nope'), (err) => err instanceof ScheduleNotFoundError && err.reason === 'SCHEDULE_NOT_FOUND');
    await client.schedules.create('taken', 'report', { everyMs: HOUR_MS, taskQueue: QUEUE });
    await assert.rejects(client.schedules.create('taken', 'report', { everyMs: HOUR_MS, taskQueue: QUEUE }), ScheduleExistsError);
    await assert.rejects(client.schedules.create('bad', 'report', { cron: '61 * * * *', taskQueue: QUEUE }), InvalidFieldError);
    await assert.rejects(client.schedules.create('both', 'report', { cron: '@daily', everyMs: HOUR_MS }), TypeError);
    await client.schedules.delete('taken');
    await assert.rejects(client.schedules.trigger('taken'), ScheduleNotFoundError);
  });
});
