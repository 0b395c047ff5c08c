// Original file: stepway/v1/workflow_service.proto

import type { Instance as _stepway_v1_Instance, Instance__Output as _stepway_v1_Instance__Output } from '../../stepway/v1/Instance';

/**
 * An instance after a resume.
 */
export interface ResumeInstanceResponse {
  /**
   * The instance after the call: queued, waiting on its pending step, or running again (a
   * pause that had not taken effect). Params and output are left out.
   */
  'instance'?: (_stepway_v1_Instance | null);
}

/**
 * An instance after a resume.
 */
export interface ResumeInstanceResponse__Output {
  /**
   * The instance after the call: queued, waiting on its pending step, or running again (a
   * pause that had not taken effect). Params and output are left out.
   */
  'instance': (_stepway_v1_Instance__Output | null);
}
