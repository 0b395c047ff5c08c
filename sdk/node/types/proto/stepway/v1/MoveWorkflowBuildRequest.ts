// Original file: stepway/v1/workflow_service.proto


/**
 * Moves instances to another build.
 */
export interface MoveWorkflowBuildRequest {
  /**
   * The workflow's name.
   */
  'workflow'?: (string);
  /**
   * The build the instances are on now; empty means unversioned.
   */
  'fromBuildId'?: (string);
  /**
   * The build to move them to: empty (unversioned) or ^[a-zA-Z0-9_][a-zA-Z0-9_.-]{0,99}$;
   * not from_build_id (INVALID_ARGUMENT otherwise).
   */
  'toBuildId'?: (string);
}

/**
 * Moves instances to another build.
 */
export interface MoveWorkflowBuildRequest__Output {
  /**
   * The workflow's name.
   */
  'workflow': (string);
  /**
   * The build the instances are on now; empty means unversioned.
   */
  'fromBuildId': (string);
  /**
   * The build to move them to: empty (unversioned) or ^[a-zA-Z0-9_][a-zA-Z0-9_.-]{0,99}$;
   * not from_build_id (INVALID_ARGUMENT otherwise).
   */
  'toBuildId': (string);
}
