'use strict';
// One step task on a StepWorker: runs its handler, heartbeats while it runs, reports the outcome.

const { status } = require('@grpc/grpc-js');
const { CALL_TIMEOUT_MS, backoffMs, retrying } = require('./_backoff');
const { MAX_PAYLOAD_BYTES, toPayload, fromPayload, msFromDuration, dateFromTimestamp } = require('./convert');
const { NonRetryableError, abortReason, boundedFailure, failureOf, isLeaseLost } = require('./errors');

const REPORT_RETRY_MS = 15_000; // an outcome is retried this long through UNAVAILABLE
const SHUTDOWN_REPORT_RETRY_MS = 5_000;

class StepTaskRun {
  /** `api` is the WorkerService stub; `warn(err)` reports what the run cannot act on. */
  constructor(task, handler, api, warn) {
    this.task = task;
    this.handler = handler;
    this.api = api;
    this.warn = warn;
    // 'running' → 'reporting' → 'done'; or, while running, 'lost' (lease) or 'abandoned' (stop).
    this.state = 'running';
    this.controller = new AbortController();
    // Every heartbeat carries the latest details: those of an earlier attempt until the handler
    // records its own, so that a later attempt still gets them.
    this.details = task.heartbeatDetails?.data?.length ? task.heartbeatDetails : null;
    this.detailsUnsent = false;
    this.heartbeatEveryMs = (msFromDuration(task.heartbeatTimeout) ?? 0) / 3;
    this.immediateHeartbeats = Promise.resolve();
    this.acks = []; // resolvers of recordHeartbeat's promises, until a heartbeat is accepted
    this.timers = [];
    this.context = Object.freeze({
      stepType: task.stepType,
      attempt: task.attempt,
      workflow: task.workflow,
      instanceId: task.instanceId,
      stepName: task.stepName,
      stepSeq: task.stepSeq,
      deadline: dateFromTimestamp(task.deadline),
      heartbeatDetails: fromPayload(task.heartbeatDetails),
      signal: this.controller.signal,
      heartbeat: (details) => this.recordHeartbeat(details),
    });
  }

  /** Runs the handler and reports its outcome; resolves to how the task ended. */
  async execute() {
    this.startTimers();
    let outcome;
    try {
      if (!this.handler) {
        const message = `no handler for step type '${this.task.stepType}' on this worker`;
        outcome = failed({ type: 'UnknownStepType', message, details: '' }, false);
      } else {
        outcome = resultOf(await this.handler(fromPayload(this.task.input), this.context));
      }
    } catch (err) {
      outcome = failed(failureOf(err), err instanceof NonRetryableError);
    } finally {
      this.stopTimers();
    }
    if (this.state !== 'running') return this.state;
    this.state = 'reporting';
    if (outcome.error && this.detailsUnsent) {
      await this.sendHeartbeat().catch(() => {}); // keep the progress for the next attempt
    }
    const ended = await this.report(outcome, REPORT_RETRY_MS);
    this.state = 'done';
    return ended;
  }

  /** The worker stops hard: abort the handler and fail the attempt as retryable. */
  abandon() {
    if (this.state !== 'running') return Promise.resolve(this.state);
    this.state = 'abandoned';
    this.stopTimers();
    const message = 'the worker stopped before the step finished';
    this.controller.abort(abortReason('WorkerShutdown', message));
    const outcome = failed({ type: 'WorkerShutdown', message, details: '' }, false);
    return this.report(outcome, SHUTDOWN_REPORT_RETRY_MS);
  }

  /** The attempt is over on the server: abort the handler and send nothing more. */
  lose(err) {
    if (this.state !== 'running') return;
    this.state = 'lost';
    this.stopTimers();
    const message = err.details || err.message;
    this.controller.abort(abortReason('TaskLost', message));
    this.warn(new Error(`step task ${this.describe()} lost: ${message}`, { cause: err }));
  }

  async report(outcome, windowMs) {
    const taskToken = this.task.taskToken;
    try {
      if (outcome.result) {
        try {
          await retrying((opts) => this.api.completeStepTask({ taskToken, result: outcome.result }, opts), windowMs);
          return 'completed';
        } catch (err) {
          if (err.code !== status.INVALID_ARGUMENT) throw err;
          // Refused, e.g. over the account's max_payload_bytes: the attempt goes on, so fail it.
          outcome = failed({ type: 'InvalidResult', message: err.details, details: '' }, true);
        }
      }
      const request = { taskToken, error: boundedFailure(outcome.error), nonRetryable: outcome.nonRetryable };
      await retrying((opts) => this.api.failStepTask(request, opts), windowMs);
      return 'failed';
    } catch (err) {
      const what = outcome.result ? 'result' : `failure (${outcome.error.type})`;
      this.warn(new Error(`could not report the ${what} of step task ${this.describe()}: ${err.message}`, { cause: err }));
      return isLeaseLost(err) ? 'lost' : 'unreported';
    }
  }

  /**
   * Records progress; resolves to true once a heartbeat carrying it (or later details) was
   * accepted by the server, false if none will be (the attempt is over).
   */
  recordHeartbeat(details) {
    if (details !== undefined) {
      const payload = toPayload(details);
      if (payload.data.length > MAX_PAYLOAD_BYTES) {
        throw new RangeError(`heartbeat details are ${payload.data.length} bytes; the limit is 1 MiB`);
      }
      this.details = payload;
      this.detailsUnsent = true;
    }
    if (this.state !== 'running') return Promise.resolve(false);
    const acked = new Promise((resolve) => this.acks.push(resolve));
    if (this.heartbeatEveryMs) return acked; // the next periodic heartbeat sends them
    // No heartbeat timeout, so no periodic heartbeats: send this one now, one at a time.
    this.immediateHeartbeats = this.immediateHeartbeats
      .then(() => (this.state === 'running' ? this.sendHeartbeat() : undefined))
      .catch((err) => this.onHeartbeatError(err));
    return acked;
  }

  async sendHeartbeat() {
    const unsent = this.detailsUnsent;
    const acks = this.acks.splice(0);
    this.detailsUnsent = false;
    const request = { taskToken: this.task.taskToken, details: this.details };
    try {
      await this.api.heartbeatStepTask(request, { timeoutMs: CALL_TIMEOUT_MS });
    } catch (err) {
      this.detailsUnsent ||= unsent;
      this.acks.unshift(...acks);
      throw err;
    }
    for (const ack of acks) ack(true);
  }

  /** No heartbeat will be sent any more: whoever waits for one hears false. */
  dropAcks() {
    for (const ack of this.acks.splice(0)) ack(false);
  }

  onHeartbeatError(err) {
    if (this.state !== 'running') return;
    if (isLeaseLost(err)) this.lose(err);
    else this.warn(new Error(`heartbeat of step task ${this.describe()} failed: ${err.message}`, { cause: err }));
  }

  startTimers() {
    const { deadline } = this.context;
    if (deadline) {
      const fire = () => this.controller.abort(abortReason('StepTimeout', `the attempt's deadline ${deadline.toISOString()} passed`));
      this.timers.push(setTimeout(fire, Math.min(2 ** 31 - 1, Math.max(0, deadline - Date.now()))));
    }
    if (!this.heartbeatEveryMs) return;
    let failures = 0;
    const schedule = (ms) => {
      if (this.state === 'running' && this.timers) this.timers.push(setTimeout(beat, ms));
    };
    const beat = async () => {
      try {
        await this.sendHeartbeat();
        failures = 0;
        schedule(this.heartbeatEveryMs);
      } catch (err) {
        this.onHeartbeatError(err);
        if (!isLeaseLost(err)) schedule(Math.min(backoffMs(++failures), this.heartbeatEveryMs));
      }
    };
    schedule(this.heartbeatEveryMs);
  }

  stopTimers() {
    for (const timer of this.timers ?? []) clearTimeout(timer);
    this.timers = null;
    this.dropAcks();
  }

  describe() {
    const { workflow, instanceId, stepName, stepSeq, attempt } = this.task;
    return `${workflow}/${instanceId} '${stepName}' #${stepSeq} attempt ${attempt}`;
  }
}

function failed(error, nonRetryable) {
  return { error, nonRetryable };
}

function resultOf(value) {
  let result;
  try {
    result = toPayload(value);
  } catch (err) {
    return failed({ type: 'InvalidResult', message: `the result is not JSON: ${err.message}`, details: '' }, true);
  }
  if (result.data.length > MAX_PAYLOAD_BYTES) {
    const message = `the result is ${result.data.length} bytes; the limit is ${MAX_PAYLOAD_BYTES} bytes (1 MiB)`;
    return failed({ type: 'ResultTooLarge', message, details: '' }, true);
  }
  return { result };
}

module.exports = { StepTaskRun };
