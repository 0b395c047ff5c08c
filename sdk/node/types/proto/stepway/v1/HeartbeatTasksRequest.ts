// Original file: stepway/v1/worker_service.proto


/**
 * Extends the leases of a worker's tasks.
 */
export interface HeartbeatTasksRequest {
  /**
   * The worker's id, as in RegisterWorker.
   */
  'workerId'?: (string);
  /**
   * Every task token the worker holds, at most 1,000 a call (a worker holding more sends
   * several calls); each token at most 512 bytes.
   */
  'taskTokens'?: (Buffer | Uint8Array | string)[];
}

/**
 * Extends the leases of a worker's tasks.
 */
export interface HeartbeatTasksRequest__Output {
  /**
   * The worker's id, as in RegisterWorker.
   */
  'workerId': (string);
  /**
   * Every task token the worker holds, at most 1,000 a call (a worker holding more sends
   * several calls); each token at most 512 bytes.
   */
  'taskTokens': (Buffer)[];
}
