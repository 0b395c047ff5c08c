// Original file: stepway/v1/workflow_service.proto

import type { DeleteInstanceResult as _stepway_v1_DeleteInstanceResult, DeleteInstanceResult__Output as _stepway_v1_DeleteInstanceResult__Output } from '../../stepway/v1/DeleteInstanceResult';

/**
 * What DeleteInstances did.
 */
export interface DeleteInstancesResponse {
  /**
   * By ids: one per item of the request, in the same order.
   */
  'results'?: (_stepway_v1_DeleteInstanceResult)[];
  /**
   * How many instances this call deleted.
   */
  'deleted'?: (number);
  /**
   * By filter: more matching finished instances may remain; call again.
   */
  'more'?: (boolean);
}

/**
 * What DeleteInstances did.
 */
export interface DeleteInstancesResponse__Output {
  /**
   * By ids: one per item of the request, in the same order.
   */
  'results': (_stepway_v1_DeleteInstanceResult__Output)[];
  /**
   * How many instances this call deleted.
   */
  'deleted': (number);
  /**
   * By filter: more matching finished instances may remain; call again.
   */
  'more': (boolean);
}
