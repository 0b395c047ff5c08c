'use strict';
// The errors a step handler throws or sees, how a thrown value becomes a Failure, the typed
// errors a server's answer becomes: one class per gRPC status, a subclass of it per error reason
// (stepway.v1.ErrorReason, protos/stepway/v1/errors.proto; docs/protocol.md has the table), and
// those of an instance's result: WorkflowFailedError, WorkflowTerminatedError.

const { status } = require('@grpc/grpc-js');

/**
 * Thrown by a handler, fails the CALL step at once, whatever its retry policy. The failure's
 * type is `options.type`, else the class's name (so a subclass reports its own name).
 */
class NonRetryableError extends Error {
  constructor(message, options = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = options.type ?? new.target.name;
  }
}

/** An Error named `name`: the reason a task's AbortSignal gives (TaskLost, WorkerShutdown, StepTimeout). */
function abortReason(name, message) {
  return Object.assign(new Error(message), { name });
}

// The server's limits on a Failure (docs/limits.md): a step worker cuts longer text rather
// than have its report refused. Of a stack trace it keeps the end, where the throw is.
const MAX_FAILURE_TYPE_CHARS = 200;
const MAX_FAILURE_TEXT_CHARS = 32 * 1024;
const MAX_FAILURE_DETAILS_CHARS = 8000;

/** text cut to its first (or, fromEnd, its last) max characters, counted as the server does. */
function cut(text, max, fromEnd = false) {
  if (text.length <= max) return text; // UTF-16 units: never fewer than characters
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  return (fromEnd ? chars.slice(-max) : chars.slice(0, max)).join('');
}

/** A Failure within the server's limits. */
function boundedFailure({ type, message, details }) {
  return {
    type: cut(type ?? '', MAX_FAILURE_TYPE_CHARS),
    message: cut(message ?? '', MAX_FAILURE_TEXT_CHARS),
    details: cut(details ?? '', MAX_FAILURE_DETAILS_CHARS, true),
  };
}

/** A thrown value as a stepway.v1.Failure {type, message, details}. */
function failureOf(err) {
  if (!(err instanceof Error)) return { type: 'Error', message: String(err), details: '' };
  const className = err.constructor?.name;
  const type = err.name && err.name !== 'Error' ? err.name : className || 'Error';
  return { type, message: err.message ?? '', details: err.stack ?? '' };
}

/**
 * Base of every error a server's answer becomes. Like a grpc-js ServiceError it has `code`,
 * `details` and `metadata` (the trailers); besides, `reason` (the google.rpc.ErrorInfo reason,
 * e.g. 'TASK_LEASE_LOST', or null), `info` (the ErrorInfo's metadata, e.g. { field }),
 * `retryAfterMs` (from RetryInfo, or null) and, for INVALID_ARGUMENT, `field`.
 */
class StepwayError extends Error {
  constructor(message, { code = status.UNKNOWN, details = message, metadata, reason = null, info = {}, retryAfterMs = null, field = '', cause } = {}) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = new.target.name;
    Object.assign(this, { code, details, metadata, reason, info, retryAfterMs, field });
  }
}

const codeClass = (name) => ({ [name]: class extends StepwayError {} })[name];
const reasonClass = (name, base) => ({ [name]: class extends base {} })[name];

const InvalidArgumentError = codeClass('InvalidArgumentError');
const NotFoundError = codeClass('NotFoundError');
const AlreadyExistsError = codeClass('AlreadyExistsError');
const FailedPreconditionError = codeClass('FailedPreconditionError');
const UnauthenticatedError = codeClass('UnauthenticatedError');
const PermissionDeniedError = codeClass('PermissionDeniedError');
const ResourceExhaustedError = codeClass('ResourceExhaustedError');
const UnavailableError = codeClass('UnavailableError');
const InternalError = codeClass('InternalError');

const BY_CODE = new Map([
  [status.INVALID_ARGUMENT, InvalidArgumentError],
  [status.NOT_FOUND, NotFoundError],
  [status.ALREADY_EXISTS, AlreadyExistsError],
  [status.FAILED_PRECONDITION, FailedPreconditionError],
  [status.UNAUTHENTICATED, UnauthenticatedError],
  [status.PERMISSION_DENIED, PermissionDeniedError],
  [status.RESOURCE_EXHAUSTED, ResourceExhaustedError],
  [status.UNAVAILABLE, UnavailableError],
  [status.INTERNAL, InternalError],
]);

/** The class of each reason of stepway.v1.ErrorReason; its base is the class of its code. */
const BY_REASON = {
  INVALID_FIELD: reasonClass('InvalidFieldError', InvalidArgumentError),
  INSTANCE_NOT_FOUND: reasonClass('InstanceNotFoundError', NotFoundError),
  WORKFLOW_NOT_REGISTERED: reasonClass('WorkflowNotRegisteredError', NotFoundError),
  TASK_NOT_FOUND: reasonClass('TaskNotFoundError', NotFoundError),
  ACCOUNT_NOT_FOUND: reasonClass('AccountNotFoundError', NotFoundError),
  KEY_NOT_FOUND: reasonClass('KeyNotFoundError', NotFoundError),
  ACCOUNT_EXISTS: reasonClass('AccountExistsError', AlreadyExistsError),
  TASK_LEASE_LOST: reasonClass('TaskLeaseLostError', FailedPreconditionError),
  INSTANCE_STATE: reasonClass('InstanceStateError', FailedPreconditionError),
  QUOTA_EXCEEDED: reasonClass('QuotaExceededError', ResourceExhaustedError),
  NOT_OWNER: reasonClass('NotOwnerError', UnavailableError),
  DATABASE_UNAVAILABLE: reasonClass('DatabaseUnavailableError', UnavailableError),
  SHARD_UNAVAILABLE: reasonClass('ShardUnavailableError', UnavailableError),
  UNAUTHENTICATED: UnauthenticatedError,
  PERMISSION_DENIED: PermissionDeniedError,
  INTERNAL: InternalError,
  SCHEDULE_NOT_FOUND: reasonClass('ScheduleNotFoundError', NotFoundError),
  SCHEDULE_EXISTS: reasonClass('ScheduleExistsError', AlreadyExistsError),
};

/** What a result wait rejects with when the instance ended errored: what the workflow threw. */
class WorkflowFailedError extends StepwayError {
  constructor(instanceId, errorType, errorMessage) {
    super(`instance ${instanceId} errored: ${errorType}: ${errorMessage}`);
    Object.assign(this, { instanceId, errorType, errorMessage });
  }
}

/** What a result wait rejects with when the instance was terminated before it finished. */
class WorkflowTerminatedError extends StepwayError {
  constructor(instanceId) {
    super(`instance ${instanceId} was terminated`);
    this.instanceId = instanceId;
  }
}

// The protobuf wire format, as far as google.rpc.Status and its details need it.
function* wireFields(buf) {
  let at = 0;
  const varint = () => {
    let value = 0;
    for (let shift = 1; ; shift *= 128) {
      const byte = buf[at++];
      if (byte === undefined) throw new RangeError('truncated protobuf varint');
      value += (byte & 0x7f) * shift;
      if (byte < 0x80) return value;
    }
  };
  while (at < buf.length) {
    const tag = varint();
    const wire = tag % 8;
    if (wire === 0) yield [Math.floor(tag / 8), varint()];
    else if (wire === 2) {
      const length = varint();
      yield [Math.floor(tag / 8), buf.subarray(at, (at += length))];
    } else if (wire === 1 || wire === 5) at += wire === 1 ? 8 : 4;
    else throw new RangeError(`unexpected protobuf wire type ${wire}`);
  }
}

/** A message's fields as { number: [values] }. */
function wireMessage(buf) {
  const fields = {};
  for (const [number, value] of wireFields(buf)) (fields[number] ??= []).push(value);
  return fields;
}

const text = (value) => (value === undefined ? '' : Buffer.from(value).toString('utf8'));

/** A serialized google.rpc.Status as { code, message, details: [{ typeUrl, value }] }. */
function decodeStatus(buf) {
  const fields = wireMessage(buf);
  return {
    code: fields[1]?.[0] ?? 0,
    message: text(fields[2]?.[0]),
    details: (fields[3] ?? []).map((any) => {
      const parts = wireMessage(any);
      return { typeUrl: text(parts[1]?.[0]), value: parts[2]?.[0] ?? Buffer.alloc(0) };
    }),
  };
}

/** What the details of a google.rpc.Status say: ErrorInfo, RetryInfo, BadRequest's field. */
function readDetails(details) {
  const found = { reason: null, info: {}, retryAfterMs: null, field: '' };
  for (const detail of details ?? []) {
    // proto-loader leaves google.protobuf.Any's field as type_url, keepCase or not.
    const typeUrl = detail.typeUrl ?? detail.type_url ?? '';
    const type = typeUrl.slice(typeUrl.lastIndexOf('/') + 1);
    const { value } = detail;
    const fields = wireMessage(value);
    if (type === 'google.rpc.ErrorInfo' && found.reason === null) {
      found.reason = text(fields[1]?.[0]) || null;
      for (const entry of fields[3] ?? []) {
        const kv = wireMessage(entry);
        found.info[text(kv[1]?.[0])] = text(kv[2]?.[0]);
      }
    } else if (type === 'google.rpc.RetryInfo') {
      const delay = fields[1] ? wireMessage(fields[1][0]) : {};
      found.retryAfterMs = (delay[1]?.[0] ?? 0) * 1000 + (delay[2]?.[0] ?? 0) / 1e6;
    } else if (type === 'google.rpc.BadRequest' && fields[1]) {
      found.field = text(wireMessage(fields[1][0])[1]?.[0]);
    }
  }
  return found;
}

function typedError(code, message, details, extra) {
  const found = readDetails(details);
  const base = BY_CODE.get(code);
  let Class = BY_REASON[found.reason];
  // A reason sent with another code than its own (or one this SDK does not know): the code's class.
  if (base === undefined || !(Class === base || Class?.prototype instanceof base)) Class = base ?? StepwayError;
  return new Class(message, { code, details: message, ...found, ...extra });
}

/**
 * The typed error of a google.rpc.Status as proto-loader decodes it ({ code, message, details:
 * [{ typeUrl, value }] }): a batched command's or a batch item's error.
 */
function fromStatus(statusMessage) {
  return typedError(statusMessage.code, statusMessage.message, statusMessage.details);
}

/** The typed error of a failed call (a grpc-js ServiceError), with the details it carried. */
function fromServiceError(err) {
  if (err instanceof StepwayError || typeof err?.code !== 'number') return err;
  const [raw] = err.metadata?.get?.('grpc-status-details-bin') ?? [];
  let details = [];
  try {
    if (raw) details = decodeStatus(Buffer.from(raw)).details;
  } catch {
    details = []; // not a google.rpc.Status: the code alone says what it is
  }
  return typedError(err.code, err.details ?? err.message, details, { metadata: err.metadata, cause: err });
}

/** The attempt is over on the server: its lease was lost, or the task is not this account's. */
function isLeaseLost(err) {
  return err?.reason === 'TASK_LEASE_LOST' || err?.reason === 'TASK_NOT_FOUND';
}

/** Worth another try after a backoff: the server or the network may come back. */
function isTransient(err) {
  return [status.UNAVAILABLE, status.DEADLINE_EXCEEDED, status.RESOURCE_EXHAUSTED, status.ABORTED].includes(
    err?.code,
  );
}

/** No retry helps: a bad key or role, a bad queue name, or a server without step tasks. */
function isFatal(err) {
  return [status.UNAUTHENTICATED, status.PERMISSION_DENIED, status.INVALID_ARGUMENT, status.UNIMPLEMENTED].includes(
    err?.code,
  );
}

module.exports = {
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
  ...Object.fromEntries(Object.values(BY_REASON).map((Class) => [Class.name, Class])),
  WorkflowFailedError,
  WorkflowTerminatedError,
  BY_REASON,
  decodeStatus,
  fromStatus,
  fromServiceError,
  NonRetryableError,
  abortReason,
  boundedFailure,
  failureOf,
  isLeaseLost,
  isTransient,
  isFatal,
};
