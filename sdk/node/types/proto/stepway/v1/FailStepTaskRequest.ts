// Original file: stepway/v1/worker_service.proto

import type { Failure as _stepway_v1_Failure, Failure__Output as _stepway_v1_Failure__Output } from '../../stepway/v1/Failure';

/**
 * Records a failed attempt of a step task.
 */
export interface FailStepTaskRequest {
  /**
   * The step task's token, as StepTask.task_token.
   */
  'taskToken'?: (Buffer | Uint8Array | string);
  /**
   * What the attempt raised (an empty type is stored as "Error").
   */
  'error'?: (_stepway_v1_Failure | null);
  /**
   * True fails the CALL step at once, whatever its RetryPolicy.
   */
  'nonRetryable'?: (boolean);
}

/**
 * Records a failed attempt of a step task.
 */
export interface FailStepTaskRequest__Output {
  /**
   * The step task's token, as StepTask.task_token.
   */
  'taskToken': (Buffer);
  /**
   * What the attempt raised (an empty type is stored as "Error").
   */
  'error': (_stepway_v1_Failure__Output | null);
  /**
   * True fails the CALL step at once, whatever its RetryPolicy.
   */
  'nonRetryable': (boolean);
}
