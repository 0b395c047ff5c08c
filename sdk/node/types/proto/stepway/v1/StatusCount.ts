// Original file: stepway/v1/workflow_service.proto

import type { InstanceStatus as _stepway_v1_InstanceStatus, InstanceStatus__Output as _stepway_v1_InstanceStatus__Output } from '../../stepway/v1/InstanceStatus';

/**
 * How many instances are in one status.
 */
export interface StatusCount {
  /**
   * The status.
   */
  'status'?: (_stepway_v1_InstanceStatus);
  /**
   * Instances in it.
   */
  'count'?: (number);
}

/**
 * How many instances are in one status.
 */
export interface StatusCount__Output {
  /**
   * The status.
   */
  'status': (_stepway_v1_InstanceStatus__Output);
  /**
   * Instances in it.
   */
  'count': (number);
}
