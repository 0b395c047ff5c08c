// Original file: stepway/v1/workflow_service.proto

import type { CreateInstanceResponse as _stepway_v1_CreateInstanceResponse, CreateInstanceResponse__Output as _stepway_v1_CreateInstanceResponse__Output } from '../../stepway/v1/CreateInstanceResponse';
import type { Status as _google_rpc_Status, Status__Output as _google_rpc_Status__Output } from '../../google/rpc/Status';

/**
 * One item's outcome in a CreateInstancesResponse.
 */
export interface CreateInstanceResult {
  /**
   * The item's instance, as its single CreateInstance call would have answered. An id given
   * twice in one batch finds the first item's instance (created = false).
   */
  'instance'?: (_stepway_v1_CreateInstanceResponse | null);
  /**
   * Why this item was not created, as its single CreateInstance call would have answered,
   * details included (BadRequest, RetryInfo, ...).
   */
  'error'?: (_google_rpc_Status | null);
  /**
   * Created (or found existing), or refused.
   */
  'result'?: "instance"|"error";
}

/**
 * One item's outcome in a CreateInstancesResponse.
 */
export interface CreateInstanceResult__Output {
  /**
   * The item's instance, as its single CreateInstance call would have answered. An id given
   * twice in one batch finds the first item's instance (created = false).
   */
  'instance'?: (_stepway_v1_CreateInstanceResponse__Output | null);
  /**
   * Why this item was not created, as its single CreateInstance call would have answered,
   * details included (BadRequest, RetryInfo, ...).
   */
  'error'?: (_google_rpc_Status__Output | null);
  /**
   * Created (or found existing), or refused.
   */
  'result'?: "instance"|"error";
}
