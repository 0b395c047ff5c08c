// Original file: stepway/v1/workflow_service.proto


/**
 * The answer to a delete: the instance is gone.
 */
export interface DeleteInstanceResponse {
}

/**
 * The answer to a delete: the instance is gone.
 */
export interface DeleteInstanceResponse__Output {
}
