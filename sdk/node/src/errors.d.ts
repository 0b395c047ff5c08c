// Declarations of errors.js: the errors a step handler throws, and the typed errors of a
// server's answers (a class per gRPC status, a subclass per ErrorInfo reason) and of results.

import type { Metadata, status } from '@grpc/grpc-js';
import type { Status__Output } from '../types/proto/google/rpc/Status';

/** Thrown by a step handler: fails the CALL step at once, whatever its retry policy. */
export declare class NonRetryableError extends Error {
  /** The failure's type is `options.type`, else the class's name. */
  constructor(message?: string, options?: { type?: string; cause?: unknown });
}

/** What a StepwayError is made of; every field has a default. */
export interface StepwayErrorOptions {
  code?: status;
  details?: string;
  metadata?: Metadata;
  reason?: string | null;
  info?: Record<string, string>;
  retryAfterMs?: number | null;
  field?: string;
  cause?: unknown;
}

/** Base of every error a server's answer becomes, and of a result's errors. */
export declare class StepwayError extends Error {
  constructor(message: string, options?: StepwayErrorOptions);
  /** The gRPC status code (grpc.status.UNKNOWN for a result's errors). */
  code: status;
  details: string;
  /** The answer's trailers; undefined for an error not made from a call. */
  metadata: Metadata | undefined;
  /** The google.rpc.ErrorInfo reason, e.g. 'INSTANCE_NOT_FOUND'; null when there was none. */
  reason: string | null;
  /** The ErrorInfo's metadata, e.g. { field }. */
  info: Record<string, string>;
  /** From google.rpc.RetryInfo: how long to wait before a retry; null when not sent. */
  retryAfterMs: number | null;
  /** For INVALID_ARGUMENT, the field at fault, e.g. 'instances[2].instance_id'. */
  field: string;
}

// One class per gRPC status code.
export declare class InvalidArgumentError extends StepwayError {}
export declare class NotFoundError extends StepwayError {}
export declare class AlreadyExistsError extends StepwayError {}
export declare class FailedPreconditionError extends StepwayError {}
export declare class UnauthenticatedError extends StepwayError {}
export declare class PermissionDeniedError extends StepwayError {}
export declare class ResourceExhaustedError extends StepwayError {}
export declare class UnavailableError extends StepwayError {}
export declare class InternalError extends StepwayError {}

// One class per stepway.v1.ErrorReason, under the class of its code.
export declare class InvalidFieldError extends InvalidArgumentError {}
export declare class InstanceNotFoundError extends NotFoundError {}
export declare class WorkflowNotRegisteredError extends NotFoundError {}
export declare class TaskNotFoundError extends NotFoundError {}
export declare class AccountNotFoundError extends NotFoundError {}
export declare class KeyNotFoundError extends NotFoundError {}
export declare class AccountExistsError extends AlreadyExistsError {}
export declare class TaskLeaseLostError extends FailedPreconditionError {}
export declare class InstanceStateError extends FailedPreconditionError {}
export declare class QuotaExceededError extends ResourceExhaustedError {}
export declare class NotOwnerError extends UnavailableError {}
export declare class DatabaseUnavailableError extends UnavailableError {}
export declare class ShardUnavailableError extends UnavailableError {}
export declare class ScheduleNotFoundError extends NotFoundError {}
export declare class ScheduleExistsError extends AlreadyExistsError {}

/** An instance's result when it ended errored: what the workflow threw. */
export declare class WorkflowFailedError extends StepwayError {
  constructor(instanceId: string, errorType: string, errorMessage: string);
  instanceId: string;
  errorType: string;
  errorMessage: string;
}

/** An instance's result when it was terminated before it finished. */
export declare class WorkflowTerminatedError extends StepwayError {
  constructor(instanceId: string);
  instanceId: string;
}

/** The typed error of a google.rpc.Status in an answer (a batch item's or a command's error). */
export declare function fromStatus(status: Status__Output): StepwayError;
