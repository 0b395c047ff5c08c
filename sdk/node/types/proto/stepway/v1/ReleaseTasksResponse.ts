// Original file: stepway/v1/worker_service.proto


/**
 * The answer to ReleaseTasks: the tasks are queued again.
 */
export interface ReleaseTasksResponse {
}

/**
 * The answer to ReleaseTasks: the tasks are queued again.
 */
export interface ReleaseTasksResponse__Output {
}
