// Original file: stepway/v1/schedule_service.proto

import type { ScheduleSpec as _stepway_v1_ScheduleSpec, ScheduleSpec__Output as _stepway_v1_ScheduleSpec__Output } from '../../stepway/v1/ScheduleSpec';
import type { ScheduleAction as _stepway_v1_ScheduleAction, ScheduleAction__Output as _stepway_v1_ScheduleAction__Output } from '../../stepway/v1/ScheduleAction';
import type { SchedulePolicy as _stepway_v1_SchedulePolicy, SchedulePolicy__Output as _stepway_v1_SchedulePolicy__Output } from '../../stepway/v1/SchedulePolicy';

/**
 * Creates a schedule.
 */
export interface CreateScheduleRequest {
  /**
   * The new schedule's id.
   */
  'scheduleId'?: (string);
  /**
   * When it fires.
   */
  'spec'?: (_stepway_v1_ScheduleSpec | null);
  /**
   * What each fire creates.
   */
  'action'?: (_stepway_v1_ScheduleAction | null);
  /**
   * How it fires.
   */
  'policy'?: (_stepway_v1_SchedulePolicy | null);
  /**
   * Create it paused.
   */
  'paused'?: (boolean);
}

/**
 * Creates a schedule.
 */
export interface CreateScheduleRequest__Output {
  /**
   * The new schedule's id.
   */
  'scheduleId': (string);
  /**
   * When it fires.
   */
  'spec': (_stepway_v1_ScheduleSpec__Output | null);
  /**
   * What each fire creates.
   */
  'action': (_stepway_v1_ScheduleAction__Output | null);
  /**
   * How it fires.
   */
  'policy': (_stepway_v1_SchedulePolicy__Output | null);
  /**
   * Create it paused.
   */
  'paused': (boolean);
}
