// Original file: stepway/v1/workflow_service.proto

import type { Instance as _stepway_v1_Instance, Instance__Output as _stepway_v1_Instance__Output } from '../../stepway/v1/Instance';

/**
 * An instance after a wait.
 */
export interface WaitInstanceResponse {
  /**
   * The instance, params and output included.
   */
  'instance'?: (_stepway_v1_Instance | null);
  /**
   * True when the instance reached a final status; false when the timeout passed first.
   */
  'finished'?: (boolean);
}

/**
 * An instance after a wait.
 */
export interface WaitInstanceResponse__Output {
  /**
   * The instance, params and output included.
   */
  'instance': (_stepway_v1_Instance__Output | null);
  /**
   * True when the instance reached a final status; false when the timeout passed first.
   */
  'finished': (boolean);
}
