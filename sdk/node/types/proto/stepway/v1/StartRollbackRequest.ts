// Original file: stepway/v1/worker_service.proto

import type { Failure as _stepway_v1_Failure, Failure__Output as _stepway_v1_Failure__Output } from '../../stepway/v1/Failure';
import type { StepRef as _stepway_v1_StepRef, StepRef__Output as _stepway_v1_StepRef__Output } from '../../stepway/v1/StepRef';

/**
 * Starts the instance's rollback (docs/rollbacks.md), or reads where it is when it already
 * started. Only as a command of RecordBatch. From then on only rollbacks (CompleteStep,
 * FailStep and StartStep with rollback set) and FailWorkflow are recorded for the instance.
 */
export interface StartRollbackRequest {
  /**
   * The task's token, as WorkflowTask.task_token.
   */
  'taskToken'?: (Buffer | Uint8Array | string);
  /**
   * Why: the uncaught failure, or the reason the workflow gave. Kept from the first
   * StartRollback; the instance ends ERRORED with it.
   */
  'error'?: (_stepway_v1_Failure | null);
  /**
   * The succeeded DO steps of the run that declared a rollback, at most 10,000, each once.
   */
  'steps'?: (_stepway_v1_StepRef)[];
}

/**
 * Starts the instance's rollback (docs/rollbacks.md), or reads where it is when it already
 * started. Only as a command of RecordBatch. From then on only rollbacks (CompleteStep,
 * FailStep and StartStep with rollback set) and FailWorkflow are recorded for the instance.
 */
export interface StartRollbackRequest__Output {
  /**
   * The task's token, as WorkflowTask.task_token.
   */
  'taskToken': (Buffer);
  /**
   * Why: the uncaught failure, or the reason the workflow gave. Kept from the first
   * StartRollback; the instance ends ERRORED with it.
   */
  'error': (_stepway_v1_Failure__Output | null);
  /**
   * The succeeded DO steps of the run that declared a rollback, at most 10,000, each once.
   */
  'steps': (_stepway_v1_StepRef__Output)[];
}
