// Original file: stepway/v1/worker_service.proto

import type { Payload as _stepway_v1_Payload, Payload__Output as _stepway_v1_Payload__Output } from '../../stepway/v1/Payload';

/**
 * Records a step task's result.
 */
export interface CompleteStepTaskRequest {
  /**
   * The step task's token, as StepTask.task_token.
   */
  'taskToken'?: (Buffer | Uint8Array | string);
  /**
   * The step's result, JSON; empty means null. At most 1 MiB (and the account's
   * max_payload_bytes): too large is INVALID_ARGUMENT, and the attempt goes on (fail it).
   */
  'result'?: (_stepway_v1_Payload | null);
}

/**
 * Records a step task's result.
 */
export interface CompleteStepTaskRequest__Output {
  /**
   * The step task's token, as StepTask.task_token.
   */
  'taskToken': (Buffer);
  /**
   * The step's result, JSON; empty means null. At most 1 MiB (and the account's
   * max_payload_bytes): too large is INVALID_ARGUMENT, and the attempt goes on (fail it).
   */
  'result': (_stepway_v1_Payload__Output | null);
}
