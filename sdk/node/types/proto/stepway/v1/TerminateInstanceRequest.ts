// Original file: stepway/v1/workflow_service.proto


/**
 * Asks to end an instance at once.
 */
export interface TerminateInstanceRequest {
  /**
   * The instance's workflow.
   */
  'workflow'?: (string);
  /**
   * The instance's id.
   */
  'instanceId'?: (string);
  /**
   * Why, kept in the history; at most 1,000 characters, or INVALID_ARGUMENT. May be empty.
   */
  'reason'?: (string);
}

/**
 * Asks to end an instance at once.
 */
export interface TerminateInstanceRequest__Output {
  /**
   * The instance's workflow.
   */
  'workflow': (string);
  /**
   * The instance's id.
   */
  'instanceId': (string);
  /**
   * Why, kept in the history; at most 1,000 characters, or INVALID_ARGUMENT. May be empty.
   */
  'reason': (string);
}
