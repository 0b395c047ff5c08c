// Original file: stepway/v1/workflow_service.proto

import type { WorkflowBuild as _stepway_v1_WorkflowBuild, WorkflowBuild__Output as _stepway_v1_WorkflowBuild__Output } from '../../stepway/v1/WorkflowBuild';

/**
 * A workflow's builds.
 */
export interface ListWorkflowBuildsResponse {
  /**
   * The builds registered for the workflow, newest first, then builds only instances are on,
   * then the unassigned instances (when there are any).
   */
  'builds'?: (_stepway_v1_WorkflowBuild)[];
}

/**
 * A workflow's builds.
 */
export interface ListWorkflowBuildsResponse__Output {
  /**
   * The builds registered for the workflow, newest first, then builds only instances are on,
   * then the unassigned instances (when there are any).
   */
  'builds': (_stepway_v1_WorkflowBuild__Output)[];
}
