// Original file: stepway/v1/common.proto

/**
 * What kind of step a journal entry records.
 */
export const StepKind = {
  /**
   * Never in an answer.
   */
  STEP_KIND_UNSPECIFIED: 'STEP_KIND_UNSPECIFIED',
  /**
   * step.do: a function run by the workflow's worker, retried by its RetryPolicy.
   */
  STEP_KIND_DO: 'STEP_KIND_DO',
  /**
   * step.sleep: the instance waits until a time, holding no worker.
   */
  STEP_KIND_SLEEP: 'STEP_KIND_SLEEP',
  /**
   * step.wait_for_event: the instance waits for an event of a type, or until a timeout.
   */
  STEP_KIND_WAIT_FOR_EVENT: 'STEP_KIND_WAIT_FOR_EVENT',
  /**
   * step.call: a step served by a step worker on a task queue (any language); the shard hands
   * out its attempts, enforces its timeouts and retries it by its RetryPolicy.
   */
  STEP_KIND_CALL: 'STEP_KIND_CALL',
  /**
   * step.run_workflow / step.start_workflow: a child instance started by this step. A waiting
   * child's entry is PENDING until the child ends; then SUCCEEDED with the child's output, or
   * FAILED (error type ChildWorkflowFailed). A child started without waiting succeeds at once
   * with {"workflow": ..., "instance_id": ...}.
   */
  STEP_KIND_CHILD: 'STEP_KIND_CHILD',
} as const;

/**
 * What kind of step a journal entry records.
 */
export type StepKind =
  /**
   * Never in an answer.
   */
  | 'STEP_KIND_UNSPECIFIED'
  | 0
  /**
   * step.do: a function run by the workflow's worker, retried by its RetryPolicy.
   */
  | 'STEP_KIND_DO'
  | 1
  /**
   * step.sleep: the instance waits until a time, holding no worker.
   */
  | 'STEP_KIND_SLEEP'
  | 2
  /**
   * step.wait_for_event: the instance waits for an event of a type, or until a timeout.
   */
  | 'STEP_KIND_WAIT_FOR_EVENT'
  | 3
  /**
   * step.call: a step served by a step worker on a task queue (any language); the shard hands
   * out its attempts, enforces its timeouts and retries it by its RetryPolicy.
   */
  | 'STEP_KIND_CALL'
  | 4
  /**
   * step.run_workflow / step.start_workflow: a child instance started by this step. A waiting
   * child's entry is PENDING until the child ends; then SUCCEEDED with the child's output, or
   * FAILED (error type ChildWorkflowFailed). A child started without waiting succeeds at once
   * with {"workflow": ..., "instance_id": ...}.
   */
  | 'STEP_KIND_CHILD'
  | 30

/**
 * What kind of step a journal entry records.
 */
export type StepKind__Output = typeof StepKind[keyof typeof StepKind]
