// Original file: stepway/v1/schedule_service.proto


/**
 * Pauses a schedule.
 */
export interface PauseScheduleRequest {
  /**
   * The schedule.
   */
  'scheduleId'?: (string);
  /**
   * Why, at most 1,000 characters; shown by GetSchedule.
   */
  'note'?: (string);
}

/**
 * Pauses a schedule.
 */
export interface PauseScheduleRequest__Output {
  /**
   * The schedule.
   */
  'scheduleId': (string);
  /**
   * Why, at most 1,000 characters; shown by GetSchedule.
   */
  'note': (string);
}
