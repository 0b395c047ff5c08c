// Original file: stepway/v1/worker_service.proto

import type { JournalEntry as _stepway_v1_JournalEntry, JournalEntry__Output as _stepway_v1_JournalEntry__Output } from '../../stepway/v1/JournalEntry';

/**
 * What a ScheduleCall led to.
 */
export interface ScheduleCallResponse {
  /**
   * True: the instance now waits for the call (or a pause took effect, or the step was past
   * max_steps_per_instance and the instance errored): drop the task. A later task's journal
   * holds the call's outcome. Also true when the call was already scheduled and is still
   * pending. False: the call had already finished, and step holds its outcome.
   */
  'suspended'?: (boolean);
  /**
   * The finished call's journal entry (SUCCEEDED with its result, or FAILED with its error),
   * when suspended is false.
   */
  'step'?: (_stepway_v1_JournalEntry | null);
}

/**
 * What a ScheduleCall led to.
 */
export interface ScheduleCallResponse__Output {
  /**
   * True: the instance now waits for the call (or a pause took effect, or the step was past
   * max_steps_per_instance and the instance errored): drop the task. A later task's journal
   * holds the call's outcome. Also true when the call was already scheduled and is still
   * pending. False: the call had already finished, and step holds its outcome.
   */
  'suspended': (boolean);
  /**
   * The finished call's journal entry (SUCCEEDED with its result, or FAILED with its error),
   * when suspended is false.
   */
  'step': (_stepway_v1_JournalEntry__Output | null);
}
