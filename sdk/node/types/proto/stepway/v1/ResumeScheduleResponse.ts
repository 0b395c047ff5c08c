// Original file: stepway/v1/schedule_service.proto

import type { Schedule as _stepway_v1_Schedule, Schedule__Output as _stepway_v1_Schedule__Output } from '../../stepway/v1/Schedule';

/**
 * The resumed schedule.
 */
export interface ResumeScheduleResponse {
  /**
   * As stored now.
   */
  'schedule'?: (_stepway_v1_Schedule | null);
}

/**
 * The resumed schedule.
 */
export interface ResumeScheduleResponse__Output {
  /**
   * As stored now.
   */
  'schedule': (_stepway_v1_Schedule__Output | null);
}
