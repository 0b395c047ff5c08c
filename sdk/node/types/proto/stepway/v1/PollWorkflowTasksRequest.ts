// Original file: stepway/v1/worker_service.proto

import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from '../../google/protobuf/Duration';

/**
 * Asks for workflow tasks.
 */
export interface PollWorkflowTasksRequest {
  /**
   * The worker's id, as in RegisterWorker.
   */
  'workerId'?: (string);
  /**
   * The task queue to take tasks from: ^[a-zA-Z0-9_][a-zA-Z0-9_-]{0,99}$.
   */
  'taskQueue'?: (string);
  /**
   * At most this many tasks: 1 to 100; 0 means 1 and more means 100.
   */
  'maxTasks'?: (number);
  /**
   * How long to wait for a task before answering with none: unset means 60 s, more is cut to
   * 60 s, zero answers at once, negative is INVALID_ARGUMENT. Give the call a deadline well
   * above it (e.g. wait + 20 s): a poll that hits its deadline gives the worker's tasks away.
   */
  'wait'?: (_google_protobuf_Duration | null);
  /**
   * The worker's build id, as in RegisterWorker: the poll takes only tasks of instances on
   * that build, and first tasks of instances whose workflow's newest build it is.
   */
  'buildId'?: (string);
}

/**
 * Asks for workflow tasks.
 */
export interface PollWorkflowTasksRequest__Output {
  /**
   * The worker's id, as in RegisterWorker.
   */
  'workerId': (string);
  /**
   * The task queue to take tasks from: ^[a-zA-Z0-9_][a-zA-Z0-9_-]{0,99}$.
   */
  'taskQueue': (string);
  /**
   * At most this many tasks: 1 to 100; 0 means 1 and more means 100.
   */
  'maxTasks': (number);
  /**
   * How long to wait for a task before answering with none: unset means 60 s, more is cut to
   * 60 s, zero answers at once, negative is INVALID_ARGUMENT. Give the call a deadline well
   * above it (e.g. wait + 20 s): a poll that hits its deadline gives the worker's tasks away.
   */
  'wait': (_google_protobuf_Duration__Output | null);
  /**
   * The worker's build id, as in RegisterWorker: the poll takes only tasks of instances on
   * that build, and first tasks of instances whose workflow's newest build it is.
   */
  'buildId': (string);
}
