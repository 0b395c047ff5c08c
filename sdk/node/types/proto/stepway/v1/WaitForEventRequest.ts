// Original file: stepway/v1/worker_service.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';

/**
 * Starts an event wait step.
 */
export interface WaitForEventRequest {
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
   * The type of event to take: ^[a-zA-Z0-9_][a-zA-Z0-9_.-]{0,99}$.
   */
  'eventType'?: (string);
  /**
   * When the wait gives up, an absolute time; required (INVALID_ARGUMENT when unset). On a
   * replay the server keeps the time it recorded first.
   */
  'timeoutAt'?: (_google_protobuf_Timestamp | null);
}

/**
 * Starts an event wait step.
 */
export interface WaitForEventRequest__Output {
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
   * The type of event to take: ^[a-zA-Z0-9_][a-zA-Z0-9_.-]{0,99}$.
   */
  'eventType': (string);
  /**
   * When the wait gives up, an absolute time; required (INVALID_ARGUMENT when unset). On a
   * replay the server keeps the time it recorded first.
   */
  'timeoutAt': (_google_protobuf_Timestamp__Output | null);
}
