// Original file: stepway/v1/admin_service.proto

import type { Long } from '@grpc/proto-loader';

/**
 * An account's limits (docs/quotas.md). In answers every field is set; in SetQuotasRequest
 * only the fields to change are set. Every quota is at least 1; each field says its default
 * and its largest value.
 */
export interface Quotas {
  /**
   * Instance creations per second (a token bucket whose burst is one second's worth); past it
   * a creation is RESOURCE_EXHAUSTED with RetryInfo. Default 300, at most 1,000,000.
   */
  'creationsPerSecond'?: (number | string | Long);
  /**
   * Instances running at once (running or waitingForPause); more wait as queued. Default
   * 50,000, at most 100,000,000.
   */
  'maxRunning'?: (number | string | Long);
  /**
   * Queued instances per workflow; a creation past it is RESOURCE_EXHAUSTED with RetryInfo.
   * Default 2,000,000, at most 1,000,000,000.
   */
  'maxQueuedPerWorkflow'?: (number | string | Long);
  /**
   * Calls per second, all services together; past it a call is RESOURCE_EXHAUSTED with
   * RetryInfo. Default 5,000, at most 10,000,000.
   */
  'requestsPerSecond'?: (number | string | Long);
  /**
   * Bytes of params, a step's result or an event's payload; a larger one is INVALID_ARGUMENT.
   * Default and largest value 1,048,576 (1 MiB).
   */
  'maxPayloadBytes'?: (number | string | Long);
  /**
   * Steps one instance may record; the step past it errors the instance
   * ("StepLimitExceeded"). Default 10,000, at most 1,000,000.
   */
  'maxStepsPerInstance'?: (number | string | Long);
  /**
   * Seconds finished instances are kept (for instances created after a change, unless the
   * creation sets its own retention). Default 2,592,000 (30 days), at most 315,360,000
   * (3,650 days).
   */
  'retentionSeconds'?: (number | string | Long);
  /**
   * Bytes of one instance's recorded state: its params, its steps' results and failures, and
   * the events it received. The write that would take it past the quota is not recorded and
   * errors the instance ("StateLimitExceeded"). Default 104,857,600 (100 MiB), at least
   * 1,048,576 (1 MiB), at most 1,073,741,824 (1 GiB).
   */
  'maxInstanceStateBytes'?: (number | string | Long);
  /**
   * Schedules the account holds (ScheduleService); past it CreateSchedule is
   * RESOURCE_EXHAUSTED. Default 1,000, at most 100,000.
   */
  'maxSchedules'?: (number | string | Long);
  /**
   * Children one instance may start (step.run_workflow, step.start_workflow); past it the
   * start is RESOURCE_EXHAUSTED. Default 1,000, at most 100,000.
   */
  'maxChildrenPerInstance'?: (number | string | Long);
  '_creationsPerSecond'?: "creationsPerSecond";
  '_maxRunning'?: "maxRunning";
  '_maxQueuedPerWorkflow'?: "maxQueuedPerWorkflow";
  '_requestsPerSecond'?: "requestsPerSecond";
  '_maxPayloadBytes'?: "maxPayloadBytes";
  '_maxStepsPerInstance'?: "maxStepsPerInstance";
  '_retentionSeconds'?: "retentionSeconds";
  '_maxInstanceStateBytes'?: "maxInstanceStateBytes";
  '_maxSchedules'?: "maxSchedules";
  '_maxChildrenPerInstance'?: "maxChildrenPerInstance";
}

/**
 * An account's limits (docs/quotas.md). In answers every field is set; in SetQuotasRequest
 * only the fields to change are set. Every quota is at least 1; each field says its default
 * and its largest value.
 */
export interface Quotas__Output {
  /**
   * Instance creations per second (a token bucket whose burst is one second's worth); past it
   * a creation is RESOURCE_EXHAUSTED with RetryInfo. Default 300, at most 1,000,000.
   */
  'creationsPerSecond'?: (string);
  /**
   * Instances running at once (running or waitingForPause); more wait as queued. Default
   * 50,000, at most 100,000,000.
   */
  'maxRunning'?: (string);
  /**
   * Queued instances per workflow; a creation past it is RESOURCE_EXHAUSTED with RetryInfo.
   * Default 2,000,000, at most 1,000,000,000.
   */
  'maxQueuedPerWorkflow'?: (string);
  /**
   * Calls per second, all services together; past it a call is RESOURCE_EXHAUSTED with
   * RetryInfo. Default 5,000, at most 10,000,000.
   */
  'requestsPerSecond'?: (string);
  /**
   * Bytes of params, a step's result or an event's payload; a larger one is INVALID_ARGUMENT.
   * Default and largest value 1,048,576 (1 MiB).
   */
  'maxPayloadBytes'?: (string);
  /**
   * Steps one instance may record; the step past it errors the instance
   * ("StepLimitExceeded"). Default 10,000, at most 1,000,000.
   */
  'maxStepsPerInstance'?: (string);
  /**
   * Seconds finished instances are kept (for instances created after a change, unless the
   * creation sets its own retention). Default 2,592,000 (30 days), at most 315,360,000
   * (3,650 days).
   */
  'retentionSeconds'?: (string);
  /**
   * Bytes of one instance's recorded state: its params, its steps' results and failures, and
   * the events it received. The write that would take it past the quota is not recorded and
   * errors the instance ("StateLimitExceeded"). Default 104,857,600 (100 MiB), at least
   * 1,048,576 (1 MiB), at most 1,073,741,824 (1 GiB).
   */
  'maxInstanceStateBytes'?: (string);
  /**
   * Schedules the account holds (ScheduleService); past it CreateSchedule is
   * RESOURCE_EXHAUSTED. Default 1,000, at most 100,000.
   */
  'maxSchedules'?: (string);
  /**
   * Children one instance may start (step.run_workflow, step.start_workflow); past it the
   * start is RESOURCE_EXHAUSTED. Default 1,000, at most 100,000.
   */
  'maxChildrenPerInstance'?: (string);
  '_creationsPerSecond'?: "creationsPerSecond";
  '_maxRunning'?: "maxRunning";
  '_maxQueuedPerWorkflow'?: "maxQueuedPerWorkflow";
  '_requestsPerSecond'?: "requestsPerSecond";
  '_maxPayloadBytes'?: "maxPayloadBytes";
  '_maxStepsPerInstance'?: "maxStepsPerInstance";
  '_retentionSeconds'?: "retentionSeconds";
  '_maxInstanceStateBytes'?: "maxInstanceStateBytes";
  '_maxSchedules'?: "maxSchedules";
  '_maxChildrenPerInstance'?: "maxChildrenPerInstance";
}
