'use strict';
// StepWorker against a real `stepway dev`: results, failures, retries and the concurrency limit.

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { setTimeout: delay } = require('node:timers/promises');
const { StepWorker, NonRetryableError, connect } = require('../src');
const { findStepwayBin, startDevServer, CallDriver } = require('../testing/dev_server');

const bin = findStepwayBin();
const skip = bin ? false : 'stepway not found: set STEPWAY_BIN, or create the repository .venv (pip install -e ./sdk/python -e .)';

describe('StepWorker serving CALL steps', { skip }, () => {
  let server;
  let serial = 0;
  before(async () => {
    server = await startDevServer(bin);
  });
  after(() => server?.stop());

  /** Runs `body(driver, worker)` with a fresh workflow, step task queue and worker, then stops them. */
  async function withWorker(handlers, body, options = {}) {
    const driver = new CallDriver(server, `steps${++serial}`);
    const worker = new StepWorker({ address: server.address, apiKey: server.apiKey, taskQueue: driver.stepQueue, ...options });
    for (const [type, handler] of Object.entries(handlers)) worker.register(type, handler);
    const running = worker.run();
    try {
      await body(driver, worker);
    } finally {
      await worker.stop({ timeoutMs: 1_000 });
      await running;
      driver.close();
    }
  }

  test("a handler's result becomes the CALL step's result", async () => {
    const contexts = [];
    const renderPdf = async (input, ctx) => {
      contexts.push(ctx);
      return { pdf: `order-${input.order_id}.pdf` };
    };
    await withWorker({ render_pdf: renderPdf }, async (driver) => {
      const [id] = await driver.schedule({ stepType: 'render_pdf', input: { order_id: 7 } });
      const [entry] = await driver.outcomes(1);
      assert.equal(entry.kind, 'STEP_KIND_CALL');
      assert.equal(entry.state, 'STEP_STATE_SUCCEEDED');
      assert.deepEqual(entry.result, { pdf: 'order-7.pdf' });
      assert.equal(entry.attempts, 1);
      const [ctx] = contexts;
      assert.equal(ctx.workflow, driver.workflow);
      assert.equal(ctx.instanceId, id);
      assert.equal(ctx.stepName, 'call');
      assert.equal(ctx.attempt, 1);
      assert.equal(ctx.heartbeatDetails, null);
      assert.ok(ctx.deadline > new Date(), 'the deadline is ahead');
      assert.equal(ctx.signal.aborted, false);
    });
  });

  test('a NonRetryableError fails the step at once, whatever its retry policy', async () => {
    let calls = 0;
    const charge = () => {
      calls += 1;
      throw new NonRetryableError('card declined', { type: 'CardDeclined' });
    };
    await withWorker({ charge }, async (driver) => {
      await driver.schedule({ stepType: 'charge', retry: { limit: 3 } });
      const [entry] = await driver.outcomes(1);
      assert.equal(entry.state, 'STEP_STATE_FAILED');
      assert.equal(entry.error.type, 'CardDeclined');
      assert.equal(entry.error.message, 'card declined');
      assert.equal(entry.attempts, 1);
      assert.equal(calls, 1);
    });
  });

  test("a thrown error is retried by the call's policy, and the next attempt knows its number", async () => {
    const attempts = [];
    const flaky = (input, ctx) => {
      attempts.push(ctx.attempt);
      if (ctx.attempt === 1) throw new TypeError('network blip');
      return 'ok';
    };
    await withWorker({ flaky }, async (driver) => {
      await driver.schedule({ stepType: 'flaky', retry: { limit: 2 } });
      const [entry] = await driver.outcomes(1);
      assert.equal(entry.state, 'STEP_STATE_SUCCEEDED');
      assert.equal(entry.result, 'ok');
      assert.equal(entry.attempts, 2);
      assert.deepEqual(attempts, [1, 2]);
    });
  });

  test('a step type with no handler fails as UnknownStepType', async () => {
    await withWorker({ other: () => null }, async (driver) => {
      await driver.schedule({ stepType: 'missing' });
      const [entry] = await driver.outcomes(1);
      assert.equal(entry.state, 'STEP_STATE_FAILED');
      assert.equal(entry.error.type, 'UnknownStepType');
      assert.match(entry.error.message, /missing/);
    });
  });

  test('a result over 1 MiB fails the step without a retry', async () => {
    const huge = () => 'x'.repeat(1024 * 1024 + 1);
    await withWorker({ huge }, async (driver) => {
      await driver.schedule({ stepType: 'huge', retry: { limit: 2 } });
      const [entry] = await driver.outcomes(1);
      assert.equal(entry.state, 'STEP_STATE_FAILED');
      assert.equal(entry.error.type, 'ResultTooLarge');
      assert.equal(entry.attempts, 1);
    });
  });

  test('a result or heartbeat JSON cannot hold is refused where it is made, and the step fails once', async () => {
    let calls = 0;
    const beats = [];
    const lone = (input, ctx) => {
      calls += 1;
      for (const details of [{ progress: NaN }, { name: 'x\ud800' }]) {
        try {
          ctx.heartbeat(details);
        } catch (err) {
          beats.push(err.message);
        }
      }
      return input.i === 1 ? { ratio: NaN } : { name: 'x\ud800' };
    };
    await withWorker({ lone }, async (driver) => {
      await driver.schedule({ stepType: 'lone', retry: { limit: 2 } }, { count: 2 }); // inputs {i: 0}, {i: 1}
      const entries = await driver.outcomes(2);
      for (const entry of entries) {
        assert.equal(entry.state, 'STEP_STATE_FAILED');
        assert.equal(entry.error.type, 'InvalidResult');
        assert.equal(entry.attempts, 1);
      }
      assert.deepEqual(entries.map((e) => /lone surrogate/.test(e.error.message)).sort(), [false, true]);
      assert.ok(entries.some((e) => /NaN \(key 'ratio'\)/.test(e.error.message)));
      assert.equal(calls, 2);
      assert.equal(beats.length, 4);
      assert.match(beats[0], /NaN \(key 'progress'\), which JSON cannot hold/);
      assert.match(beats[1], /lone surrogate \(key 'name'\)/);
    });
  });

  test('at most maxConcurrent handlers run at once, and a poll asks only for free slots', async () => {
    const client = connect(server.address, { apiKey: server.apiKey });
    const asked = [];
    let worker;
    const poll = client.worker.pollStepTasks;
    client.worker.pollStepTasks = (request, opts) => {
      asked.push({ maxTasks: request.maxTasks, free: 2 - worker.running });
      return poll(request, opts);
    };
    let active = 0;
    let most = 0;
    const work = async () => {
      active += 1;
      most = Math.max(most, active);
      await delay(150); // the work itself
      active -= 1;
      return 'done';
    };
    try {
      await withWorker(
        { work },
        async (driver, w) => {
          worker = w;
          await driver.schedule({ stepType: 'work' }, { count: 6 });
          const entries = await driver.outcomes(6);
          assert.deepEqual(
            entries.map((e) => e.state),
            Array(6).fill('STEP_STATE_SUCCEEDED'),
          );
        },
        { client, maxConcurrent: 2 },
      );
    } finally {
      client.close();
    }
    assert.equal(most, 2);
    for (const { maxTasks, free } of asked) assert.ok(maxTasks >= 1 && maxTasks <= free, `asked ${maxTasks} with ${free} free`);
  });
});
