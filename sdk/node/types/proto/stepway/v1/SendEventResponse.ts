// Original file: stepway/v1/workflow_service.proto


/**
 * What became of an event.
 */
export interface SendEventResponse {
  /**
   * True when a waiting step took the event at once; false when it was buffered.
   */
  'delivered'?: (boolean);
}

/**
 * What became of an event.
 */
export interface SendEventResponse__Output {
  /**
   * True when a waiting step took the event at once; false when it was buffered.
   */
  'delivered': (boolean);
}
