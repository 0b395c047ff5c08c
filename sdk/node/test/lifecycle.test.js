'use strict';
// StepWorker against a real `stepway dev`: heartbeats, lost leases, shutdown and connection errors.

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { once } = require('node:events');
const { setTimeout: delay } = require('node:timers/promises');
const { status } = require('@grpc/grpc-js');
const { StepWorker, connect } = require('../src');
const { findStepwayBin, freePort, startDevServer, eventually, CallDriver } = require('../testing/dev_server');

const bin = findStepwayBin();
const skip = bin ? false : 'stepway not found: set STEPWAY_BIN, or create the repository .venv (pip install -e ./sdk/python -e .)';

/** A client whose WorkerService calls are counted by method name. */
function countingClient(server) {
  const client = connect(server.address, { apiKey: server.apiKey });
  client.calls = {};
  for (const name of ['heartbeatStepTask', 'completeStepTask', 'failStepTask']) {
    const call = client.worker[name];
    client.worker[name] = (request, opts) => {
      client.calls[name] = (client.calls[name] ?? 0) + 1;
      return call(request, opts);
    };
  }
  return client;
}

/** A promise with its resolve function, to hear from inside a handler. */
function signalled() {
  let resolve;
  const promise = new Promise((r) => (resolve = r));
  return { promise, resolve };
}

/** Resolves when `signal` aborts, or after `ms` at the latest, so a broken test cannot hang. */
function aborted(signal, ms = 5_000) {
  return Promise.race([once(signal, 'abort'), delay(ms)]);
}

describe('StepWorker lifecycle', { skip }, () => {
  let server;
  let serial = 0;
  before(async () => {
    server = await startDevServer(bin);
  });
  after(() => server?.stop());

  function setUp(options = {}) {
    const driver = new CallDriver(server, `life${++serial}`);
    const worker = new StepWorker({ address: server.address, apiKey: server.apiKey, taskQueue: driver.stepQueue, ...options });
    return { driver, worker };
  }

  test('automatic heartbeats keep a 2 s handler alive under a 1 s heartbeat timeout', async () => {
    const client = countingClient(server);
    const { driver, worker } = setUp({ client });
    worker.register('slow', async () => {
      await delay(2_000); // the work itself
      return 'finished';
    });
    const running = worker.run();
    try {
      await driver.schedule({ stepType: 'slow', heartbeatTimeoutMs: 1_000, timeoutMs: 10_000 });
      const [entry] = await driver.outcomes(1);
      assert.equal(entry.state, 'STEP_STATE_SUCCEEDED');
      assert.equal(entry.result, 'finished');
      assert.equal(entry.attempts, 1);
      assert.ok(client.calls.heartbeatStepTask >= 4, `${client.calls.heartbeatStepTask} heartbeats`);
    } finally {
      await worker.stop();
      await running;
      client.close();
      driver.close();
    }
  });

  test("a heartbeat's details reach the next attempt as heartbeatDetails", async () => {
    const { driver, worker } = setUp();
    worker.register('resumable', (input, ctx) => {
      if (ctx.attempt === 1) {
        ctx.heartbeat({ done: 3 });
        throw new Error('crashed after 3');
      }
      return { resumedFrom: ctx.heartbeatDetails };
    });
    const running = worker.run();
    try {
      await driver.schedule({ stepType: 'resumable', retry: { limit: 1 } });
      const [entry] = await driver.outcomes(1);
      assert.equal(entry.state, 'STEP_STATE_SUCCEEDED');
      assert.deepEqual(entry.result, { resumedFrom: { done: 3 } });
    } finally {
      await worker.stop();
      await running;
      driver.close();
    }
  });

  test('heartbeat() resolves once the server has the details, periodic or not', async () => {
    const client = countingClient(server);
    const { driver, worker } = setUp({ client });
    const acks = [];
    worker.register('acked', async (input, ctx) => {
      const before = client.calls.heartbeatStepTask ?? 0;
      acks.push(await ctx.heartbeat({ step: input.n }));
      acks.push((client.calls.heartbeatStepTask ?? 0) > before);
      return 'ok';
    });
    const running = worker.run();
    try {
      await driver.schedule({ stepType: 'acked', input: { n: 1 }, heartbeatTimeoutMs: 900 });
      await driver.schedule({ stepType: 'acked', input: { n: 2 } });
      const outcomes = await driver.outcomes(2);
      assert.deepEqual(outcomes.map((e) => e.result), ['ok', 'ok']);
      assert.deepEqual(acks, [true, true, true, true]);
    } finally {
      await worker.stop();
      await running;
      client.close();
      driver.close();
    }
  });

  test("a terminated instance aborts the handler's signal, and nothing more is sent for it", async () => {
    const client = countingClient(server);
    const { driver, worker } = setUp({ client });
    const started = signalled();
    let reason;
    worker.register('long', async (input, ctx) => {
      started.resolve(ctx);
      await aborted(ctx.signal);
      reason = ctx.signal.reason;
      return 'too late';
    });
    const finished = [];
    worker.on('taskFinished', (ctx, how) => finished.push(how));
    worker.on('warning', () => {});
    const running = worker.run();
    try {
      const [id] = await driver.schedule({ stepType: 'long', heartbeatTimeoutMs: 600 });
      await started.promise;
      await driver.client.workflow.terminateInstance({ workflow: driver.workflow, instanceId: id, reason: 'test' });
      await eventually(() => finished.length === 1, { what: 'the task to end' });
      assert.deepEqual(finished, ['lost']);
      assert.equal(reason?.name, 'TaskLost');
      assert.match(reason.message, /task lease lost/);
      assert.equal(client.calls.completeStepTask ?? 0, 0);
      assert.equal(client.calls.failStepTask ?? 0, 0);
    } finally {
      await worker.stop();
      await running;
      client.close();
      driver.close();
    }
  });

  test('stop() lets a running handler finish, and its result is recorded', async () => {
    const { driver, worker } = setUp();
    const started = signalled();
    worker.register('finishing', async () => {
      started.resolve();
      await delay(300); // the work itself
      return 'finished';
    });
    const running = worker.run();
    try {
      await driver.schedule({ stepType: 'finishing' });
      await started.promise;
      await worker.stop({ timeoutMs: 5_000 });
      await running;
      assert.equal(worker.running, 0);
      const [entry] = await driver.outcomes(1);
      assert.equal(entry.state, 'STEP_STATE_SUCCEEDED');
      assert.equal(entry.result, 'finished');
    } finally {
      driver.close();
    }
  });

  test('stop() aborts a handler past its timeout and fails it as a retryable WorkerShutdown', async () => {
    const { driver, worker } = setUp();
    const started = signalled();
    let reason;
    worker.register('stuck', async (input, ctx) => {
      started.resolve();
      await aborted(ctx.signal);
      reason = ctx.signal.reason;
      throw reason;
    });
    const running = worker.run();
    try {
      await driver.schedule({ stepType: 'stuck', retry: { limit: 1 } });
      await started.promise;
      await worker.stop({ timeoutMs: 100 });
      await running;
      assert.equal(reason?.name, 'WorkerShutdown');

      // The failure was retryable: attempt 2 goes to the next worker on the queue.
      const second = new StepWorker({ address: server.address, apiKey: server.apiKey, taskQueue: driver.stepQueue });
      second.register('stuck', (input, ctx) => `attempt ${ctx.attempt}`);
      const secondRunning = second.run();
      try {
        const [entry] = await driver.outcomes(1);
        assert.equal(entry.state, 'STEP_STATE_SUCCEEDED');
        assert.equal(entry.result, 'attempt 2');
      } finally {
        await second.stop();
        await secondRunning;
      }
    } finally {
      await worker.stop();
      driver.close();
    }
  });

  test('a key the server does not know makes run() reject with UNAUTHENTICATED', async () => {
    const worker = new StepWorker({ address: server.address, apiKey: 'sw_not_a_key', taskQueue: 'anything' });
    worker.register('x', () => null);
    await assert.rejects(worker.run(), (err) => err.code === status.UNAUTHENTICATED);
  });

  test('an unreachable server is polled again with backoff until stop()', async () => {
    const address = `127.0.0.1:${await freePort()}`;
    const worker = new StepWorker({ address, apiKey: 'sw_any', taskQueue: 'anything' });
    worker.register('x', () => null);
    const warnings = [];
    worker.on('warning', (err) => warnings.push(err));
    const running = worker.run();
    await eventually(() => warnings.length >= 2, { what: 'two failed polls' });
    assert.equal(warnings[0].cause.code, status.UNAVAILABLE);
    await worker.stop();
    await running;
  });
});
