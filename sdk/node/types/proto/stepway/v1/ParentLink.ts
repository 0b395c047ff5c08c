// Original file: stepway/v1/common.proto

import type { ParentClosePolicy as _stepway_v1_ParentClosePolicy, ParentClosePolicy__Output as _stepway_v1_ParentClosePolicy__Output } from '../../stepway/v1/ParentClosePolicy';

/**
 * The parent of a child instance.
 */
export interface ParentLink {
  /**
   * The parent's workflow.
   */
  'workflow'?: (string);
  /**
   * The parent's instance id.
   */
  'instanceId'?: (string);
  /**
   * The CHILD step of the parent that started this instance.
   */
  'stepName'?: (string);
  /**
   * That step's occurrence.
   */
  'stepSeq'?: (number);
  /**
   * 1 for a child of a top-level instance, 2 for its child, ... (at most 8).
   */
  'depth'?: (number);
  /**
   * What happens to this instance when the parent ends first.
   */
  'parentClose'?: (_stepway_v1_ParentClosePolicy);
}

/**
 * The parent of a child instance.
 */
export interface ParentLink__Output {
  /**
   * The parent's workflow.
   */
  'workflow': (string);
  /**
   * The parent's instance id.
   */
  'instanceId': (string);
  /**
   * The CHILD step of the parent that started this instance.
   */
  'stepName': (string);
  /**
   * That step's occurrence.
   */
  'stepSeq': (number);
  /**
   * 1 for a child of a top-level instance, 2 for its child, ... (at most 8).
   */
  'depth': (number);
  /**
   * What happens to this instance when the parent ends first.
   */
  'parentClose': (_stepway_v1_ParentClosePolicy__Output);
}
