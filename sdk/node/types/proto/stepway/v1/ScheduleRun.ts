// Original file: stepway/v1/schedule_service.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';
import type { InstanceStatus as _stepway_v1_InstanceStatus, InstanceStatus__Output as _stepway_v1_InstanceStatus__Output } from '../../stepway/v1/InstanceStatus';

/**
 * One instance a schedule created.
 */
export interface ScheduleRun {
  /**
   * The time the fire was due.
   */
  'scheduledAt'?: (_google_protobuf_Timestamp | null);
  /**
   * When the instance was created.
   */
  'createdAt'?: (_google_protobuf_Timestamp | null);
  /**
   * The instance's id, in `workflow`.
   */
  'instanceId'?: (string);
  /**
   * The instance's status when read; unspecified when it was deleted.
   */
  'status'?: (_stepway_v1_InstanceStatus);
  /**
   * The instance's workflow: the action's when it fired (an update may have changed it since).
   */
  'workflow'?: (string);
}

/**
 * One instance a schedule created.
 */
export interface ScheduleRun__Output {
  /**
   * The time the fire was due.
   */
  'scheduledAt': (_google_protobuf_Timestamp__Output | null);
  /**
   * When the instance was created.
   */
  'createdAt': (_google_protobuf_Timestamp__Output | null);
  /**
   * The instance's id, in `workflow`.
   */
  'instanceId': (string);
  /**
   * The instance's status when read; unspecified when it was deleted.
   */
  'status': (_stepway_v1_InstanceStatus__Output);
  /**
   * The instance's workflow: the action's when it fired (an update may have changed it since).
   */
  'workflow': (string);
}
