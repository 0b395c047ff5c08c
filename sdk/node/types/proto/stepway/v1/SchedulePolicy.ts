// Original file: stepway/v1/schedule_service.proto

import type { OverlapPolicy as _stepway_v1_OverlapPolicy, OverlapPolicy__Output as _stepway_v1_OverlapPolicy__Output } from '../../stepway/v1/OverlapPolicy';
import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from '../../google/protobuf/Duration';

/**
 * How a schedule fires.
 */
export interface SchedulePolicy {
  /**
   * What a fire does while an earlier instance runs.
   */
  'overlap'?: (_stepway_v1_OverlapPolicy);
  /**
   * After the shard server that owns the schedule was away (a crash, a partition move), fires
   * whose scheduled time is older than this are skipped and counted as missed, not made up.
   * Unset: 1 minute. At least 1 second, at most 365 days.
   */
  'catchupWindow'?: (_google_protobuf_Duration | null);
}

/**
 * How a schedule fires.
 */
export interface SchedulePolicy__Output {
  /**
   * What a fire does while an earlier instance runs.
   */
  'overlap': (_stepway_v1_OverlapPolicy__Output);
  /**
   * After the shard server that owns the schedule was away (a crash, a partition move), fires
   * whose scheduled time is older than this are skipped and counted as missed, not made up.
   * Unset: 1 minute. At least 1 second, at most 365 days.
   */
  'catchupWindow': (_google_protobuf_Duration__Output | null);
}
