// Original file: stepway/v1/workflow_service.proto

import type { Instance as _stepway_v1_Instance, Instance__Output as _stepway_v1_Instance__Output } from '../../stepway/v1/Instance';
import type { Step as _stepway_v1_Step, Step__Output as _stepway_v1_Step__Output } from '../../stepway/v1/Step';

/**
 * An instance, with its journal when asked.
 */
export interface GetInstanceResponse {
  /**
   * The instance, params and output included.
   */
  'instance'?: (_stepway_v1_Instance | null);
  /**
   * The steps in the order they ran, when include_steps was set: one page, whose results
   * add up to at most 4 MiB (or a single larger step), so that an answer stays far under the
   * transport's limit however large the instance.
   */
  'steps'?: (_stepway_v1_Step)[];
  /**
   * Set when more steps follow: call again with steps_page_token set to it. Pages follow one
   * order while the instance does not run; a step recorded between two calls may be missed
   * or repeated.
   */
  'nextStepsPageToken'?: (string);
}

/**
 * An instance, with its journal when asked.
 */
export interface GetInstanceResponse__Output {
  /**
   * The instance, params and output included.
   */
  'instance': (_stepway_v1_Instance__Output | null);
  /**
   * The steps in the order they ran, when include_steps was set: one page, whose results
   * add up to at most 4 MiB (or a single larger step), so that an answer stays far under the
   * transport's limit however large the instance.
   */
  'steps': (_stepway_v1_Step__Output)[];
  /**
   * Set when more steps follow: call again with steps_page_token set to it. Pages follow one
   * order while the instance does not run; a step recorded between two calls may be missed
   * or repeated.
   */
  'nextStepsPageToken': (string);
}
