// Original file: stepway/v1/worker_service.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';
import type { Failure as _stepway_v1_Failure, Failure__Output as _stepway_v1_Failure__Output } from '../../stepway/v1/Failure';

/**
 * What a FailStepTask led to.
 */
export interface FailStepTaskResponse {
  /**
   * The next attempt's task goes back on the step task queue at this time.
   */
  'retryAt'?: (_google_protobuf_Timestamp | null);
  /**
   * No retry is left: the CALL step failed for good and the workflow sees this error.
   */
  'exhausted'?: (_stepway_v1_Failure | null);
  /**
   * The next attempt, or the CALL step's final failure.
   */
  'outcome'?: "retryAt"|"exhausted";
}

/**
 * What a FailStepTask led to.
 */
export interface FailStepTaskResponse__Output {
  /**
   * The next attempt's task goes back on the step task queue at this time.
   */
  'retryAt'?: (_google_protobuf_Timestamp__Output | null);
  /**
   * No retry is left: the CALL step failed for good and the workflow sees this error.
   */
  'exhausted'?: (_stepway_v1_Failure__Output | null);
  /**
   * The next attempt, or the CALL step's final failure.
   */
  'outcome'?: "retryAt"|"exhausted";
}
