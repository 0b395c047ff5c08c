// Original file: stepway/v1/worker_service.proto

import type { Payload as _stepway_v1_Payload, Payload__Output as _stepway_v1_Payload__Output } from '../../stepway/v1/Payload';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';
import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from '../../google/protobuf/Duration';

/**
 * An attempt of a CALL step, handed to one step worker.
 */
export interface StepTask {
  /**
   * Opaque to workers: send it back unchanged with every call about this task.
   */
  'taskToken'?: (Buffer | Uint8Array | string);
  /**
   * What to run: the step type the workflow asked for.
   */
  'stepType'?: (string);
  /**
   * The step's input, JSON.
   */
  'input'?: (_stepway_v1_Payload | null);
  /**
   * This attempt's number, from 1.
   */
  'attempt'?: (number);
  /**
   * The instance's workflow.
   */
  'workflow'?: (string);
  /**
   * The instance's id.
   */
  'instanceId'?: (string);
  /**
   * The CALL step's name in the workflow.
   */
  'stepName'?: (string);
  /**
   * The CALL step's occurrence in the workflow.
   */
  'stepSeq'?: (number);
  /**
   * When this attempt times out (StepTimeout) unless completed or failed before.
   */
  'deadline'?: (_google_protobuf_Timestamp | null);
  /**
   * Send HeartbeatStepTask at least this often (a third of it is a good period); unset means
   * heartbeats are not required.
   */
  'heartbeatTimeout'?: (_google_protobuf_Duration | null);
  /**
   * The details of the last heartbeat of an earlier attempt, if any: where to resume.
   */
  'heartbeatDetails'?: (_stepway_v1_Payload | null);
  /**
   * When the call was scheduled.
   */
  'scheduledAt'?: (_google_protobuf_Timestamp | null);
  /**
   * The W3C traceparent of the workflow run that asked for the call
   * (ScheduleCallRequest.trace_parent), else the instance's; empty when neither was traced.
   * Start the attempt's span as its child.
   */
  'traceParent'?: (string);
  /**
   * The id of the instance's account (the API key's), as metrics label it: for logs and
   * span attributes.
   */
  'accountId'?: (string);
}

/**
 * An attempt of a CALL step, handed to one step worker.
 */
export interface StepTask__Output {
  /**
   * Opaque to workers: send it back unchanged with every call about this task.
   */
  'taskToken': (Buffer);
  /**
   * What to run: the step type the workflow asked for.
   */
  'stepType': (string);
  /**
   * The step's input, JSON.
   */
  'input': (_stepway_v1_Payload__Output | null);
  /**
   * This attempt's number, from 1.
   */
  'attempt': (number);
  /**
   * The instance's workflow.
   */
  'workflow': (string);
  /**
   * The instance's id.
   */
  'instanceId': (string);
  /**
   * The CALL step's name in the workflow.
   */
  'stepName': (string);
  /**
   * The CALL step's occurrence in the workflow.
   */
  'stepSeq': (number);
  /**
   * When this attempt times out (StepTimeout) unless completed or failed before.
   */
  'deadline': (_google_protobuf_Timestamp__Output | null);
  /**
   * Send HeartbeatStepTask at least this often (a third of it is a good period); unset means
   * heartbeats are not required.
   */
  'heartbeatTimeout': (_google_protobuf_Duration__Output | null);
  /**
   * The details of the last heartbeat of an earlier attempt, if any: where to resume.
   */
  'heartbeatDetails': (_stepway_v1_Payload__Output | null);
  /**
   * When the call was scheduled.
   */
  'scheduledAt': (_google_protobuf_Timestamp__Output | null);
  /**
   * The W3C traceparent of the workflow run that asked for the call
   * (ScheduleCallRequest.trace_parent), else the instance's; empty when neither was traced.
   * Start the attempt's span as its child.
   */
  'traceParent': (string);
  /**
   * The id of the instance's account (the API key's), as metrics label it: for logs and
   * span attributes.
   */
  'accountId': (string);
}
