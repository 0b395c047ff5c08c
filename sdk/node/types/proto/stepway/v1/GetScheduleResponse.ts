// Original file: stepway/v1/schedule_service.proto

import type { Schedule as _stepway_v1_Schedule, Schedule__Output as _stepway_v1_Schedule__Output } from '../../stepway/v1/Schedule';

/**
 * A schedule.
 */
export interface GetScheduleResponse {
  /**
   * The schedule, its next fire times and recent runs.
   */
  'schedule'?: (_stepway_v1_Schedule | null);
}

/**
 * A schedule.
 */
export interface GetScheduleResponse__Output {
  /**
   * The schedule, its next fire times and recent runs.
   */
  'schedule': (_stepway_v1_Schedule__Output | null);
}
