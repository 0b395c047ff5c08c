// Original file: stepway/v1/workflow_service.proto


/**
 * Asks for the account's workflows.
 */
export interface ListWorkflowsRequest {
}

/**
 * Asks for the account's workflows.
 */
export interface ListWorkflowsRequest__Output {
}
