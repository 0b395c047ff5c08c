// Original file: stepway/v1/worker_service.proto

import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from '../../google/protobuf/Duration';

/**
 * What a worker needs to know after registering.
 */
export interface RegisterWorkerResponse {
  /**
   * How long a task's lease lasts without a heartbeat or a recorded step (10 s by default).
   * Heartbeat every third of it.
   */
  'leaseTimeout'?: (_google_protobuf_Duration | null);
}

/**
 * What a worker needs to know after registering.
 */
export interface RegisterWorkerResponse__Output {
  /**
   * How long a task's lease lasts without a heartbeat or a recorded step (10 s by default).
   * Heartbeat every third of it.
   */
  'leaseTimeout': (_google_protobuf_Duration__Output | null);
}
