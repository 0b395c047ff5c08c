// Original file: stepway/v1/workflow_service.proto


/**
 * Asks to delete a finished instance.
 */
export interface DeleteInstanceRequest {
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
 * Asks to delete a finished instance.
 */
export interface DeleteInstanceRequest__Output {
  /**
   * The instance's workflow.
   */
  'workflow': (string);
  /**
   * The instance's id.
   */
  'instanceId': (string);
}
