// Original file: stepway/v1/schedule_service.proto


/**
 * Lists schedules.
 */
export interface ListSchedulesRequest {
  /**
   * At most this many schedules: 0 means 100, at most 1,000.
   */
  'pageSize'?: (number);
  /**
   * The next_page_token of the previous page; empty for the first.
   */
  'pageToken'?: (string);
}

/**
 * Lists schedules.
 */
export interface ListSchedulesRequest__Output {
  /**
   * At most this many schedules: 0 means 100, at most 1,000.
   */
  'pageSize': (number);
  /**
   * The next_page_token of the previous page; empty for the first.
   */
  'pageToken': (string);
}
