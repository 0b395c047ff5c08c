// Original file: stepway/v1/workflow_service.proto

import type { Status as _google_rpc_Status, Status__Output as _google_rpc_Status__Output } from '../../google/rpc/Status';

/**
 * One item's outcome in DeleteInstances by ids.
 */
export interface DeleteInstanceResult {
  /**
   * The instance was deleted with its steps, events and history.
   */
  'deleted'?: (boolean);
  /**
   * Why it was not, as its single DeleteInstance would have answered: NOT_FOUND,
   * FAILED_PRECONDITION for an unfinished instance, INVALID_ARGUMENT for a bad name.
   */
  'error'?: (_google_rpc_Status | null);
  /**
   * Deleted, or refused.
   */
  'result'?: "deleted"|"error";
}

/**
 * One item's outcome in DeleteInstances by ids.
 */
export interface DeleteInstanceResult__Output {
  /**
   * The instance was deleted with its steps, events and history.
   */
  'deleted'?: (boolean);
  /**
   * Why it was not, as its single DeleteInstance would have answered: NOT_FOUND,
   * FAILED_PRECONDITION for an unfinished instance, INVALID_ARGUMENT for a bad name.
   */
  'error'?: (_google_rpc_Status__Output | null);
  /**
   * Deleted, or refused.
   */
  'result'?: "deleted"|"error";
}
