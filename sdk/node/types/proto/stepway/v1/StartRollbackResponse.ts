// Original file: stepway/v1/worker_service.proto

import type { JournalEntry as _stepway_v1_JournalEntry, JournalEntry__Output as _stepway_v1_JournalEntry__Output } from '../../stepway/v1/JournalEntry';

/**
 * The rollbacks to run, in order.
 */
export interface StartRollbackResponse {
  /**
   * One per step of the request, newest completion first: its ROLLBACK entry (kind
   * ROLLBACK; name and seq are the step's), state UNSPECIFIED when it has not run yet.
   * Skip the SUCCEEDED ones, run the others in order from attempt attempts + 1, then send
   * FailWorkflow.
   */
  'rollbacks'?: (_stepway_v1_JournalEntry)[];
}

/**
 * The rollbacks to run, in order.
 */
export interface StartRollbackResponse__Output {
  /**
   * One per step of the request, newest completion first: its ROLLBACK entry (kind
   * ROLLBACK; name and seq are the step's), state UNSPECIFIED when it has not run yet.
   * Skip the SUCCEEDED ones, run the others in order from attempt attempts + 1, then send
   * FailWorkflow.
   */
  'rollbacks': (_stepway_v1_JournalEntry__Output)[];
}
