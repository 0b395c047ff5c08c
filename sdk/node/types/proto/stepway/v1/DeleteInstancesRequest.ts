// Original file: stepway/v1/workflow_service.proto

import type { DeleteInstanceRequest as _stepway_v1_DeleteInstanceRequest, DeleteInstanceRequest__Output as _stepway_v1_DeleteInstanceRequest__Output } from '../../stepway/v1/DeleteInstanceRequest';
import type { DeleteFilter as _stepway_v1_DeleteFilter, DeleteFilter__Output as _stepway_v1_DeleteFilter__Output } from '../../stepway/v1/DeleteFilter';

/**
 * Asks to delete many finished instances: by ids or by filter, exactly one of the two
 * (INVALID_ARGUMENT otherwise).
 */
export interface DeleteInstancesRequest {
  /**
   * The instances to delete: 1 to 1,000, each with its own result. An item's errors name its
   * fields with its index, e.g. "instances[7].instance_id".
   */
  'instances'?: (_stepway_v1_DeleteInstanceRequest)[];
  /**
   * Which finished instances to delete, up to limit of them.
   */
  'filter'?: (_stepway_v1_DeleteFilter | null);
  /**
   * With filter: at most this many this call, 1 to 1,000; 0 means 1,000.
   */
  'limit'?: (number);
}

/**
 * Asks to delete many finished instances: by ids or by filter, exactly one of the two
 * (INVALID_ARGUMENT otherwise).
 */
export interface DeleteInstancesRequest__Output {
  /**
   * The instances to delete: 1 to 1,000, each with its own result. An item's errors name its
   * fields with its index, e.g. "instances[7].instance_id".
   */
  'instances': (_stepway_v1_DeleteInstanceRequest__Output)[];
  /**
   * Which finished instances to delete, up to limit of them.
   */
  'filter': (_stepway_v1_DeleteFilter__Output | null);
  /**
   * With filter: at most this many this call, 1 to 1,000; 0 means 1,000.
   */
  'limit': (number);
}
