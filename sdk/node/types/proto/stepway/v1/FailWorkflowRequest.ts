// Original file: stepway/v1/worker_service.proto

import type { Failure as _stepway_v1_Failure, Failure__Output as _stepway_v1_Failure__Output } from '../../stepway/v1/Failure';

/**
 * Ends the instance as errored.
 */
export interface FailWorkflowRequest {
  /**
   * The task's token, as WorkflowTask.task_token.
   */
  'taskToken'?: (Buffer | Uint8Array | string);
  /**
   * What the workflow raised (an empty type is stored as "Error").
   */
  'error'?: (_stepway_v1_Failure | null);
}

/**
 * Ends the instance as errored.
 */
export interface FailWorkflowRequest__Output {
  /**
   * The task's token, as WorkflowTask.task_token.
   */
  'taskToken': (Buffer);
  /**
   * What the workflow raised (an empty type is stored as "Error").
   */
  'error': (_stepway_v1_Failure__Output | null);
}
