// The public API of @stepway/sdk (index.js): declarations of each module's exports. The protos'
// message types are under types/proto (`npm run gen-types`); the stubs are typed with them.

export { StepWorker } from './step_worker';
export type { StepContext, StepHandler, StepWorkerOptions, TaskOutcome } from './step_worker';

export { Client, InstanceHandle, WaitTimeoutError, DEFAULT_ADDRESS } from './workflow_client';
export type {
  BatchResult,
  ClientConnectOptions,
  CreateOptions,
  ErrorInfo,
  InstanceInfo,
  InstanceStatus,
  NewInstance,
  StepRecord,
  WaitOptions,
} from './workflow_client';

export { Schedules, OVERLAPS } from './schedules';
export type { BackfillResult, Overlap, Schedule, SchedulePage, ScheduleRun, ScheduleSettings, CreateScheduleOptions } from './schedules';

export {
  NonRetryableError,
  StepwayError,
  InvalidArgumentError,
  NotFoundError,
  AlreadyExistsError,
  FailedPreconditionError,
  UnauthenticatedError,
  PermissionDeniedError,
  ResourceExhaustedError,
  UnavailableError,
  InternalError,
  InvalidFieldError,
  InstanceNotFoundError,
  WorkflowNotRegisteredError,
  TaskNotFoundError,
  AccountNotFoundError,
  KeyNotFoundError,
  AccountExistsError,
  TaskLeaseLostError,
  InstanceStateError,
  QuotaExceededError,
  NotOwnerError,
  DatabaseUnavailableError,
  ShardUnavailableError,
  ScheduleNotFoundError,
  ScheduleExistsError,
  WorkflowFailedError,
  WorkflowTerminatedError,
  fromStatus,
} from './errors';
export type { StepwayErrorOptions } from './errors';

export { connect, CHANNEL_OPTIONS } from './client';
export type { ConnectOptions, PromiseStubs, StubCallOptions, Stubs } from './client';

export { LOADER_OPTIONS, findProtosDir, loadServices } from './protos';
export type { StepwayV1 } from './protos';

export {
  MAX_PAYLOAD_BYTES,
  MAX_JSON_DEPTH,
  toPayload,
  fromPayload,
  durationFromMs,
  msFromDuration,
  dateFromTimestamp,
  timestampFromDate,
} from './convert';
export type { JsonValue } from './convert';

// ---------------------------------------------------------------------------------------------
// TypeScript workflows: the workflow Worker, WorkflowEntrypoint and the step API, declared in
// ./workflow.d.ts and ./worker.d.ts, are re-exported here.
// ---------------------------------------------------------------------------------------------

export { WorkflowEntrypoint, StepFailedError, EventTimeoutError, durationMs } from './workflow';
export type {
  WorkflowDurationLabel,
  WorkflowSleepDuration,
  WorkflowBackoff,
  WorkflowStepConfig,
  WorkflowStepContext,
  WorkflowEvent,
  WorkflowStepEvent,
  WorkflowCallOptions,
  WorkflowStep,
  WorkflowContext,
  WorkflowFunction,
} from './workflow';
export { Worker } from './worker';
export type { WorkflowClass, WorkerOptions, WorkflowTaskInfo, WorkflowTaskOutcome } from './worker';
