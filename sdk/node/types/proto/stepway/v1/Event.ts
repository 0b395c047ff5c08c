// Original file: stepway/v1/worker_service.proto

import type { Payload as _stepway_v1_Payload, Payload__Output as _stepway_v1_Payload__Output } from '../../stepway/v1/Payload';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';

/**
 * An event a step took.
 */
export interface Event {
  /**
   * The event's type.
   */
  'type'?: (string);
  /**
   * The event's content, re-encoded JSON: equal in value to what was sent, not always byte
   * for byte.
   */
  'payload'?: (_stepway_v1_Payload | null);
  /**
   * When the server received the event.
   */
  'receivedAt'?: (_google_protobuf_Timestamp | null);
}

/**
 * An event a step took.
 */
export interface Event__Output {
  /**
   * The event's type.
   */
  'type': (string);
  /**
   * The event's content, re-encoded JSON: equal in value to what was sent, not always byte
   * for byte.
   */
  'payload': (_stepway_v1_Payload__Output | null);
  /**
   * When the server received the event.
   */
  'receivedAt': (_google_protobuf_Timestamp__Output | null);
}
