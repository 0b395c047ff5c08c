// Original file: stepway/v1/worker_service.proto

import type { CommandResult as _stepway_v1_CommandResult, CommandResult__Output as _stepway_v1_CommandResult__Output } from '../../stepway/v1/CommandResult';

/**
 * The outcomes of a RecordBatch.
 */
export interface RecordBatchResponse {
  /**
   * One per command, in the order of the commands.
   */
  'results'?: (_stepway_v1_CommandResult)[];
}

/**
 * The outcomes of a RecordBatch.
 */
export interface RecordBatchResponse__Output {
  /**
   * One per command, in the order of the commands.
   */
  'results': (_stepway_v1_CommandResult__Output)[];
}
