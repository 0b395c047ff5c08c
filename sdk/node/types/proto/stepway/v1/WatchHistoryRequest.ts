// Original file: stepway/v1/workflow_service.proto


/**
 * Asks to stream an instance's history.
 */
export interface WatchHistoryRequest {
  /**
   * The instance's workflow.
   */
  'workflow'?: (string);
  /**
   * The instance's id.
   */
  'instanceId'?: (string);
  /**
   * Start after this seq; 0 means from the first event. At most 1,000,000,000
   * (INVALID_ARGUMENT otherwise).
   */
  'afterSeq'?: (number);
}

/**
 * Asks to stream an instance's history.
 */
export interface WatchHistoryRequest__Output {
  /**
   * The instance's workflow.
   */
  'workflow': (string);
  /**
   * The instance's id.
   */
  'instanceId': (string);
  /**
   * Start after this seq; 0 means from the first event. At most 1,000,000,000
   * (INVALID_ARGUMENT otherwise).
   */
  'afterSeq': (number);
}
