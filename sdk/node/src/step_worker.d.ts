// Declarations of step_worker.js: StepWorker, which serves the CALL steps of a step task queue.

import { EventEmitter } from 'node:events';
import type { Stubs } from './client';
import type { JsonValue } from './convert';

/** What a step handler is given beside its input. */
export interface StepContext {
  readonly stepType: string;
  /** From 1; the server counts attempts and applies the retry policy. */
  readonly attempt: number;
  readonly workflow: string;
  readonly instanceId: string;
  readonly stepName: string;
  readonly stepSeq: number;
  /** The attempt fails as StepTimeout unless it ends before. */
  readonly deadline: Date | null;
  /** The last details an earlier attempt sent, or null. */
  readonly heartbeatDetails: JsonValue;
  /** Aborted when the attempt is over: its reason is named TaskLost, WorkerShutdown or StepTimeout. */
  readonly signal: AbortSignal;
  /** Records progress; resolves to true once the server has it, false if the attempt ended first. */
  heartbeat(details?: unknown): Promise<boolean>;
}

/** Serves a step type: its return value (JSON, at most 1 MiB) is the step's result. */
export type StepHandler = (input: JsonValue, context: StepContext) => unknown;

/** How a task ended, as the 'taskFinished' event says. */
export type TaskOutcome = 'completed' | 'failed' | 'lost' | 'abandoned' | 'unreported';

export interface StepWorkerOptions {
  /** The step task queue that workflows name in step.call(task_queue=...). */
  taskQueue: string;
  /** A gateway's host:port; not needed with `client`. */
  address?: string;
  apiKey?: string;
  tls?: string | boolean;
  protosDir?: string;
  /** Stubs from connect(), to share a channel. */
  client?: Stubs;
  /** The most tasks running at once (16). */
  maxConcurrent?: number;
  /** How long one poll waits for tasks (30 s). */
  pollWaitMs?: number;
  /** Shown in the instance's history; a random UUID by default. */
  workerId?: string;
}

/** Polls a step task queue and runs each task with the handler registered for its step type. */
export declare class StepWorker extends EventEmitter {
  constructor(options: StepWorkerOptions);
  readonly taskQueue: string;
  readonly maxConcurrent: number;
  readonly pollWaitMs: number;
  readonly workerId: string;
  readonly client: Stubs;
  /** How many tasks are running now. */
  readonly running: number;
  /** Serves `stepType` with `handler`. */
  register(stepType: string, handler: StepHandler): this;
  /** Polls and runs tasks until stop(); rejects when the server refuses the worker. */
  run(): Promise<void>;
  /** Stops polling, waits up to `timeoutMs` (30 s) for running handlers, then aborts the rest. */
  stop(options?: { timeoutMs?: number }): Promise<void>;
  /** stop() on the first of the signals (SIGTERM, SIGINT). */
  stopOnSignals(options?: { signals?: NodeJS.Signals[]; timeoutMs?: number }): this;

  on(event: 'ready', listener: () => void): this;
  on(event: 'taskStarted', listener: (context: StepContext) => void): this;
  on(event: 'taskFinished', listener: (context: StepContext, how: TaskOutcome) => void): this;
  on(event: 'warning', listener: (err: Error) => void): this;
  on(event: string | symbol, listener: (...args: any[]) => void): this;
}
