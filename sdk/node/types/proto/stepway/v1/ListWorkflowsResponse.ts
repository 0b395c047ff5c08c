// Original file: stepway/v1/workflow_service.proto

import type { WorkflowSummary as _stepway_v1_WorkflowSummary, WorkflowSummary__Output as _stepway_v1_WorkflowSummary__Output } from '../../stepway/v1/WorkflowSummary';

/**
 * The account's workflows.
 */
export interface ListWorkflowsResponse {
  /**
   * Every registered workflow, by name.
   */
  'workflows'?: (_stepway_v1_WorkflowSummary)[];
}

/**
 * The account's workflows.
 */
export interface ListWorkflowsResponse__Output {
  /**
   * Every registered workflow, by name.
   */
  'workflows': (_stepway_v1_WorkflowSummary__Output)[];
}
