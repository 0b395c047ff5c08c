// Original file: stepway/v1/worker_service.proto

import type { Payload as _stepway_v1_Payload, Payload__Output as _stepway_v1_Payload__Output } from '../../stepway/v1/Payload';
import type { ParentClosePolicy as _stepway_v1_ParentClosePolicy, ParentClosePolicy__Output as _stepway_v1_ParentClosePolicy__Output } from '../../stepway/v1/ParentClosePolicy';

/**
 * A CHILD step: starts a child instance of a workflow, in the same account, once per (name,
 * seq) however often it is sent. The start is journaled with the parent's write and delivered
 * to the shard server owning the child's partition durably (retried until it is taken). With
 * wait, the parent waits for the child's end, holding no worker (like a CALL step): the entry
 * becomes SUCCEEDED with the child's output, or FAILED with error type ChildWorkflowFailed.
 * Without wait the entry succeeds at once with {"workflow": ..., "instance_id": ...}.
 * Refused with FAILED_PRECONDITION past the depth limit (8 levels) and RESOURCE_EXHAUSTED
 * (QUOTA_EXCEEDED, quota max_children_per_instance) past the account's children per instance.
 */
export interface StartChildRequest {
  /**
   * The task's token.
   */
  'taskToken'?: (Buffer | Uint8Array | string);
  /**
   * The step's name.
   */
  'name'?: (string);
  /**
   * The step's occurrence (1, 2, ... per name).
   */
  'seq'?: (number);
  /**
   * The child's workflow (registered, or with task_queue set).
   */
  'workflow'?: (string);
  /**
   * The child's instance id; empty: derived from the parent's instance id, name and seq
   * (the same on every replay).
   */
  'instanceId'?: (string);
  /**
   * The child's params (JSON, 1 MiB at most).
   */
  'params'?: (_stepway_v1_Payload | null);
  /**
   * The child's task queue; empty: its workflow's registered one.
   */
  'taskQueue'?: (string);
  /**
   * What happens to the child if the parent ends first.
   */
  'parentClose'?: (_stepway_v1_ParentClosePolicy);
  /**
   * Whether the parent waits for the child's end.
   */
  'wait'?: (boolean);
  /**
   * The W3C traceparent of the run that starts the child (else the parent's).
   */
  'traceParent'?: (string);
}

/**
 * A CHILD step: starts a child instance of a workflow, in the same account, once per (name,
 * seq) however often it is sent. The start is journaled with the parent's write and delivered
 * to the shard server owning the child's partition durably (retried until it is taken). With
 * wait, the parent waits for the child's end, holding no worker (like a CALL step): the entry
 * becomes SUCCEEDED with the child's output, or FAILED with error type ChildWorkflowFailed.
 * Without wait the entry succeeds at once with {"workflow": ..., "instance_id": ...}.
 * Refused with FAILED_PRECONDITION past the depth limit (8 levels) and RESOURCE_EXHAUSTED
 * (QUOTA_EXCEEDED, quota max_children_per_instance) past the account's children per instance.
 */
export interface StartChildRequest__Output {
  /**
   * The task's token.
   */
  'taskToken': (Buffer);
  /**
   * The step's name.
   */
  'name': (string);
  /**
   * The step's occurrence (1, 2, ... per name).
   */
  'seq': (number);
  /**
   * The child's workflow (registered, or with task_queue set).
   */
  'workflow': (string);
  /**
   * The child's instance id; empty: derived from the parent's instance id, name and seq
   * (the same on every replay).
   */
  'instanceId': (string);
  /**
   * The child's params (JSON, 1 MiB at most).
   */
  'params': (_stepway_v1_Payload__Output | null);
  /**
   * The child's task queue; empty: its workflow's registered one.
   */
  'taskQueue': (string);
  /**
   * What happens to the child if the parent ends first.
   */
  'parentClose': (_stepway_v1_ParentClosePolicy__Output);
  /**
   * Whether the parent waits for the child's end.
   */
  'wait': (boolean);
  /**
   * The W3C traceparent of the run that starts the child (else the parent's).
   */
  'traceParent': (string);
}
