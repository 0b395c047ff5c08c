// Original file: stepway/v1/common.proto

/**
 * How an instance's rollback went (Instance.rollback).
 */
export const RollbackOutcome = {
  /**
   * The instance never rolled back.
   */
  ROLLBACK_OUTCOME_UNSPECIFIED: 'ROLLBACK_OUTCOME_UNSPECIFIED',
  /**
   * The rollbacks run now (or the instance was terminated while they ran).
   */
  ROLLBACK_OUTCOME_ROLLING_BACK: 'ROLLBACK_OUTCOME_ROLLING_BACK',
  /**
   * Every rollback succeeded; the instance is ERRORED.
   */
  ROLLBACK_OUTCOME_ROLLED_BACK: 'ROLLBACK_OUTCOME_ROLLED_BACK',
  /**
   * A step's rollback failed for good (Instance.rollback_step); the instance is ERRORED and
   * the rollbacks after it did not run.
   */
  ROLLBACK_OUTCOME_ROLLBACK_FAILED: 'ROLLBACK_OUTCOME_ROLLBACK_FAILED',
} as const;

/**
 * How an instance's rollback went (Instance.rollback).
 */
export type RollbackOutcome =
  /**
   * The instance never rolled back.
   */
  | 'ROLLBACK_OUTCOME_UNSPECIFIED'
  | 0
  /**
   * The rollbacks run now (or the instance was terminated while they ran).
   */
  | 'ROLLBACK_OUTCOME_ROLLING_BACK'
  | 1
  /**
   * Every rollback succeeded; the instance is ERRORED.
   */
  | 'ROLLBACK_OUTCOME_ROLLED_BACK'
  | 2
  /**
   * A step's rollback failed for good (Instance.rollback_step); the instance is ERRORED and
   * the rollbacks after it did not run.
   */
  | 'ROLLBACK_OUTCOME_ROLLBACK_FAILED'
  | 3

/**
 * How an instance's rollback went (Instance.rollback).
 */
export type RollbackOutcome__Output = typeof RollbackOutcome[keyof typeof RollbackOutcome]
