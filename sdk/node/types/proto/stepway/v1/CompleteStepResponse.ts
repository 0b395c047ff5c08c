// Original file: stepway/v1/worker_service.proto


/**
 * What a CompleteStep led to.
 */
export interface CompleteStepResponse {
  /**
   * True: the result is recorded and a pause of the instance took effect with it, or the step
   * was past the account's max_steps_per_instance or its result past max_instance_state_bytes
   * and the instance errored instead. Drop the task and start no further step (a write under
   * it would be refused).
   */
  'taskEnded'?: (boolean);
}

/**
 * What a CompleteStep led to.
 */
export interface CompleteStepResponse__Output {
  /**
   * True: the result is recorded and a pause of the instance took effect with it, or the step
   * was past the account's max_steps_per_instance or its result past max_instance_state_bytes
   * and the instance errored instead. Drop the task and start no further step (a write under
   * it would be refused).
   */
  'taskEnded': (boolean);
}
