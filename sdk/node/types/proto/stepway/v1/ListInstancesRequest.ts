// Original file: stepway/v1/workflow_service.proto

import type { InstanceStatus as _stepway_v1_InstanceStatus, InstanceStatus__Output as _stepway_v1_InstanceStatus__Output } from '../../stepway/v1/InstanceStatus';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';

/**
 * Asks for a page of the account's instances.
 */
export interface ListInstancesRequest {
  /**
   * Only this workflow's instances; empty means every workflow.
   */
  'workflow'?: (string);
  /**
   * Only instances in one of these statuses; empty means any. UNSPECIFIED or an unknown value
   * is INVALID_ARGUMENT.
   */
  'statuses'?: (_stepway_v1_InstanceStatus)[];
  /**
   * Only instances created at or after this time.
   */
  'createdAfter'?: (_google_protobuf_Timestamp | null);
  /**
   * Only instances created before this time.
   */
  'createdBefore'?: (_google_protobuf_Timestamp | null);
  /**
   * 1 to 1,000; 0 means 100; more than 1,000 is INVALID_ARGUMENT.
   */
  'pageSize'?: (number);
  /**
   * next_page_token of the previous page, with the same filters; empty for the first page.
   * A token this server did not give out is INVALID_ARGUMENT.
   */
  'pageToken'?: (string);
}

/**
 * Asks for a page of the account's instances.
 */
export interface ListInstancesRequest__Output {
  /**
   * Only this workflow's instances; empty means every workflow.
   */
  'workflow': (string);
  /**
   * Only instances in one of these statuses; empty means any. UNSPECIFIED or an unknown value
   * is INVALID_ARGUMENT.
   */
  'statuses': (_stepway_v1_InstanceStatus__Output)[];
  /**
   * Only instances created at or after this time.
   */
  'createdAfter': (_google_protobuf_Timestamp__Output | null);
  /**
   * Only instances created before this time.
   */
  'createdBefore': (_google_protobuf_Timestamp__Output | null);
  /**
   * 1 to 1,000; 0 means 100; more than 1,000 is INVALID_ARGUMENT.
   */
  'pageSize': (number);
  /**
   * next_page_token of the previous page, with the same filters; empty for the first page.
   * A token this server did not give out is INVALID_ARGUMENT.
   */
  'pageToken': (string);
}
