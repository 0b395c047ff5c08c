// Original file: stepway/v1/workflow_service.proto


/**
 * Asks for a workflow's builds.
 */
export interface ListWorkflowBuildsRequest {
  /**
   * The workflow's name.
   */
  'workflow'?: (string);
}

/**
 * Asks for a workflow's builds.
 */
export interface ListWorkflowBuildsRequest__Output {
  /**
   * The workflow's name.
   */
  'workflow': (string);
}
