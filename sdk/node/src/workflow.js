'use strict';
// Defining workflows the way Cloudflare Workflows does: a class extending WorkflowEntrypoint
// whose run(event, step) drives durable steps, the errors a run sees, and durations as numbers
// of milliseconds or strings such as "10 seconds".

const { NonRetryableError } = require('./errors');

/**
 * Base class of a workflow: implement `async run(event, step)`. A Worker makes one instance per
 * run with `new Workflow(ctx, env)`: `ctx` says which run it is ({ workflow, instanceId }) and
 * `env` is the Worker's `env` option (Cloudflare's bindings, here whatever the worker passes).
 */
class WorkflowEntrypoint {
  constructor(ctx, env) {
    this.ctx = ctx;
    this.env = env;
  }

  /** The workflow's body; its return value (JSON) is the instance's output. */
  async run(event, step) {
    throw new Error(`${new.target?.name ?? this.constructor.name} does not implement run(event, step)`);
  }
}

/**
 * A step failed for good (its retries used up, or a NonRetryableError), thrown in the workflow
 * by step.do and step.call. Left uncaught, the instance errors with the step's own error type
 * and message (`errorType`, `errorMessage`).
 */
class StepFailedError extends Error {
  constructor(step, errorType, errorMessage) {
    super(`step '${step}' failed: ${errorType}: ${errorMessage}`);
    this.name = 'StepFailedError';
    this.step = step;
    this.errorType = errorType;
    this.errorMessage = errorMessage;
  }
}

/** No event of the awaited type came before step.waitForEvent's timeout. */
class EventTimeoutError extends Error {
  constructor(message) {
    super(message);
    this.name = 'EventTimeoutError';
  }
}

const UNIT_MS = {
  millisecond: 1,
  second: 1_000,
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
  week: 7 * 86_400_000,
  month: 30 * 86_400_000,
  year: 365 * 86_400_000,
};

/**
 * Milliseconds of a duration: a number of milliseconds, or a string "<number> <unit>" with the
 * unit millisecond, second, minute, hour, day, week, month (30 days) or year (365 days), in the
 * singular or the plural ("10 seconds", "1 minute", "2 hours"). TypeError for anything else.
 */
function durationMs(duration) {
  if (typeof duration === 'number') {
    if (!(Number.isFinite(duration) && duration >= 0)) throw new TypeError(`a duration must be 0 ms or more, not ${duration}`);
    return duration;
  }
  const match = typeof duration === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*([a-z]+?)s?\s*$/i.exec(duration) : null;
  const unit = match && UNIT_MS[match[2].toLowerCase()];
  if (!unit) {
    throw new TypeError(`a duration is a number of milliseconds or a string such as "10 seconds", not ${JSON.stringify(duration)}`);
  }
  return Number(match[1]) * unit;
}

/** Cloudflare's defaults for step.do: 5 retries from 10 s, exponential; 10 minutes an attempt. */
const DEFAULT_RETRIES = Object.freeze({ limit: 5, delay: 10_000, backoff: 'exponential' });
const DEFAULT_STEP_TIMEOUT_MS = 10 * 60_000;
/** Cloudflare's default for step.waitForEvent: 24 hours. */
const DEFAULT_EVENT_TIMEOUT_MS = 24 * 3_600_000;

module.exports = {
  WorkflowEntrypoint,
  NonRetryableError,
  StepFailedError,
  EventTimeoutError,
  durationMs,
  DEFAULT_RETRIES,
  DEFAULT_STEP_TIMEOUT_MS,
  DEFAULT_EVENT_TIMEOUT_MS,
};
