// Original file: stepway/v1/workflow_service.proto

import type { Instance as _stepway_v1_Instance, Instance__Output as _stepway_v1_Instance__Output } from '../../stepway/v1/Instance';

/**
 * An instance after a restart.
 */
export interface RestartInstanceResponse {
  /**
   * The instance, now QUEUED. Params and output are left out.
   */
  'instance'?: (_stepway_v1_Instance | null);
  /**
   * How many journal entries were dropped to run again.
   */
  'stepsDropped'?: (number);
}

/**
 * An instance after a restart.
 */
export interface RestartInstanceResponse__Output {
  /**
   * The instance, now QUEUED. Params and output are left out.
   */
  'instance': (_stepway_v1_Instance__Output | null);
  /**
   * How many journal entries were dropped to run again.
   */
  'stepsDropped': (number);
}
