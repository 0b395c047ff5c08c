// Original file: stepway/v1/worker_service.proto

import type { Failure as _stepway_v1_Failure, Failure__Output as _stepway_v1_Failure__Output } from '../../stepway/v1/Failure';
import type { NonDeterminism as _stepway_v1_NonDeterminism, NonDeterminism__Output as _stepway_v1_NonDeterminism__Output } from '../../stepway/v1/NonDeterminism';

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
  /**
   * Set when the run could not follow the journal (the code asked for another kind of step
   * than the one recorded): the instance is then not ERRORED but blocked, WAITING until a
   * worker of a newer build of its workflow registers or it is moved to another build
   * (docs/versioning.md). error is ignored then.
   */
  'nonDeterminism'?: (_stepway_v1_NonDeterminism | null);
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
  /**
   * Set when the run could not follow the journal (the code asked for another kind of step
   * than the one recorded): the instance is then not ERRORED but blocked, WAITING until a
   * worker of a newer build of its workflow registers or it is moved to another build
   * (docs/versioning.md). error is ignored then.
   */
  'nonDeterminism': (_stepway_v1_NonDeterminism__Output | null);
}
