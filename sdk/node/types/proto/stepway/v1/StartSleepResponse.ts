// Original file: stepway/v1/worker_service.proto


/**
 * What a StartSleep led to.
 */
export interface StartSleepResponse {
  /**
   * True: the instance is suspended (or a pause took effect, or the step was past
   * max_steps_per_instance and the instance errored): drop the task. False: the time has
   * passed, go on.
   */
  'suspended'?: (boolean);
}

/**
 * What a StartSleep led to.
 */
export interface StartSleepResponse__Output {
  /**
   * True: the instance is suspended (or a pause took effect, or the step was past
   * max_steps_per_instance and the instance errored): drop the task. False: the time has
   * passed, go on.
   */
  'suspended': (boolean);
}
