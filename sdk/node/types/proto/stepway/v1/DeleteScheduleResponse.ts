// Original file: stepway/v1/schedule_service.proto


/**
 * The schedule is deleted.
 */
export interface DeleteScheduleResponse {
}

/**
 * The schedule is deleted.
 */
export interface DeleteScheduleResponse__Output {
}
