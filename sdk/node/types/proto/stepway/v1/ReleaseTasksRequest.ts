// Original file: stepway/v1/worker_service.proto


/**
 * Gives tasks back.
 */
export interface ReleaseTasksRequest {
  /**
   * The worker's id, as in RegisterWorker.
   */
  'workerId'?: (string);
  /**
   * The tokens to give back, at most 1,000 a call; those whose lease already ended are skipped.
   */
  'taskTokens'?: (Buffer | Uint8Array | string)[];
}

/**
 * Gives tasks back.
 */
export interface ReleaseTasksRequest__Output {
  /**
   * The worker's id, as in RegisterWorker.
   */
  'workerId': (string);
  /**
   * The tokens to give back, at most 1,000 a call; those whose lease already ended are skipped.
   */
  'taskTokens': (Buffer)[];
}
