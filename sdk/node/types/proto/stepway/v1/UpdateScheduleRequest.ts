// Original file: stepway/v1/schedule_service.proto

import type { ScheduleSpec as _stepway_v1_ScheduleSpec, ScheduleSpec__Output as _stepway_v1_ScheduleSpec__Output } from '../../stepway/v1/ScheduleSpec';
import type { ScheduleAction as _stepway_v1_ScheduleAction, ScheduleAction__Output as _stepway_v1_ScheduleAction__Output } from '../../stepway/v1/ScheduleAction';
import type { SchedulePolicy as _stepway_v1_SchedulePolicy, SchedulePolicy__Output as _stepway_v1_SchedulePolicy__Output } from '../../stepway/v1/SchedulePolicy';

/**
 * Replaces a schedule's spec, action and policy.
 */
export interface UpdateScheduleRequest {
  /**
   * The schedule.
   */
  'scheduleId'?: (string);
  /**
   * The new spec.
   */
  'spec'?: (_stepway_v1_ScheduleSpec | null);
  /**
   * The new action.
   */
  'action'?: (_stepway_v1_ScheduleAction | null);
  /**
   * The new policy.
   */
  'policy'?: (_stepway_v1_SchedulePolicy | null);
}

/**
 * Replaces a schedule's spec, action and policy.
 */
export interface UpdateScheduleRequest__Output {
  /**
   * The schedule.
   */
  'scheduleId': (string);
  /**
   * The new spec.
   */
  'spec': (_stepway_v1_ScheduleSpec__Output | null);
  /**
   * The new action.
   */
  'action': (_stepway_v1_ScheduleAction__Output | null);
  /**
   * The new policy.
   */
  'policy': (_stepway_v1_SchedulePolicy__Output | null);
}
