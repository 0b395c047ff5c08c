// Original file: stepway/v1/worker_service.proto


/**
 * The answer to FailWorkflow: the instance is ERRORED (or blocked, for a non_determinism).
 */
export interface FailWorkflowResponse {
}

/**
 * The answer to FailWorkflow: the instance is ERRORED (or blocked, for a non_determinism).
 */
export interface FailWorkflowResponse__Output {
}
