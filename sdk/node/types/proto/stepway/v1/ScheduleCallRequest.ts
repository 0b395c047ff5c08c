// Original file: stepway/v1/worker_service.proto

import type { Payload as _stepway_v1_Payload, Payload__Output as _stepway_v1_Payload__Output } from '../../stepway/v1/Payload';
import type { RetryPolicy as _stepway_v1_RetryPolicy, RetryPolicy__Output as _stepway_v1_RetryPolicy__Output } from '../../stepway/v1/RetryPolicy';
import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from '../../google/protobuf/Duration';

/**
 * Starts a CALL step.
 */
export interface ScheduleCallRequest {
  /**
   * The workflow task's token, as WorkflowTask.task_token.
   */
  'taskToken'?: (Buffer | Uint8Array | string);
  /**
   * The step's name, 1 to 200 characters.
   */
  'name'?: (string);
  /**
   * Occurrence of the name in the run, from 1 to 1,000,000,000 (INVALID_ARGUMENT otherwise).
   */
  'seq'?: (number);
  /**
   * The step task queue that step workers poll: ^[a-zA-Z0-9_][a-zA-Z0-9_-]{0,99}$.
   */
  'taskQueue'?: (string);
  /**
   * What the step worker runs, e.g. "render_pdf" or "payments.charge":
   * ^[a-zA-Z0-9_][a-zA-Z0-9_.-]{0,99}$.
   */
  'stepType'?: (string);
  /**
   * The step's input, JSON; empty means null. At most 1 MiB (and the account's
   * max_payload_bytes).
   */
  'input'?: (_stepway_v1_Payload | null);
  /**
   * Retries after the first attempt. Unlike FailStep's, the server stores this policy and
   * applies it itself; unset means no retry.
   */
  'retry'?: (_stepway_v1_RetryPolicy | null);
  /**
   * How long one attempt may run, from the moment a step worker takes the task until it
   * completes or fails it; unset means 5 minutes. At most 7 days. An attempt past it fails
   * with the error type "StepTimeout" (retryable).
   */
  'timeout'?: (_google_protobuf_Duration | null);
  /**
   * When set, a step worker must call HeartbeatStepTask at least this often while it works on
   * the task; an attempt that misses it fails with the error type "HeartbeatTimeout"
   * (retryable), so a lost worker's task is retried after this long. Unset means no heartbeat
   * is needed (only `timeout` applies). At most `timeout`.
   */
  'heartbeatTimeout'?: (_google_protobuf_Duration | null);
  /**
   * The W3C traceparent of the span that asks for the call (the workflow run's), when it is
   * traced: the call's attempts are started as its children (StepTask.trace_parent). Empty
   * means the instance's own trace context.
   */
  'traceParent'?: (string);
}

/**
 * Starts a CALL step.
 */
export interface ScheduleCallRequest__Output {
  /**
   * The workflow task's token, as WorkflowTask.task_token.
   */
  'taskToken': (Buffer);
  /**
   * The step's name, 1 to 200 characters.
   */
  'name': (string);
  /**
   * Occurrence of the name in the run, from 1 to 1,000,000,000 (INVALID_ARGUMENT otherwise).
   */
  'seq': (number);
  /**
   * The step task queue that step workers poll: ^[a-zA-Z0-9_][a-zA-Z0-9_-]{0,99}$.
   */
  'taskQueue': (string);
  /**
   * What the step worker runs, e.g. "render_pdf" or "payments.charge":
   * ^[a-zA-Z0-9_][a-zA-Z0-9_.-]{0,99}$.
   */
  'stepType': (string);
  /**
   * The step's input, JSON; empty means null. At most 1 MiB (and the account's
   * max_payload_bytes).
   */
  'input': (_stepway_v1_Payload__Output | null);
  /**
   * Retries after the first attempt. Unlike FailStep's, the server stores this policy and
   * applies it itself; unset means no retry.
   */
  'retry': (_stepway_v1_RetryPolicy__Output | null);
  /**
   * How long one attempt may run, from the moment a step worker takes the task until it
   * completes or fails it; unset means 5 minutes. At most 7 days. An attempt past it fails
   * with the error type "StepTimeout" (retryable).
   */
  'timeout': (_google_protobuf_Duration__Output | null);
  /**
   * When set, a step worker must call HeartbeatStepTask at least this often while it works on
   * the task; an attempt that misses it fails with the error type "HeartbeatTimeout"
   * (retryable), so a lost worker's task is retried after this long. Unset means no heartbeat
   * is needed (only `timeout` applies). At most `timeout`.
   */
  'heartbeatTimeout': (_google_protobuf_Duration__Output | null);
  /**
   * The W3C traceparent of the span that asks for the call (the workflow run's), when it is
   * traced: the call's attempts are started as its children (StepTask.trace_parent). Empty
   * means the instance's own trace context.
   */
  'traceParent': (string);
}
