// Original file: stepway/v1/worker_service.proto

import type { StepKind as _stepway_v1_StepKind, StepKind__Output as _stepway_v1_StepKind__Output } from '../../stepway/v1/StepKind';
import type { StepState as _stepway_v1_StepState, StepState__Output as _stepway_v1_StepState__Output } from '../../stepway/v1/StepState';
import type { Payload as _stepway_v1_Payload, Payload__Output as _stepway_v1_Payload__Output } from '../../stepway/v1/Payload';
import type { Failure as _stepway_v1_Failure, Failure__Output as _stepway_v1_Failure__Output } from '../../stepway/v1/Failure';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';

/**
 * One step of an instance's journal. A step is identified by its name and occurrence (seq, from 1).
 */
export interface JournalEntry {
  /**
   * The step's name, 1 to 200 characters.
   */
  'name'?: (string);
  /**
   * Occurrence of the name in the run, from 1.
   */
  'seq'?: (number);
  /**
   * What kind of step it is.
   */
  'kind'?: (_stepway_v1_StepKind);
  /**
   * PENDING (a retry is due, an attempt started by an earlier task was never reported, or a
   * sleep or event wait is not over), SUCCEEDED or FAILED.
   */
  'state'?: (_stepway_v1_StepState);
  /**
   * The recorded result once SUCCEEDED: a DO step's JSON result, or for an event wait the
   * event as {"type": ..., "received_at": <microseconds since the epoch>, "payload": ...}.
   * Empty for a sleep.
   */
  'result'?: (_stepway_v1_Payload | null);
  /**
   * The last attempt's error (PENDING), or the final one (FAILED; "EventTimeout" for an event
   * wait that timed out).
   */
  'error'?: (_stepway_v1_Failure | null);
  /**
   * Attempts made so far (do steps).
   */
  'attempts'?: (number);
  /**
   * When a sleep ends, an event wait times out, or a pending retry is due.
   */
  'wakeAt'?: (_google_protobuf_Timestamp | null);
  /**
   * A CHILD step's child instance id (its workflow is the one the step named).
   */
  'childInstanceId'?: (string);
}

/**
 * One step of an instance's journal. A step is identified by its name and occurrence (seq, from 1).
 */
export interface JournalEntry__Output {
  /**
   * The step's name, 1 to 200 characters.
   */
  'name': (string);
  /**
   * Occurrence of the name in the run, from 1.
   */
  'seq': (number);
  /**
   * What kind of step it is.
   */
  'kind': (_stepway_v1_StepKind__Output);
  /**
   * PENDING (a retry is due, an attempt started by an earlier task was never reported, or a
   * sleep or event wait is not over), SUCCEEDED or FAILED.
   */
  'state': (_stepway_v1_StepState__Output);
  /**
   * The recorded result once SUCCEEDED: a DO step's JSON result, or for an event wait the
   * event as {"type": ..., "received_at": <microseconds since the epoch>, "payload": ...}.
   * Empty for a sleep.
   */
  'result': (_stepway_v1_Payload__Output | null);
  /**
   * The last attempt's error (PENDING), or the final one (FAILED; "EventTimeout" for an event
   * wait that timed out).
   */
  'error': (_stepway_v1_Failure__Output | null);
  /**
   * Attempts made so far (do steps).
   */
  'attempts': (number);
  /**
   * When a sleep ends, an event wait times out, or a pending retry is due.
   */
  'wakeAt': (_google_protobuf_Timestamp__Output | null);
  /**
   * A CHILD step's child instance id (its workflow is the one the step named).
   */
  'childInstanceId': (string);
}
