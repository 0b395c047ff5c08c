// Original file: stepway/v1/workflow_service.proto


/**
 * Asks to run an instance again.
 */
export interface RestartInstanceRequest {
  /**
   * The instance's workflow.
   */
  'workflow'?: (string);
  /**
   * The instance's id.
   */
  'instanceId'?: (string);
  /**
   * Restart from this step (1 to 200 characters): its first occurrence and every step that
   * started after it run again. Empty means from the beginning. A step that has not run in
   * the instance is FAILED_PRECONDITION. Events those steps took are buffered again.
   */
  'fromStep'?: (string);
}

/**
 * Asks to run an instance again.
 */
export interface RestartInstanceRequest__Output {
  /**
   * The instance's workflow.
   */
  'workflow': (string);
  /**
   * The instance's id.
   */
  'instanceId': (string);
  /**
   * Restart from this step (1 to 200 characters): its first occurrence and every step that
   * started after it run again. Empty means from the beginning. A step that has not run in
   * the instance is FAILED_PRECONDITION. Events those steps took are buffered again.
   */
  'fromStep': (string);
}
