// Original file: stepway/v1/worker_service.proto


/**
 * The answer to a StartStep command: the attempt is recorded as running (or was already
 * reported).
 */
export interface StartStepResponse {
}

/**
 * The answer to a StartStep command: the attempt is recorded as running (or was already
 * reported).
 */
export interface StartStepResponse__Output {
}
