// Original file: stepway/v1/workflow_service.proto

import type { Instance as _stepway_v1_Instance, Instance__Output as _stepway_v1_Instance__Output } from '../../stepway/v1/Instance';

/**
 * An instance after a pause.
 */
export interface PauseInstanceResponse {
  /**
   * The instance after the call: paused, or waitingForPause while its current step ends.
   * Params and output are left out.
   */
  'instance'?: (_stepway_v1_Instance | null);
}

/**
 * An instance after a pause.
 */
export interface PauseInstanceResponse__Output {
  /**
   * The instance after the call: paused, or waitingForPause while its current step ends.
   * Params and output are left out.
   */
  'instance': (_stepway_v1_Instance__Output | null);
}
