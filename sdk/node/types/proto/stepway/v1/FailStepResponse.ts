// Original file: stepway/v1/worker_service.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';
import type { Failure as _stepway_v1_Failure, Failure__Output as _stepway_v1_Failure__Output } from '../../stepway/v1/Failure';

/**
 * What a FailStep led to.
 */
export interface FailStepResponse {
  /**
   * The instance is suspended until this time, then the step runs again; drop the task.
   */
  'retryAt'?: (_google_protobuf_Timestamp | null);
  /**
   * No retry is left: the step failed for good and the workflow sees this error.
   */
  'exhausted'?: (_stepway_v1_Failure | null);
  /**
   * True: a pause of the instance took effect with this report, or the instance errored
   * instead of recording it; drop the task.
   */
  'taskEnded'?: (boolean);
  /**
   * A retry, or the step's final failure; neither when the step was past the account's
   * max_steps_per_instance, or the failure past its max_instance_state_bytes (the instance
   * errored instead, and task_ended is true).
   */
  'outcome'?: "retryAt"|"exhausted";
}

/**
 * What a FailStep led to.
 */
export interface FailStepResponse__Output {
  /**
   * The instance is suspended until this time, then the step runs again; drop the task.
   */
  'retryAt'?: (_google_protobuf_Timestamp__Output | null);
  /**
   * No retry is left: the step failed for good and the workflow sees this error.
   */
  'exhausted'?: (_stepway_v1_Failure__Output | null);
  /**
   * True: a pause of the instance took effect with this report, or the instance errored
   * instead of recording it; drop the task.
   */
  'taskEnded': (boolean);
  /**
   * A retry, or the step's final failure; neither when the step was past the account's
   * max_steps_per_instance, or the failure past its max_instance_state_bytes (the instance
   * errored instead, and task_ended is true).
   */
  'outcome'?: "retryAt"|"exhausted";
}
