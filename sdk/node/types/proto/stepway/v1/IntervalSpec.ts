// Original file: stepway/v1/schedule_service.proto

import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from '../../google/protobuf/Duration';

/**
 * An interval trigger: fires at every offset + k * every since the Unix epoch, UTC.
 */
export interface IntervalSpec {
  /**
   * The interval: at least 1 second, at most 366 days.
   */
  'every'?: (_google_protobuf_Duration | null);
  /**
   * The phase within the interval: at least 0, less than every. Unset: 0.
   */
  'offset'?: (_google_protobuf_Duration | null);
}

/**
 * An interval trigger: fires at every offset + k * every since the Unix epoch, UTC.
 */
export interface IntervalSpec__Output {
  /**
   * The interval: at least 1 second, at most 366 days.
   */
  'every': (_google_protobuf_Duration__Output | null);
  /**
   * The phase within the interval: at least 0, less than every. Unset: 0.
   */
  'offset': (_google_protobuf_Duration__Output | null);
}
