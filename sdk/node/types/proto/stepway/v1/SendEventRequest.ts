// Original file: stepway/v1/workflow_service.proto

import type { Payload as _stepway_v1_Payload, Payload__Output as _stepway_v1_Payload__Output } from '../../stepway/v1/Payload';

/**
 * Asks to send an event to an instance.
 */
export interface SendEventRequest {
  /**
   * The instance's workflow.
   */
  'workflow'?: (string);
  /**
   * The instance's id.
   */
  'instanceId'?: (string);
  /**
   * The event's type, which a step waits for: ^[a-zA-Z0-9_][a-zA-Z0-9_.-]{0,99}$.
   */
  'type'?: (string);
  /**
   * The event's content, JSON; empty means null.
   */
  'payload'?: (_stepway_v1_Payload | null);
}

/**
 * Asks to send an event to an instance.
 */
export interface SendEventRequest__Output {
  /**
   * The instance's workflow.
   */
  'workflow': (string);
  /**
   * The instance's id.
   */
  'instanceId': (string);
  /**
   * The event's type, which a step waits for: ^[a-zA-Z0-9_][a-zA-Z0-9_.-]{0,99}$.
   */
  'type': (string);
  /**
   * The event's content, JSON; empty means null.
   */
  'payload': (_stepway_v1_Payload__Output | null);
}
