'use strict';
// Client and InstanceHandle against a real `stepway dev`: the workflow side is driven with raw
// stubs (take the instance's task, record a step, complete or fail the workflow).

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const {
  Client,
  WaitTimeoutError,
  WorkflowFailedError,
  WorkflowTerminatedError,
  InstanceNotFoundError,
  InvalidFieldError,
  UnauthenticatedError,
  StepwayError,
  toPayload,
  durationFromMs,
} = require('../src');
const { findStepwayBin, startDevServer } = require('../testing/dev_server');

const bin = findStepwayBin();
const skip = bin ? false : 'stepway not found: set STEPWAY_BIN, or create the repository .venv (pip install -e ./sdk/python -e .)';

/** The worker side of one workflow on its own task queue, with raw stubs. */
class WorkflowDriver {
  constructor(client, name) {
    this.worker = client.stubs.worker;
    this.workflow = `wf_${name}`;
    this.taskQueue = `wq_${name}`;
    this.workerId = `driver_${name}`;
  }

  register() {
    return this.worker.registerWorker({ workerId: this.workerId, taskQueue: this.taskQueue, workflows: [this.workflow] });
  }

  /** Polls the task queue until the instance's task comes, or rejects after `timeoutMs`. */
  async takeTask(instanceId, { timeoutMs = 8_000 } = {}) {
    const giveUpAt = Date.now() + timeoutMs;
    while (Date.now() < giveUpAt) {
      const { tasks } = await this.worker.pollWorkflowTasks(
        { workerId: this.workerId, taskQueue: this.taskQueue, maxTasks: 1, wait: durationFromMs(1_000) },
        { timeoutMs: 20_000 },
      );
      const task = tasks.find((t) => t.instanceId === instanceId);
      if (task) return task;
    }
    throw new Error(`no task for ${instanceId} came in ${timeoutMs} ms`);
  }
}

describe('Client', { skip }, () => {
  let server;
  let client;
  let serial = 0;
  before(async () => {
    server = await startDevServer(bin);
    client = await Client.connect(server.address, { apiKey: server.apiKey });
  });
  after(async () => {
    client?.close();
    await server?.stop();
  });

  async function setUp() {
    const driver = new WorkflowDriver(client, `client${++serial}`);
    await driver.register();
    return driver;
  }

  test('create() with an id answers the same instance again, with created false', async () => {
    const driver = await setUp();
    const options = { id: 'order-7', params: { order: 7 }, retentionMs: 3_600_000 };
    const first = await client.create(driver.workflow, options);
    const again = await client.create(driver.workflow, { ...options, params: { order: 8 } });
    assert.deepEqual([first.id, first.created, again.id, again.created], ['order-7', true, 'order-7', false]);
    const info = await again.status();
    assert.equal(info.status, 'queued');
    assert.equal(info.finished, false);
    assert.deepEqual(info.params, { order: 7 });
    assert.equal(info.retentionMs, 3_600_000);
    assert.equal(info.taskQueue, driver.taskQueue);
    assert.ok(info.createdAt instanceof Date);
  });

  test('create() keeps an instance for its retention by outcome: errorRetentionMs once terminated', async () => {
    const driver = await setUp();
    const handle = await client.create(driver.workflow, {
      retentionMs: 3_600_000,
      successRetentionMs: 60_000,
      errorRetentionMs: 7_200_000,
    });
    assert.equal((await handle.status()).retentionMs, 60_000);
    await handle.terminate('stop');
    const info = await handle.status();
    assert.equal(info.retentionMs, 7_200_000);
    assert.equal(info.expiresAt.getTime() - info.endedAt.getTime(), 7_200_000);
  });

  test('create() without an id gets a generated one, on a named task queue before any worker', async () => {
    const handle = await client.create('wf_not_registered_yet', { taskQueue: 'later' });
    assert.match(handle.id, /^[0-9a-f]{32}$/);
    const info = await client.status('wf_not_registered_yet', handle.id);
    assert.deepEqual([info.status, info.taskQueue, info.params], ['queued', 'later', null]);
  });

  test('result() resolves to the output the workflow completed with', async () => {
    const driver = await setUp();
    const handle = await client.create(driver.workflow, { params: { n: 2 } });
    const result = handle.result({ timeoutMs: 10_000 });
    const task = await driver.takeTask(handle.id);
    await driver.worker.completeWorkflow({ taskToken: task.taskToken, output: toPayload({ doubled: 4 }) });
    assert.deepEqual(await result, { doubled: 4 });
    const info = await handle.status();
    assert.deepEqual([info.status, info.finished], ['complete', true]);
    assert.ok(info.endedAt instanceof Date);
  });

  test('result() rejects with a WorkflowFailedError holding what the workflow failed with', async () => {
    const driver = await setUp();
    const handle = await client.create(driver.workflow);
    const task = await driver.takeTask(handle.id);
    await driver.worker.failWorkflow({ taskToken: task.taskToken, error: { type: 'ValueError', message: 'no stock' } });
    const err = await handle.result({ timeoutMs: 10_000 }).catch((e) => e);
    assert.ok(err instanceof WorkflowFailedError && err instanceof StepwayError, String(err));
    assert.deepEqual([err.instanceId, err.errorType, err.errorMessage], [handle.id, 'ValueError', 'no stock']);
    assert.deepEqual((await handle.status()).error, { type: 'ValueError', message: 'no stock' });
  });

  test('terminate(reason) ends the instance, and result() rejects with a WorkflowTerminatedError', async () => {
    const driver = await setUp();
    const handle = await client.create(driver.workflow);
    const info = await handle.terminate('not needed');
    assert.equal(info.status, 'terminated');
    await assert.rejects(handle.result(), (err) => err instanceof WorkflowTerminatedError && err.instanceId === handle.id);
  });

  test('wait() rejects with a WaitTimeoutError holding the status when the instance is not finished in time', async () => {
    const driver = await setUp();
    const handle = await client.create(driver.workflow);
    const err = await handle.wait({ timeoutMs: 300 }).catch((e) => e);
    assert.ok(err instanceof WaitTimeoutError, String(err));
    assert.equal(err.instance.status, 'queued');
  });

  test('pause() and resume() answer the instance in its new status', async () => {
    const driver = await setUp();
    const handle = await client.create(driver.workflow);
    assert.equal((await handle.pause()).status, 'paused');
    assert.equal((await client.status(driver.workflow, handle.id)).status, 'paused');
    assert.equal((await client.resume(driver.workflow, handle.id)).status, 'queued');
  });

  test('describe() reads the step journal; restart(fromStep) runs the instance again', async () => {
    const driver = await setUp();
    const handle = await client.create(driver.workflow);
    const task = await driver.takeTask(handle.id);
    const { taskToken } = task;
    await driver.worker.completeStep({ taskToken, name: 'fetch', seq: 1, attempt: 1, result: toPayload([1, 2]) });
    await driver.worker.completeWorkflow({ taskToken, output: toPayload('done') });
    const info = await handle.describe();
    assert.equal(info.status, 'complete');
    assert.equal(info.currentStep, 'fetch');
    assert.equal(info.steps.length, 1);
    const [step] = info.steps;
    assert.deepEqual(
      [step.name, step.seq, step.kind, step.state, step.attempts, step.output, step.error],
      ['fetch', 1, 'do', 'succeeded', 1, [1, 2], null],
    );
    assert.equal((await handle.status()).steps, null);
    assert.equal((await handle.restart('fetch')).status, 'queued');
  });

  test('sendEvent() answers false for an event no step waits for (buffered)', async () => {
    const driver = await setUp();
    const handle = await client.create(driver.workflow);
    assert.equal(await handle.sendEvent('approved', { by: 'ann' }), false);
  });

  test('delete() removes a finished instance, which then is an InstanceNotFoundError', async () => {
    const driver = await setUp();
    const handle = await client.create(driver.workflow);
    await handle.terminate();
    await client.delete(driver.workflow, handle.id);
    await assert.rejects(handle.status(), InstanceNotFoundError);
  });

  test('createBatch() creates each item on its own: created, existing, or refused with its typed error', async () => {
    const driver = await setUp();
    await client.create(driver.workflow, { id: 'exists' });
    const results = await client.createBatch(driver.workflow, [
      { id: 'b1', params: { i: 1 } },
      { id: 'exists' },
      { id: 'not valid!' },
      { params: { i: 4 }, workflow: 'wf_other', taskQueue: 'elsewhere' },
    ]);
    assert.deepEqual(
      results.map((r) => [r.workflow, r.ok, r.created]),
      [
        [driver.workflow, true, true],
        [driver.workflow, true, false],
        [driver.workflow, false, false],
        ['wf_other', true, true],
      ],
    );
    assert.ok(results[2].error instanceof InvalidFieldError, String(results[2].error));
    assert.equal(results[2].id, 'not valid!');
    assert.equal(results[2].handle, null);
    assert.match(results[2].error.field, /instances\[2\]\.instance_id/);
    assert.deepEqual((await results[0].handle.status()).params, { i: 1 });
    assert.equal((await results[3].handle.status()).taskQueue, 'elsewhere');
  });

  test('Client.connect() rejects with an UnauthenticatedError for a key the server does not know', async () => {
    await assert.rejects(Client.connect(server.address, { apiKey: 'sw_not_a_key' }), UnauthenticatedError);
  });
});
