'use strict';
// Worker: runs workflows (WorkflowEntrypoint classes, or functions (event, step)) from a
// workflow task queue, over the worker protocol (docs/worker-protocol.md).

const { EventEmitter } = require('node:events');
const { randomUUID } = require('node:crypto');
const os = require('node:os');
const { CALL_TIMEOUT_MS, backoffMs, sleep } = require('./_backoff');
const { Outbox } = require('./_outbox');
const { WorkflowRun } = require('./_workflow_task');
const { connect } = require('./client');
const { durationFromMs, msFromDuration } = require('./convert');
const { isFatal } = require('./errors');
const { version } = require('../package.json');

const MAX_TASKS_PER_POLL = 100;
const MAX_ITEMS_PER_CALL = 1000; // workflow names a RegisterWorker, tokens a HeartbeatTasks or ReleaseTasks
const POLL_DEADLINE_MARGIN_MS = 20_000;
const POLL_SETTLE_MS = 500;

/**
 * Polls a workflow task queue and runs the workflows registered under `workflows` ({ name:
 * WorkflowEntrypoint subclass or async function (event, step) }), at most `maxConcurrent`
 * instances at a time. The name is the one clients create instances of. `workflowOptions`
 * ({ name: { successRetentionMs, errorRetentionMs } }) says how long each workflow's instances
 * are kept once complete, and once errored or terminated, sent when the worker registers.
 *
 * Events: 'ready' (registered, the first poll is sent), 'taskStarted' (info), 'taskFinished'
 * (info, how: 'completed' | 'failed' | 'suspended' | 'paused' | 'lost' | 'abandoned' | 'blocked' |
 * 'stopped'), 'warning' (an Error the worker carried on through; printed when nobody listens).
 * `info` is { workflow, instanceId, replayed } (replayed: the journal entries the task came with).
 */
class Worker extends EventEmitter {
  constructor(options = {}) {
    super();
    const { address, apiKey, client, protosDir, tls, taskQueue = 'default', workflows, workflowOptions = {}, env = {}, maxConcurrent = 256, pollWaitMs = 30_000 } = options;
    const entries = Object.entries(workflows ?? {});
    if (entries.length === 0) throw new TypeError('Worker: workflows must name at least one workflow');
    for (const [name, definition] of entries) {
      if (typeof definition !== 'function') throw new TypeError(`Worker: workflow '${name}' is not a class or a function`);
    }
    if (!(Number.isInteger(maxConcurrent) && maxConcurrent > 0)) throw new TypeError('Worker: maxConcurrent must be a positive integer');
    this.taskQueue = taskQueue;
    this.workflows = new Map(entries);
    for (const name of Object.keys(workflowOptions)) {
      if (!this.workflows.has(name)) throw new TypeError(`Worker: workflowOptions names '${name}', which is not in workflows`);
    }
    this.workflowOptions = workflowOptions;
    this.env = env;
    this.maxConcurrent = maxConcurrent;
    this.pollWaitMs = pollWaitMs;
    this.workerId = options.workerId ?? randomUUID();
    this.buildId = options.buildId ?? ''; // '' is the unversioned build (docs/versioning.md)
    this.client = client ?? connect(address, { apiKey, protosDir, tls });
    this.ownsClient = !client;
    this.outbox = new Outbox(this.client.worker);
    this.runs = new Map(); // task token (base64) → WorkflowRun
    this.leaseTimeoutMs = 10_000;
    this.state = 'new'; // 'running' → 'stopping' → 'stopped'
    this.stopController = new AbortController(); // ends the open poll, heartbeat waits and backoffs
    this.slotFreed = null;
    this.polling = null;
    this.stopped = null;
    this.removeSignalHandlers = null;
  }

  /** How many tasks are running now. */
  get running() {
    return this.runs.size;
  }

  /**
   * Registers the workflows, then polls and runs tasks until stop(). Rejects when the server
   * refuses the worker (a bad key or name) or cannot be reached for the registration; a poll
   * that fails is sent again after a backoff.
   */
  async run() {
    if (this.state !== 'new') throw new Error('Worker.run() can be called once');
    this.state = 'running';
    try {
      await this.register();
      const heartbeats = this.heartbeatLoop();
      this.polling = this.pollLoop();
      await this.polling;
      await heartbeats;
    } catch (err) {
      await this.stop();
      throw err;
    }
    await this.stopped;
  }

  /** Stops polling, halts the runs, waits for their writes in flight, and gives their tasks back. */
  stop() {
    this.stopped ??= this.shutDown();
    return this.stopped;
  }

  /** Stops on the first SIGTERM or SIGINT; a second one gets Node's default (exit). */
  stopOnSignals({ signals = ['SIGTERM', 'SIGINT'] } = {}) {
    const onSignal = () => {
      this.removeSignalHandlers();
      this.stop();
    };
    for (const signal of signals) process.on(signal, onSignal);
    this.removeSignalHandlers = () => {
      for (const signal of signals) process.removeListener(signal, onSignal);
    };
    return this;
  }

  async register() {
    const names = [...this.workflows.keys()].sort();
    for (let i = 0; i < names.length; i += MAX_ITEMS_PER_CALL) {
      const part = names.slice(i, i + MAX_ITEMS_PER_CALL);
      const response = await this.client.worker.registerWorker({
        workerId: this.workerId,
        taskQueue: this.taskQueue,
        workflows: part,
        identity: `${os.hostname()}/pid-${process.pid}`.slice(0, 200),
        sdk: `node/${version}`,
        buildId: this.buildId,
        workflowOptions: part.filter((name) => this.workflowOptions[name]).map((name) => {
          const { successRetentionMs, errorRetentionMs } = this.workflowOptions[name];
          return {
            workflow: name,
            successRetention: successRetentionMs == null ? null : durationFromMs(successRetentionMs),
            errorRetention: errorRetentionMs == null ? null : durationFromMs(errorRetentionMs),
          };
        }),
      });
      this.leaseTimeoutMs = msFromDuration(response.leaseTimeout) || this.leaseTimeoutMs;
    }
  }

  async pollLoop() {
    let failures = 0;
    let ready = false;
    while (this.state === 'running') {
      await this.freeSlot();
      if (this.state !== 'running') break;
      const request = {
        workerId: this.workerId,
        taskQueue: this.taskQueue,
        maxTasks: Math.min(MAX_TASKS_PER_POLL, this.maxConcurrent - this.runs.size),
        wait: durationFromMs(this.pollWaitMs),
        buildId: this.buildId,
      };
      const poll = this.client.worker.pollWorkflowTasks(request, {
        timeoutMs: this.pollWaitMs + POLL_DEADLINE_MARGIN_MS,
        signal: this.stopController.signal,
      });
      if (!ready) {
        ready = true;
        this.emit('ready');
      }
      let response;
      try {
        response = await poll;
        failures = 0;
      } catch (err) {
        if (this.state !== 'running') break;
        if (isFatal(err)) throw err;
        this.warn(new Error(`PollWorkflowTasks failed, polling again: ${err.message}`, { cause: err }));
        await sleep(backoffMs(++failures), this.stopController.signal);
        continue;
      }
      if (this.state !== 'running') {
        await this.release(response.tasks.map((task) => task.taskToken)); // answered while stopping
        break;
      }
      for (const task of response.tasks) this.start(task);
    }
  }

  /** Every lease_timeout / 3: HeartbeatTasks with every token held; halts the runs whose lease is lost. */
  async heartbeatLoop() {
    while (this.state === 'running') {
      await sleep(this.leaseTimeoutMs / 3, this.stopController.signal);
      if (this.state !== 'running') return;
      const tokens = [...this.runs.values()].map((run) => run.token);
      for (let i = 0; i < tokens.length; i += MAX_ITEMS_PER_CALL) {
        const taskTokens = tokens.slice(i, i + MAX_ITEMS_PER_CALL);
        try {
          const response = await this.client.worker.heartbeatTasks(
            { workerId: this.workerId, taskTokens },
            { timeoutMs: this.leaseTimeoutMs / 3 },
          );
          for (const lost of response.lostTaskTokens) {
            this.runs.get(Buffer.from(lost).toString('base64'))?.halt('lost', new Error('task lease lost (heartbeat)'));
          }
        } catch (err) {
          this.warn(new Error(`HeartbeatTasks failed: ${err.message}`, { cause: err }));
        }
      }
    }
  }

  start(task) {
    const key = Buffer.from(task.taskToken).toString('base64');
    const run = new WorkflowRun(task, {
      buildId: this.buildId,
      definition: this.workflows.get(task.workflow),
      api: this.client.worker,
      outbox: this.outbox,
      env: this.env,
      warn: (err) => this.warn(err),
    });
    this.runs.set(key, run);
    const info = Object.freeze({ workflow: task.workflow, instanceId: task.instanceId, replayed: task.journal.length });
    this.emit('taskStarted', info);
    run.finished = run
      .execute()
      .then(async (how) => {
        // A write the server refused for another reason than a lost lease: a fresh task brings the current journal.
        if (how === 'abandoned') await this.release([run.token]);
        this.emit('taskFinished', info, how);
      })
      .catch((err) => this.warn(err))
      .finally(() => {
        if (this.runs.get(key) === run) this.runs.delete(key);
        this.wakePoller();
      });
  }

  /**
   * The tasks are given back while the open poll is still open. The server gives back what a
   * poll takes once it hears the poll's cancellation, but grpc-js sends a call cancelled in the
   * tick it started without ever resetting it: the server serves that poll as a live one, and it
   * can take tasks for a worker that is gone (they would wait for their lease to run out). That
   * poll may take a task given back: it answers, and the worker gives that task back in turn. It is cancelled once it answered, or POLL_SETTLE_MS after
   * the tasks went back.
   */
  async shutDown() {
    this.state = 'stopping';
    this.wakePoller();
    const runs = [...this.runs.values()];
    for (const run of runs) run.halt('stopped');
    await Promise.allSettled(runs.map((run) => run.finished));
    await this.outbox.close();
    await this.release(runs.map((run) => run.token));
    const settled = new AbortController();
    await Promise.race([this.polling?.catch(() => {}), sleep(POLL_SETTLE_MS, settled.signal)]);
    settled.abort();
    this.stopController.abort();
    await this.polling?.catch(() => {});
    if (this.ownsClient) this.client.close();
    this.removeSignalHandlers?.();
    this.state = 'stopped';
  }

  /** ReleaseTasks, at most MAX_ITEMS_PER_CALL tokens a call. */
  async release(tokens) {
    for (let i = 0; i < tokens.length; i += MAX_ITEMS_PER_CALL) {
      const taskTokens = tokens.slice(i, i + MAX_ITEMS_PER_CALL);
      try {
        await this.client.worker.releaseTasks({ workerId: this.workerId, taskTokens }, { timeoutMs: CALL_TIMEOUT_MS });
      } catch (err) {
        this.warn(new Error(`could not give back ${taskTokens.length} task(s): ${err.message}`, { cause: err }));
      }
    }
  }

  freeSlot() {
    if (this.runs.size < this.maxConcurrent) return undefined;
    return new Promise((resolve) => {
      this.slotFreed = resolve;
    });
  }

  wakePoller() {
    this.slotFreed?.();
    this.slotFreed = null;
  }

  warn(err) {
    if (!this.emit('warning', err)) console.warn(`stepway: ${err.message}`);
  }
}

module.exports = { Worker };
