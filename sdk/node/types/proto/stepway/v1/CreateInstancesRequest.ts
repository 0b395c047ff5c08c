// Original file: stepway/v1/workflow_service.proto

import type { CreateInstanceRequest as _stepway_v1_CreateInstanceRequest, CreateInstanceRequest__Output as _stepway_v1_CreateInstanceRequest__Output } from '../../stepway/v1/CreateInstanceRequest';

/**
 * Asks for many new instances at once.
 */
export interface CreateInstancesRequest {
  /**
   * 1 to 1,000 items; an empty list or more than 1,000 refuses the whole call with
   * INVALID_ARGUMENT. An item's errors name its fields with its index, e.g.
   * "instances[7].retention".
   */
  'instances'?: (_stepway_v1_CreateInstanceRequest)[];
  /**
   * The workflow of the items that name none.
   */
  'workflow'?: (string);
  /**
   * The task queue of the items that name none (CreateInstanceRequest.task_queue).
   */
  'taskQueue'?: (string);
}

/**
 * Asks for many new instances at once.
 */
export interface CreateInstancesRequest__Output {
  /**
   * 1 to 1,000 items; an empty list or more than 1,000 refuses the whole call with
   * INVALID_ARGUMENT. An item's errors name its fields with its index, e.g.
   * "instances[7].retention".
   */
  'instances': (_stepway_v1_CreateInstanceRequest__Output)[];
  /**
   * The workflow of the items that name none.
   */
  'workflow': (string);
  /**
   * The task queue of the items that name none (CreateInstanceRequest.task_queue).
   */
  'taskQueue': (string);
}
