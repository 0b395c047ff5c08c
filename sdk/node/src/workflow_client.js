'use strict';
// The client of workflow instances: create them (one or a batch), read, pause, resume,
// terminate, restart and delete them, send them events, and wait for their results.

const { instanceInfo } = require('./_instance_info');
const { connect } = require('./client');
const { toPayload, durationFromMs } = require('./convert');
const { fromStatus, WorkflowFailedError, WorkflowTerminatedError } = require('./errors');
const { Schedules } = require('./schedules');

/** Where Client.connect() connects when given no address (`stepway dev` listens there). */
const DEFAULT_ADDRESS = '127.0.0.1:7300';
const CALL_TIMEOUT_MS = 30_000;
const BATCH_TIMEOUT_MS = 120_000;
// One WaitInstance call waits at most this long (the server cuts longer waits to 60 s), and
// its deadline is that much later again.
const WAIT_PER_CALL_MS = 50_000;
const WAIT_DEADLINE_MARGIN_MS = 30_000;

/** What wait() and result() reject with when `timeoutMs` passed before the instance finished. */
class WaitTimeoutError extends Error {
  constructor(instance, timeoutMs) {
    super(`instance ${instance.id} is still ${instance.status} after ${timeoutMs} ms`);
    this.name = new.target.name;
    this.instance = instance;
  }
}

/** A CreateInstanceRequest (or a batch's item) from the client's options. */
function createRequest(
  workflow,
  { id, params, retentionMs, taskQueue, successRetentionMs, errorRetentionMs } = {},
) {
  return {
    workflow: workflow ?? '',
    instanceId: id ?? '',
    params: toPayload(params),
    retention: optionalDuration(retentionMs),
    taskQueue: taskQueue ?? '',
    successRetention: optionalDuration(successRetentionMs),
    errorRetention: optionalDuration(errorRetentionMs),
  };
}

/** A Duration from milliseconds, or null when none is given. */
function optionalDuration(ms) {
  return ms === undefined || ms === null ? null : durationFromMs(ms);
}

/** A connection to a Stepway gateway, authenticated by an API key; see connect() for stubs. */
class Client {
  /** Wraps the stubs connect() returned; Client.connect() makes them and checks the key. */
  constructor(stubs) {
    this.stubs = stubs;
    /** Schedules that start workflows (schedules.js). */
    this.schedules = new Schedules(this);
  }

  /**
   * Connects to a gateway and checks the key with one call (GetServerInfo). `address`
   * defaults to $STEPWAY_ADDRESS, else 127.0.0.1:7300; the options are connect()'s, and
   * `timeoutMs` (10 s) bounds the check.
   */
  static async connect(address, options = {}) {
    const { timeoutMs = 10_000, ...connectOptions } = options;
    const stubs = connect(address || process.env.STEPWAY_ADDRESS || DEFAULT_ADDRESS, connectOptions);
    try {
      await stubs.admin.getServerInfo({}, { timeoutMs });
    } catch (err) {
      stubs.close();
      throw err;
    }
    return new Client(stubs);
  }

  /** Closes the channel. */
  close() {
    this.stubs.close();
  }

  /**
   * Creates an instance, with a generated id when `id` is not given; resolves to its handle.
   * Idempotent: an existing id answers that instance, with `handle.created` false.
   * `retentionMs` is how long it is kept once finished (default: the account's retention);
   * `taskQueue` names the queue it waits on, so the workflow need not be registered yet.
   */
  async create(workflow, options = {}) {
    const request = createRequest(workflow, options);
    const response = await this.stubs.workflow.createInstance(request, { timeoutMs: CALL_TIMEOUT_MS });
    return new InstanceHandle(this, workflow, response.instanceId, { created: response.created });
  }

  /**
   * Creates up to 1,000 instances in one call, each whole or not at all, on its own. Items are
   * create()'s options, with `workflow` (default: the batch's). One result per item, in order:
   * `{ workflow, id, created, error, handle, ok }`, `error` a typed StepwayError or null.
   */
  async createBatch(workflow, instances, { taskQueue } = {}) {
    const items = [...instances];
    const request = {
      workflow,
      taskQueue: taskQueue ?? '',
      instances: items.map((item) => createRequest(item.workflow, item)),
    };
    const { results } = await this.stubs.workflow.createInstances(request, { timeoutMs: BATCH_TIMEOUT_MS });
    return results.map((result, i) => {
      const name = items[i].workflow || workflow;
      if (result.result === 'error') {
        return { workflow: name, id: items[i].id ?? null, created: false, error: fromStatus(result.error), handle: null, ok: false };
      }
      const { instanceId, created } = result.instance;
      const handle = new InstanceHandle(this, name, instanceId, { created });
      return { workflow: name, id: instanceId, created, error: null, handle, ok: true };
    });
  }

  /** A handle to an existing instance, without a call. */
  getHandle(workflow, id) {
    return new InstanceHandle(this, workflow, id);
  }

  // The instance operations by workflow and id, the same as on a handle.

  /** The instance's status, params, output and error. */
  status(workflow, id) {
    return this.getHandle(workflow, id).status();
  }

  /** The instance with its step journal. */
  describe(workflow, id) {
    return this.getHandle(workflow, id).describe();
  }

  /** Pauses the instance. */
  pause(workflow, id) {
    return this.getHandle(workflow, id).pause();
  }

  /** Resumes a paused instance. */
  resume(workflow, id) {
    return this.getHandle(workflow, id).resume();
  }

  /** Ends the instance at once. */
  terminate(workflow, id, reason = '') {
    return this.getHandle(workflow, id).terminate(reason);
  }

  /** Runs the instance again, from the beginning or from a step. */
  restart(workflow, id, fromStep = null) {
    return this.getHandle(workflow, id).restart(fromStep);
  }

  /** Deletes the finished instance. */
  delete(workflow, id) {
    return this.getHandle(workflow, id).delete();
  }

  /** Sends the instance an event. */
  sendEvent(workflow, id, type, payload = null) {
    return this.getHandle(workflow, id).sendEvent(type, payload);
  }

  /** The instance's output once it is complete. */
  result(workflow, id, options = {}) {
    return this.getHandle(workflow, id).result(options);
  }
}

/** One instance: read its status, change it, send it events, wait for its result. */
class InstanceHandle {
  constructor(client, workflow, id, { created = true } = {}) {
    this.client = client;
    this.workflow = workflow;
    this.id = id;
    /** False when create() found an existing instance with this id. */
    this.created = created;
  }

  /** Calls a WorkflowService method about this instance; resolves to the response. */
  call(method, fields = {}, opts = { timeoutMs: CALL_TIMEOUT_MS }) {
    return this.client.stubs.workflow[method]({ workflow: this.workflow, instanceId: this.id, ...fields }, opts);
  }

  /** The instance's status, params, output and error (no steps). */
  async status() {
    return instanceInfo((await this.call('getInstance')).instance);
  }

  /** The instance with its step journal, in the order the steps ran (read a page at a time). */
  async describe() {
    let response = await this.call('getInstance', { includeSteps: true });
    const steps = [...response.steps];
    while (response.nextStepsPageToken) {
      response = await this.call('getInstance', { includeSteps: true, stepsPageToken: response.nextStepsPageToken });
      steps.push(...response.steps);
    }
    return instanceInfo(response.instance, steps);
  }

  /** Pauses the instance: at once, or (status 'waitingForPause') when its current step ends. */
  async pause() {
    return instanceInfo((await this.call('pauseInstance')).instance);
  }

  /** Resumes a paused instance where it was. */
  async resume() {
    return instanceInfo((await this.call('resumeInstance')).instance);
  }

  /** Ends the instance at once; its worker's later writes are refused. */
  async terminate(reason = '') {
    return instanceInfo((await this.call('terminateInstance', { reason })).instance);
  }

  /** Runs the instance again: from the beginning, or from a step (earlier results kept). */
  async restart(fromStep = null) {
    return instanceInfo((await this.call('restartInstance', { fromStep: fromStep ?? '' })).instance);
  }

  /** Deletes the finished instance with its steps and history. */
  async delete() {
    await this.call('deleteInstance');
  }

  /** Sends an event; resolves to true when a waiting step took it at once, false when buffered. */
  async sendEvent(type, payload = null) {
    return (await this.call('sendEvent', { type, payload: toPayload(payload) })).delivered;
  }

  /**
   * Waits until the instance is finished and resolves to its status. Rejects with a
   * WaitTimeoutError once `timeoutMs` passed first (default: wait for ever); `signal` cancels.
   */
  async wait({ timeoutMs, signal } = {}) {
    const giveUpAt = timeoutMs === undefined ? null : Date.now() + timeoutMs;
    for (;;) {
      const left = giveUpAt === null ? WAIT_PER_CALL_MS : Math.max(0, Math.min(WAIT_PER_CALL_MS, giveUpAt - Date.now()));
      const response = await this.call(
        'waitInstance',
        { timeout: durationFromMs(left) },
        { timeoutMs: left + WAIT_DEADLINE_MARGIN_MS, signal },
      );
      const info = instanceInfo(response.instance);
      if (response.finished) return info;
      if (giveUpAt !== null && Date.now() >= giveUpAt) throw new WaitTimeoutError(info, timeoutMs);
    }
  }

  /**
   * Waits for the instance and resolves to its output once complete; rejects with a
   * WorkflowFailedError when it errored, a WorkflowTerminatedError when it was terminated.
   */
  async result(options = {}) {
    const info = await this.wait(options);
    if (info.status === 'complete') return info.output;
    if (info.status === 'errored' && info.error) throw new WorkflowFailedError(this.id, info.error.type, info.error.message);
    throw new WorkflowTerminatedError(this.id);
  }
}

module.exports = { Client, InstanceHandle, WaitTimeoutError, DEFAULT_ADDRESS };
