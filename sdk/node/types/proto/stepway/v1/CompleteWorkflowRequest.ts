// Original file: stepway/v1/worker_service.proto

import type { Payload as _stepway_v1_Payload, Payload__Output as _stepway_v1_Payload__Output } from '../../stepway/v1/Payload';

/**
 * Ends the instance as complete.
 */
export interface CompleteWorkflowRequest {
  /**
   * The task's token, as WorkflowTask.task_token.
   */
  'taskToken'?: (Buffer | Uint8Array | string);
  /**
   * What the workflow returned, JSON; empty means null. Too large is INVALID_ARGUMENT and the
   * instance stays running: send FailWorkflow instead.
   */
  'output'?: (_stepway_v1_Payload | null);
}

/**
 * Ends the instance as complete.
 */
export interface CompleteWorkflowRequest__Output {
  /**
   * The task's token, as WorkflowTask.task_token.
   */
  'taskToken': (Buffer);
  /**
   * What the workflow returned, JSON; empty means null. Too large is INVALID_ARGUMENT and the
   * instance stays running: send FailWorkflow instead.
   */
  'output': (_stepway_v1_Payload__Output | null);
}
