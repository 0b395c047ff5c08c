// Original file: stepway/v1/worker_service.proto

import type { CompleteStepResponse as _stepway_v1_CompleteStepResponse, CompleteStepResponse__Output as _stepway_v1_CompleteStepResponse__Output } from '../../stepway/v1/CompleteStepResponse';
import type { FailStepResponse as _stepway_v1_FailStepResponse, FailStepResponse__Output as _stepway_v1_FailStepResponse__Output } from '../../stepway/v1/FailStepResponse';
import type { StartSleepResponse as _stepway_v1_StartSleepResponse, StartSleepResponse__Output as _stepway_v1_StartSleepResponse__Output } from '../../stepway/v1/StartSleepResponse';
import type { WaitForEventResponse as _stepway_v1_WaitForEventResponse, WaitForEventResponse__Output as _stepway_v1_WaitForEventResponse__Output } from '../../stepway/v1/WaitForEventResponse';
import type { CompleteWorkflowResponse as _stepway_v1_CompleteWorkflowResponse, CompleteWorkflowResponse__Output as _stepway_v1_CompleteWorkflowResponse__Output } from '../../stepway/v1/CompleteWorkflowResponse';
import type { FailWorkflowResponse as _stepway_v1_FailWorkflowResponse, FailWorkflowResponse__Output as _stepway_v1_FailWorkflowResponse__Output } from '../../stepway/v1/FailWorkflowResponse';
import type { ScheduleCallResponse as _stepway_v1_ScheduleCallResponse, ScheduleCallResponse__Output as _stepway_v1_ScheduleCallResponse__Output } from '../../stepway/v1/ScheduleCallResponse';
import type { StartStepResponse as _stepway_v1_StartStepResponse, StartStepResponse__Output as _stepway_v1_StartStepResponse__Output } from '../../stepway/v1/StartStepResponse';
import type { Status as _google_rpc_Status, Status__Output as _google_rpc_Status__Output } from '../../google/rpc/Status';
import type { StartChildResponse as _stepway_v1_StartChildResponse, StartChildResponse__Output as _stepway_v1_StartChildResponse__Output } from '../../stepway/v1/StartChildResponse';

/**
 * The outcome of one command of a batch.
 */
export interface CommandResult {
  /**
   * CompleteStep's response.
   */
  'completeStep'?: (_stepway_v1_CompleteStepResponse | null);
  /**
   * FailStep's response.
   */
  'failStep'?: (_stepway_v1_FailStepResponse | null);
  /**
   * StartSleep's response.
   */
  'startSleep'?: (_stepway_v1_StartSleepResponse | null);
  /**
   * WaitForEvent's response.
   */
  'waitForEvent'?: (_stepway_v1_WaitForEventResponse | null);
  /**
   * CompleteWorkflow's response.
   */
  'completeWorkflow'?: (_stepway_v1_CompleteWorkflowResponse | null);
  /**
   * FailWorkflow's response.
   */
  'failWorkflow'?: (_stepway_v1_FailWorkflowResponse | null);
  /**
   * ScheduleCall's response.
   */
  'scheduleCall'?: (_stepway_v1_ScheduleCallResponse | null);
  /**
   * A StartStep command's response.
   */
  'startStep'?: (_stepway_v1_StartStepResponse | null);
  /**
   * The command failed; nothing of it was recorded. The status its single call would have
   * answered with: its code, message and details, with the ErrorInfo whose reason
   * (stepway.v1.ErrorReason) says why, e.g. TASK_LEASE_LOST, or NOT_OWNER when the task's
   * partition moved between servers (send the command again).
   */
  'error'?: (_google_rpc_Status | null);
  /**
   * A StartChild command's response.
   */
  'startChild'?: (_stepway_v1_StartChildResponse | null);
  /**
   * The single call's response, of the command's kind, or its error.
   */
  'result'?: "completeStep"|"failStep"|"startSleep"|"waitForEvent"|"completeWorkflow"|"failWorkflow"|"scheduleCall"|"startStep"|"startChild"|"error";
}

/**
 * The outcome of one command of a batch.
 */
export interface CommandResult__Output {
  /**
   * CompleteStep's response.
   */
  'completeStep'?: (_stepway_v1_CompleteStepResponse__Output | null);
  /**
   * FailStep's response.
   */
  'failStep'?: (_stepway_v1_FailStepResponse__Output | null);
  /**
   * StartSleep's response.
   */
  'startSleep'?: (_stepway_v1_StartSleepResponse__Output | null);
  /**
   * WaitForEvent's response.
   */
  'waitForEvent'?: (_stepway_v1_WaitForEventResponse__Output | null);
  /**
   * CompleteWorkflow's response.
   */
  'completeWorkflow'?: (_stepway_v1_CompleteWorkflowResponse__Output | null);
  /**
   * FailWorkflow's response.
   */
  'failWorkflow'?: (_stepway_v1_FailWorkflowResponse__Output | null);
  /**
   * ScheduleCall's response.
   */
  'scheduleCall'?: (_stepway_v1_ScheduleCallResponse__Output | null);
  /**
   * A StartStep command's response.
   */
  'startStep'?: (_stepway_v1_StartStepResponse__Output | null);
  /**
   * The command failed; nothing of it was recorded. The status its single call would have
   * answered with: its code, message and details, with the ErrorInfo whose reason
   * (stepway.v1.ErrorReason) says why, e.g. TASK_LEASE_LOST, or NOT_OWNER when the task's
   * partition moved between servers (send the command again).
   */
  'error'?: (_google_rpc_Status__Output | null);
  /**
   * A StartChild command's response.
   */
  'startChild'?: (_stepway_v1_StartChildResponse__Output | null);
  /**
   * The single call's response, of the command's kind, or its error.
   */
  'result'?: "completeStep"|"failStep"|"startSleep"|"waitForEvent"|"completeWorkflow"|"failWorkflow"|"scheduleCall"|"startStep"|"startChild"|"error";
}
