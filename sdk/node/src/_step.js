'use strict';
// The `step` a workflow run receives: durable steps over the instance's journal, with
// Cloudflare Workflows' API (do, sleep, sleepUntil, waitForEvent) and step.call for steps that
// a step worker runs. A step is known by its name and occurrence (seq: 1 the first time a name
// is used in the run, 2 the second...). A recorded step returns its recorded result (or throws
// its recorded failure) without running; a new one runs and is recorded before the run goes on.
// A sleep, an event wait, a retry delay or a call suspends the instance: the run halts (its
// pending promise never settles) and a later task replays it from the top.

const { status } = require('@grpc/grpc-js');
const { MAX_PAYLOAD_BYTES, toPayload, fromPayload, durationFromMs, timestampFromDate, dateFromTimestamp } = require('./convert');
const { NonRetryableError, abortReason, boundedFailure, failureOf } = require('./errors');
const {
  StepFailedError,
  EventTimeoutError,
  durationMs,
  DEFAULT_RETRIES,
  DEFAULT_STEP_TIMEOUT_MS,
  DEFAULT_EVENT_TIMEOUT_MS,
} = require('./workflow');

const SUCCEEDED = 'STEP_STATE_SUCCEEDED';
const FAILED = 'STEP_STATE_FAILED';
const BACKOFF = { constant: 'BACKOFF_CONSTANT', linear: 'BACKOFF_LINEAR', exponential: 'BACKOFF_EXPONENTIAL' };
// The server's bounds (docs/limits.md): a value past them is a bug in the workflow, thrown where it is made.
const MAX_RETRY_LIMIT = 1_000_000_000;
const MAX_RETRY_DELAY_MS = 24 * 3_600_000;
const MAX_CALL_TIMEOUT_MS = 7 * 86_400_000;
const MAX_TIMER_MS = 2 ** 31 - 1;
const TASK_QUEUE_PATTERN = /^[a-zA-Z0-9_][a-zA-Z0-9_-]{0,99}$/;
const STEP_TYPE_PATTERN = /^[a-zA-Z0-9_][a-zA-Z0-9_.-]{0,99}$/;

class WorkflowStep {
  /** `run` is the WorkflowRun (_workflow_task.js) whose journal, writes and halting it uses. */
  constructor(run) {
    this.run = run;
    this.seen = new Map();
  }

  /**
   * Runs `fn({ attempt, name, signal })` once as the step `name` and resolves to its result (JSON).
   * `config` is optional: `{ retries: { limit, delay, backoff }, timeout }`, durations in ms or
   * as strings ("10 seconds"). Throws StepFailedError once the step failed for good.
   */
  async do(name, configOrFn, maybeFn) {
    const [config, fn] = typeof configOrFn === 'function' ? [{}, configOrFn] : [configOrFn ?? {}, maybeFn];
    if (typeof fn !== 'function') throw new TypeError(`step.do('${name}'): the step's callback is not a function`);
    const retry = retryPolicy(config.retries);
    const timeoutMs = config.timeout === undefined ? DEFAULT_STEP_TIMEOUT_MS : durationMs(config.timeout);
    const { seq, entry } = this.next(name, 'STEP_KIND_DO');
    if (entry?.state === SUCCEEDED) return fromPayload(entry.result);
    if (entry?.state === FAILED) throw new StepFailedError(name, entry.error?.type ?? '', entry.error?.message ?? '');
    if (this.run.halted) return this.run.never;
    return this.attempt(name, seq, (entry?.attempts ?? 0) + 1, retry, timeoutMs, fn);
  }

  /** Suspends the instance for `duration` (ms, or a string such as "1 minute"), durably. */
  async sleep(name, duration) {
    const ms = durationMs(duration);
    const { seq, entry } = this.next(name, 'STEP_KIND_SLEEP');
    if (entry?.state === SUCCEEDED) return undefined;
    // On a replay the server keeps the wake time it recorded first.
    const wakeAt = entry?.wakeAt ?? timestampFromDate(Date.now() + ms);
    return this.startSleep(name, seq, wakeAt);
  }

  /** Suspends the instance until a time: a Date, or milliseconds since the epoch. */
  async sleepUntil(name, timestamp) {
    const ms = timestamp instanceof Date ? timestamp.getTime() : timestamp;
    if (!Number.isFinite(ms)) throw new TypeError(`step.sleepUntil('${name}'): a Date or milliseconds since the epoch, not ${timestamp}`);
    const { seq, entry } = this.next(name, 'STEP_KIND_SLEEP');
    if (entry?.state === SUCCEEDED) return undefined;
    return this.startSleep(name, seq, timestampFromDate(ms));
  }

  /**
   * Waits for an event of `type` (sent before or after this call) and resolves to it, as
   * `{ payload, timestamp, type }`; throws EventTimeoutError when none comes within `timeout`
   * (24 hours when unset).
   */
  async waitForEvent(name, { type, timeout } = {}) {
    if (typeof type !== 'string' || !type) throw new TypeError(`step.waitForEvent('${name}'): an event type is required`);
    const timeoutMs = timeout === undefined ? DEFAULT_EVENT_TIMEOUT_MS : durationMs(timeout);
    const { seq, entry } = this.next(name, 'STEP_KIND_WAIT_FOR_EVENT');
    if (entry?.state === SUCCEEDED) {
      const doc = fromPayload(entry.result);
      return { payload: doc.payload ?? null, timestamp: new Date(Math.floor(doc.received_at / 1000)), type: doc.type };
    }
    if (entry?.state === FAILED) throw new EventTimeoutError(entry.error?.message ?? '');
    if (this.run.halted) return this.run.never;
    const timeoutAt = entry?.wakeAt ?? timestampFromDate(Date.now() + timeoutMs);
    const request = { taskToken: this.run.token, name, seq, eventType: type, timeoutAt };
    const response = await this.run.write('waitForEvent', request);
    if (response.suspended) return this.run.halt('suspended');
    if (response.error) throw new EventTimeoutError(response.error.message);
    const { event } = response;
    return { payload: fromPayload(event.payload), timestamp: dateFromTimestamp(event.receivedAt), type: event.type };
  }

  /**
   * Runs the step `name` on a step worker serving `stepType` on the step task queue
   * `taskQueue`, with `input` (JSON); resolves to its result. The instance waits meanwhile,
   * holding no workflow worker. The server times out each attempt (`timeout`, 5 minutes when
   * unset; `heartbeatTimeout` when given) and retries by `retries` (step.do's default when
   * unset). Throws StepFailedError once the call failed for good, and TypeError for an argument
   * the server would refuse.
   */
  async call(name, { taskQueue, stepType, input = null, retries, timeout, heartbeatTimeout } = {}) {
    const request = scheduleCallRequest(name, { taskQueue, stepType, input, retries, timeout, heartbeatTimeout });
    const { seq, entry } = this.next(name, 'STEP_KIND_CALL');
    if (entry?.state === SUCCEEDED) return fromPayload(entry.result);
    if (entry?.state === FAILED) throw new StepFailedError(name, entry.error?.type ?? '', entry.error?.message ?? '');
    if (this.run.halted) return this.run.never;
    const refused = (err) => err.code === status.INVALID_ARGUMENT; // e.g. over the account's max_payload_bytes
    let response;
    try {
      response = await this.run.write('scheduleCall', { ...request, taskToken: this.run.token, seq }, refused);
    } catch (err) {
      throw new TypeError(`step.call('${name}') was refused: ${err.details || err.message}`);
    }
    if (response.suspended) return this.run.halt('suspended');
    const done = response.step;
    this.run.journal.set(`${seq}\u0000${name}`, done);
    if (done?.state === SUCCEEDED) return fromPayload(done.result);
    if (done?.state === FAILED) throw new StepFailedError(name, done.error?.type ?? '', done.error?.message ?? '');
    return this.run.halt('abandoned', new Error(`ScheduleCall of '${name}' answered a step that is not finished`));
  }

  /**
   * The next occurrence of `name` and its journal entry, if any. An entry of another kind than
   * `kind` blocks the instance (WorkflowRun.block): the run has halted, and no entry is given.
   */
  next(name, kind) {
    if (typeof name !== 'string' || !name) throw new TypeError('a step needs a name');
    const seq = (this.seen.get(name) ?? 0) + 1;
    this.seen.set(name, seq);
    const entry = this.run.journal.get(`${seq}\u0000${name}`);
    if (entry?.kind && entry.kind !== 'STEP_KIND_UNSPECIFIED' && entry.kind !== kind) {
      this.run.block(name, seq, entry.kind, kind);
      return { seq, entry: undefined };
    }
    return { seq, entry };
  }

  async startSleep(name, seq, wakeAt) {
    if (this.run.halted) return this.run.never;
    const response = await this.run.write('startSleep', { taskToken: this.run.token, name, seq, wakeAt });
    if (response.suspended) return this.run.halt('suspended');
    return undefined;
  }

  /** One attempt of a do step: runs fn and records its result or its failure. */
  async attempt(name, seq, attempt, retry, timeoutMs, fn) {
    const startedAt = timestampFromDate(Date.now());
    this.run.startStep(name, seq, attempt);
    let outcome;
    try {
      outcome = resultOf(name, await this.invoke(name, attempt, timeoutMs, fn));
    } catch (err) {
      outcome = { error: failureOf(err), nonRetryable: err instanceof NonRetryableError };
    }
    if (this.run.halted) return this.run.never;
    const step = { taskToken: this.run.token, name, seq, attempt, startedAt };
    if (outcome.result) {
      const response = await this.run.write('completeStep', { ...step, result: outcome.result });
      if (response.taskEnded) return this.run.halt('paused'); // recorded; no further step starts
      this.run.journal.set(`${seq}\u0000${name}`, { state: SUCCEEDED, result: outcome.result, attempts: attempt });
      return fromPayload(outcome.result);
    }
    const error = boundedFailure(outcome.error);
    const response = await this.run.write('failStep', { ...step, error, retry, nonRetryable: outcome.nonRetryable });
    if (response.taskEnded) return this.run.halt('paused');
    if (response.outcome !== 'exhausted') return this.run.halt('suspended'); // a retry is due later
    this.run.journal.set(`${seq}\u0000${name}`, { state: FAILED, error, attempts: attempt });
    throw new StepFailedError(name, error.type, error.message);
  }

  /** Runs the body, aborting its signal and rejecting with StepTimeout past `timeoutMs`. */
  async invoke(name, attempt, timeoutMs, fn) {
    const controller = new AbortController();
    const onHalt = () => controller.abort(this.run.signal.reason);
    this.run.signal.addEventListener('abort', onHalt, { once: true });
    let timer;
    const timedOut = new Promise((resolve, reject) => {
      timer = setTimeout(() => {
        const reason = abortReason('StepTimeout', `step '${name}' timed out after ${timeoutMs} ms`);
        controller.abort(reason);
        reject(reason);
      }, Math.min(timeoutMs, MAX_TIMER_MS));
    });
    try {
      const body = (async () => fn({ attempt, name, signal: controller.signal }))();
      body.catch(() => {}); // a body that fails after its timeout: already reported as StepTimeout
      return await Promise.race([body, timedOut]);
    } finally {
      clearTimeout(timer);
      this.run.signal.removeEventListener('abort', onHalt);
    }
  }
}

/** A step's return value as a Payload, or the non-retryable failure of one that cannot be stored. */
function resultOf(name, value) {
  let result;
  try {
    result = toPayload(value);
  } catch (err) {
    throw Object.assign(new NonRetryableError(`the result of step '${name}' cannot be stored as JSON: ${err.message}`), {
      name: 'ResultNotSerializable',
    });
  }
  if (result.data.length > MAX_PAYLOAD_BYTES) {
    const message = `the result of step '${name}' is ${result.data.length} bytes; the limit is ${MAX_PAYLOAD_BYTES} bytes (1 MiB)`;
    throw Object.assign(new NonRetryableError(message), { name: 'ResultTooLarge' });
  }
  return { result };
}

/** A retries config ({ limit, delay, backoff }, each defaulting to Cloudflare's) as a RetryPolicy. */
function retryPolicy(retries = {}) {
  const { limit, delay, backoff } = { ...DEFAULT_RETRIES, ...retries };
  if (!(Number.isInteger(limit) && limit >= 0 && limit <= MAX_RETRY_LIMIT)) {
    throw new TypeError(`retries.limit must be an integer from 0 to ${MAX_RETRY_LIMIT}, not ${limit}`);
  }
  const delayMs = durationMs(delay);
  if (delayMs > MAX_RETRY_DELAY_MS) throw new TypeError(`retries.delay must be at most 24 hours, not ${delayMs} ms`);
  if (!BACKOFF[backoff]) throw new TypeError(`retries.backoff must be 'constant', 'linear' or 'exponential', not ${backoff}`);
  return { limit, delay: durationFromMs(delayMs), backoff: BACKOFF[backoff] };
}

/** step.call's ScheduleCallRequest (less its token and seq), checked as the server would. */
function scheduleCallRequest(name, { taskQueue, stepType, input, retries, timeout, heartbeatTimeout }) {
  if (!TASK_QUEUE_PATTERN.test(taskQueue ?? '')) throw new TypeError(`taskQueue ${JSON.stringify(taskQueue)} must match ${TASK_QUEUE_PATTERN.source}`);
  if (!STEP_TYPE_PATTERN.test(stepType ?? '')) throw new TypeError(`stepType ${JSON.stringify(stepType)} must match ${STEP_TYPE_PATTERN.source}`);
  const payload = toPayload(input);
  if (payload.data.length > MAX_PAYLOAD_BYTES) {
    throw new TypeError(`the input of step '${name}' is ${payload.data.length} bytes; the limit is ${MAX_PAYLOAD_BYTES} bytes (1 MiB)`);
  }
  const timeoutMs = timeout === undefined ? null : durationMs(timeout);
  if (timeoutMs !== null && !(timeoutMs > 0 && timeoutMs <= MAX_CALL_TIMEOUT_MS)) {
    throw new TypeError(`timeout must be more than 0 and at most 7 days, not ${timeoutMs} ms`);
  }
  const beatMs = heartbeatTimeout === undefined ? null : durationMs(heartbeatTimeout);
  if (beatMs !== null && !(beatMs > 0 && beatMs <= (timeoutMs ?? 300_000))) {
    throw new TypeError(`heartbeatTimeout must be more than 0 and at most the timeout, not ${beatMs} ms`);
  }
  return {
    name,
    taskQueue,
    stepType,
    input: payload,
    retry: retryPolicy(retries),
    timeout: timeoutMs === null ? null : durationFromMs(timeoutMs),
    heartbeatTimeout: beatMs === null ? null : durationFromMs(beatMs),
  };
}

module.exports = { WorkflowStep };
