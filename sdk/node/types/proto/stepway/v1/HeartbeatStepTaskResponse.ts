// Original file: stepway/v1/worker_service.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';

/**
 * The answer to HeartbeatStepTask. A task whose attempt timed out, or whose call was
 * retried, finished, terminated or restarted since, is FAILED_PRECONDITION ("task lease
 * lost"): stop working on it.
 */
export interface HeartbeatStepTaskResponse {
  /**
   * The next heartbeat is due before this time.
   */
  'heartbeatDeadline'?: (_google_protobuf_Timestamp | null);
}

/**
 * The answer to HeartbeatStepTask. A task whose attempt timed out, or whose call was
 * retried, finished, terminated or restarted since, is FAILED_PRECONDITION ("task lease
 * lost"): stop working on it.
 */
export interface HeartbeatStepTaskResponse__Output {
  /**
   * The next heartbeat is due before this time.
   */
  'heartbeatDeadline': (_google_protobuf_Timestamp__Output | null);
}
