// Original file: stepway/v1/schedule_service.proto


/**
 * Resumes a schedule.
 */
export interface ResumeScheduleRequest {
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
 * Resumes a schedule.
 */
export interface ResumeScheduleRequest__Output {
  /**
   * The schedule.
   */
  'scheduleId': (string);
  /**
   * Why, at most 1,000 characters; shown by GetSchedule.
   */
  'note': (string);
}
