// Original file: stepway/v1/common.proto

/**
 * Where a step is.
 */
export const StepState = {
  /**
   * Never in an answer.
   */
  STEP_STATE_UNSPECIFIED: 'STEP_STATE_UNSPECIFIED',
  /**
   * Not finished: running, waiting for a retry, sleeping or waiting for an event.
   */
  STEP_STATE_PENDING: 'STEP_STATE_PENDING',
  /**
   * Finished with a result (for a sleep: its time passed). A recorded result never changes.
   */
  STEP_STATE_SUCCEEDED: 'STEP_STATE_SUCCEEDED',
  /**
   * Final failure: retries ran out, a non-retryable error, or an event wait timed out.
   */
  STEP_STATE_FAILED: 'STEP_STATE_FAILED',
  /**
   * An attempt of a DO step runs on a worker now: attempt number attempts + 1, started at
   * attempt_started_at. Only in a client's view (Step): a worker's journal shows such a step
   * as PENDING.
   */
  STEP_STATE_RUNNING: 'STEP_STATE_RUNNING',
} as const;

/**
 * Where a step is.
 */
export type StepState =
  /**
   * Never in an answer.
   */
  | 'STEP_STATE_UNSPECIFIED'
  | 0
  /**
   * Not finished: running, waiting for a retry, sleeping or waiting for an event.
   */
  | 'STEP_STATE_PENDING'
  | 1
  /**
   * Finished with a result (for a sleep: its time passed). A recorded result never changes.
   */
  | 'STEP_STATE_SUCCEEDED'
  | 2
  /**
   * Final failure: retries ran out, a non-retryable error, or an event wait timed out.
   */
  | 'STEP_STATE_FAILED'
  | 3
  /**
   * An attempt of a DO step runs on a worker now: attempt number attempts + 1, started at
   * attempt_started_at. Only in a client's view (Step): a worker's journal shows such a step
   * as PENDING.
   */
  | 'STEP_STATE_RUNNING'
  | 4

/**
 * Where a step is.
 */
export type StepState__Output = typeof StepState[keyof typeof StepState]
