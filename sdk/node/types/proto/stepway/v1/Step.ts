// Original file: stepway/v1/common.proto

import type { StepKind as _stepway_v1_StepKind, StepKind__Output as _stepway_v1_StepKind__Output } from '../../stepway/v1/StepKind';
import type { StepState as _stepway_v1_StepState, StepState__Output as _stepway_v1_StepState__Output } from '../../stepway/v1/StepState';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';
import type { Payload as _stepway_v1_Payload, Payload__Output as _stepway_v1_Payload__Output } from '../../stepway/v1/Payload';
import type { Failure as _stepway_v1_Failure, Failure__Output as _stepway_v1_Failure__Output } from '../../stepway/v1/Failure';

/**
 * One entry of an instance's step journal.
 */
export interface Step {
  /**
   * The step's name, 1 to 200 characters.
   */
  'name'?: (string);
  /**
   * Occurrence of the name in the run, from 1 (a step called twice by name has seq 1 and 2).
   */
  'seq'?: (number);
  /**
   * What kind of step it is.
   */
  'kind'?: (_stepway_v1_StepKind);
  /**
   * Whether it is pending, succeeded or failed.
   */
  'state'?: (_stepway_v1_StepState);
  /**
   * Attempts made so far (DO and CALL steps; 0 for the others).
   */
  'attempts'?: (number);
  /**
   * When the step's first attempt started.
   */
  'startedAt'?: (_google_protobuf_Timestamp | null);
  /**
   * When it succeeded or failed for good; unset while PENDING.
   */
  'endedAt'?: (_google_protobuf_Timestamp | null);
  /**
   * The step's result once succeeded (for an event wait: the event as a JSON object
   * {"type": ..., "received_at": <microseconds since the epoch>, "payload": ...}).
   */
  'output'?: (_stepway_v1_Payload | null);
  /**
   * The last attempt's error, or the final one once failed.
   */
  'error'?: (_stepway_v1_Failure | null);
  /**
   * A sleep's wake time, an event wait's timeout, or a pending retry's time.
   */
  'wakeAt'?: (_google_protobuf_Timestamp | null);
  /**
   * The event type an event wait waits for; empty for other kinds.
   */
  'eventType'?: (string);
  /**
   * When the running attempt (attempts + 1) started, as the shard recorded it; set only while
   * RUNNING.
   */
  'attemptStartedAt'?: (_google_protobuf_Timestamp | null);
}

/**
 * One entry of an instance's step journal.
 */
export interface Step__Output {
  /**
   * The step's name, 1 to 200 characters.
   */
  'name': (string);
  /**
   * Occurrence of the name in the run, from 1 (a step called twice by name has seq 1 and 2).
   */
  'seq': (number);
  /**
   * What kind of step it is.
   */
  'kind': (_stepway_v1_StepKind__Output);
  /**
   * Whether it is pending, succeeded or failed.
   */
  'state': (_stepway_v1_StepState__Output);
  /**
   * Attempts made so far (DO and CALL steps; 0 for the others).
   */
  'attempts': (number);
  /**
   * When the step's first attempt started.
   */
  'startedAt': (_google_protobuf_Timestamp__Output | null);
  /**
   * When it succeeded or failed for good; unset while PENDING.
   */
  'endedAt': (_google_protobuf_Timestamp__Output | null);
  /**
   * The step's result once succeeded (for an event wait: the event as a JSON object
   * {"type": ..., "received_at": <microseconds since the epoch>, "payload": ...}).
   */
  'output': (_stepway_v1_Payload__Output | null);
  /**
   * The last attempt's error, or the final one once failed.
   */
  'error': (_stepway_v1_Failure__Output | null);
  /**
   * A sleep's wake time, an event wait's timeout, or a pending retry's time.
   */
  'wakeAt': (_google_protobuf_Timestamp__Output | null);
  /**
   * The event type an event wait waits for; empty for other kinds.
   */
  'eventType': (string);
  /**
   * When the running attempt (attempts + 1) started, as the shard recorded it; set only while
   * RUNNING.
   */
  'attemptStartedAt': (_google_protobuf_Timestamp__Output | null);
}
