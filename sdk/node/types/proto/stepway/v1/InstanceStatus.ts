// Original file: stepway/v1/common.proto

/**
 * Lifecycle of a workflow instance. The names match Cloudflare Workflows' statuses. COMPLETE,
 * ERRORED and TERMINATED are final: nothing changes a finished instance but RestartInstance
 * and DeleteInstance.
 */
export const InstanceStatus = {
  /**
   * Never in an answer. In a request's status filter it is refused (INVALID_ARGUMENT).
   */
  INSTANCE_STATUS_UNSPECIFIED: 'INSTANCE_STATUS_UNSPECIFIED',
  /**
   * Accepted, waiting for a worker (new, or woken from a sleep, retry delay or event wait,
   * resumed or restarted).
   */
  INSTANCE_STATUS_QUEUED: 'INSTANCE_STATUS_QUEUED',
  /**
   * A worker holds the instance's workflow task under a lease.
   */
  INSTANCE_STATUS_RUNNING: 'INSTANCE_STATUS_RUNNING',
  /**
   * Paused by a client: holds no worker and no timer until ResumeInstance.
   */
  INSTANCE_STATUS_PAUSED: 'INSTANCE_STATUS_PAUSED',
  /**
   * Suspended on a sleep, a retry delay or an event; holds no worker and no concurrency slot.
   */
  INSTANCE_STATUS_WAITING: 'INSTANCE_STATUS_WAITING',
  /**
   * A pause was asked while a worker ran a step: the step finishes and is recorded, then the
   * instance is PAUSED. The worker still holds its lease.
   */
  INSTANCE_STATUS_WAITING_FOR_PAUSE: 'INSTANCE_STATUS_WAITING_FOR_PAUSE',
  /**
   * Final: the workflow raised (FailWorkflow), or it hit max_steps_per_instance. Instance.error
   * says why.
   */
  INSTANCE_STATUS_ERRORED: 'INSTANCE_STATUS_ERRORED',
  /**
   * Final: ended by TerminateInstance; the reason is in the history.
   */
  INSTANCE_STATUS_TERMINATED: 'INSTANCE_STATUS_TERMINATED',
  /**
   * Final: the workflow returned (CompleteWorkflow); Instance.output holds its result.
   */
  INSTANCE_STATUS_COMPLETE: 'INSTANCE_STATUS_COMPLETE',
} as const;

/**
 * Lifecycle of a workflow instance. The names match Cloudflare Workflows' statuses. COMPLETE,
 * ERRORED and TERMINATED are final: nothing changes a finished instance but RestartInstance
 * and DeleteInstance.
 */
export type InstanceStatus =
  /**
   * Never in an answer. In a request's status filter it is refused (INVALID_ARGUMENT).
   */
  | 'INSTANCE_STATUS_UNSPECIFIED'
  | 0
  /**
   * Accepted, waiting for a worker (new, or woken from a sleep, retry delay or event wait,
   * resumed or restarted).
   */
  | 'INSTANCE_STATUS_QUEUED'
  | 1
  /**
   * A worker holds the instance's workflow task under a lease.
   */
  | 'INSTANCE_STATUS_RUNNING'
  | 2
  /**
   * Paused by a client: holds no worker and no timer until ResumeInstance.
   */
  | 'INSTANCE_STATUS_PAUSED'
  | 3
  /**
   * Suspended on a sleep, a retry delay or an event; holds no worker and no concurrency slot.
   */
  | 'INSTANCE_STATUS_WAITING'
  | 4
  /**
   * A pause was asked while a worker ran a step: the step finishes and is recorded, then the
   * instance is PAUSED. The worker still holds its lease.
   */
  | 'INSTANCE_STATUS_WAITING_FOR_PAUSE'
  | 5
  /**
   * Final: the workflow raised (FailWorkflow), or it hit max_steps_per_instance. Instance.error
   * says why.
   */
  | 'INSTANCE_STATUS_ERRORED'
  | 6
  /**
   * Final: ended by TerminateInstance; the reason is in the history.
   */
  | 'INSTANCE_STATUS_TERMINATED'
  | 7
  /**
   * Final: the workflow returned (CompleteWorkflow); Instance.output holds its result.
   */
  | 'INSTANCE_STATUS_COMPLETE'
  | 8

/**
 * Lifecycle of a workflow instance. The names match Cloudflare Workflows' statuses. COMPLETE,
 * ERRORED and TERMINATED are final: nothing changes a finished instance but RestartInstance
 * and DeleteInstance.
 */
export type InstanceStatus__Output = typeof InstanceStatus[keyof typeof InstanceStatus]
