// Original file: stepway/v1/workflow_service.proto

import type { Instance as _stepway_v1_Instance, Instance__Output as _stepway_v1_Instance__Output } from '../../stepway/v1/Instance';

/**
 * An instance after it was terminated.
 */
export interface TerminateInstanceResponse {
  /**
   * The instance, now TERMINATED. Params and output are left out.
   */
  'instance'?: (_stepway_v1_Instance | null);
}

/**
 * An instance after it was terminated.
 */
export interface TerminateInstanceResponse__Output {
  /**
   * The instance, now TERMINATED. Params and output are left out.
   */
  'instance': (_stepway_v1_Instance__Output | null);
}
