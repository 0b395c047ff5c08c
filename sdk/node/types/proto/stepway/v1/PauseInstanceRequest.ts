// Original file: stepway/v1/workflow_service.proto


/**
 * Asks to pause an instance.
 */
export interface PauseInstanceRequest {
  /**
   * The instance's workflow.
   */
  'workflow'?: (string);
  /**
   * The instance's id.
   */
  'instanceId'?: (string);
}

/**
 * Asks to pause an instance.
 */
export interface PauseInstanceRequest__Output {
  /**
   * The instance's workflow.
   */
  'workflow': (string);
  /**
   * The instance's id.
   */
  'instanceId': (string);
}
