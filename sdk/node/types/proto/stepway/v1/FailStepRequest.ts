// Original file: stepway/v1/worker_service.proto

import type { Failure as _stepway_v1_Failure, Failure__Output as _stepway_v1_Failure__Output } from '../../stepway/v1/Failure';
import type { RetryPolicy as _stepway_v1_RetryPolicy, RetryPolicy__Output as _stepway_v1_RetryPolicy__Output } from '../../stepway/v1/RetryPolicy';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';

/**
 * Records a failed attempt of a DO step.
 */
export interface FailStepRequest {
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
   * The attempt that failed, from 1 (0 counts as 1) to 1,000,000,000.
   */
  'attempt'?: (number);
  /**
   * What the attempt raised.
   */
  'error'?: (_stepway_v1_Failure | null);
  /**
   * The step's retry policy; unset means no retry.
   */
  'retry'?: (_stepway_v1_RetryPolicy | null);
  /**
   * True fails the step at once, whatever the policy.
   */
  'nonRetryable'?: (boolean);
  /**
   * When the attempt started; unset means the server's time on arrival.
   */
  'startedAt'?: (_google_protobuf_Timestamp | null);
  /**
   * True: the attempt is of the step's rollback (a ROLLBACK entry), legal only while the
   * instance rolls back (StartRollback); name and seq are the DO step's.
   */
  'rollback'?: (boolean);
}

/**
 * Records a failed attempt of a DO step.
 */
export interface FailStepRequest__Output {
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
   * The attempt that failed, from 1 (0 counts as 1) to 1,000,000,000.
   */
  'attempt': (number);
  /**
   * What the attempt raised.
   */
  'error': (_stepway_v1_Failure__Output | null);
  /**
   * The step's retry policy; unset means no retry.
   */
  'retry': (_stepway_v1_RetryPolicy__Output | null);
  /**
   * True fails the step at once, whatever the policy.
   */
  'nonRetryable': (boolean);
  /**
   * When the attempt started; unset means the server's time on arrival.
   */
  'startedAt': (_google_protobuf_Timestamp__Output | null);
  /**
   * True: the attempt is of the step's rollback (a ROLLBACK entry), legal only while the
   * instance rolls back (StartRollback); name and seq are the DO step's.
   */
  'rollback': (boolean);
}
