// Original file: stepway/v1/worker_service.proto

import type { Payload as _stepway_v1_Payload, Payload__Output as _stepway_v1_Payload__Output } from '../../stepway/v1/Payload';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';

/**
 * Records a DO step's result.
 */
export interface CompleteStepRequest {
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
   * The attempt that succeeded, from 1 (0 counts as 1) to 1,000,000,000: the journal's
   * attempts + 1 on a retry.
   */
  'attempt'?: (number);
  /**
   * The step's result, JSON; empty means null.
   */
  'result'?: (_stepway_v1_Payload | null);
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
 * Records a DO step's result.
 */
export interface CompleteStepRequest__Output {
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
   * The attempt that succeeded, from 1 (0 counts as 1) to 1,000,000,000: the journal's
   * attempts + 1 on a retry.
   */
  'attempt': (number);
  /**
   * The step's result, JSON; empty means null.
   */
  'result': (_stepway_v1_Payload__Output | null);
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
