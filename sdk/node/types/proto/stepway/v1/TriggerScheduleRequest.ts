// Original file: stepway/v1/schedule_service.proto

import type { OverlapPolicy as _stepway_v1_OverlapPolicy, OverlapPolicy__Output as _stepway_v1_OverlapPolicy__Output } from '../../stepway/v1/OverlapPolicy';

/**
 * Fires a schedule now.
 */
export interface TriggerScheduleRequest {
  /**
   * The schedule.
   */
  'scheduleId'?: (string);
  /**
   * The overlap policy of this fire; unspecified: the schedule's.
   */
  'overlap'?: (_stepway_v1_OverlapPolicy);
}

/**
 * Fires a schedule now.
 */
export interface TriggerScheduleRequest__Output {
  /**
   * The schedule.
   */
  'scheduleId': (string);
  /**
   * The overlap policy of this fire; unspecified: the schedule's.
   */
  'overlap': (_stepway_v1_OverlapPolicy__Output);
}
