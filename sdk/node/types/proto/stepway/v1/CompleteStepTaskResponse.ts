// Original file: stepway/v1/worker_service.proto


/**
 * The answer to CompleteStepTask: the CALL step succeeded with the result.
 */
export interface CompleteStepTaskResponse {
}

/**
 * The answer to CompleteStepTask: the CALL step succeeded with the result.
 */
export interface CompleteStepTaskResponse__Output {
}
