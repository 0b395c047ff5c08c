// Original file: stepway/v1/schedule_service.proto

import type { Schedule as _stepway_v1_Schedule, Schedule__Output as _stepway_v1_Schedule__Output } from '../../stepway/v1/Schedule';

/**
 * A page of schedules.
 */
export interface ListSchedulesResponse {
  /**
   * The schedules, by schedule_id, each with one next fire time and no recent runs.
   */
  'schedules'?: (_stepway_v1_Schedule)[];
  /**
   * Pass as page_token for the next page; empty on the last.
   */
  'nextPageToken'?: (string);
}

/**
 * A page of schedules.
 */
export interface ListSchedulesResponse__Output {
  /**
   * The schedules, by schedule_id, each with one next fire time and no recent runs.
   */
  'schedules': (_stepway_v1_Schedule__Output)[];
  /**
   * Pass as page_token for the next page; empty on the last.
   */
  'nextPageToken': (string);
}
