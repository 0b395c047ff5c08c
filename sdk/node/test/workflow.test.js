'use strict';
// The workflow Worker against a real `stepway dev`: parallel steps, replay, durations, errors.

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { Worker, WorkflowEntrypoint, NonRetryableError, StepFailedError, EventTimeoutError, connect, toPayload, fromPayload, durationMs } = require('../src');
const { findStepwayBin, startDevServer, eventually } = require('../testing/dev_server');

/** A promise with its resolve function, to hear from inside a step. */
function signalled() {
  let resolve;
  const promise = new Promise((r) => (resolve = r));
  return { promise, resolve };
}

const bin = findStepwayBin();
const skip = bin ? false : 'stepway not found: set STEPWAY_BIN, or create the repository .venv (pip install -e ./sdk/python -e .)';

describe('durationMs', () => {
  test('reads milliseconds and Cloudflare duration strings, singular or plural', () => {
    assert.equal(durationMs(250), 250);
    assert.equal(durationMs('10 seconds'), 10_000);
    assert.equal(durationMs('1 minute'), 60_000);
    assert.equal(durationMs('2 hours'), 7_200_000);
    assert.equal(durationMs('1 day'), 86_400_000);
    assert.throws(() => durationMs('soon'), TypeError);
    assert.throws(() => durationMs(-1), TypeError);
  });
});

describe('workflow Worker', { skip }, () => {
  let server;
  let client;
  let serial = 0;
  before(async () => {
    server = await startDevServer(bin);
    client = connect(server.address, { apiKey: server.apiKey });
  });
  after(async () => {
    client?.close();
    await server?.stop();
  });

  /** Runs `workflows` on a fresh queue while `body(worker, warnings)` runs, then stops the worker. */
  async function withWorker(workflows, body, options = {}) {
    const taskQueue = options.taskQueue ?? `wfq${++serial}`;
    const worker = new Worker({ address: server.address, apiKey: server.apiKey, taskQueue, workflows, ...options });
    const warnings = [];
    worker.on('warning', (err) => warnings.push(err));
    const ready = new Promise((resolve) => worker.once('ready', resolve));
    const running = worker.run();
    try {
      await Promise.race([ready, running]);
      return await body(worker, warnings);
    } finally {
      await worker.stop();
      await running;
    }
  }

  async function result(workflow, instanceId) {
    const response = await client.workflow.waitInstance({ workflow, instanceId, timeout: { seconds: '20', nanos: 0 } }, { timeoutMs: 30_000 });
    assert.ok(response.finished, `${workflow}/${instanceId} did not finish`);
    return response.instance;
  }

  test('Promise.all runs steps of one name in parallel, each its own occurrence, replayed after a sleep', async () => {
    const runs = [];
    let concurrent = 0;
    let most = 0;
    class Fanout extends WorkflowEntrypoint {
      async run(event, step) {
        const parts = await Promise.all(
          event.payload.items.map((item) =>
            step.do('fetch', async () => {
              runs.push(item);
              most = Math.max(most, ++concurrent);
              await new Promise((resolve) => setTimeout(resolve, 100));
              concurrent--;
              return item * 10;
            }),
          ),
        );
        await step.sleep('pause', '1 second');
        return { parts, total: await step.do('sum', () => parts.reduce((a, b) => a + b, 0)) };
      }
    }
    await withWorker({ fanout: Fanout }, async () => {
      await client.workflow.createInstance({ workflow: 'fanout', instanceId: 'f-1', params: toPayload({ items: [1, 2, 3] }) });
      const instance = await result('fanout', 'f-1');
      assert.equal(instance.status, 'INSTANCE_STATUS_COMPLETE');
      assert.deepEqual(fromPayload(instance.output), { parts: [10, 20, 30], total: 60 });
      assert.deepEqual(runs.sort(), [1, 2, 3], 'each body ran once: the replay after the sleep ran none');
      assert.equal(most, 3);
      const { steps } = await client.workflow.getInstance({ workflow: 'fanout', instanceId: 'f-1', includeSteps: true });
      const fetches = steps.filter((s) => s.name === 'fetch').map((s) => s.seq);
      assert.deepEqual(fetches.sort(), [1, 2, 3]);
    });
  });

  test('a NonRetryableError fails the step at once, and the workflow may catch StepFailedError', async () => {
    let attempts = 0;
    async function careful(event, step) {
      try {
        await step.do('risky', { retries: { limit: 5, delay: 10, backoff: 'constant' } }, () => {
          attempts++;
          throw new NonRetryableError('no way');
        });
      } catch (err) {
        assert.ok(err instanceof StepFailedError);
        return { caught: err.errorType, message: err.errorMessage };
      }
      return 'not reached';
    }
    await withWorker({ careful }, async () => {
      await client.workflow.createInstance({ workflow: 'careful', instanceId: 'c-1' });
      const instance = await result('careful', 'c-1');
      assert.deepEqual(fromPayload(instance.output), { caught: 'NonRetryableError', message: 'no way' });
      assert.equal(attempts, 1);
    });
  });

  test('an uncaught step failure errors the instance with the step’s error type', async () => {
    async function doomed(event, step) {
      await step.do('boom', { retries: { limit: 1, delay: '0 seconds' } }, () => {
        throw new RangeError('out of range');
      });
    }
    await withWorker({ doomed }, async () => {
      await client.workflow.createInstance({ workflow: 'doomed', instanceId: 'd-1' });
      const instance = await result('doomed', 'd-1');
      assert.equal(instance.status, 'INSTANCE_STATUS_ERRORED');
      assert.equal(instance.error.type, 'RangeError');
      assert.equal(instance.error.message, 'out of range');
    });
  });

  test('workflowOptions keep a workflow\'s completed and errored instances for their own retentions', async () => {
    async function kept(event, step) {
      if (event.payload.fail) throw new Error('asked to fail');
      return step.do('work', () => 'done');
    }
    const workflowOptions = { kept: { successRetentionMs: 60_000, errorRetentionMs: 7_200_000 } };
    await withWorker({ kept }, async () => {
      await client.workflow.createInstance({ workflow: 'kept', instanceId: 'ok', params: toPayload({}) });
      await client.workflow.createInstance({ workflow: 'kept', instanceId: 'bad', params: toPayload({ fail: true }) });
      const ok = await result('kept', 'ok');
      const bad = await result('kept', 'bad');
      assert.deepEqual([ok.status, bad.status], ['INSTANCE_STATUS_COMPLETE', 'INSTANCE_STATUS_ERRORED']);
      assert.deepEqual([ok.retention.seconds, bad.retention.seconds], ['60', '7200']);
    }, { workflowOptions });
  });

  test('a step past its timeout fails as StepTimeout and its signal aborts', async () => {
    let aborted = null;
    async function slow(event, step) {
      return step.do('wait', { retries: { limit: 0 }, timeout: 200 }, ({ signal }) => {
        return new Promise((resolve) => {
          signal.addEventListener('abort', () => {
            aborted = signal.reason.name;
            resolve('late');
          });
        });
      });
    }
    await withWorker({ slow }, async () => {
      await client.workflow.createInstance({ workflow: 'slow', instanceId: 's-1' });
      const instance = await result('slow', 's-1');
      assert.equal(instance.status, 'INSTANCE_STATUS_ERRORED');
      assert.equal(instance.error.type, 'StepTimeout');
      await eventually(() => aborted, { what: 'the abort' });
      assert.equal(aborted, 'StepTimeout');
    });
  });

  test('an instance of a workflow this worker does not define fails as UnknownWorkflow', async () => {
    await withWorker({ known: async () => 'ok' }, async (worker) => {
      // Registered on this queue by another worker, which then stops.
      await client.worker.registerWorker({ workerId: 'other', taskQueue: worker.taskQueue, workflows: ['unknown_here'] });
      await client.workflow.createInstance({ workflow: 'unknown_here', instanceId: 'u-1' });
      const instance = await result('unknown_here', 'u-1');
      assert.equal(instance.error.type, 'UnknownWorkflow');
    });
  });

  test('a terminated instance loses its lease: the run drops, and its step result is refused as TASK_LEASE_LOST', async () => {
    const started = signalled();
    const release = signalled();
    const outcomes = [];
    async function held(event, step) {
      await step.do('held', async () => {
        started.resolve();
        await release.promise;
        return 'done';
      });
      await step.do('after', () => 'never runs');
    }
    await withWorker({ held }, async (worker, warnings) => {
      worker.on('taskFinished', (info, how) => outcomes.push(how));
      await client.workflow.createInstance({ workflow: 'held', instanceId: 'h-1' });
      await started.promise;
      await client.workflow.terminateInstance({ workflow: 'held', instanceId: 'h-1', reason: 'test' });
      release.resolve();
      await eventually(() => outcomes.length === 1, { what: 'the task to end' });
      assert.deepEqual(outcomes, ['lost']);
      assert.ok(warnings.some((w) => w.cause?.reason === 'TASK_LEASE_LOST'), warnings.map((w) => w.message).join('; '));
      const { steps } = await client.workflow.getInstance({ workflow: 'held', instanceId: 'h-1', includeSteps: true });
      assert.ok(!steps.some((s) => s.state === 'STEP_STATE_SUCCEEDED' || s.name === 'after'), JSON.stringify(steps));
    });
  });

  test('stop() gives the running tasks back, and another worker takes them at once', async () => {
    const started = signalled();
    const runsBy = [];
    function handOver(name) {
      return async (event, step) => step.do('work', async ({ signal }) => {
        runsBy.push(name);
        if (name === 'first') {
          started.resolve();
          await new Promise((resolve) => signal.addEventListener('abort', resolve));
        }
        return name;
      });
    }
    const taskQueue = `wfq${++serial}`;
    await withWorker({ handover: handOver('first') }, async () => {
      await client.workflow.createInstance({ workflow: 'handover', instanceId: 'ho-1' });
      await started.promise;
    }, { taskQueue });
    const stoppedAt = Date.now();
    await withWorker({ handover: handOver('second') }, async () => {
      const instance = await result('handover', 'ho-1');
      assert.equal(fromPayload(instance.output), 'second');
      assert.ok(Date.now() - stoppedAt < 5_000, 'taken before the 10 s lease timeout');
    }, { taskQueue });
    assert.deepEqual(runsBy, ['first', 'second']);
  });

  test('maxConcurrent bounds how many instances run at once', async () => {
    let running = 0;
    let most = 0;
    async function busy(event, step) {
      return step.do('busy', async () => {
        most = Math.max(most, ++running);
        await new Promise((resolve) => setTimeout(resolve, 200));
        running--;
        return event.payload;
      });
    }
    await withWorker({ busy }, async () => {
      for (let i = 0; i < 5; i++) await client.workflow.createInstance({ workflow: 'busy', instanceId: `b-${i}`, params: toPayload(i) });
      for (let i = 0; i < 5; i++) assert.equal(fromPayload((await result('busy', `b-${i}`)).output), i);
      assert.equal(most, 2);
    }, { maxConcurrent: 2 });
  });

  test('a journal larger than a page is read in pages before the replay', async () => {
    const big = 'x'.repeat(900 * 1024);
    let bodies = 0;
    async function large(event, step) {
      const sizes = [];
      for (let i = 0; i < 6; i++) {
        sizes.push((await step.do(`part ${i}`, () => (bodies++, big))).length);
      }
      await step.sleep('rest', 10);
      return sizes;
    }
    await withWorker({ large }, async () => {
      await client.workflow.createInstance({ workflow: 'large', instanceId: 'l-1' });
      const instance = await result('large', 'l-1');
      assert.equal(instance.status, 'INSTANCE_STATUS_COMPLETE');
      assert.deepEqual(fromPayload(instance.output), Array(6).fill(big.length));
      assert.equal(bodies, 6);
    });
  });

  test('a pause during a step takes effect when the step is recorded; the resumed run does not run it again', async () => {
    const started = signalled();
    const release = signalled();
    const bodies = [];
    const outcomes = [];
    async function pausable(event, step) {
      const first = await step.do('first', async () => {
        bodies.push('first');
        started.resolve();
        await release.promise;
        return 1;
      });
      const second = await step.do('second', () => (bodies.push('second'), 2));
      return first + second;
    }
    await withWorker({ pausable }, async (worker) => {
      worker.on('taskFinished', (info, how) => outcomes.push(how));
      await client.workflow.createInstance({ workflow: 'pausable', instanceId: 'p-1' });
      await started.promise;
      await client.workflow.pauseInstance({ workflow: 'pausable', instanceId: 'p-1' });
      release.resolve();
      await eventually(() => outcomes.length === 1, { what: 'the task to end' });
      assert.deepEqual(outcomes, ['paused']);
      const { instance } = await client.workflow.getInstance({ workflow: 'pausable', instanceId: 'p-1' });
      assert.equal(instance.status, 'INSTANCE_STATUS_PAUSED');
      assert.deepEqual(bodies, ['first']);
      await client.workflow.resumeInstance({ workflow: 'pausable', instanceId: 'p-1' });
      assert.equal(fromPayload((await result('pausable', 'p-1')).output), 3);
      assert.deepEqual(bodies, ['first', 'second']);
    });
  });

  test('waitForEvent throws EventTimeoutError after its timeout, and sleepUntil wakes at its time', async () => {
    async function patient(event, step) {
      const wakeAt = event.payload.wakeAt;
      await step.sleepUntil('until', new Date(wakeAt));
      const woke = await step.do('clock', () => Date.now());
      try {
        await step.waitForEvent('never', { type: 'nothing', timeout: '1 second' });
      } catch (err) {
        return { timedOut: err instanceof EventTimeoutError, late: woke >= wakeAt };
      }
      return 'not reached';
    }
    await withWorker({ patient }, async () => {
      await client.workflow.createInstance({ workflow: 'patient', instanceId: 't-1', params: toPayload({ wakeAt: Date.now() + 500 }) });
      assert.deepEqual(fromPayload((await result('patient', 't-1')).output), { timedOut: true, late: true });
    });
  });
});

describe('workflow Worker under a 1 s lease', { skip }, () => {
  let server;
  before(async () => {
    server = await startDevServer(bin, { leaseTimeoutS: 1 });
  });
  after(() => server?.stop());

  test('heartbeats keep the lease of a run whose step takes three lease timeouts', async () => {
    let bodies = 0;
    async function long(event, step) {
      return step.do('long', async () => {
        bodies++;
        await new Promise((resolve) => setTimeout(resolve, 3_000));
        return 'done';
      });
    }
    const client = connect(server.address, { apiKey: server.apiKey });
    const worker = new Worker({ address: server.address, apiKey: server.apiKey, taskQueue: 'lease', workflows: { long } });
    const ready = new Promise((resolve) => worker.once('ready', resolve));
    const running = worker.run();
    try {
      await ready;
      await client.workflow.createInstance({ workflow: 'long', instanceId: 'lg-1' });
      const { instance } = await client.workflow.waitInstance({ workflow: 'long', instanceId: 'lg-1', timeout: { seconds: '20', nanos: 0 } }, { timeoutMs: 30_000 });
      assert.equal(fromPayload(instance.output), 'done');
      assert.equal(bodies, 1);
      const { events } = await client.workflow.getHistory({ workflow: 'long', instanceId: 'lg-1' });
      assert.ok(!events.some((e) => e.type === 'HISTORY_EVENT_TYPE_LEASE_EXPIRED'));
    } finally {
      await worker.stop();
      await running;
      client.close();
    }
  });
});
