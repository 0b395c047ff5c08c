// Original file: stepway/v1/worker_service.proto


/**
 * Records that an attempt of a DO step starts, so that clients see it running. Only as a
 * command of RecordBatch. Optional: a worker that does not send it has the attempt's start
 * recorded with its CompleteStep or FailStep.
 */
export interface StartStepRequest {
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
   * The attempt that starts, from 1 (0 counts as 1) to 1,000,000,000: the journal's attempts
   * + 1. A start that arrives after its attempt was reported, or of a step already finished,
   * is a no-op.
   */
  'attempt'?: (number);
  /**
   * True: the attempt is of the step's rollback (a ROLLBACK entry), legal only while the
   * instance rolls back (StartRollback); name and seq are the DO step's.
   */
  'rollback'?: (boolean);
}

/**
 * Records that an attempt of a DO step starts, so that clients see it running. Only as a
 * command of RecordBatch. Optional: a worker that does not send it has the attempt's start
 * recorded with its CompleteStep or FailStep.
 */
export interface StartStepRequest__Output {
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
   * The attempt that starts, from 1 (0 counts as 1) to 1,000,000,000: the journal's attempts
   * + 1. A start that arrives after its attempt was reported, or of a step already finished,
   * is a no-op.
   */
  'attempt': (number);
  /**
   * True: the attempt is of the step's rollback (a ROLLBACK entry), legal only while the
   * instance rolls back (StartRollback); name and seq are the DO step's.
   */
  'rollback': (boolean);
}
