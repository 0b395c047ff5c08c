// Original file: stepway/v1/workflow_service.proto

import type { InstanceStatus as _stepway_v1_InstanceStatus, InstanceStatus__Output as _stepway_v1_InstanceStatus__Output } from '../../stepway/v1/InstanceStatus';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';

/**
 * The instance created, or the one that existed with that id.
 */
export interface CreateInstanceResponse {
  /**
   * The instance's id (the generated one when the request had none).
   */
  'instanceId'?: (string);
  /**
   * False when the id existed already; the instance is returned unchanged.
   */
  'created'?: (boolean);
  /**
   * QUEUED for a new instance; the existing instance's status otherwise.
   */
  'status'?: (_stepway_v1_InstanceStatus);
  /**
   * When the instance was created.
   */
  'createdAt'?: (_google_protobuf_Timestamp | null);
}

/**
 * The instance created, or the one that existed with that id.
 */
export interface CreateInstanceResponse__Output {
  /**
   * The instance's id (the generated one when the request had none).
   */
  'instanceId': (string);
  /**
   * False when the id existed already; the instance is returned unchanged.
   */
  'created': (boolean);
  /**
   * QUEUED for a new instance; the existing instance's status otherwise.
   */
  'status': (_stepway_v1_InstanceStatus__Output);
  /**
   * When the instance was created.
   */
  'createdAt': (_google_protobuf_Timestamp__Output | null);
}
