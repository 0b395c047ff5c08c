// Types of worker.js: the workflow Worker.

import { EventEmitter } from 'node:events';
import type { Stubs } from './client';
import type { WorkflowEntrypoint, WorkflowContext, WorkflowFunction } from './workflow';

/** A workflow class: a WorkflowEntrypoint subclass (its constructor takes (ctx, env)). */
export type WorkflowClass<Env = unknown> = new (ctx: WorkflowContext, env: Env) => WorkflowEntrypoint<Env, any>;

export interface WorkerOptions<Env = unknown> {
  /** The gateway, host:port; unused when `client` is given. */
  address?: string;
  /** An API key with the role worker or admin (default $STEPWAY_API_KEY). */
  apiKey?: string;
  /** A client from connect(): the Worker then leaves it open when it stops. */
  client?: Stubs;
  /** A CA file (PEM), true for the system's roots, false for plaintext (default $STEPWAY_TLS_CA). */
  tls?: string | boolean;
  /** Where stepway/v1/*.proto are (default: the package's copy, else the repository's). */
  protosDir?: string;
  /** The workflow task queue to poll (default 'default'). */
  taskQueue?: string;
  /** The workflows, by the name instances are created with. */
  workflows: Record<string, WorkflowClass<Env> | WorkflowFunction<any>>;
  /** How long each workflow's instances are kept once complete, and once errored or terminated
   * (default: the account's retention); a create's own retention overrides them. */
  workflowOptions?: Record<string, { successRetentionMs?: number | null; errorRetentionMs?: number | null }>;
  /** What each workflow instance gets as `this.env`. */
  env?: Env;
  /** The most instances run at once (default 256). */
  maxConcurrent?: number;
  /** How long a poll waits for tasks, in ms (default 30 000). */
  pollWaitMs?: number;
  /** This worker's id (default a random UUID). */
  workerId?: string;
  /** The build of this code (default '': unversioned): an instance runs on the build its first
   * task ran on, new instances on the newest build registered (docs/versioning.md). */
  buildId?: string;
}

/** Which task a 'taskStarted' or 'taskFinished' event is about. */
export interface WorkflowTaskInfo {
  readonly workflow: string;
  readonly instanceId: string;
  /** The journal entries the task came with. */
  readonly replayed: number;
}

/** How a task ended on this worker. */
export type WorkflowTaskOutcome = 'completed' | 'failed' | 'suspended' | 'paused' | 'lost' | 'abandoned' | 'blocked' | 'stopped';

/** Runs workflows from a workflow task queue. */
export declare class Worker<Env = unknown> extends EventEmitter {
  constructor(options: WorkerOptions<Env>);
  readonly workerId: string;
  readonly taskQueue: string;
  readonly buildId: string;
  /** How many tasks are running now. */
  readonly running: number;
  /** Registers the workflows and serves until stop(); rejects when the server refuses the worker or cannot be reached for the registration. */
  run(): Promise<void>;
  /** Stops polling, halts the runs, and gives their tasks back. */
  stop(): Promise<void>;
  /** Stops on the first SIGTERM or SIGINT. */
  stopOnSignals(options?: { signals?: NodeJS.Signals[] }): this;
  on(event: 'ready', listener: () => void): this;
  on(event: 'taskStarted', listener: (info: WorkflowTaskInfo) => void): this;
  on(event: 'taskFinished', listener: (info: WorkflowTaskInfo, how: WorkflowTaskOutcome) => void): this;
  on(event: 'warning', listener: (err: Error) => void): this;
  once(event: 'ready', listener: () => void): this;
  once(event: 'taskStarted', listener: (info: WorkflowTaskInfo) => void): this;
  once(event: 'taskFinished', listener: (info: WorkflowTaskInfo, how: WorkflowTaskOutcome) => void): this;
  once(event: 'warning', listener: (err: Error) => void): this;
}
