// Original file: stepway/v1/worker_service.proto

import type { CompleteStepRequest as _stepway_v1_CompleteStepRequest, CompleteStepRequest__Output as _stepway_v1_CompleteStepRequest__Output } from '../../stepway/v1/CompleteStepRequest';
import type { FailStepRequest as _stepway_v1_FailStepRequest, FailStepRequest__Output as _stepway_v1_FailStepRequest__Output } from '../../stepway/v1/FailStepRequest';
import type { StartSleepRequest as _stepway_v1_StartSleepRequest, StartSleepRequest__Output as _stepway_v1_StartSleepRequest__Output } from '../../stepway/v1/StartSleepRequest';
import type { WaitForEventRequest as _stepway_v1_WaitForEventRequest, WaitForEventRequest__Output as _stepway_v1_WaitForEventRequest__Output } from '../../stepway/v1/WaitForEventRequest';
import type { CompleteWorkflowRequest as _stepway_v1_CompleteWorkflowRequest, CompleteWorkflowRequest__Output as _stepway_v1_CompleteWorkflowRequest__Output } from '../../stepway/v1/CompleteWorkflowRequest';
import type { FailWorkflowRequest as _stepway_v1_FailWorkflowRequest, FailWorkflowRequest__Output as _stepway_v1_FailWorkflowRequest__Output } from '../../stepway/v1/FailWorkflowRequest';
import type { ScheduleCallRequest as _stepway_v1_ScheduleCallRequest, ScheduleCallRequest__Output as _stepway_v1_ScheduleCallRequest__Output } from '../../stepway/v1/ScheduleCallRequest';
import type { StartStepRequest as _stepway_v1_StartStepRequest, StartStepRequest__Output as _stepway_v1_StartStepRequest__Output } from '../../stepway/v1/StartStepRequest';
import type { StartChildRequest as _stepway_v1_StartChildRequest, StartChildRequest__Output as _stepway_v1_StartChildRequest__Output } from '../../stepway/v1/StartChildRequest';

/**
 * One write of a RecordBatch: the request of the single call it stands for.
 */
export interface WorkerCommand {
  /**
   * As CompleteStep.
   */
  'completeStep'?: (_stepway_v1_CompleteStepRequest | null);
  /**
   * As FailStep.
   */
  'failStep'?: (_stepway_v1_FailStepRequest | null);
  /**
   * As StartSleep.
   */
  'startSleep'?: (_stepway_v1_StartSleepRequest | null);
  /**
   * As WaitForEvent.
   */
  'waitForEvent'?: (_stepway_v1_WaitForEventRequest | null);
  /**
   * As CompleteWorkflow.
   */
  'completeWorkflow'?: (_stepway_v1_CompleteWorkflowRequest | null);
  /**
   * As FailWorkflow.
   */
  'failWorkflow'?: (_stepway_v1_FailWorkflowRequest | null);
  /**
   * As ScheduleCall.
   */
  'scheduleCall'?: (_stepway_v1_ScheduleCallRequest | null);
  /**
   * Records that a DO step's attempt starts (StartStepRequest).
   */
  'startStep'?: (_stepway_v1_StartStepRequest | null);
  /**
   * Starts a child workflow (StartChildRequest); in RecordBatch only.
   */
  'startChild'?: (_stepway_v1_StartChildRequest | null);
  /**
   * The write; unset is answered with an error (INVALID_ARGUMENT, reason INVALID_FIELD, field
   * "command").
   */
  'command'?: "completeStep"|"failStep"|"startSleep"|"waitForEvent"|"completeWorkflow"|"failWorkflow"|"scheduleCall"|"startStep"|"startChild";
}

/**
 * One write of a RecordBatch: the request of the single call it stands for.
 */
export interface WorkerCommand__Output {
  /**
   * As CompleteStep.
   */
  'completeStep'?: (_stepway_v1_CompleteStepRequest__Output | null);
  /**
   * As FailStep.
   */
  'failStep'?: (_stepway_v1_FailStepRequest__Output | null);
  /**
   * As StartSleep.
   */
  'startSleep'?: (_stepway_v1_StartSleepRequest__Output | null);
  /**
   * As WaitForEvent.
   */
  'waitForEvent'?: (_stepway_v1_WaitForEventRequest__Output | null);
  /**
   * As CompleteWorkflow.
   */
  'completeWorkflow'?: (_stepway_v1_CompleteWorkflowRequest__Output | null);
  /**
   * As FailWorkflow.
   */
  'failWorkflow'?: (_stepway_v1_FailWorkflowRequest__Output | null);
  /**
   * As ScheduleCall.
   */
  'scheduleCall'?: (_stepway_v1_ScheduleCallRequest__Output | null);
  /**
   * Records that a DO step's attempt starts (StartStepRequest).
   */
  'startStep'?: (_stepway_v1_StartStepRequest__Output | null);
  /**
   * Starts a child workflow (StartChildRequest); in RecordBatch only.
   */
  'startChild'?: (_stepway_v1_StartChildRequest__Output | null);
  /**
   * The write; unset is answered with an error (INVALID_ARGUMENT, reason INVALID_FIELD, field
   * "command").
   */
  'command'?: "completeStep"|"failStep"|"startSleep"|"waitForEvent"|"completeWorkflow"|"failWorkflow"|"scheduleCall"|"startStep"|"startChild";
}
