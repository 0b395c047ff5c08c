'use strict';
// StepWorker: serves the step tasks (CALL step attempts) of one step task queue.

const { EventEmitter } = require('node:events');
const { randomUUID } = require('node:crypto');
const { backoffMs, sleep } = require('./_backoff');
const { StepTaskRun } = require('./_step_task');
const { connect } = require('./client');
const { durationFromMs } = require('./convert');
const { isFatal } = require('./errors');

const MAX_TASKS_PER_POLL = 100;
const POLL_DEADLINE_MARGIN_MS = 20_000;

/**
 * Polls a step task queue and runs each task with the handler registered for its step type,
 * at most `maxConcurrent` at a time.
 *
 * Events: 'ready' (the first poll is sent), 'taskStarted' (context), 'taskFinished'
 * (context, how: 'completed' | 'failed' | 'lost' | 'abandoned' | 'unreported'),
 * 'warning' (an Error the worker carried on through; printed when nobody listens).
 */
class StepWorker extends EventEmitter {
  constructor(options = {}) {
    super();
    const { address, apiKey, client, protosDir, tls, taskQueue, maxConcurrent = 16, pollWaitMs = 30_000 } = options;
    if (!taskQueue) throw new TypeError('StepWorker: taskQueue is required');
    if (!(Number.isInteger(maxConcurrent) && maxConcurrent > 0)) {
      throw new TypeError('StepWorker: maxConcurrent must be a positive integer');
    }
    this.taskQueue = taskQueue;
    this.maxConcurrent = maxConcurrent;
    this.pollWaitMs = pollWaitMs;
    this.workerId = options.workerId ?? randomUUID();
    this.client = client ?? connect(address, { apiKey, protosDir, tls });
    this.ownsClient = !client;
    this.handlers = new Map();
    this.runs = new Set();
    this.state = 'new'; // 'running' → 'stopping' → 'stopped'
    this.stopController = new AbortController(); // ends the open poll and any backoff
    this.slotFreed = null;
    this.readySent = false;
    this.stopped = null;
    this.removeSignalHandlers = null;
  }

  /** Serves `stepType` with `handler(input, context)`; its return value (JSON) is the result. */
  register(stepType, handler) {
    if (typeof handler !== 'function') throw new TypeError(`the handler of '${stepType}' is not a function`);
    this.handlers.set(stepType, handler);
    return this;
  }

  /** How many tasks are running now. */
  get running() {
    return this.runs.size;
  }

  /** Polls and runs tasks until stop(); rejects when the server refuses the worker (auth, bad queue). */
  async run() {
    if (this.state !== 'new') throw new Error('StepWorker.run() can be called once');
    if (this.handlers.size === 0) throw new Error('StepWorker: register a handler before run()');
    this.state = 'running';
    let failures = 0;
    try {
      while (this.state === 'running') {
        await this.freeSlot();
        if (this.state !== 'running') break;
        const request = {
          workerId: this.workerId,
          taskQueue: this.taskQueue,
          maxTasks: Math.min(MAX_TASKS_PER_POLL, this.maxConcurrent - this.runs.size),
          wait: durationFromMs(this.pollWaitMs),
        };
        const poll = this.client.worker.pollStepTasks(request, {
          timeoutMs: this.pollWaitMs + POLL_DEADLINE_MARGIN_MS,
          signal: this.stopController.signal,
        });
        if (!this.readySent) {
          this.readySent = true;
          this.emit('ready');
        }
        let response;
        try {
          response = await poll;
          failures = 0;
        } catch (err) {
          if (this.state !== 'running') break;
          if (isFatal(err)) throw err;
          this.warn(new Error(`PollStepTasks failed, polling again: ${err.message}`, { cause: err }));
          await sleep(backoffMs(++failures), this.stopController.signal);
          continue;
        }
        for (const task of response.tasks) this.start(task);
      }
    } catch (err) {
      await this.stop({ timeoutMs: 0 });
      throw err;
    }
    await this.stopped;
  }

  /**
   * Stops polling, waits up to `timeoutMs` for running handlers, then aborts the rest (their
   * signal's reason is named 'WorkerShutdown') and fails them as retryable; closes the client.
   */
  stop({ timeoutMs = 30_000 } = {}) {
    this.stopped ??= this.shutDown(timeoutMs);
    return this.stopped;
  }

  /** Stops gracefully on the first SIGTERM or SIGINT; a second one gets Node's default (exit). */
  stopOnSignals({ signals = ['SIGTERM', 'SIGINT'], timeoutMs } = {}) {
    const onSignal = () => {
      this.removeSignalHandlers();
      this.stop({ timeoutMs });
    };
    for (const signal of signals) process.on(signal, onSignal);
    this.removeSignalHandlers = () => {
      for (const signal of signals) process.removeListener(signal, onSignal);
    };
    return this;
  }

  async shutDown(timeoutMs) {
    this.state = 'stopping';
    this.stopController.abort();
    this.wakePoller();
    const finished = Promise.allSettled([...this.runs].map((run) => run.finished));
    const grace = new AbortController();
    await Promise.race([finished, sleep(timeoutMs, grace.signal)]);
    grace.abort();
    const reports = [...this.runs].map((run) =>
      run.state === 'running' ? run.abandon() : run.state === 'reporting' ? run.finished : undefined,
    );
    await Promise.allSettled(reports);
    if (this.ownsClient) this.client.close();
    this.removeSignalHandlers?.();
    this.state = 'stopped';
  }

  start(task) {
    const run = new StepTaskRun(task, this.handlers.get(task.stepType), this.client.worker, (err) => this.warn(err));
    this.runs.add(run);
    this.emit('taskStarted', run.context);
    run.finished = run
      .execute()
      .then((how) => this.emit('taskFinished', run.context, how))
      .catch((err) => this.warn(err))
      .finally(() => {
        this.runs.delete(run);
        this.wakePoller();
      });
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

module.exports = { StepWorker };
