// Original file: stepway/v1/common.proto

import type { InstanceStatus as _stepway_v1_InstanceStatus, InstanceStatus__Output as _stepway_v1_InstanceStatus__Output } from '../../stepway/v1/InstanceStatus';
import type { Payload as _stepway_v1_Payload, Payload__Output as _stepway_v1_Payload__Output } from '../../stepway/v1/Payload';
import type { Failure as _stepway_v1_Failure, Failure__Output as _stepway_v1_Failure__Output } from '../../stepway/v1/Failure';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';
import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from '../../google/protobuf/Duration';
import type { ParentLink as _stepway_v1_ParentLink, ParentLink__Output as _stepway_v1_ParentLink__Output } from '../../stepway/v1/ParentLink';
import type { ChildLink as _stepway_v1_ChildLink, ChildLink__Output as _stepway_v1_ChildLink__Output } from '../../stepway/v1/ChildLink';

/**
 * A workflow instance as clients see it.
 */
export interface Instance {
  /**
   * Name of the instance's workflow.
   */
  'workflow'?: (string);
  /**
   * The instance's id, unique per workflow in the account: ^[a-zA-Z0-9_][a-zA-Z0-9_-]{0,99}$.
   */
  'instanceId'?: (string);
  /**
   * Where the instance is in its lifecycle.
   */
  'status'?: (_stepway_v1_InstanceStatus);
  /**
   * The params it was created with. Empty in ListInstances and in the answers of Pause,
   * Resume, Terminate and Restart: GetInstance reads them.
   */
  'params'?: (_stepway_v1_Payload | null);
  /**
   * What the workflow returned, once COMPLETE; otherwise empty. Empty in the same answers as
   * params.
   */
  'output'?: (_stepway_v1_Payload | null);
  /**
   * Why the instance is ERRORED; unset in any other status.
   */
  'error'?: (_stepway_v1_Failure | null);
  /**
   * When the instance was created.
   */
  'createdAt'?: (_google_protobuf_Timestamp | null);
  /**
   * When a worker first took its task; unset until then.
   */
  'startedAt'?: (_google_protobuf_Timestamp | null);
  /**
   * When it reached a final status; unset while it is not finished (a restart clears it).
   */
  'endedAt'?: (_google_protobuf_Timestamp | null);
  /**
   * The task queue it is dispatched on: its workflow's queue when it was created.
   */
  'taskQueue'?: (string);
  /**
   * Name of the step the instance is in or last finished; empty before its first step.
   */
  'currentStep'?: (string);
  /**
   * Partition of the instance: FNV-1a 64 of its account's internal id, workflow and
   * instance_id, modulo the cluster's partition count (GetServerInfoResponse.partitions).
   */
  'partition'?: (number);
  /**
   * When a finished instance is purged (ended_at + retention); unset while it runs.
   */
  'expiresAt'?: (_google_protobuf_Timestamp | null);
  /**
   * How long the instance is kept once finished.
   */
  'retention'?: (_google_protobuf_Duration | null);
  /**
   * Set on a child workflow: the parent instance and the step that started it.
   */
  'parent'?: (_stepway_v1_ParentLink | null);
  /**
   * The children this instance started, in the order they were started (GetInstance with
   * steps; at most 100).
   */
  'children'?: (_stepway_v1_ChildLink)[];
}

/**
 * A workflow instance as clients see it.
 */
export interface Instance__Output {
  /**
   * Name of the instance's workflow.
   */
  'workflow': (string);
  /**
   * The instance's id, unique per workflow in the account: ^[a-zA-Z0-9_][a-zA-Z0-9_-]{0,99}$.
   */
  'instanceId': (string);
  /**
   * Where the instance is in its lifecycle.
   */
  'status': (_stepway_v1_InstanceStatus__Output);
  /**
   * The params it was created with. Empty in ListInstances and in the answers of Pause,
   * Resume, Terminate and Restart: GetInstance reads them.
   */
  'params': (_stepway_v1_Payload__Output | null);
  /**
   * What the workflow returned, once COMPLETE; otherwise empty. Empty in the same answers as
   * params.
   */
  'output': (_stepway_v1_Payload__Output | null);
  /**
   * Why the instance is ERRORED; unset in any other status.
   */
  'error': (_stepway_v1_Failure__Output | null);
  /**
   * When the instance was created.
   */
  'createdAt': (_google_protobuf_Timestamp__Output | null);
  /**
   * When a worker first took its task; unset until then.
   */
  'startedAt': (_google_protobuf_Timestamp__Output | null);
  /**
   * When it reached a final status; unset while it is not finished (a restart clears it).
   */
  'endedAt': (_google_protobuf_Timestamp__Output | null);
  /**
   * The task queue it is dispatched on: its workflow's queue when it was created.
   */
  'taskQueue': (string);
  /**
   * Name of the step the instance is in or last finished; empty before its first step.
   */
  'currentStep': (string);
  /**
   * Partition of the instance: FNV-1a 64 of its account's internal id, workflow and
   * instance_id, modulo the cluster's partition count (GetServerInfoResponse.partitions).
   */
  'partition': (number);
  /**
   * When a finished instance is purged (ended_at + retention); unset while it runs.
   */
  'expiresAt': (_google_protobuf_Timestamp__Output | null);
  /**
   * How long the instance is kept once finished.
   */
  'retention': (_google_protobuf_Duration__Output | null);
  /**
   * Set on a child workflow: the parent instance and the step that started it.
   */
  'parent': (_stepway_v1_ParentLink__Output | null);
  /**
   * The children this instance started, in the order they were started (GetInstance with
   * steps; at most 100).
   */
  'children': (_stepway_v1_ChildLink__Output)[];
}
