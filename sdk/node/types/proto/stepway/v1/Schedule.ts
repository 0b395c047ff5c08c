// Original file: stepway/v1/schedule_service.proto

import type { ScheduleSpec as _stepway_v1_ScheduleSpec, ScheduleSpec__Output as _stepway_v1_ScheduleSpec__Output } from '../../stepway/v1/ScheduleSpec';
import type { ScheduleAction as _stepway_v1_ScheduleAction, ScheduleAction__Output as _stepway_v1_ScheduleAction__Output } from '../../stepway/v1/ScheduleAction';
import type { SchedulePolicy as _stepway_v1_SchedulePolicy, SchedulePolicy__Output as _stepway_v1_SchedulePolicy__Output } from '../../stepway/v1/SchedulePolicy';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';
import type { ScheduleRun as _stepway_v1_ScheduleRun, ScheduleRun__Output as _stepway_v1_ScheduleRun__Output } from '../../stepway/v1/ScheduleRun';
import type { Long } from '@grpc/proto-loader';

/**
 * A schedule as stored, with what it did.
 */
export interface Schedule {
  /**
   * Its id.
   */
  'scheduleId'?: (string);
  /**
   * When it fires.
   */
  'spec'?: (_stepway_v1_ScheduleSpec | null);
  /**
   * What each fire creates.
   */
  'action'?: (_stepway_v1_ScheduleAction | null);
  /**
   * How it fires.
   */
  'policy'?: (_stepway_v1_SchedulePolicy | null);
  /**
   * True while paused.
   */
  'paused'?: (boolean);
  /**
   * The note of the last pause or resume.
   */
  'note'?: (string);
  /**
   * When it was created.
   */
  'createdAt'?: (_google_protobuf_Timestamp | null);
  /**
   * When its spec, action, policy or pause last changed.
   */
  'updatedAt'?: (_google_protobuf_Timestamp | null);
  /**
   * The next times it will fire, as many as asked (GetSchedule) or one (ListSchedules); empty
   * when paused or past its end_time.
   */
  'nextFireTimes'?: (_google_protobuf_Timestamp)[];
  /**
   * The most recent runs, newest first, at most 10 (GetSchedule only).
   */
  'recentRuns'?: (_stepway_v1_ScheduleRun)[];
  /**
   * Fires that created an instance.
   */
  'fired'?: (number | string | Long);
  /**
   * Fires skipped by the overlap policy.
   */
  'skipped'?: (number | string | Long);
  /**
   * Fires older than the catch-up window when their turn came.
   */
  'missed'?: (number | string | Long);
}

/**
 * A schedule as stored, with what it did.
 */
export interface Schedule__Output {
  /**
   * Its id.
   */
  'scheduleId': (string);
  /**
   * When it fires.
   */
  'spec': (_stepway_v1_ScheduleSpec__Output | null);
  /**
   * What each fire creates.
   */
  'action': (_stepway_v1_ScheduleAction__Output | null);
  /**
   * How it fires.
   */
  'policy': (_stepway_v1_SchedulePolicy__Output | null);
  /**
   * True while paused.
   */
  'paused': (boolean);
  /**
   * The note of the last pause or resume.
   */
  'note': (string);
  /**
   * When it was created.
   */
  'createdAt': (_google_protobuf_Timestamp__Output | null);
  /**
   * When its spec, action, policy or pause last changed.
   */
  'updatedAt': (_google_protobuf_Timestamp__Output | null);
  /**
   * The next times it will fire, as many as asked (GetSchedule) or one (ListSchedules); empty
   * when paused or past its end_time.
   */
  'nextFireTimes': (_google_protobuf_Timestamp__Output)[];
  /**
   * The most recent runs, newest first, at most 10 (GetSchedule only).
   */
  'recentRuns': (_stepway_v1_ScheduleRun__Output)[];
  /**
   * Fires that created an instance.
   */
  'fired': (string);
  /**
   * Fires skipped by the overlap policy.
   */
  'skipped': (string);
  /**
   * Fires older than the catch-up window when their turn came.
   */
  'missed': (string);
}
