'use strict';
// The TypeScript examples, compiled with tsc, against a real `stepway dev`: the README's order
// workflow passes the Python one's end-to-end checks (retries, a sleep, an event sent before its
// wait, pause/resume, restart from a step, a worker SIGKILLed mid-run), and the Cloudflare
// workflow runs as it is.

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawn, execFileSync } = require('node:child_process');
const path = require('node:path');
const { Worker, connect, toPayload, fromPayload } = require('../src');
const { findStepwayBin, startDevServer, eventually } = require('../testing/dev_server');

const bin = findStepwayBin();
const skip = bin ? false : 'stepway not found: set STEPWAY_BIN, or create the repository .venv (pip install -e ./sdk/python -e .)';
const EXAMPLES = path.join(__dirname, '..', 'examples');
const COMPILED = path.join(EXAMPLES, 'dist');
const CHILD = path.join(__dirname, '..', 'testing', 'example_worker.js');

/** `node testing/example_worker.js` serving the compiled OrderWorkflow, with its stdout lines. */
class ChildWorker {
  constructor(server, { workflow, taskQueue, slowStep }) {
    const env = { ...process.env, STEPWAY_ADDRESS: server.address, STEPWAY_API_KEY: server.apiKey, STEPWAY_TASK_QUEUE: taskQueue };
    if (slowStep) env.STEPWAY_SLOW_STEP = slowStep;
    const args = [CHILD, path.join(COMPILED, 'order-workflow.js'), 'OrderWorkflow', workflow];
    this.child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.lines = [];
    this.output = '';
    let partial = '';
    const take = (chunk) => {
      this.output += chunk;
      partial += chunk;
      const parts = partial.split('\n');
      partial = parts.pop();
      this.lines.push(...parts.map((line) => line.replace(/^[\d:.]+ {2}/, '')));
    };
    this.child.stdout.on('data', take);
    this.child.stderr.on('data', (chunk) => (this.output += chunk));
    this.exited = new Promise((resolve) => this.child.once('exit', resolve));
  }

  /** The lines printed so far that start with `prefix`. */
  count(prefix) {
    return this.lines.filter((line) => line.startsWith(prefix)).length;
  }

  async expect(prefix, timeoutMs = 20_000) {
    await eventually(() => this.count(prefix) > 0 || this.child.exitCode !== null, { timeoutMs, what: `'${prefix}' (output: ${this.output})` });
    assert.ok(this.count(prefix) > 0, `the worker exited before '${prefix}': ${this.output}`);
  }

  async stop(signal = 'SIGTERM') {
    if (this.child.exitCode === null) this.child.kill(signal);
    await this.exited;
  }
}

describe('TypeScript examples', { skip }, () => {
  let server;
  let client;
  before(async () => {
    const tsc = require.resolve('typescript/bin/tsc');
    execFileSync(process.execPath, [tsc, '-p', EXAMPLES], { stdio: 'inherit' });
    server = await startDevServer(bin);
    client = connect(server.address, { apiKey: server.apiKey });
  });
  after(async () => {
    client?.close();
    await server?.stop();
  });

  async function finished(workflow, instanceId) {
    const { instance, finished: done } = await client.workflow.waitInstance(
      { workflow, instanceId, timeout: { seconds: '20', nanos: 0 } },
      { timeoutMs: 30_000 },
    );
    assert.ok(done, `${workflow}/${instanceId} did not finish: ${instance.status}`);
    return instance;
  }

  async function historyTypes(workflow, instanceId) {
    const { events } = await client.workflow.getHistory({ workflow, instanceId });
    return events.map((e) => `${e.type.replace('HISTORY_EVENT_TYPE_', '')} ${e.stepName}${e.attempt ? `#${e.attempt}` : ''}`.trim());
  }

  describe('the order workflow', () => {
    let worker;
    before(async () => {
      worker = new ChildWorker(server, { workflow: 'order', taskQueue: 'orders' });
      await worker.expect('ready');
    });
    after(() => worker?.stop());

    test('completes with a retried charge, a sleep, and an event sent before its wait', async () => {
      await client.workflow.createInstance({ workflow: 'order', instanceId: 'o-1', params: toPayload({ sku: 'A1', qty: 2 }) });
      await client.workflow.sendEvent({ workflow: 'order', instanceId: 'o-1', type: 'approved', payload: toPayload({ by: 'ann' }) });
      const instance = await finished('order', 'o-1');
      assert.equal(instance.status, 'INSTANCE_STATUS_COMPLETE');
      assert.deepEqual(fromPayload(instance.output), { charged: 39.98, by: 'ann', tracking: 'TRACK-42' });
      assert.equal(worker.count('step reserve'), 1);
      assert.equal(worker.count('step charge: attempt 1 failed'), 1);
      assert.equal(worker.count('step charge: attempt 2 charged'), 1);
      assert.equal(worker.count('step ship'), 1);
      const history = await historyTypes('order', 'o-1');
      for (const expected of ['STEP_ATTEMPT_FAILED charge#1', 'STEP_RETRY_SCHEDULED charge#2', 'STEP_SUCCEEDED charge#2', 'SLEEPING cool off', 'EVENT_TAKEN approval', 'COMPLETED']) {
        assert.ok(history.includes(expected), `${expected} not in ${history.join(', ')}`);
      }
    });

    test('restarted from a step, runs that step again and not the ones before it', async () => {
      const before = { reserve: worker.count('step reserve'), charge: worker.count('step charge'), ship: worker.count('step ship') };
      await client.workflow.restartInstance({ workflow: 'order', instanceId: 'o-1', fromStep: 'ship' });
      await eventually(async () => (await client.workflow.getInstance({ workflow: 'order', instanceId: 'o-1' })).instance.status === 'INSTANCE_STATUS_COMPLETE', {
        timeoutMs: 20_000,
        what: 'the restarted instance to complete',
      });
      assert.equal(worker.count('step ship'), before.ship + 1);
      assert.equal(worker.count('step reserve'), before.reserve);
      assert.equal(worker.count('step charge'), before.charge);
    });

    test('paused while it waits for its event, it goes on only once resumed', async () => {
      const reserved = worker.count('step reserve');
      await client.workflow.createInstance({ workflow: 'order', instanceId: 'o-2', params: toPayload({ sku: 'A1' }) });
      const status = async () => (await client.workflow.getInstance({ workflow: 'order', instanceId: 'o-2' })).instance;
      await eventually(async () => {
        const instance = await status();
        return instance.status === 'INSTANCE_STATUS_WAITING' && instance.currentStep === 'approval';
      }, { timeoutMs: 20_000, what: 'the wait for approval' });
      await client.workflow.pauseInstance({ workflow: 'order', instanceId: 'o-2' });
      await client.workflow.sendEvent({ workflow: 'order', instanceId: 'o-2', type: 'approved', payload: toPayload({ by: 'bob' }) });
      assert.equal((await status()).status, 'INSTANCE_STATUS_PAUSED');
      await client.workflow.resumeInstance({ workflow: 'order', instanceId: 'o-2' });
      const instance = await finished('order', 'o-2');
      assert.deepEqual(fromPayload(instance.output), { charged: 19.99, by: 'bob', tracking: 'TRACK-42' });
      assert.equal(worker.count('step reserve'), reserved + 1, 'reserve ran once for o-2, not again after the resume');
      const history = await historyTypes('order', 'o-2');
      assert.ok(history.includes('PAUSED') && history.includes('RESUMED'), history.join(', '));
    });

    test('an out-of-stock order fails at once with the NonRetryableError of its step', async () => {
      await client.workflow.createInstance({ workflow: 'order', instanceId: 'o-3', params: toPayload({ sku: 'B2' }) });
      const instance = await finished('order', 'o-3');
      assert.equal(instance.status, 'INSTANCE_STATUS_ERRORED');
      assert.deepEqual([instance.error.type, instance.error.message], ['NonRetryableError', 'B2 is out of stock']);
    });
  });

  test('a worker SIGKILLed in the middle of a step: another resumes the run without running the recorded steps again', async () => {
    const first = new ChildWorker(server, { workflow: 'order_k', taskQueue: 'killed', slowStep: 'ship' });
    let second;
    try {
      await first.expect('ready');
      await client.workflow.createInstance({ workflow: 'order_k', instanceId: 'k-1', params: toPayload({ sku: 'A1' }) });
      await client.workflow.sendEvent({ workflow: 'order_k', instanceId: 'k-1', type: 'approved', payload: toPayload({ by: 'cy' }) });
      await first.expect('slow ship');
      await first.stop('SIGKILL');
      assert.deepEqual([first.count('step reserve'), first.count('step charge'), first.count('step ship')], [1, 2, 0]);

      second = new ChildWorker(server, { workflow: 'order_k', taskQueue: 'killed' });
      const instance = await finished('order_k', 'k-1');
      assert.deepEqual(fromPayload(instance.output), { charged: 19.99, by: 'cy', tracking: 'TRACK-42' });
      assert.deepEqual([second.count('step reserve'), second.count('step charge'), second.count('step ship')], [0, 0, 1]);
    } finally {
      await first.stop('SIGKILL');
      await second?.stop();
    }
  });

  test('the Cloudflare workflow runs to completion as it is', async () => {
    const { MyWorkflow } = require(path.join(COMPILED, 'cloudflare-workflow.js'));
    const worker = new Worker({
      address: server.address,
      apiKey: server.apiKey,
      taskQueue: 'cloudflare',
      workflows: { 'my-workflow': MyWorkflow },
      env: { ARCHIVE_PREFIX: 'r2://archive' },
    });
    const running = worker.run();
    try {
      const params = toPayload({ email: 'ann@example.com', metadata: {} });
      await client.workflow.createInstance({ workflow: 'my-workflow', instanceId: 'cf-1', params, taskQueue: 'cloudflare' });
      await eventually(async () => (await client.workflow.getInstance({ workflow: 'my-workflow', instanceId: 'cf-1' })).instance.currentStep === 'request approval', {
        timeoutMs: 20_000,
        what: 'the wait for approval',
      });
      await client.workflow.sendEvent({ workflow: 'my-workflow', instanceId: 'cf-1', type: 'approval', payload: toPayload({ approved: true }) });
      const instance = await finished('my-workflow', 'cf-1');
      assert.deepEqual(fromPayload(instance.output), {
        to: 'ann@example.com',
        archived: ['r2://archive/invoice_2041.pdf', 'r2://archive/receipt_7733.pdf', 'r2://archive/statement_q3.pdf'],
      });
    } finally {
      await worker.stop();
      await running;
    }
  });
});
