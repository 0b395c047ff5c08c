// Original file: stepway/v1/worker_service.proto

import type { JournalEntry as _stepway_v1_JournalEntry, JournalEntry__Output as _stepway_v1_JournalEntry__Output } from '../../stepway/v1/JournalEntry';

/**
 * A page of a task's journal.
 */
export interface GetTaskJournalResponse {
  /**
   * The next entries, in the order the steps started: results adding up to at most 4 MiB, or
   * a single larger entry.
   */
  'journal'?: (_stepway_v1_JournalEntry)[];
  /**
   * Empty when this page is the last; otherwise the token of the next one.
   */
  'nextPageToken'?: (string);
}

/**
 * A page of a task's journal.
 */
export interface GetTaskJournalResponse__Output {
  /**
   * The next entries, in the order the steps started: results adding up to at most 4 MiB, or
   * a single larger entry.
   */
  'journal': (_stepway_v1_JournalEntry__Output)[];
  /**
   * Empty when this page is the last; otherwise the token of the next one.
   */
  'nextPageToken': (string);
}
