// Original file: stepway/v1/common.proto

/**
 * What a history event records. HistoryEvent's comments say which of its fields each type
 * sets; fields a type does not use are empty.
 */
export const HistoryEventType = {
  /**
   * Not sent by current servers. Like any value a client does not know, treat it as an event
   * type added after the client was built.
   */
  HISTORY_EVENT_TYPE_UNSPECIFIED: 'HISTORY_EVENT_TYPE_UNSPECIFIED',
  /**
   * The instance was created.
   */
  HISTORY_EVENT_TYPE_CREATED: 'HISTORY_EVENT_TYPE_CREATED',
  /**
   * Put on its task queue for a worker.
   */
  HISTORY_EVENT_TYPE_QUEUED: 'HISTORY_EVENT_TYPE_QUEUED',
  /**
   * A worker took the instance's first task (worker names it).
   */
  HISTORY_EVENT_TYPE_STARTED: 'HISTORY_EVENT_TYPE_STARTED',
  /**
   * A worker took a later task: after a suspension, a lost lease, a release or a restart
   * (worker names it).
   */
  HISTORY_EVENT_TYPE_RESUMED_ON_WORKER: 'HISTORY_EVENT_TYPE_RESUMED_ON_WORKER',
  /**
   * An attempt of a DO or CALL step started (step_name, step_seq, attempt; time is the
   * worker's started_at; for a CALL step, worker names the step worker that took the task).
   */
  HISTORY_EVENT_TYPE_STEP_ATTEMPT_STARTED: 'HISTORY_EVENT_TYPE_STEP_ATTEMPT_STARTED',
  /**
   * A DO or CALL step's attempt succeeded and its result was recorded (step_name, step_seq,
   * attempt).
   */
  HISTORY_EVENT_TYPE_STEP_SUCCEEDED: 'HISTORY_EVENT_TYPE_STEP_SUCCEEDED',
  /**
   * An attempt failed; error holds the attempt's error.
   */
  HISTORY_EVENT_TYPE_STEP_ATTEMPT_FAILED: 'HISTORY_EVENT_TYPE_STEP_ATTEMPT_FAILED',
  /**
   * No retry is left (reason says why); error holds the final error.
   */
  HISTORY_EVENT_TYPE_STEP_FAILED: 'HISTORY_EVENT_TYPE_STEP_FAILED',
  /**
   * until holds the retry's time; attempt is the attempt that will run.
   */
  HISTORY_EVENT_TYPE_STEP_RETRY_SCHEDULED: 'HISTORY_EVENT_TYPE_STEP_RETRY_SCHEDULED',
  /**
   * A retry delay ended: the instance is queued again (DO), or the call's task is back on its
   * step task queue (CALL); attempt is the attempt that will run.
   */
  HISTORY_EVENT_TYPE_STEP_RETRY_DUE: 'HISTORY_EVENT_TYPE_STEP_RETRY_DUE',
  /**
   * The instance sleeps; until holds the wake time.
   */
  HISTORY_EVENT_TYPE_SLEEPING: 'HISTORY_EVENT_TYPE_SLEEPING',
  /**
   * A sleep ended (step_name, step_seq).
   */
  HISTORY_EVENT_TYPE_WOKE: 'HISTORY_EVENT_TYPE_WOKE',
  /**
   * A step waits for an event; event_type and until (the timeout) are set.
   */
  HISTORY_EVENT_TYPE_WAITING_FOR_EVENT: 'HISTORY_EVENT_TYPE_WAITING_FOR_EVENT',
  /**
   * An event arrived (event_type); it wakes a waiting step or is buffered.
   */
  HISTORY_EVENT_TYPE_EVENT_RECEIVED: 'HISTORY_EVENT_TYPE_EVENT_RECEIVED',
  /**
   * A step took an event (at once, or from the buffer); event_type is set.
   */
  HISTORY_EVENT_TYPE_EVENT_TAKEN: 'HISTORY_EVENT_TYPE_EVENT_TAKEN',
  /**
   * An event wait reached its timeout; the step failed with "EventTimeout".
   */
  HISTORY_EVENT_TYPE_EVENT_WAIT_TIMED_OUT: 'HISTORY_EVENT_TYPE_EVENT_WAIT_TIMED_OUT',
  /**
   * The worker holding the task stopped renewing its lease (worker names it).
   */
  HISTORY_EVENT_TYPE_LEASE_EXPIRED: 'HISTORY_EVENT_TYPE_LEASE_EXPIRED',
  /**
   * The worker gave its task back (worker; reason says why).
   */
  HISTORY_EVENT_TYPE_TASK_RELEASED: 'HISTORY_EVENT_TYPE_TASK_RELEASED',
  /**
   * The workflow returned; the instance is COMPLETE.
   */
  HISTORY_EVENT_TYPE_COMPLETED: 'HISTORY_EVENT_TYPE_COMPLETED',
  /**
   * error holds what the workflow raised; the instance is ERRORED.
   */
  HISTORY_EVENT_TYPE_ERRORED: 'HISTORY_EVENT_TYPE_ERRORED',
  /**
   * A pause was asked while a step ran; the instance pauses when the step ends.
   */
  HISTORY_EVENT_TYPE_PAUSE_REQUESTED: 'HISTORY_EVENT_TYPE_PAUSE_REQUESTED',
  /**
   * The instance is PAUSED.
   */
  HISTORY_EVENT_TYPE_PAUSED: 'HISTORY_EVENT_TYPE_PAUSED',
  /**
   * A client resumed the instance.
   */
  HISTORY_EVENT_TYPE_RESUMED: 'HISTORY_EVENT_TYPE_RESUMED',
  /**
   * reason holds the reason given; the instance is TERMINATED.
   */
  HISTORY_EVENT_TYPE_TERMINATED: 'HISTORY_EVENT_TYPE_TERMINATED',
  /**
   * step_name is the step the run restarts from; empty means from the beginning.
   */
  HISTORY_EVENT_TYPE_RESTARTED: 'HISTORY_EVENT_TYPE_RESTARTED',
  /**
   * A CALL step was scheduled: its task is on a step task queue (step_name, step_seq,
   * task_queue, step_type). The instance waits for the call, holding no worker.
   */
  HISTORY_EVENT_TYPE_CALL_SCHEDULED: 'HISTORY_EVENT_TYPE_CALL_SCHEDULED',
  /**
   * A CHILD step started a child instance (step_name, step_seq, child_workflow,
   * child_instance_id).
   */
  HISTORY_EVENT_TYPE_CHILD_STARTED: 'HISTORY_EVENT_TYPE_CHILD_STARTED',
  /**
   * A child instance ended (child_workflow, child_instance_id; reason holds its final status,
   * error its error when it did not complete).
   */
  HISTORY_EVENT_TYPE_CHILD_ENDED: 'HISTORY_EVENT_TYPE_CHILD_ENDED',
} as const;

/**
 * What a history event records. HistoryEvent's comments say which of its fields each type
 * sets; fields a type does not use are empty.
 */
export type HistoryEventType =
  /**
   * Not sent by current servers. Like any value a client does not know, treat it as an event
   * type added after the client was built.
   */
  | 'HISTORY_EVENT_TYPE_UNSPECIFIED'
  | 0
  /**
   * The instance was created.
   */
  | 'HISTORY_EVENT_TYPE_CREATED'
  | 1
  /**
   * Put on its task queue for a worker.
   */
  | 'HISTORY_EVENT_TYPE_QUEUED'
  | 2
  /**
   * A worker took the instance's first task (worker names it).
   */
  | 'HISTORY_EVENT_TYPE_STARTED'
  | 3
  /**
   * A worker took a later task: after a suspension, a lost lease, a release or a restart
   * (worker names it).
   */
  | 'HISTORY_EVENT_TYPE_RESUMED_ON_WORKER'
  | 4
  /**
   * An attempt of a DO or CALL step started (step_name, step_seq, attempt; time is the
   * worker's started_at; for a CALL step, worker names the step worker that took the task).
   */
  | 'HISTORY_EVENT_TYPE_STEP_ATTEMPT_STARTED'
  | 5
  /**
   * A DO or CALL step's attempt succeeded and its result was recorded (step_name, step_seq,
   * attempt).
   */
  | 'HISTORY_EVENT_TYPE_STEP_SUCCEEDED'
  | 6
  /**
   * An attempt failed; error holds the attempt's error.
   */
  | 'HISTORY_EVENT_TYPE_STEP_ATTEMPT_FAILED'
  | 7
  /**
   * No retry is left (reason says why); error holds the final error.
   */
  | 'HISTORY_EVENT_TYPE_STEP_FAILED'
  | 8
  /**
   * until holds the retry's time; attempt is the attempt that will run.
   */
  | 'HISTORY_EVENT_TYPE_STEP_RETRY_SCHEDULED'
  | 9
  /**
   * A retry delay ended: the instance is queued again (DO), or the call's task is back on its
   * step task queue (CALL); attempt is the attempt that will run.
   */
  | 'HISTORY_EVENT_TYPE_STEP_RETRY_DUE'
  | 10
  /**
   * The instance sleeps; until holds the wake time.
   */
  | 'HISTORY_EVENT_TYPE_SLEEPING'
  | 11
  /**
   * A sleep ended (step_name, step_seq).
   */
  | 'HISTORY_EVENT_TYPE_WOKE'
  | 12
  /**
   * A step waits for an event; event_type and until (the timeout) are set.
   */
  | 'HISTORY_EVENT_TYPE_WAITING_FOR_EVENT'
  | 13
  /**
   * An event arrived (event_type); it wakes a waiting step or is buffered.
   */
  | 'HISTORY_EVENT_TYPE_EVENT_RECEIVED'
  | 14
  /**
   * A step took an event (at once, or from the buffer); event_type is set.
   */
  | 'HISTORY_EVENT_TYPE_EVENT_TAKEN'
  | 15
  /**
   * An event wait reached its timeout; the step failed with "EventTimeout".
   */
  | 'HISTORY_EVENT_TYPE_EVENT_WAIT_TIMED_OUT'
  | 16
  /**
   * The worker holding the task stopped renewing its lease (worker names it).
   */
  | 'HISTORY_EVENT_TYPE_LEASE_EXPIRED'
  | 17
  /**
   * The worker gave its task back (worker; reason says why).
   */
  | 'HISTORY_EVENT_TYPE_TASK_RELEASED'
  | 18
  /**
   * The workflow returned; the instance is COMPLETE.
   */
  | 'HISTORY_EVENT_TYPE_COMPLETED'
  | 19
  /**
   * error holds what the workflow raised; the instance is ERRORED.
   */
  | 'HISTORY_EVENT_TYPE_ERRORED'
  | 20
  /**
   * A pause was asked while a step ran; the instance pauses when the step ends.
   */
  | 'HISTORY_EVENT_TYPE_PAUSE_REQUESTED'
  | 21
  /**
   * The instance is PAUSED.
   */
  | 'HISTORY_EVENT_TYPE_PAUSED'
  | 22
  /**
   * A client resumed the instance.
   */
  | 'HISTORY_EVENT_TYPE_RESUMED'
  | 23
  /**
   * reason holds the reason given; the instance is TERMINATED.
   */
  | 'HISTORY_EVENT_TYPE_TERMINATED'
  | 24
  /**
   * step_name is the step the run restarts from; empty means from the beginning.
   */
  | 'HISTORY_EVENT_TYPE_RESTARTED'
  | 25
  /**
   * A CALL step was scheduled: its task is on a step task queue (step_name, step_seq,
   * task_queue, step_type). The instance waits for the call, holding no worker.
   */
  | 'HISTORY_EVENT_TYPE_CALL_SCHEDULED'
  | 26
  /**
   * A CHILD step started a child instance (step_name, step_seq, child_workflow,
   * child_instance_id).
   */
  | 'HISTORY_EVENT_TYPE_CHILD_STARTED'
  | 30
  /**
   * A child instance ended (child_workflow, child_instance_id; reason holds its final status,
   * error its error when it did not complete).
   */
  | 'HISTORY_EVENT_TYPE_CHILD_ENDED'
  | 31

/**
 * What a history event records. HistoryEvent's comments say which of its fields each type
 * sets; fields a type does not use are empty.
 */
export type HistoryEventType__Output = typeof HistoryEventType[keyof typeof HistoryEventType]
