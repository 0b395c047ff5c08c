// Original file: stepway/v1/schedule_service.proto

import type { Payload as _stepway_v1_Payload, Payload__Output as _stepway_v1_Payload__Output } from '../../stepway/v1/Payload';
import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from '../../google/protobuf/Duration';

/**
 * The instance each fire creates.
 */
export interface ScheduleAction {
  /**
   * The workflow, ^[a-zA-Z0-9_][a-zA-Z0-9_-]{0,99}$.
   */
  'workflow'?: (string);
  /**
   * The instance's params, JSON; unset is null. Payload limits as in CreateInstance.
   */
  'params'?: (_stepway_v1_Payload | null);
  /**
   * The task queue its workers poll, as in CreateInstance; unset: the workflow's.
   */
  'taskQueue'?: (string);
  /**
   * How long each instance is kept once finished, as in CreateInstance; unset: the account's.
   */
  'retention'?: (_google_protobuf_Duration | null);
}

/**
 * The instance each fire creates.
 */
export interface ScheduleAction__Output {
  /**
   * The workflow, ^[a-zA-Z0-9_][a-zA-Z0-9_-]{0,99}$.
   */
  'workflow': (string);
  /**
   * The instance's params, JSON; unset is null. Payload limits as in CreateInstance.
   */
  'params': (_stepway_v1_Payload__Output | null);
  /**
   * The task queue its workers poll, as in CreateInstance; unset: the workflow's.
   */
  'taskQueue': (string);
  /**
   * How long each instance is kept once finished, as in CreateInstance; unset: the account's.
   */
  'retention': (_google_protobuf_Duration__Output | null);
}
