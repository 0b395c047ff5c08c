// Original file: stepway/v1/worker_service.proto

import type { Event as _stepway_v1_Event, Event__Output as _stepway_v1_Event__Output } from '../../stepway/v1/Event';
import type { Failure as _stepway_v1_Failure, Failure__Output as _stepway_v1_Failure__Output } from '../../stepway/v1/Failure';

/**
 * What a WaitForEvent led to.
 */
export interface WaitForEventResponse {
  /**
   * True: no event yet, the instance is suspended (or a pause took effect, or the step was
   * past max_steps_per_instance and the instance errored): drop the task. False: event holds
   * the event, or error says why the wait ended without one.
   */
  'suspended'?: (boolean);
  /**
   * The oldest buffered event of the type, now taken by this step.
   */
  'event'?: (_stepway_v1_Event | null);
  /**
   * Set when this wait already timed out (type "EventTimeout"): raise it in the workflow.
   */
  'error'?: (_stepway_v1_Failure | null);
}

/**
 * What a WaitForEvent led to.
 */
export interface WaitForEventResponse__Output {
  /**
   * True: no event yet, the instance is suspended (or a pause took effect, or the step was
   * past max_steps_per_instance and the instance errored): drop the task. False: event holds
   * the event, or error says why the wait ended without one.
   */
  'suspended': (boolean);
  /**
   * The oldest buffered event of the type, now taken by this step.
   */
  'event': (_stepway_v1_Event__Output | null);
  /**
   * Set when this wait already timed out (type "EventTimeout"): raise it in the workflow.
   */
  'error': (_stepway_v1_Failure__Output | null);
}
