// Original file: stepway/v1/worker_service.proto

import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from '../../google/protobuf/Duration';

/**
 * How a workflow's instances are kept once finished, by default: an instance's create may
 * override each (CreateInstanceRequest.success_retention, error_retention, retention).
 */
export interface WorkflowOptions {
  /**
   * The workflow: one of RegisterWorkerRequest.workflows.
   */
  'workflow'?: (string);
  /**
   * How long an instance that completes is kept; unset means the account's retention.
   * Between 1 second and 3,650 days, or INVALID_ARGUMENT.
   */
  'successRetention'?: (_google_protobuf_Duration | null);
  /**
   * How long an instance that ends errored or terminated is kept; unset means the account's
   * retention. Between 1 second and 3,650 days, or INVALID_ARGUMENT.
   */
  'errorRetention'?: (_google_protobuf_Duration | null);
}

/**
 * How a workflow's instances are kept once finished, by default: an instance's create may
 * override each (CreateInstanceRequest.success_retention, error_retention, retention).
 */
export interface WorkflowOptions__Output {
  /**
   * The workflow: one of RegisterWorkerRequest.workflows.
   */
  'workflow': (string);
  /**
   * How long an instance that completes is kept; unset means the account's retention.
   * Between 1 second and 3,650 days, or INVALID_ARGUMENT.
   */
  'successRetention': (_google_protobuf_Duration__Output | null);
  /**
   * How long an instance that ends errored or terminated is kept; unset means the account's
   * retention. Between 1 second and 3,650 days, or INVALID_ARGUMENT.
   */
  'errorRetention': (_google_protobuf_Duration__Output | null);
}
