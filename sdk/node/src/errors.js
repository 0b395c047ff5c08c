'use strict';
// The errors a step handler throws or sees, and how a thrown value becomes a Failure.

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

/** The attempt is over on the server: its lease was lost (FAILED_PRECONDITION "task lease lost"). */
function isLeaseLost(err) {
  return err?.code === status.FAILED_PRECONDITION;
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
  NonRetryableError,
  abortReason,
  boundedFailure,
  failureOf,
  isLeaseLost,
  isTransient,
  isFatal,
};
