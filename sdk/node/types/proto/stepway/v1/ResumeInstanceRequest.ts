// Original file: stepway/v1/workflow_service.proto


/**
 * Asks to resume a paused instance.
 */
export interface ResumeInstanceRequest {
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
 * Asks to resume a paused instance.
 */
export interface ResumeInstanceRequest__Output {
  /**
   * The instance's workflow.
   */
  'workflow': (string);
  /**
   * The instance's id.
   */
  'instanceId': (string);
}
