// Original file: stepway/v1/worker_service.proto

import type { JournalEntry as _stepway_v1_JournalEntry, JournalEntry__Output as _stepway_v1_JournalEntry__Output } from '../../stepway/v1/JournalEntry';

/**
 * What a StartChild recorded.
 */
export interface StartChildResponse {
  /**
   * True when the instance now waits for the child: the run ends here, and a later task
   * holds the outcome.
   */
  'suspended'?: (boolean);
  /**
   * The journal entry when the step is finished (a child started without waiting, or one
   * recorded before).
   */
  'step'?: (_stepway_v1_JournalEntry | null);
  /**
   * The child's instance id.
   */
  'instanceId'?: (string);
}

/**
 * What a StartChild recorded.
 */
export interface StartChildResponse__Output {
  /**
   * True when the instance now waits for the child: the run ends here, and a later task
   * holds the outcome.
   */
  'suspended': (boolean);
  /**
   * The journal entry when the step is finished (a child started without waiting, or one
   * recorded before).
   */
  'step': (_stepway_v1_JournalEntry__Output | null);
  /**
   * The child's instance id.
   */
  'instanceId': (string);
}
