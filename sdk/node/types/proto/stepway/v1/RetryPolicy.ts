// Original file: stepway/v1/worker_service.proto

import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from '../../google/protobuf/Duration';
import type { Backoff as _stepway_v1_Backoff, Backoff__Output as _stepway_v1_Backoff__Output } from '../../stepway/v1/Backoff';

/**
 * Retries after the first attempt: delay, then delay * n (linear) or delay * 2^(n-1)
 * (exponential), never more than 24 hours. The server does not store it: send the same policy
 * with every FailStep.
 */
export interface RetryPolicy {
  /**
   * Retries after the first attempt: attempt n is retried while n <= limit. 0 means none; at
   * most 1,000,000,000 (INVALID_ARGUMENT naming "retry.limit" otherwise).
   */
  'limit'?: (number);
  /**
   * The base delay before a retry, from 0 to 24 hours (INVALID_ARGUMENT naming "retry.delay"
   * otherwise); unset means no delay.
   */
  'delay'?: (_google_protobuf_Duration | null);
  /**
   * How the delay grows; unspecified means exponential, a value not listed is
   * INVALID_ARGUMENT.
   */
  'backoff'?: (_stepway_v1_Backoff);
  /**
   * Caps a growing delay, from 0 to 24 hours (INVALID_ARGUMENT otherwise); unset means the
   * server's cap of 24 hours.
   */
  'maxDelay'?: (_google_protobuf_Duration | null);
}

/**
 * Retries after the first attempt: delay, then delay * n (linear) or delay * 2^(n-1)
 * (exponential), never more than 24 hours. The server does not store it: send the same policy
 * with every FailStep.
 */
export interface RetryPolicy__Output {
  /**
   * Retries after the first attempt: attempt n is retried while n <= limit. 0 means none; at
   * most 1,000,000,000 (INVALID_ARGUMENT naming "retry.limit" otherwise).
   */
  'limit': (number);
  /**
   * The base delay before a retry, from 0 to 24 hours (INVALID_ARGUMENT naming "retry.delay"
   * otherwise); unset means no delay.
   */
  'delay': (_google_protobuf_Duration__Output | null);
  /**
   * How the delay grows; unspecified means exponential, a value not listed is
   * INVALID_ARGUMENT.
   */
  'backoff': (_stepway_v1_Backoff__Output);
  /**
   * Caps a growing delay, from 0 to 24 hours (INVALID_ARGUMENT otherwise); unset means the
   * server's cap of 24 hours.
   */
  'maxDelay': (_google_protobuf_Duration__Output | null);
}
