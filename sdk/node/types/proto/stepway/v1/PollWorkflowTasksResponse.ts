// Original file: stepway/v1/worker_service.proto

import type { WorkflowTask as _stepway_v1_WorkflowTask, WorkflowTask__Output as _stepway_v1_WorkflowTask__Output } from '../../stepway/v1/WorkflowTask';

/**
 * The tasks a poll found.
 */
export interface PollWorkflowTasksResponse {
  /**
   * 0 to max_tasks tasks, each leased to this worker. The answer stops adding tasks before it
   * would pass 32 MiB (it holds at least one): the tasks left out are given back at once and
   * go to the next poll.
   */
  'tasks'?: (_stepway_v1_WorkflowTask)[];
}

/**
 * The tasks a poll found.
 */
export interface PollWorkflowTasksResponse__Output {
  /**
   * 0 to max_tasks tasks, each leased to this worker. The answer stops adding tasks before it
   * would pass 32 MiB (it holds at least one): the tasks left out are given back at once and
   * go to the next poll.
   */
  'tasks': (_stepway_v1_WorkflowTask__Output)[];
}
