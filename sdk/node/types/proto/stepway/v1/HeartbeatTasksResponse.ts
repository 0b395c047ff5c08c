// Original file: stepway/v1/worker_service.proto


/**
 * The leases a heartbeat could not extend.
 */
export interface HeartbeatTasksResponse {
  /**
   * The tokens that are no longer valid, as sent: stop those runs and drop them.
   */
  'lostTaskTokens'?: (Buffer | Uint8Array | string)[];
}

/**
 * The leases a heartbeat could not extend.
 */
export interface HeartbeatTasksResponse__Output {
  /**
   * The tokens that are no longer valid, as sent: stop those runs and drop them.
   */
  'lostTaskTokens': (Buffer)[];
}
