// Original file: stepway/v1/workflow_service.proto


/**
 * What a MoveWorkflowBuild moved.
 */
export interface MoveWorkflowBuildResponse {
  /**
   * Unfinished instances moved (running ones keep their current task; their next one goes to
   * the new build).
   */
  'moved'?: (number);
}

/**
 * What a MoveWorkflowBuild moved.
 */
export interface MoveWorkflowBuildResponse__Output {
  /**
   * Unfinished instances moved (running ones keep their current task; their next one goes to
   * the new build).
   */
  'moved': (number);
}
