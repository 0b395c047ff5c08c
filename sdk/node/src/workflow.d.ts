// Types of workflow.js and of the `step` a run receives (_step.js): Cloudflare Workflows' API.

// A JSON value (convert.d.ts): what params, step results, event payloads and outputs are.
import type { JsonValue } from './convert';
export type { JsonValue };

/** A unit of a duration string, in the singular or the plural. */
export type WorkflowDurationLabel = 'millisecond' | 'second' | 'minute' | 'hour' | 'day' | 'week' | 'month' | 'year';

/** Milliseconds, or a string such as "10 seconds", "1 minute", "2 hours". */
export type WorkflowSleepDuration = number | `${number} ${WorkflowDurationLabel}${'s' | ''}`;

/** How a retry's delay grows: delay, delay·n, or delay·2^(n−1) after attempt n. */
export type WorkflowBackoff = 'constant' | 'linear' | 'exponential';

/** How step.do retries and times out; each field defaults to Cloudflare's default. */
export interface WorkflowStepConfig {
  retries?: {
    /** Retries after the first attempt (default 5). */
    limit?: number;
    /** The delay before the first retry (default 10 seconds). */
    delay?: WorkflowSleepDuration;
    /** Default 'exponential'. */
    backoff?: WorkflowBackoff;
  };
  /** The longest an attempt may run (default 10 minutes); past it the attempt fails as StepTimeout. */
  timeout?: WorkflowSleepDuration;
}

/** What a step.do callback receives (Cloudflare's callbacks ignore it). */
export interface WorkflowStepContext {
  /** 1 for the first attempt. */
  attempt: number;
  /** The step's name. */
  name: string;
  /** Aborted when the attempt times out (reason named 'StepTimeout') or the run stops. */
  signal: AbortSignal;
}

/** What a workflow run receives: its params (`payload`), its creation time and its instance id. */
export interface WorkflowEvent<T = unknown> {
  readonly payload: Readonly<T>;
  readonly timestamp: Date;
  readonly instanceId: string;
}

/** An event taken by step.waitForEvent. */
export interface WorkflowStepEvent<T = unknown> {
  payload: Readonly<T>;
  /** When the server received it. */
  timestamp: Date;
  type: string;
}

/** step.call: a step that a step worker (StepWorker, or the Python SDK's) runs. */
export interface WorkflowCallOptions {
  /** The step task queue a step worker serves. */
  taskQueue: string;
  /** The step type the step worker registered a handler for. */
  stepType: string;
  /** The handler's input (JSON, at most 1 MiB). */
  input?: unknown;
  /** Retries, run by the server (default as step.do's). */
  retries?: WorkflowStepConfig['retries'];
  /** An attempt's timeout (default 5 minutes, at most 7 days). */
  timeout?: WorkflowSleepDuration;
  /** Fails an attempt whose worker sends no heartbeat for this long. */
  heartbeatTimeout?: WorkflowSleepDuration;
}

/** Durable steps of one workflow run: a step is known by its name and occurrence in the run. */
export interface WorkflowStep {
  /** Runs `callback` once as the step `name` and resolves to its (JSON) result. */
  do<T>(name: string, callback: (ctx: WorkflowStepContext) => Promise<T> | T): Promise<T>;
  do<T>(name: string, config: WorkflowStepConfig, callback: (ctx: WorkflowStepContext) => Promise<T> | T): Promise<T>;
  /** Suspends the instance for `duration`, durably. */
  sleep(name: string, duration: WorkflowSleepDuration): Promise<void>;
  /** Suspends the instance until a time (a Date, or milliseconds since the epoch). */
  sleepUntil(name: string, timestamp: Date | number): Promise<void>;
  /** Waits for an event of `type`; throws EventTimeoutError after `timeout` (default 24 hours). */
  waitForEvent<T = unknown>(name: string, options: { type: string; timeout?: WorkflowSleepDuration }): Promise<WorkflowStepEvent<T>>;
  /** Runs a step on a step worker and resolves to its result. */
  call<T = unknown>(name: string, options: WorkflowCallOptions): Promise<T>;
}

/** Which run a WorkflowEntrypoint instance serves. */
export interface WorkflowContext {
  readonly workflow: string;
  readonly instanceId: string;
}

/** Base class of a workflow; a Worker makes one instance per run with `new Workflow(ctx, env)`. */
export declare abstract class WorkflowEntrypoint<Env = unknown, T = unknown> {
  constructor(ctx: WorkflowContext, env: Env);
  protected ctx: WorkflowContext;
  protected env: Env;
  /** The workflow's body; its return value (JSON) is the instance's output. */
  abstract run(event: Readonly<WorkflowEvent<T>>, step: WorkflowStep): Promise<unknown>;
}

/** A workflow as a function, the other thing a Worker runs. */
export type WorkflowFunction<T = unknown> = (event: Readonly<WorkflowEvent<T>>, step: WorkflowStep) => Promise<unknown>;

/** A step failed for good (retries used up, or a NonRetryableError). */
export declare class StepFailedError extends Error {
  constructor(step: string, errorType: string, errorMessage: string);
  readonly step: string;
  /** The failure's type: the thrown error's name, or StepTimeout. */
  readonly errorType: string;
  readonly errorMessage: string;
}

/** No event of the awaited type came before step.waitForEvent's timeout. */
export declare class EventTimeoutError extends Error {
  constructor(message: string);
}

/** Milliseconds of a duration (a number of ms, or a string such as "10 seconds"). */
export declare function durationMs(duration: WorkflowSleepDuration): number;
