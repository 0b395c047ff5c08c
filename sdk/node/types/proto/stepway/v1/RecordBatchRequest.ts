// Original file: stepway/v1/worker_service.proto

import type { WorkerCommand as _stepway_v1_WorkerCommand, WorkerCommand__Output as _stepway_v1_WorkerCommand__Output } from '../../stepway/v1/WorkerCommand';

/**
 * Several task writes in one call.
 */
export interface RecordBatchRequest {
  /**
   * At most 1,000 commands (more is INVALID_ARGUMENT for the whole call), at most one per task:
   * a run needs each answer before it goes on.
   */
  'commands'?: (_stepway_v1_WorkerCommand)[];
}

/**
 * Several task writes in one call.
 */
export interface RecordBatchRequest__Output {
  /**
   * At most 1,000 commands (more is INVALID_ARGUMENT for the whole call), at most one per task:
   * a run needs each answer before it goes on.
   */
  'commands': (_stepway_v1_WorkerCommand__Output)[];
}
