'use strict';
// A server's error answers become typed errors by their ErrorInfo reason: for whole calls and
// for a batched command's result alike; each reason of the proto has its class.

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { status } = require('@grpc/grpc-js');
const sdk = require('../src');
const { BY_REASON, isLeaseLost } = require('../src/errors');
const { findStepwayBin, startDevServer, CallDriver } = require('../testing/dev_server');

const bin = findStepwayBin();
const skip = bin ? false : 'stepway not found: set STEPWAY_BIN, or create the repository .venv (pip install -e .)';

/** Each ErrorReason value of errors.proto with the gRPC code its comment names first. */
function protoReasons() {
  const text = fs.readFileSync(path.join(sdk.findProtosDir(), 'stepway', 'v1', 'errors.proto'), 'utf8');
  return Object.fromEntries([...text.matchAll(/\/\/ ([A-Z_]+): [^=]*?\n {2}([A-Z_]+) = \d+;/g)].map((m) => [m[2], m[1]]));
}

describe('typed errors', () => {
  test('every reason of the proto has an exported class under the class of its code', () => {
    const reasons = protoReasons();
    assert.deepEqual(Object.keys(BY_REASON).sort(), Object.keys(reasons).sort());
    const byCode = {
      INVALID_ARGUMENT: sdk.InvalidArgumentError,
      NOT_FOUND: sdk.NotFoundError,
      ALREADY_EXISTS: sdk.AlreadyExistsError,
      FAILED_PRECONDITION: sdk.FailedPreconditionError,
      RESOURCE_EXHAUSTED: sdk.ResourceExhaustedError,
      UNAVAILABLE: sdk.UnavailableError,
      UNAUTHENTICATED: sdk.UnauthenticatedError,
      PERMISSION_DENIED: sdk.PermissionDeniedError,
      INTERNAL: sdk.InternalError,
    };
    for (const [reason, code] of Object.entries(reasons)) {
      const Class = BY_REASON[reason];
      assert.equal(sdk[Class.name], Class, reason);
      assert.ok(Class === byCode[code] || Class.prototype instanceof byCode[code], `${reason} is not a ${code}`);
      assert.ok(Class.prototype instanceof sdk.StepwayError, reason);
    }
  });

  test('only TASK_LEASE_LOST and TASK_NOT_FOUND are a lost lease, not any FAILED_PRECONDITION', () => {
    const lost = new sdk.TaskLeaseLostError('task lease lost', { code: status.FAILED_PRECONDITION, reason: 'TASK_LEASE_LOST' });
    const state = new sdk.InstanceStateError('instance is complete', { code: status.FAILED_PRECONDITION, reason: 'INSTANCE_STATE' });
    assert.equal(isLeaseLost(lost), true);
    assert.equal(isLeaseLost(state), false);
    assert.equal(isLeaseLost({ code: status.FAILED_PRECONDITION }), false);
  });
});

describe('typed errors from a server', { skip }, () => {
  let server;
  let client;
  before(async () => {
    server = await startDevServer(bin);
    client = sdk.connect(server.address, { apiKey: server.apiKey });
  });
  after(async () => {
    client?.close();
    await server?.stop();
  });

  test('an unknown instance and an unregistered workflow are told apart by their reason', async () => {
    await assert.rejects(client.workflow.getInstance({ workflow: 'nope', instanceId: 'ghost' }), (err) => {
      assert.ok(err instanceof sdk.InstanceNotFoundError && err instanceof sdk.NotFoundError);
      assert.equal(err.code, status.NOT_FOUND);
      assert.equal(err.reason, 'INSTANCE_NOT_FOUND');
      assert.deepEqual(err.info, { workflow: 'nope', instance_id: 'ghost' });
      return true;
    });
    await assert.rejects(client.workflow.createInstance({ workflow: 'nope', instanceId: 'a' }), (err) => {
      assert.ok(err instanceof sdk.WorkflowNotRegisteredError && err instanceof sdk.NotFoundError);
      assert.equal(err.reason, 'WORKFLOW_NOT_REGISTERED');
      assert.match(err.details, /workflow 'nope' is not registered/);
      return true;
    });
  });

  test('a bad field names itself, in a whole call and in a command of a batch alike', async () => {
    const forged = Buffer.from('not a token');
    let whole;
    await assert.rejects(client.worker.heartbeatStepTask({ taskToken: forged }), (err) => {
      whole = err;
      return err instanceof sdk.InvalidFieldError;
    });
    assert.deepEqual([whole.code, whole.reason, whole.field, whole.info.field], [status.INVALID_ARGUMENT, 'INVALID_FIELD', 'task_token', 'task_token']);
    const { results } = await client.worker.recordBatch({ commands: [{ completeWorkflow: { taskToken: forged } }] });
    assert.equal(results[0].result, 'error');
    const command = sdk.fromStatus(results[0].error);
    assert.ok(command instanceof sdk.InvalidFieldError);
    assert.deepEqual([command.code, command.reason, command.field], [status.INVALID_ARGUMENT, 'INVALID_FIELD', 'task_token']);
  });

  test("a write after the task's lease ended is a TaskLeaseLostError", async () => {
    const driver = new CallDriver(server, 'errors');
    try {
      await driver.client.worker.registerWorker({ workerId: driver.workerId, taskQueue: driver.taskQueue, workflows: [driver.workflow] });
      await driver.client.workflow.createInstance({ workflow: driver.workflow, instanceId: 'lease' });
      const [task] = await driver.takeTasks(1);
      await driver.client.worker.completeWorkflow({ taskToken: task.taskToken });
      await assert.rejects(driver.client.worker.completeWorkflow({ taskToken: task.taskToken }), (err) => {
        assert.ok(err instanceof sdk.TaskLeaseLostError && err instanceof sdk.FailedPreconditionError);
        assert.equal(err.reason, 'TASK_LEASE_LOST');
        assert.equal(isLeaseLost(err), true);
        return true;
      });
    } finally {
      driver.close();
    }
  });
});
