// Declarations of workflow_client.js: the Client of workflow instances and its InstanceHandle.

import type { ConnectOptions, Stubs } from './client';
import type { JsonValue } from './convert';
import type { StepwayError } from './errors';
import type { Schedules } from './schedules';

/** Where an instance is in its lifecycle; 'unknown' for a status added after this SDK. */
export type InstanceStatus =
  | 'queued'
  | 'running'
  | 'paused'
  | 'waiting'
  | 'waitingForPause'
  | 'errored'
  | 'terminated'
  | 'complete'
  | 'unknown';

/** What an instance or a step failed with. */
export interface ErrorInfo {
  type: string;
  message: string;
}

/** One entry of an instance's step journal. */
export interface StepRecord {
  name: string;
  seq: number;
  kind: 'do' | 'sleep' | 'wait_for_event' | 'call' | 'unknown';
  state: 'pending' | 'running' | 'succeeded' | 'failed' | 'unknown';
  /** Attempts finished so far; a running step runs attempt attempts + 1. */
  attempts: number;
  startedAt: Date | null;
  endedAt: Date | null;
  output: JsonValue;
  error: ErrorInfo | null;
  /** A sleep's wake time, an event wait's timeout, or a pending retry's time. */
  wakeAt: Date | null;
  eventType: string | null;
  /** When the running attempt started; null unless state is 'running'. */
  attemptStartedAt: Date | null;
}

/** An instance as read from the server. */
export interface InstanceInfo {
  workflow: string;
  id: string;
  status: InstanceStatus;
  /** True once errored, terminated or complete. */
  finished: boolean;
  params: JsonValue;
  output: JsonValue;
  error: ErrorInfo | null;
  createdAt: Date | null;
  startedAt: Date | null;
  endedAt: Date | null;
  currentStep: string | null;
  taskQueue: string;
  retentionMs: number | null;
  /** When the finished instance will be purged. */
  expiresAt: Date | null;
  /** The step journal, from describe(); null otherwise. */
  steps: StepRecord[] | null;
}

/** create()'s options. */
export interface CreateOptions {
  /** The instance's id; the server generates one when none is given. */
  id?: string | null;
  /** What the workflow receives (JSON). */
  params?: unknown;
  /** How long it is kept once finished; default: the account's retention. */
  retentionMs?: number | null;
  /** The task queue it waits on; default: the one its workflow is registered on. */
  taskQueue?: string | null;
  /** How long it is kept once complete; default: retentionMs, else the workflow's, else the account's. */
  successRetentionMs?: number | null;
  /** How long it is kept once errored or terminated; default: retentionMs, else the workflow's, else the account's. */
  errorRetentionMs?: number | null;
}

/** One item of createBatch(). */
export interface NewInstance extends CreateOptions {
  /** Default: the batch's workflow. */
  workflow?: string | null;
}

/** One item's outcome in createBatch(): created (or found existing), or refused. */
export type BatchResult =
  | { ok: true; workflow: string; id: string; created: boolean; error: null; handle: InstanceHandle }
  | { ok: false; workflow: string; id: string | null; created: false; error: StepwayError; handle: null };

/** How long to wait for an instance, and a signal that cancels the wait. */
export interface WaitOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Client.connect()'s options: connect()'s, and `timeoutMs` for the key check (10 s). */
export interface ClientConnectOptions extends ConnectOptions {
  timeoutMs?: number;
}

/** Where Client.connect() connects when given no address: 127.0.0.1:7300. */
export declare const DEFAULT_ADDRESS: string;

/** What wait() and result() reject with when `timeoutMs` passed before the instance finished. */
export declare class WaitTimeoutError extends Error {
  constructor(instance: InstanceInfo, timeoutMs: number);
  /** The instance as the last wait saw it. */
  readonly instance: InstanceInfo;
}

/** A connection to a Stepway gateway, authenticated by an API key. */
export declare class Client {
  /** Wraps the stubs connect() returned, without a call. */
  constructor(stubs: Stubs);
  /** Connects (default $STEPWAY_ADDRESS, else DEFAULT_ADDRESS) and checks the key with one call. */
  static connect(address?: string | null, options?: ClientConnectOptions): Promise<Client>;
  readonly stubs: Stubs;
  /** Schedules that start workflows on a cron or an interval. */
  readonly schedules: Schedules;
  close(): void;
  /** Creates an instance; an existing id answers that instance, with `created` false. */
  create(workflow: string, options?: CreateOptions): Promise<InstanceHandle>;
  /** Creates up to 1,000 instances in one call, each on its own; one result per item, in order. */
  createBatch(workflow: string, instances: Iterable<NewInstance>, options?: { taskQueue?: string | null }): Promise<BatchResult[]>;
  /** A handle to an existing instance, without a call. */
  getHandle(workflow: string, id: string): InstanceHandle;
  status(workflow: string, id: string): Promise<InstanceInfo>;
  describe(workflow: string, id: string): Promise<InstanceInfo>;
  pause(workflow: string, id: string): Promise<InstanceInfo>;
  resume(workflow: string, id: string): Promise<InstanceInfo>;
  terminate(workflow: string, id: string, reason?: string): Promise<InstanceInfo>;
  restart(workflow: string, id: string, fromStep?: string | null): Promise<InstanceInfo>;
  delete(workflow: string, id: string): Promise<void>;
  sendEvent(workflow: string, id: string, type: string, payload?: unknown): Promise<boolean>;
  result<T = JsonValue>(workflow: string, id: string, options?: WaitOptions): Promise<T>;
}

/** One instance: read its status, change it, send it events, wait for its result. */
export declare class InstanceHandle {
  constructor(client: Client, workflow: string, id: string, options?: { created?: boolean });
  readonly client: Client;
  readonly workflow: string;
  readonly id: string;
  /** False when create() found an existing instance with this id. */
  readonly created: boolean;
  /** The instance's status, params, output and error (no steps). */
  status(): Promise<InstanceInfo>;
  /** The instance with its step journal. */
  describe(): Promise<InstanceInfo>;
  /** Pauses: at once, or (status 'waitingForPause') when the current step ends. */
  pause(): Promise<InstanceInfo>;
  /** Resumes a paused instance where it was. */
  resume(): Promise<InstanceInfo>;
  /** Ends the instance at once. */
  terminate(reason?: string): Promise<InstanceInfo>;
  /** Runs the instance again: from the beginning, or from a step (earlier results kept). */
  restart(fromStep?: string | null): Promise<InstanceInfo>;
  /** Deletes the finished instance with its steps and history. */
  delete(): Promise<void>;
  /** Sends an event: true when a waiting step took it at once, false when it was buffered. */
  sendEvent(type: string, payload?: unknown): Promise<boolean>;
  /** The instance once finished; rejects with WaitTimeoutError once `timeoutMs` passed first. */
  wait(options?: WaitOptions): Promise<InstanceInfo>;
  /**
   * The output once complete (typed T by the caller, unchecked); rejects with
   * WorkflowFailedError when it errored, WorkflowTerminatedError when it was terminated.
   */
  result<T = JsonValue>(options?: WaitOptions): Promise<T>;
}
