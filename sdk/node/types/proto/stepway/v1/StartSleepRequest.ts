// Original file: stepway/v1/worker_service.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';

/**
 * Starts a sleep step.
 */
export interface StartSleepRequest {
  /**
   * The task's token, as WorkflowTask.task_token.
   */
  'taskToken'?: (Buffer | Uint8Array | string);
  /**
   * The step's name, 1 to 200 characters.
   */
  'name'?: (string);
  /**
   * Occurrence of the name in the run, from 1 to 1,000,000,000 (INVALID_ARGUMENT otherwise).
   */
  'seq'?: (number);
  /**
   * When the sleep ends, an absolute time. On a replay the server keeps the time it recorded
   * first. A time already passed (or unset) ends the sleep at once.
   */
  'wakeAt'?: (_google_protobuf_Timestamp | null);
}

/**
 * Starts a sleep step.
 */
export interface StartSleepRequest__Output {
  /**
   * The task's token, as WorkflowTask.task_token.
   */
  'taskToken': (Buffer);
  /**
   * The step's name, 1 to 200 characters.
   */
  'name': (string);
  /**
   * Occurrence of the name in the run, from 1 to 1,000,000,000 (INVALID_ARGUMENT otherwise).
   */
  'seq': (number);
  /**
   * When the sleep ends, an absolute time. On a replay the server keeps the time it recorded
   * first. A time already passed (or unset) ends the sleep at once.
   */
  'wakeAt': (_google_protobuf_Timestamp__Output | null);
}
