// Original file: stepway/v1/schedule_service.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';
import type { OverlapPolicy as _stepway_v1_OverlapPolicy, OverlapPolicy__Output as _stepway_v1_OverlapPolicy__Output } from '../../stepway/v1/OverlapPolicy';

/**
 * Fires a schedule for a past range.
 */
export interface BackfillScheduleRequest {
  /**
   * The schedule.
   */
  'scheduleId'?: (string);
  /**
   * The first time of the range (inclusive).
   */
  'startTime'?: (_google_protobuf_Timestamp | null);
  /**
   * The end of the range (exclusive); after start_time.
   */
  'endTime'?: (_google_protobuf_Timestamp | null);
  /**
   * The overlap policy between the backfilled fires; unspecified: OVERLAP_POLICY_ALLOW_ALL.
   */
  'overlap'?: (_stepway_v1_OverlapPolicy);
}

/**
 * Fires a schedule for a past range.
 */
export interface BackfillScheduleRequest__Output {
  /**
   * The schedule.
   */
  'scheduleId': (string);
  /**
   * The first time of the range (inclusive).
   */
  'startTime': (_google_protobuf_Timestamp__Output | null);
  /**
   * The end of the range (exclusive); after start_time.
   */
  'endTime': (_google_protobuf_Timestamp__Output | null);
  /**
   * The overlap policy between the backfilled fires; unspecified: OVERLAP_POLICY_ALLOW_ALL.
   */
  'overlap': (_stepway_v1_OverlapPolicy__Output);
}
