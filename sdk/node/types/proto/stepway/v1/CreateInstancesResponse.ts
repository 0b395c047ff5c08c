// Original file: stepway/v1/workflow_service.proto

import type { CreateInstanceResult as _stepway_v1_CreateInstanceResult, CreateInstanceResult__Output as _stepway_v1_CreateInstanceResult__Output } from '../../stepway/v1/CreateInstanceResult';

/**
 * The outcomes of a CreateInstances call.
 */
export interface CreateInstancesResponse {
  /**
   * One per item of the request, in the same order.
   */
  'results'?: (_stepway_v1_CreateInstanceResult)[];
}

/**
 * The outcomes of a CreateInstances call.
 */
export interface CreateInstancesResponse__Output {
  /**
   * One per item of the request, in the same order.
   */
  'results': (_stepway_v1_CreateInstanceResult__Output)[];
}
