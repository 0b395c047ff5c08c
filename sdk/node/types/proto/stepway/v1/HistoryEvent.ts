// Original file: stepway/v1/common.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';
import type { HistoryEventType as _stepway_v1_HistoryEventType, HistoryEventType__Output as _stepway_v1_HistoryEventType__Output } from '../../stepway/v1/HistoryEventType';
import type { Failure as _stepway_v1_Failure, Failure__Output as _stepway_v1_Failure__Output } from '../../stepway/v1/Failure';

/**
 * One transition of an instance.
 */
export interface HistoryEvent {
  /**
   * 1, 2, 3, ... in the order the transitions were recorded.
   */
  'seq'?: (number);
  /**
   * When the transition happened.
   */
  'time'?: (_google_protobuf_Timestamp | null);
  /**
   * What happened.
   */
  'type'?: (_stepway_v1_HistoryEventType);
  /**
   * The step concerned (for RESTARTED: the step the run restarts from); empty for instance
   * transitions.
   */
  'stepName'?: (string);
  /**
   * The step's occurrence (Step.seq); 0 when no step is concerned.
   */
  'stepSeq'?: (number);
  /**
   * The attempt concerned, from 1, for DO and CALL step events; 0 otherwise.
   */
  'attempt'?: (number);
  /**
   * The error of STEP_ATTEMPT_FAILED, STEP_FAILED and ERRORED (type and message only).
   */
  'error'?: (_stepway_v1_Failure | null);
  /**
   * A wake time, retry time or event wait timeout, by type.
   */
  'until'?: (_google_protobuf_Timestamp | null);
  /**
   * The event type of WAITING_FOR_EVENT, EVENT_RECEIVED, EVENT_TAKEN and EVENT_WAIT_TIMED_OUT.
   */
  'eventType'?: (string);
  /**
   * The worker_id of STARTED, RESUMED_ON_WORKER, LEASE_EXPIRED and TASK_RELEASED, and of the
   * step worker in a CALL step's STEP_ATTEMPT_STARTED.
   */
  'worker'?: (string);
  /**
   * Free text: why a step failed (STEP_FAILED), a task was released (TASK_RELEASED) or the
   * instance was terminated (TERMINATED).
   */
  'reason'?: (string);
  /**
   * The step task queue of CALL_SCHEDULED.
   */
  'taskQueue'?: (string);
  /**
   * The step type of CALL_SCHEDULED.
   */
  'stepType'?: (string);
  /**
   * The child's workflow of CHILD_STARTED and CHILD_ENDED.
   */
  'childWorkflow'?: (string);
  /**
   * The child's instance id of CHILD_STARTED and CHILD_ENDED.
   */
  'childInstanceId'?: (string);
}

/**
 * One transition of an instance.
 */
export interface HistoryEvent__Output {
  /**
   * 1, 2, 3, ... in the order the transitions were recorded.
   */
  'seq': (number);
  /**
   * When the transition happened.
   */
  'time': (_google_protobuf_Timestamp__Output | null);
  /**
   * What happened.
   */
  'type': (_stepway_v1_HistoryEventType__Output);
  /**
   * The step concerned (for RESTARTED: the step the run restarts from); empty for instance
   * transitions.
   */
  'stepName': (string);
  /**
   * The step's occurrence (Step.seq); 0 when no step is concerned.
   */
  'stepSeq': (number);
  /**
   * The attempt concerned, from 1, for DO and CALL step events; 0 otherwise.
   */
  'attempt': (number);
  /**
   * The error of STEP_ATTEMPT_FAILED, STEP_FAILED and ERRORED (type and message only).
   */
  'error': (_stepway_v1_Failure__Output | null);
  /**
   * A wake time, retry time or event wait timeout, by type.
   */
  'until': (_google_protobuf_Timestamp__Output | null);
  /**
   * The event type of WAITING_FOR_EVENT, EVENT_RECEIVED, EVENT_TAKEN and EVENT_WAIT_TIMED_OUT.
   */
  'eventType': (string);
  /**
   * The worker_id of STARTED, RESUMED_ON_WORKER, LEASE_EXPIRED and TASK_RELEASED, and of the
   * step worker in a CALL step's STEP_ATTEMPT_STARTED.
   */
  'worker': (string);
  /**
   * Free text: why a step failed (STEP_FAILED), a task was released (TASK_RELEASED) or the
   * instance was terminated (TERMINATED).
   */
  'reason': (string);
  /**
   * The step task queue of CALL_SCHEDULED.
   */
  'taskQueue': (string);
  /**
   * The step type of CALL_SCHEDULED.
   */
  'stepType': (string);
  /**
   * The child's workflow of CHILD_STARTED and CHILD_ENDED.
   */
  'childWorkflow': (string);
  /**
   * The child's instance id of CHILD_STARTED and CHILD_ENDED.
   */
  'childInstanceId': (string);
}
