// Original file: stepway/v1/workflow_service.proto


/**
 * Asks for an instance.
 */
export interface GetInstanceRequest {
  /**
   * The instance's workflow.
   */
  'workflow'?: (string);
  /**
   * The instance's id.
   */
  'instanceId'?: (string);
  /**
   * Also return the step journal, a page at a time.
   */
  'includeSteps'?: (boolean);
  /**
   * With include_steps: the page of steps to return, as next_steps_page_token of the previous
   * answer; empty for the first page. A token Stepway did not issue is INVALID_ARGUMENT.
   */
  'stepsPageToken'?: (string);
}

/**
 * Asks for an instance.
 */
export interface GetInstanceRequest__Output {
  /**
   * The instance's workflow.
   */
  'workflow': (string);
  /**
   * The instance's id.
   */
  'instanceId': (string);
  /**
   * Also return the step journal, a page at a time.
   */
  'includeSteps': (boolean);
  /**
   * With include_steps: the page of steps to return, as next_steps_page_token of the previous
   * answer; empty for the first page. A token Stepway did not issue is INVALID_ARGUMENT.
   */
  'stepsPageToken': (string);
}
