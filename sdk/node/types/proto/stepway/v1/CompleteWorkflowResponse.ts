// Original file: stepway/v1/worker_service.proto


/**
 * The answer to CompleteWorkflow: the instance is COMPLETE.
 */
export interface CompleteWorkflowResponse {
}

/**
 * The answer to CompleteWorkflow: the instance is COMPLETE.
 */
export interface CompleteWorkflowResponse__Output {
}
