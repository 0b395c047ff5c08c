// Original file: stepway/v1/schedule_service.proto

import type { Schedule as _stepway_v1_Schedule, Schedule__Output as _stepway_v1_Schedule__Output } from '../../stepway/v1/Schedule';

/**
 * The created schedule.
 */
export interface CreateScheduleResponse {
  /**
   * As stored, with its next fire time.
   */
  'schedule'?: (_stepway_v1_Schedule | null);
}

/**
 * The created schedule.
 */
export interface CreateScheduleResponse__Output {
  /**
   * As stored, with its next fire time.
   */
  'schedule': (_stepway_v1_Schedule__Output | null);
}
