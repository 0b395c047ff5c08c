// Original file: stepway/v1/workflow_service.proto

import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from '../../google/protobuf/Duration';

/**
 * Asks to wait for an instance to finish.
 */
export interface WaitInstanceRequest {
  /**
   * The instance's workflow.
   */
  'workflow'?: (string);
  /**
   * The instance's id.
   */
  'instanceId'?: (string);
  /**
   * How long to wait: unset means 60 s, more is cut to 60 s, zero answers at once, negative is
   * INVALID_ARGUMENT. Clients call again to wait longer.
   */
  'timeout'?: (_google_protobuf_Duration | null);
}

/**
 * Asks to wait for an instance to finish.
 */
export interface WaitInstanceRequest__Output {
  /**
   * The instance's workflow.
   */
  'workflow': (string);
  /**
   * The instance's id.
   */
  'instanceId': (string);
  /**
   * How long to wait: unset means 60 s, more is cut to 60 s, zero answers at once, negative is
   * INVALID_ARGUMENT. Clients call again to wait longer.
   */
  'timeout': (_google_protobuf_Duration__Output | null);
}
