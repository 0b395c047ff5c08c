// Original file: stepway/v1/schedule_service.proto


/**
 * Deletes a schedule.
 */
export interface DeleteScheduleRequest {
  /**
   * The schedule.
   */
  'scheduleId'?: (string);
}

/**
 * Deletes a schedule.
 */
export interface DeleteScheduleRequest__Output {
  /**
   * The schedule.
   */
  'scheduleId': (string);
}
