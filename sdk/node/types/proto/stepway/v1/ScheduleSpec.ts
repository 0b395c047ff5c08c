// Original file: stepway/v1/schedule_service.proto

import type { CronSpec as _stepway_v1_CronSpec, CronSpec__Output as _stepway_v1_CronSpec__Output } from '../../stepway/v1/CronSpec';
import type { IntervalSpec as _stepway_v1_IntervalSpec, IntervalSpec__Output as _stepway_v1_IntervalSpec__Output } from '../../stepway/v1/IntervalSpec';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';
import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from '../../google/protobuf/Duration';

/**
 * When a schedule fires.
 */
export interface ScheduleSpec {
  /**
   * A cron expression in a time zone.
   */
  'cron'?: (_stepway_v1_CronSpec | null);
  /**
   * A fixed interval.
   */
  'interval'?: (_stepway_v1_IntervalSpec | null);
  /**
   * No fire before this time; unset: from the schedule's creation.
   */
  'startTime'?: (_google_protobuf_Timestamp | null);
  /**
   * No fire at or after this time; unset: no end. Must be after start_time.
   */
  'endTime'?: (_google_protobuf_Timestamp | null);
  /**
   * Each fire starts at a random delay in [0, jitter) after its scheduled time, the same for
   * a given fire on every try (the instance id keeps the scheduled time). Unset: no jitter. At
   * most 1 hour, and less than the time between two fires.
   */
  'jitter'?: (_google_protobuf_Duration | null);
  /**
   * Exactly one trigger; none is INVALID_ARGUMENT (field "spec.trigger").
   */
  'trigger'?: "cron"|"interval";
}

/**
 * When a schedule fires.
 */
export interface ScheduleSpec__Output {
  /**
   * A cron expression in a time zone.
   */
  'cron'?: (_stepway_v1_CronSpec__Output | null);
  /**
   * A fixed interval.
   */
  'interval'?: (_stepway_v1_IntervalSpec__Output | null);
  /**
   * No fire before this time; unset: from the schedule's creation.
   */
  'startTime': (_google_protobuf_Timestamp__Output | null);
  /**
   * No fire at or after this time; unset: no end. Must be after start_time.
   */
  'endTime': (_google_protobuf_Timestamp__Output | null);
  /**
   * Each fire starts at a random delay in [0, jitter) after its scheduled time, the same for
   * a given fire on every try (the instance id keeps the scheduled time). Unset: no jitter. At
   * most 1 hour, and less than the time between two fires.
   */
  'jitter': (_google_protobuf_Duration__Output | null);
  /**
   * Exactly one trigger; none is INVALID_ARGUMENT (field "spec.trigger").
   */
  'trigger'?: "cron"|"interval";
}
