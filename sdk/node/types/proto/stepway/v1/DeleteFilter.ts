// Original file: stepway/v1/workflow_service.proto

import type { InstanceStatus as _stepway_v1_InstanceStatus, InstanceStatus__Output as _stepway_v1_InstanceStatus__Output } from '../../stepway/v1/InstanceStatus';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';

/**
 * Finished instances of the account matching every condition set.
 */
export interface DeleteFilter {
  /**
   * Only this workflow's; empty means every workflow.
   */
  'workflow'?: (string);
  /**
   * Only these statuses, each COMPLETE, ERRORED or TERMINATED (else INVALID_ARGUMENT); empty
   * means all three.
   */
  'statuses'?: (_stepway_v1_InstanceStatus)[];
  /**
   * Only instances created before this time; unset means any.
   */
  'createdBefore'?: (_google_protobuf_Timestamp | null);
}

/**
 * Finished instances of the account matching every condition set.
 */
export interface DeleteFilter__Output {
  /**
   * Only this workflow's; empty means every workflow.
   */
  'workflow': (string);
  /**
   * Only these statuses, each COMPLETE, ERRORED or TERMINATED (else INVALID_ARGUMENT); empty
   * means all three.
   */
  'statuses': (_stepway_v1_InstanceStatus__Output)[];
  /**
   * Only instances created before this time; unset means any.
   */
  'createdBefore': (_google_protobuf_Timestamp__Output | null);
}
