// What the examples import from '@stepway/sdk' where the package has no index.d.ts: the
// declarations of its workflow API, and of the NonRetryableError (errors.js) that steps throw.

export * from '../src/workflow';
export * from '../src/worker';

/** Thrown from a step, fails it at once, whatever its retries. */
export declare class NonRetryableError extends Error {
  constructor(message: string, options?: { type?: string; cause?: unknown });
}
