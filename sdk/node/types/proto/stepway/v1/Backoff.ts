// Original file: stepway/v1/worker_service.proto

/**
 * How a step's retry delay grows with the attempts.
 */
export const Backoff = {
  /**
   * Same as BACKOFF_EXPONENTIAL.
   */
  BACKOFF_UNSPECIFIED: 'BACKOFF_UNSPECIFIED',
  /**
   * Every retry waits `delay`.
   */
  BACKOFF_CONSTANT: 'BACKOFF_CONSTANT',
  /**
   * The retry after attempt n waits delay * n.
   */
  BACKOFF_LINEAR: 'BACKOFF_LINEAR',
  /**
   * The retry after attempt n waits delay * 2^(n-1).
   */
  BACKOFF_EXPONENTIAL: 'BACKOFF_EXPONENTIAL',
} as const;

/**
 * How a step's retry delay grows with the attempts.
 */
export type Backoff =
  /**
   * Same as BACKOFF_EXPONENTIAL.
   */
  | 'BACKOFF_UNSPECIFIED'
  | 0
  /**
   * Every retry waits `delay`.
   */
  | 'BACKOFF_CONSTANT'
  | 1
  /**
   * The retry after attempt n waits delay * n.
   */
  | 'BACKOFF_LINEAR'
  | 2
  /**
   * The retry after attempt n waits delay * 2^(n-1).
   */
  | 'BACKOFF_EXPONENTIAL'
  | 3

/**
 * How a step's retry delay grows with the attempts.
 */
export type Backoff__Output = typeof Backoff[keyof typeof Backoff]
