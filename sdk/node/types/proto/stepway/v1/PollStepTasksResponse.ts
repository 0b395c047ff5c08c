// Original file: stepway/v1/worker_service.proto

import type { StepTask as _stepway_v1_StepTask, StepTask__Output as _stepway_v1_StepTask__Output } from '../../stepway/v1/StepTask';

/**
 * The step tasks a poll found.
 */
export interface PollStepTasksResponse {
  /**
   * 0 to max_tasks tasks, each an attempt now running on this worker. The answer stops adding
   * tasks before it would pass 32 MiB (it holds at least one): the tasks left out are given
   * back at once, as the same attempt, and go to the next poll.
   */
  'tasks'?: (_stepway_v1_StepTask)[];
}

/**
 * The step tasks a poll found.
 */
export interface PollStepTasksResponse__Output {
  /**
   * 0 to max_tasks tasks, each an attempt now running on this worker. The answer stops adding
   * tasks before it would pass 32 MiB (it holds at least one): the tasks left out are given
   * back at once, as the same attempt, and go to the next poll.
   */
  'tasks': (_stepway_v1_StepTask__Output)[];
}
