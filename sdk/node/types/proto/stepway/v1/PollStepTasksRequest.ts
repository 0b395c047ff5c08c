// Original file: stepway/v1/worker_service.proto

import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from '../../google/protobuf/Duration';

/**
 * Asks for step tasks.
 */
export interface PollStepTasksRequest {
  /**
   * The step worker's id, unique per process (a UUID): ^[a-zA-Z0-9_][a-zA-Z0-9_-]{0,99}$.
   */
  'workerId'?: (string);
  /**
   * The step task queue to take tasks from: ^[a-zA-Z0-9_][a-zA-Z0-9_-]{0,99}$.
   */
  'taskQueue'?: (string);
  /**
   * At most this many tasks: 1 to 100; 0 means 1 and more means 100.
   */
  'maxTasks'?: (number);
  /**
   * How long to wait for a task before answering with none: unset means 60 s, more is cut to
   * 60 s, zero answers at once, negative is INVALID_ARGUMENT. Give the call a deadline above
   * it (e.g. wait + 20 s).
   */
  'wait'?: (_google_protobuf_Duration | null);
}

/**
 * Asks for step tasks.
 */
export interface PollStepTasksRequest__Output {
  /**
   * The step worker's id, unique per process (a UUID): ^[a-zA-Z0-9_][a-zA-Z0-9_-]{0,99}$.
   */
  'workerId': (string);
  /**
   * The step task queue to take tasks from: ^[a-zA-Z0-9_][a-zA-Z0-9_-]{0,99}$.
   */
  'taskQueue': (string);
  /**
   * At most this many tasks: 1 to 100; 0 means 1 and more means 100.
   */
  'maxTasks': (number);
  /**
   * How long to wait for a task before answering with none: unset means 60 s, more is cut to
   * 60 s, zero answers at once, negative is INVALID_ARGUMENT. Give the call a deadline above
   * it (e.g. wait + 20 s).
   */
  'wait': (_google_protobuf_Duration__Output | null);
}
