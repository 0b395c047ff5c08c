// Original file: stepway/v1/schedule_service.proto


/**
 * Reads a schedule.
 */
export interface GetScheduleRequest {
  /**
   * The schedule.
   */
  'scheduleId'?: (string);
  /**
   * How many next fire times to compute: 0 means 10, at most 100.
   */
  'nextFireTimes'?: (number);
}

/**
 * Reads a schedule.
 */
export interface GetScheduleRequest__Output {
  /**
   * The schedule.
   */
  'scheduleId': (string);
  /**
   * How many next fire times to compute: 0 means 10, at most 100.
   */
  'nextFireTimes': (number);
}
