// Original file: stepway/v1/worker_service.proto


/**
 * The answer to FailWorkflow: the instance is ERRORED.
 */
export interface FailWorkflowResponse {
}

/**
 * The answer to FailWorkflow: the instance is ERRORED.
 */
export interface FailWorkflowResponse__Output {
}
