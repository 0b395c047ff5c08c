// Original file: stepway/v1/common.proto

import type { ParentClosePolicy as _stepway_v1_ParentClosePolicy, ParentClosePolicy__Output as _stepway_v1_ParentClosePolicy__Output } from '../../stepway/v1/ParentClosePolicy';
import type { InstanceStatus as _stepway_v1_InstanceStatus, InstanceStatus__Output as _stepway_v1_InstanceStatus__Output } from '../../stepway/v1/InstanceStatus';

/**
 * A child an instance started.
 */
export interface ChildLink {
  /**
   * The CHILD step that started it.
   */
  'stepName'?: (string);
  /**
   * That step's occurrence.
   */
  'stepSeq'?: (number);
  /**
   * The child's workflow.
   */
  'workflow'?: (string);
  /**
   * The child's instance id.
   */
  'instanceId'?: (string);
  /**
   * What happens to the child if the parent ends first.
   */
  'parentClose'?: (_stepway_v1_ParentClosePolicy);
  /**
   * Whether the parent waits for its end (run_workflow).
   */
  'wait'?: (boolean);
  /**
   * The child's final status once the parent heard of its end; unspecified before.
   */
  'status'?: (_stepway_v1_InstanceStatus);
}

/**
 * A child an instance started.
 */
export interface ChildLink__Output {
  /**
   * The CHILD step that started it.
   */
  'stepName': (string);
  /**
   * That step's occurrence.
   */
  'stepSeq': (number);
  /**
   * The child's workflow.
   */
  'workflow': (string);
  /**
   * The child's instance id.
   */
  'instanceId': (string);
  /**
   * What happens to the child if the parent ends first.
   */
  'parentClose': (_stepway_v1_ParentClosePolicy__Output);
  /**
   * Whether the parent waits for its end (run_workflow).
   */
  'wait': (boolean);
  /**
   * The child's final status once the parent heard of its end; unspecified before.
   */
  'status': (_stepway_v1_InstanceStatus__Output);
}
