// Original file: stepway/v1/worker_service.proto

import type { Payload as _stepway_v1_Payload, Payload__Output as _stepway_v1_Payload__Output } from '../../stepway/v1/Payload';

/**
 * Reports that a step task is still being worked on.
 */
export interface HeartbeatStepTaskRequest {
  /**
   * The step task's token, as StepTask.task_token.
   */
  'taskToken'?: (Buffer | Uint8Array | string);
  /**
   * Progress so far, JSON (optional): a later attempt of the same call receives the last
   * details as StepTask.heartbeat_details. At most 1 MiB.
   */
  'details'?: (_stepway_v1_Payload | null);
}

/**
 * Reports that a step task is still being worked on.
 */
export interface HeartbeatStepTaskRequest__Output {
  /**
   * The step task's token, as StepTask.task_token.
   */
  'taskToken': (Buffer);
  /**
   * Progress so far, JSON (optional): a later attempt of the same call receives the last
   * details as StepTask.heartbeat_details. At most 1 MiB.
   */
  'details': (_stepway_v1_Payload__Output | null);
}
