// Original file: stepway/v1/worker_service.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CompleteStepRequest as _stepway_v1_CompleteStepRequest, CompleteStepRequest__Output as _stepway_v1_CompleteStepRequest__Output } from '../../stepway/v1/CompleteStepRequest';
import type { CompleteStepResponse as _stepway_v1_CompleteStepResponse, CompleteStepResponse__Output as _stepway_v1_CompleteStepResponse__Output } from '../../stepway/v1/CompleteStepResponse';
import type { CompleteStepTaskRequest as _stepway_v1_CompleteStepTaskRequest, CompleteStepTaskRequest__Output as _stepway_v1_CompleteStepTaskRequest__Output } from '../../stepway/v1/CompleteStepTaskRequest';
import type { CompleteStepTaskResponse as _stepway_v1_CompleteStepTaskResponse, CompleteStepTaskResponse__Output as _stepway_v1_CompleteStepTaskResponse__Output } from '../../stepway/v1/CompleteStepTaskResponse';
import type { CompleteWorkflowRequest as _stepway_v1_CompleteWorkflowRequest, CompleteWorkflowRequest__Output as _stepway_v1_CompleteWorkflowRequest__Output } from '../../stepway/v1/CompleteWorkflowRequest';
import type { CompleteWorkflowResponse as _stepway_v1_CompleteWorkflowResponse, CompleteWorkflowResponse__Output as _stepway_v1_CompleteWorkflowResponse__Output } from '../../stepway/v1/CompleteWorkflowResponse';
import type { FailStepRequest as _stepway_v1_FailStepRequest, FailStepRequest__Output as _stepway_v1_FailStepRequest__Output } from '../../stepway/v1/FailStepRequest';
import type { FailStepResponse as _stepway_v1_FailStepResponse, FailStepResponse__Output as _stepway_v1_FailStepResponse__Output } from '../../stepway/v1/FailStepResponse';
import type { FailStepTaskRequest as _stepway_v1_FailStepTaskRequest, FailStepTaskRequest__Output as _stepway_v1_FailStepTaskRequest__Output } from '../../stepway/v1/FailStepTaskRequest';
import type { FailStepTaskResponse as _stepway_v1_FailStepTaskResponse, FailStepTaskResponse__Output as _stepway_v1_FailStepTaskResponse__Output } from '../../stepway/v1/FailStepTaskResponse';
import type { FailWorkflowRequest as _stepway_v1_FailWorkflowRequest, FailWorkflowRequest__Output as _stepway_v1_FailWorkflowRequest__Output } from '../../stepway/v1/FailWorkflowRequest';
import type { FailWorkflowResponse as _stepway_v1_FailWorkflowResponse, FailWorkflowResponse__Output as _stepway_v1_FailWorkflowResponse__Output } from '../../stepway/v1/FailWorkflowResponse';
import type { GetTaskJournalRequest as _stepway_v1_GetTaskJournalRequest, GetTaskJournalRequest__Output as _stepway_v1_GetTaskJournalRequest__Output } from '../../stepway/v1/GetTaskJournalRequest';
import type { GetTaskJournalResponse as _stepway_v1_GetTaskJournalResponse, GetTaskJournalResponse__Output as _stepway_v1_GetTaskJournalResponse__Output } from '../../stepway/v1/GetTaskJournalResponse';
import type { HeartbeatStepTaskRequest as _stepway_v1_HeartbeatStepTaskRequest, HeartbeatStepTaskRequest__Output as _stepway_v1_HeartbeatStepTaskRequest__Output } from '../../stepway/v1/HeartbeatStepTaskRequest';
import type { HeartbeatStepTaskResponse as _stepway_v1_HeartbeatStepTaskResponse, HeartbeatStepTaskResponse__Output as _stepway_v1_HeartbeatStepTaskResponse__Output } from '../../stepway/v1/HeartbeatStepTaskResponse';
import type { HeartbeatTasksRequest as _stepway_v1_HeartbeatTasksRequest, HeartbeatTasksRequest__Output as _stepway_v1_HeartbeatTasksRequest__Output } from '../../stepway/v1/HeartbeatTasksRequest';
import type { HeartbeatTasksResponse as _stepway_v1_HeartbeatTasksResponse, HeartbeatTasksResponse__Output as _stepway_v1_HeartbeatTasksResponse__Output } from '../../stepway/v1/HeartbeatTasksResponse';
import type { PollStepTasksRequest as _stepway_v1_PollStepTasksRequest, PollStepTasksRequest__Output as _stepway_v1_PollStepTasksRequest__Output } from '../../stepway/v1/PollStepTasksRequest';
import type { PollStepTasksResponse as _stepway_v1_PollStepTasksResponse, PollStepTasksResponse__Output as _stepway_v1_PollStepTasksResponse__Output } from '../../stepway/v1/PollStepTasksResponse';
import type { PollWorkflowTasksRequest as _stepway_v1_PollWorkflowTasksRequest, PollWorkflowTasksRequest__Output as _stepway_v1_PollWorkflowTasksRequest__Output } from '../../stepway/v1/PollWorkflowTasksRequest';
import type { PollWorkflowTasksResponse as _stepway_v1_PollWorkflowTasksResponse, PollWorkflowTasksResponse__Output as _stepway_v1_PollWorkflowTasksResponse__Output } from '../../stepway/v1/PollWorkflowTasksResponse';
import type { RecordBatchRequest as _stepway_v1_RecordBatchRequest, RecordBatchRequest__Output as _stepway_v1_RecordBatchRequest__Output } from '../../stepway/v1/RecordBatchRequest';
import type { RecordBatchResponse as _stepway_v1_RecordBatchResponse, RecordBatchResponse__Output as _stepway_v1_RecordBatchResponse__Output } from '../../stepway/v1/RecordBatchResponse';
import type { RegisterWorkerRequest as _stepway_v1_RegisterWorkerRequest, RegisterWorkerRequest__Output as _stepway_v1_RegisterWorkerRequest__Output } from '../../stepway/v1/RegisterWorkerRequest';
import type { RegisterWorkerResponse as _stepway_v1_RegisterWorkerResponse, RegisterWorkerResponse__Output as _stepway_v1_RegisterWorkerResponse__Output } from '../../stepway/v1/RegisterWorkerResponse';
import type { ReleaseTasksRequest as _stepway_v1_ReleaseTasksRequest, ReleaseTasksRequest__Output as _stepway_v1_ReleaseTasksRequest__Output } from '../../stepway/v1/ReleaseTasksRequest';
import type { ReleaseTasksResponse as _stepway_v1_ReleaseTasksResponse, ReleaseTasksResponse__Output as _stepway_v1_ReleaseTasksResponse__Output } from '../../stepway/v1/ReleaseTasksResponse';
import type { ScheduleCallRequest as _stepway_v1_ScheduleCallRequest, ScheduleCallRequest__Output as _stepway_v1_ScheduleCallRequest__Output } from '../../stepway/v1/ScheduleCallRequest';
import type { ScheduleCallResponse as _stepway_v1_ScheduleCallResponse, ScheduleCallResponse__Output as _stepway_v1_ScheduleCallResponse__Output } from '../../stepway/v1/ScheduleCallResponse';
import type { StartSleepRequest as _stepway_v1_StartSleepRequest, StartSleepRequest__Output as _stepway_v1_StartSleepRequest__Output } from '../../stepway/v1/StartSleepRequest';
import type { StartSleepResponse as _stepway_v1_StartSleepResponse, StartSleepResponse__Output as _stepway_v1_StartSleepResponse__Output } from '../../stepway/v1/StartSleepResponse';
import type { WaitForEventRequest as _stepway_v1_WaitForEventRequest, WaitForEventRequest__Output as _stepway_v1_WaitForEventRequest__Output } from '../../stepway/v1/WaitForEventRequest';
import type { WaitForEventResponse as _stepway_v1_WaitForEventResponse, WaitForEventResponse__Output as _stepway_v1_WaitForEventResponse__Output } from '../../stepway/v1/WaitForEventResponse';

/**
 * What workers call, in any language, with unary calls only.
 * 
 * A worker registers the workflows it runs, then long-polls for workflow tasks. A task hands the
 * worker an instance with its journal and a lease: the worker runs the workflow function from
 * the top, returns journaled step results without running them again, and records each new step
 * before going on. Sleeps, event waits and retry delays end the task (the instance is suspended
 * on the server); a later task replays the journal. Every call that writes carries the task
 * token; once the lease is lost (it expired, or the instance was terminated) the server refuses
 * the write with FAILED_PRECONDITION, reason TASK_LEASE_LOST (errors.proto), and the worker
 * drops the task.
 * 
 * Every call carries `authorization: Bearer <key>` metadata with a key of role worker or admin.
 * A task token that Stepway did not issue is INVALID_ARGUMENT; one of another account's tasks
 * is NOT_FOUND. docs/worker-protocol.md has the call sequence and the replay rules.
 */
export interface WorkerServiceClient extends grpc.Client {
  /**
   * Records a step's result. Sending the same attempt again is a no-op; another attempt of a
   * step already finished is FAILED_PRECONDITION.
   */
  CompleteStep(argument: _stepway_v1_CompleteStepRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_CompleteStepResponse__Output>): grpc.ClientUnaryCall;
  CompleteStep(argument: _stepway_v1_CompleteStepRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_CompleteStepResponse__Output>): grpc.ClientUnaryCall;
  CompleteStep(argument: _stepway_v1_CompleteStepRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_CompleteStepResponse__Output>): grpc.ClientUnaryCall;
  CompleteStep(argument: _stepway_v1_CompleteStepRequest, callback: grpc.requestCallback<_stepway_v1_CompleteStepResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Records a step's result. Sending the same attempt again is a no-op; another attempt of a
   * step already finished is FAILED_PRECONDITION.
   */
  completeStep(argument: _stepway_v1_CompleteStepRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_CompleteStepResponse__Output>): grpc.ClientUnaryCall;
  completeStep(argument: _stepway_v1_CompleteStepRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_CompleteStepResponse__Output>): grpc.ClientUnaryCall;
  completeStep(argument: _stepway_v1_CompleteStepRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_CompleteStepResponse__Output>): grpc.ClientUnaryCall;
  completeStep(argument: _stepway_v1_CompleteStepRequest, callback: grpc.requestCallback<_stepway_v1_CompleteStepResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Records a step task's result: the CALL step succeeds. A token whose attempt timed out, or
   * whose call was retried, finished or cancelled since, is FAILED_PRECONDITION
   * ("task lease lost").
   */
  CompleteStepTask(argument: _stepway_v1_CompleteStepTaskRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_CompleteStepTaskResponse__Output>): grpc.ClientUnaryCall;
  CompleteStepTask(argument: _stepway_v1_CompleteStepTaskRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_CompleteStepTaskResponse__Output>): grpc.ClientUnaryCall;
  CompleteStepTask(argument: _stepway_v1_CompleteStepTaskRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_CompleteStepTaskResponse__Output>): grpc.ClientUnaryCall;
  CompleteStepTask(argument: _stepway_v1_CompleteStepTaskRequest, callback: grpc.requestCallback<_stepway_v1_CompleteStepTaskResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Records a step task's result: the CALL step succeeds. A token whose attempt timed out, or
   * whose call was retried, finished or cancelled since, is FAILED_PRECONDITION
   * ("task lease lost").
   */
  completeStepTask(argument: _stepway_v1_CompleteStepTaskRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_CompleteStepTaskResponse__Output>): grpc.ClientUnaryCall;
  completeStepTask(argument: _stepway_v1_CompleteStepTaskRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_CompleteStepTaskResponse__Output>): grpc.ClientUnaryCall;
  completeStepTask(argument: _stepway_v1_CompleteStepTaskRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_CompleteStepTaskResponse__Output>): grpc.ClientUnaryCall;
  completeStepTask(argument: _stepway_v1_CompleteStepTaskRequest, callback: grpc.requestCallback<_stepway_v1_CompleteStepTaskResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Ends the instance as complete with its output.
   */
  CompleteWorkflow(argument: _stepway_v1_CompleteWorkflowRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_CompleteWorkflowResponse__Output>): grpc.ClientUnaryCall;
  CompleteWorkflow(argument: _stepway_v1_CompleteWorkflowRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_CompleteWorkflowResponse__Output>): grpc.ClientUnaryCall;
  CompleteWorkflow(argument: _stepway_v1_CompleteWorkflowRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_CompleteWorkflowResponse__Output>): grpc.ClientUnaryCall;
  CompleteWorkflow(argument: _stepway_v1_CompleteWorkflowRequest, callback: grpc.requestCallback<_stepway_v1_CompleteWorkflowResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Ends the instance as complete with its output.
   */
  completeWorkflow(argument: _stepway_v1_CompleteWorkflowRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_CompleteWorkflowResponse__Output>): grpc.ClientUnaryCall;
  completeWorkflow(argument: _stepway_v1_CompleteWorkflowRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_CompleteWorkflowResponse__Output>): grpc.ClientUnaryCall;
  completeWorkflow(argument: _stepway_v1_CompleteWorkflowRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_CompleteWorkflowResponse__Output>): grpc.ClientUnaryCall;
  completeWorkflow(argument: _stepway_v1_CompleteWorkflowRequest, callback: grpc.requestCallback<_stepway_v1_CompleteWorkflowResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Records a failed step attempt; the server schedules the retry or marks the step failed.
   */
  FailStep(argument: _stepway_v1_FailStepRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_FailStepResponse__Output>): grpc.ClientUnaryCall;
  FailStep(argument: _stepway_v1_FailStepRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_FailStepResponse__Output>): grpc.ClientUnaryCall;
  FailStep(argument: _stepway_v1_FailStepRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_FailStepResponse__Output>): grpc.ClientUnaryCall;
  FailStep(argument: _stepway_v1_FailStepRequest, callback: grpc.requestCallback<_stepway_v1_FailStepResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Records a failed step attempt; the server schedules the retry or marks the step failed.
   */
  failStep(argument: _stepway_v1_FailStepRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_FailStepResponse__Output>): grpc.ClientUnaryCall;
  failStep(argument: _stepway_v1_FailStepRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_FailStepResponse__Output>): grpc.ClientUnaryCall;
  failStep(argument: _stepway_v1_FailStepRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_FailStepResponse__Output>): grpc.ClientUnaryCall;
  failStep(argument: _stepway_v1_FailStepRequest, callback: grpc.requestCallback<_stepway_v1_FailStepResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Records a failed attempt of a step task: the shard schedules the next attempt by the
   * call's RetryPolicy, or fails the CALL step for good.
   */
  FailStepTask(argument: _stepway_v1_FailStepTaskRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_FailStepTaskResponse__Output>): grpc.ClientUnaryCall;
  FailStepTask(argument: _stepway_v1_FailStepTaskRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_FailStepTaskResponse__Output>): grpc.ClientUnaryCall;
  FailStepTask(argument: _stepway_v1_FailStepTaskRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_FailStepTaskResponse__Output>): grpc.ClientUnaryCall;
  FailStepTask(argument: _stepway_v1_FailStepTaskRequest, callback: grpc.requestCallback<_stepway_v1_FailStepTaskResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Records a failed attempt of a step task: the shard schedules the next attempt by the
   * call's RetryPolicy, or fails the CALL step for good.
   */
  failStepTask(argument: _stepway_v1_FailStepTaskRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_FailStepTaskResponse__Output>): grpc.ClientUnaryCall;
  failStepTask(argument: _stepway_v1_FailStepTaskRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_FailStepTaskResponse__Output>): grpc.ClientUnaryCall;
  failStepTask(argument: _stepway_v1_FailStepTaskRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_FailStepTaskResponse__Output>): grpc.ClientUnaryCall;
  failStepTask(argument: _stepway_v1_FailStepTaskRequest, callback: grpc.requestCallback<_stepway_v1_FailStepTaskResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Ends the instance as errored.
   */
  FailWorkflow(argument: _stepway_v1_FailWorkflowRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_FailWorkflowResponse__Output>): grpc.ClientUnaryCall;
  FailWorkflow(argument: _stepway_v1_FailWorkflowRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_FailWorkflowResponse__Output>): grpc.ClientUnaryCall;
  FailWorkflow(argument: _stepway_v1_FailWorkflowRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_FailWorkflowResponse__Output>): grpc.ClientUnaryCall;
  FailWorkflow(argument: _stepway_v1_FailWorkflowRequest, callback: grpc.requestCallback<_stepway_v1_FailWorkflowResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Ends the instance as errored.
   */
  failWorkflow(argument: _stepway_v1_FailWorkflowRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_FailWorkflowResponse__Output>): grpc.ClientUnaryCall;
  failWorkflow(argument: _stepway_v1_FailWorkflowRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_FailWorkflowResponse__Output>): grpc.ClientUnaryCall;
  failWorkflow(argument: _stepway_v1_FailWorkflowRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_FailWorkflowResponse__Output>): grpc.ClientUnaryCall;
  failWorkflow(argument: _stepway_v1_FailWorkflowRequest, callback: grpc.requestCallback<_stepway_v1_FailWorkflowResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * The rest of a task's journal, a page at a time, when WorkflowTask.next_journal_page_token
   * is set: read every page before replaying. Only the worker holding the task's lease may
   * read it (FAILED_PRECONDITION "task lease lost" otherwise).
   */
  GetTaskJournal(argument: _stepway_v1_GetTaskJournalRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_GetTaskJournalResponse__Output>): grpc.ClientUnaryCall;
  GetTaskJournal(argument: _stepway_v1_GetTaskJournalRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_GetTaskJournalResponse__Output>): grpc.ClientUnaryCall;
  GetTaskJournal(argument: _stepway_v1_GetTaskJournalRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_GetTaskJournalResponse__Output>): grpc.ClientUnaryCall;
  GetTaskJournal(argument: _stepway_v1_GetTaskJournalRequest, callback: grpc.requestCallback<_stepway_v1_GetTaskJournalResponse__Output>): grpc.ClientUnaryCall;
  /**
   * The rest of a task's journal, a page at a time, when WorkflowTask.next_journal_page_token
   * is set: read every page before replaying. Only the worker holding the task's lease may
   * read it (FAILED_PRECONDITION "task lease lost" otherwise).
   */
  getTaskJournal(argument: _stepway_v1_GetTaskJournalRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_GetTaskJournalResponse__Output>): grpc.ClientUnaryCall;
  getTaskJournal(argument: _stepway_v1_GetTaskJournalRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_GetTaskJournalResponse__Output>): grpc.ClientUnaryCall;
  getTaskJournal(argument: _stepway_v1_GetTaskJournalRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_GetTaskJournalResponse__Output>): grpc.ClientUnaryCall;
  getTaskJournal(argument: _stepway_v1_GetTaskJournalRequest, callback: grpc.requestCallback<_stepway_v1_GetTaskJournalResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Tells the shard a step task is still being worked on: extends its heartbeat deadline and
   * keeps progress details that a later attempt receives.
   */
  HeartbeatStepTask(argument: _stepway_v1_HeartbeatStepTaskRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_HeartbeatStepTaskResponse__Output>): grpc.ClientUnaryCall;
  HeartbeatStepTask(argument: _stepway_v1_HeartbeatStepTaskRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_HeartbeatStepTaskResponse__Output>): grpc.ClientUnaryCall;
  HeartbeatStepTask(argument: _stepway_v1_HeartbeatStepTaskRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_HeartbeatStepTaskResponse__Output>): grpc.ClientUnaryCall;
  HeartbeatStepTask(argument: _stepway_v1_HeartbeatStepTaskRequest, callback: grpc.requestCallback<_stepway_v1_HeartbeatStepTaskResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Tells the shard a step task is still being worked on: extends its heartbeat deadline and
   * keeps progress details that a later attempt receives.
   */
  heartbeatStepTask(argument: _stepway_v1_HeartbeatStepTaskRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_HeartbeatStepTaskResponse__Output>): grpc.ClientUnaryCall;
  heartbeatStepTask(argument: _stepway_v1_HeartbeatStepTaskRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_HeartbeatStepTaskResponse__Output>): grpc.ClientUnaryCall;
  heartbeatStepTask(argument: _stepway_v1_HeartbeatStepTaskRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_HeartbeatStepTaskResponse__Output>): grpc.ClientUnaryCall;
  heartbeatStepTask(argument: _stepway_v1_HeartbeatStepTaskRequest, callback: grpc.requestCallback<_stepway_v1_HeartbeatStepTaskResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Extends the leases of tasks a worker still holds; answers the ones it lost.
   */
  HeartbeatTasks(argument: _stepway_v1_HeartbeatTasksRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_HeartbeatTasksResponse__Output>): grpc.ClientUnaryCall;
  HeartbeatTasks(argument: _stepway_v1_HeartbeatTasksRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_HeartbeatTasksResponse__Output>): grpc.ClientUnaryCall;
  HeartbeatTasks(argument: _stepway_v1_HeartbeatTasksRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_HeartbeatTasksResponse__Output>): grpc.ClientUnaryCall;
  HeartbeatTasks(argument: _stepway_v1_HeartbeatTasksRequest, callback: grpc.requestCallback<_stepway_v1_HeartbeatTasksResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Extends the leases of tasks a worker still holds; answers the ones it lost.
   */
  heartbeatTasks(argument: _stepway_v1_HeartbeatTasksRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_HeartbeatTasksResponse__Output>): grpc.ClientUnaryCall;
  heartbeatTasks(argument: _stepway_v1_HeartbeatTasksRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_HeartbeatTasksResponse__Output>): grpc.ClientUnaryCall;
  heartbeatTasks(argument: _stepway_v1_HeartbeatTasksRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_HeartbeatTasksResponse__Output>): grpc.ClientUnaryCall;
  heartbeatTasks(argument: _stepway_v1_HeartbeatTasksRequest, callback: grpc.requestCallback<_stepway_v1_HeartbeatTasksResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Long-polls for step tasks of a step task queue: attempts of CALL steps.
   */
  PollStepTasks(argument: _stepway_v1_PollStepTasksRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_PollStepTasksResponse__Output>): grpc.ClientUnaryCall;
  PollStepTasks(argument: _stepway_v1_PollStepTasksRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_PollStepTasksResponse__Output>): grpc.ClientUnaryCall;
  PollStepTasks(argument: _stepway_v1_PollStepTasksRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_PollStepTasksResponse__Output>): grpc.ClientUnaryCall;
  PollStepTasks(argument: _stepway_v1_PollStepTasksRequest, callback: grpc.requestCallback<_stepway_v1_PollStepTasksResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Long-polls for step tasks of a step task queue: attempts of CALL steps.
   */
  pollStepTasks(argument: _stepway_v1_PollStepTasksRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_PollStepTasksResponse__Output>): grpc.ClientUnaryCall;
  pollStepTasks(argument: _stepway_v1_PollStepTasksRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_PollStepTasksResponse__Output>): grpc.ClientUnaryCall;
  pollStepTasks(argument: _stepway_v1_PollStepTasksRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_PollStepTasksResponse__Output>): grpc.ClientUnaryCall;
  pollStepTasks(argument: _stepway_v1_PollStepTasksRequest, callback: grpc.requestCallback<_stepway_v1_PollStepTasksResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Long-polls for workflow tasks. Keep one poll open: a dropped connection releases the
   * worker's tasks.
   */
  PollWorkflowTasks(argument: _stepway_v1_PollWorkflowTasksRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_PollWorkflowTasksResponse__Output>): grpc.ClientUnaryCall;
  PollWorkflowTasks(argument: _stepway_v1_PollWorkflowTasksRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_PollWorkflowTasksResponse__Output>): grpc.ClientUnaryCall;
  PollWorkflowTasks(argument: _stepway_v1_PollWorkflowTasksRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_PollWorkflowTasksResponse__Output>): grpc.ClientUnaryCall;
  PollWorkflowTasks(argument: _stepway_v1_PollWorkflowTasksRequest, callback: grpc.requestCallback<_stepway_v1_PollWorkflowTasksResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Long-polls for workflow tasks. Keep one poll open: a dropped connection releases the
   * worker's tasks.
   */
  pollWorkflowTasks(argument: _stepway_v1_PollWorkflowTasksRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_PollWorkflowTasksResponse__Output>): grpc.ClientUnaryCall;
  pollWorkflowTasks(argument: _stepway_v1_PollWorkflowTasksRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_PollWorkflowTasksResponse__Output>): grpc.ClientUnaryCall;
  pollWorkflowTasks(argument: _stepway_v1_PollWorkflowTasksRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_PollWorkflowTasksResponse__Output>): grpc.ClientUnaryCall;
  pollWorkflowTasks(argument: _stepway_v1_PollWorkflowTasksRequest, callback: grpc.requestCallback<_stepway_v1_PollWorkflowTasksResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Several task writes in one call: what a busy worker sends instead of one call per write.
   * Each command succeeds or fails on its own, exactly as its single call would; results come
   * back in the order of the commands.
   */
  RecordBatch(argument: _stepway_v1_RecordBatchRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_RecordBatchResponse__Output>): grpc.ClientUnaryCall;
  RecordBatch(argument: _stepway_v1_RecordBatchRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_RecordBatchResponse__Output>): grpc.ClientUnaryCall;
  RecordBatch(argument: _stepway_v1_RecordBatchRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_RecordBatchResponse__Output>): grpc.ClientUnaryCall;
  RecordBatch(argument: _stepway_v1_RecordBatchRequest, callback: grpc.requestCallback<_stepway_v1_RecordBatchResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Several task writes in one call: what a busy worker sends instead of one call per write.
   * Each command succeeds or fails on its own, exactly as its single call would; results come
   * back in the order of the commands.
   */
  recordBatch(argument: _stepway_v1_RecordBatchRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_RecordBatchResponse__Output>): grpc.ClientUnaryCall;
  recordBatch(argument: _stepway_v1_RecordBatchRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_RecordBatchResponse__Output>): grpc.ClientUnaryCall;
  recordBatch(argument: _stepway_v1_RecordBatchRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_RecordBatchResponse__Output>): grpc.ClientUnaryCall;
  recordBatch(argument: _stepway_v1_RecordBatchRequest, callback: grpc.requestCallback<_stepway_v1_RecordBatchResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Declares the workflows a worker runs on a task queue. Until a workflow is registered in
   * the account, CreateInstance of it is NOT_FOUND.
   */
  RegisterWorker(argument: _stepway_v1_RegisterWorkerRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_RegisterWorkerResponse__Output>): grpc.ClientUnaryCall;
  RegisterWorker(argument: _stepway_v1_RegisterWorkerRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_RegisterWorkerResponse__Output>): grpc.ClientUnaryCall;
  RegisterWorker(argument: _stepway_v1_RegisterWorkerRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_RegisterWorkerResponse__Output>): grpc.ClientUnaryCall;
  RegisterWorker(argument: _stepway_v1_RegisterWorkerRequest, callback: grpc.requestCallback<_stepway_v1_RegisterWorkerResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Declares the workflows a worker runs on a task queue. Until a workflow is registered in
   * the account, CreateInstance of it is NOT_FOUND.
   */
  registerWorker(argument: _stepway_v1_RegisterWorkerRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_RegisterWorkerResponse__Output>): grpc.ClientUnaryCall;
  registerWorker(argument: _stepway_v1_RegisterWorkerRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_RegisterWorkerResponse__Output>): grpc.ClientUnaryCall;
  registerWorker(argument: _stepway_v1_RegisterWorkerRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_RegisterWorkerResponse__Output>): grpc.ClientUnaryCall;
  registerWorker(argument: _stepway_v1_RegisterWorkerRequest, callback: grpc.requestCallback<_stepway_v1_RegisterWorkerResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Gives tasks back at once (a worker shutting down); they are dispatched again.
   */
  ReleaseTasks(argument: _stepway_v1_ReleaseTasksRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_ReleaseTasksResponse__Output>): grpc.ClientUnaryCall;
  ReleaseTasks(argument: _stepway_v1_ReleaseTasksRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_ReleaseTasksResponse__Output>): grpc.ClientUnaryCall;
  ReleaseTasks(argument: _stepway_v1_ReleaseTasksRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_ReleaseTasksResponse__Output>): grpc.ClientUnaryCall;
  ReleaseTasks(argument: _stepway_v1_ReleaseTasksRequest, callback: grpc.requestCallback<_stepway_v1_ReleaseTasksResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Gives tasks back at once (a worker shutting down); they are dispatched again.
   */
  releaseTasks(argument: _stepway_v1_ReleaseTasksRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_ReleaseTasksResponse__Output>): grpc.ClientUnaryCall;
  releaseTasks(argument: _stepway_v1_ReleaseTasksRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_ReleaseTasksResponse__Output>): grpc.ClientUnaryCall;
  releaseTasks(argument: _stepway_v1_ReleaseTasksRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_ReleaseTasksResponse__Output>): grpc.ClientUnaryCall;
  releaseTasks(argument: _stepway_v1_ReleaseTasksRequest, callback: grpc.requestCallback<_stepway_v1_ReleaseTasksResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Starts a CALL step from a workflow task: the step's task goes on a step task queue, where
   * a step worker (in any language) takes it. The instance waits for the call, holding no
   * worker; the shard enforces the call's timeouts and retries, and once the call succeeds or
   * fails for good the instance is queued again and the journal holds the outcome.
   */
  ScheduleCall(argument: _stepway_v1_ScheduleCallRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_ScheduleCallResponse__Output>): grpc.ClientUnaryCall;
  ScheduleCall(argument: _stepway_v1_ScheduleCallRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_ScheduleCallResponse__Output>): grpc.ClientUnaryCall;
  ScheduleCall(argument: _stepway_v1_ScheduleCallRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_ScheduleCallResponse__Output>): grpc.ClientUnaryCall;
  ScheduleCall(argument: _stepway_v1_ScheduleCallRequest, callback: grpc.requestCallback<_stepway_v1_ScheduleCallResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Starts a CALL step from a workflow task: the step's task goes on a step task queue, where
   * a step worker (in any language) takes it. The instance waits for the call, holding no
   * worker; the shard enforces the call's timeouts and retries, and once the call succeeds or
   * fails for good the instance is queued again and the journal holds the outcome.
   */
  scheduleCall(argument: _stepway_v1_ScheduleCallRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_ScheduleCallResponse__Output>): grpc.ClientUnaryCall;
  scheduleCall(argument: _stepway_v1_ScheduleCallRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_ScheduleCallResponse__Output>): grpc.ClientUnaryCall;
  scheduleCall(argument: _stepway_v1_ScheduleCallRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_ScheduleCallResponse__Output>): grpc.ClientUnaryCall;
  scheduleCall(argument: _stepway_v1_ScheduleCallRequest, callback: grpc.requestCallback<_stepway_v1_ScheduleCallResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Suspends the instance until a time.
   */
  StartSleep(argument: _stepway_v1_StartSleepRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_StartSleepResponse__Output>): grpc.ClientUnaryCall;
  StartSleep(argument: _stepway_v1_StartSleepRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_StartSleepResponse__Output>): grpc.ClientUnaryCall;
  StartSleep(argument: _stepway_v1_StartSleepRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_StartSleepResponse__Output>): grpc.ClientUnaryCall;
  StartSleep(argument: _stepway_v1_StartSleepRequest, callback: grpc.requestCallback<_stepway_v1_StartSleepResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Suspends the instance until a time.
   */
  startSleep(argument: _stepway_v1_StartSleepRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_StartSleepResponse__Output>): grpc.ClientUnaryCall;
  startSleep(argument: _stepway_v1_StartSleepRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_StartSleepResponse__Output>): grpc.ClientUnaryCall;
  startSleep(argument: _stepway_v1_StartSleepRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_StartSleepResponse__Output>): grpc.ClientUnaryCall;
  startSleep(argument: _stepway_v1_StartSleepRequest, callback: grpc.requestCallback<_stepway_v1_StartSleepResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Takes a buffered event of a type, or suspends the instance until one arrives or the wait
   * times out.
   */
  WaitForEvent(argument: _stepway_v1_WaitForEventRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_WaitForEventResponse__Output>): grpc.ClientUnaryCall;
  WaitForEvent(argument: _stepway_v1_WaitForEventRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_WaitForEventResponse__Output>): grpc.ClientUnaryCall;
  WaitForEvent(argument: _stepway_v1_WaitForEventRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_WaitForEventResponse__Output>): grpc.ClientUnaryCall;
  WaitForEvent(argument: _stepway_v1_WaitForEventRequest, callback: grpc.requestCallback<_stepway_v1_WaitForEventResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Takes a buffered event of a type, or suspends the instance until one arrives or the wait
   * times out.
   */
  waitForEvent(argument: _stepway_v1_WaitForEventRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_WaitForEventResponse__Output>): grpc.ClientUnaryCall;
  waitForEvent(argument: _stepway_v1_WaitForEventRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_WaitForEventResponse__Output>): grpc.ClientUnaryCall;
  waitForEvent(argument: _stepway_v1_WaitForEventRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_WaitForEventResponse__Output>): grpc.ClientUnaryCall;
  waitForEvent(argument: _stepway_v1_WaitForEventRequest, callback: grpc.requestCallback<_stepway_v1_WaitForEventResponse__Output>): grpc.ClientUnaryCall;
  
}

/**
 * What workers call, in any language, with unary calls only.
 * 
 * A worker registers the workflows it runs, then long-polls for workflow tasks. A task hands the
 * worker an instance with its journal and a lease: the worker runs the workflow function from
 * the top, returns journaled step results without running them again, and records each new step
 * before going on. Sleeps, event waits and retry delays end the task (the instance is suspended
 * on the server); a later task replays the journal. Every call that writes carries the task
 * token; once the lease is lost (it expired, or the instance was terminated) the server refuses
 * the write with FAILED_PRECONDITION, reason TASK_LEASE_LOST (errors.proto), and the worker
 * drops the task.
 * 
 * Every call carries `authorization: Bearer <key>` metadata with a key of role worker or admin.
 * A task token that Stepway did not issue is INVALID_ARGUMENT; one of another account's tasks
 * is NOT_FOUND. docs/worker-protocol.md has the call sequence and the replay rules.
 */
export interface WorkerServiceHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Records a step's result. Sending the same attempt again is a no-op; another attempt of a
   * step already finished is FAILED_PRECONDITION.
   */
  CompleteStep: grpc.handleUnaryCall<_stepway_v1_CompleteStepRequest__Output, _stepway_v1_CompleteStepResponse>;
  
  /**
   * Records a step task's result: the CALL step succeeds. A token whose attempt timed out, or
   * whose call was retried, finished or cancelled since, is FAILED_PRECONDITION
   * ("task lease lost").
   */
  CompleteStepTask: grpc.handleUnaryCall<_stepway_v1_CompleteStepTaskRequest__Output, _stepway_v1_CompleteStepTaskResponse>;
  
  /**
   * Ends the instance as complete with its output.
   */
  CompleteWorkflow: grpc.handleUnaryCall<_stepway_v1_CompleteWorkflowRequest__Output, _stepway_v1_CompleteWorkflowResponse>;
  
  /**
   * Records a failed step attempt; the server schedules the retry or marks the step failed.
   */
  FailStep: grpc.handleUnaryCall<_stepway_v1_FailStepRequest__Output, _stepway_v1_FailStepResponse>;
  
  /**
   * Records a failed attempt of a step task: the shard schedules the next attempt by the
   * call's RetryPolicy, or fails the CALL step for good.
   */
  FailStepTask: grpc.handleUnaryCall<_stepway_v1_FailStepTaskRequest__Output, _stepway_v1_FailStepTaskResponse>;
  
  /**
   * Ends the instance as errored.
   */
  FailWorkflow: grpc.handleUnaryCall<_stepway_v1_FailWorkflowRequest__Output, _stepway_v1_FailWorkflowResponse>;
  
  /**
   * The rest of a task's journal, a page at a time, when WorkflowTask.next_journal_page_token
   * is set: read every page before replaying. Only the worker holding the task's lease may
   * read it (FAILED_PRECONDITION "task lease lost" otherwise).
   */
  GetTaskJournal: grpc.handleUnaryCall<_stepway_v1_GetTaskJournalRequest__Output, _stepway_v1_GetTaskJournalResponse>;
  
  /**
   * Tells the shard a step task is still being worked on: extends its heartbeat deadline and
   * keeps progress details that a later attempt receives.
   */
  HeartbeatStepTask: grpc.handleUnaryCall<_stepway_v1_HeartbeatStepTaskRequest__Output, _stepway_v1_HeartbeatStepTaskResponse>;
  
  /**
   * Extends the leases of tasks a worker still holds; answers the ones it lost.
   */
  HeartbeatTasks: grpc.handleUnaryCall<_stepway_v1_HeartbeatTasksRequest__Output, _stepway_v1_HeartbeatTasksResponse>;
  
  /**
   * Long-polls for step tasks of a step task queue: attempts of CALL steps.
   */
  PollStepTasks: grpc.handleUnaryCall<_stepway_v1_PollStepTasksRequest__Output, _stepway_v1_PollStepTasksResponse>;
  
  /**
   * Long-polls for workflow tasks. Keep one poll open: a dropped connection releases the
   * worker's tasks.
   */
  PollWorkflowTasks: grpc.handleUnaryCall<_stepway_v1_PollWorkflowTasksRequest__Output, _stepway_v1_PollWorkflowTasksResponse>;
  
  /**
   * Several task writes in one call: what a busy worker sends instead of one call per write.
   * Each command succeeds or fails on its own, exactly as its single call would; results come
   * back in the order of the commands.
   */
  RecordBatch: grpc.handleUnaryCall<_stepway_v1_RecordBatchRequest__Output, _stepway_v1_RecordBatchResponse>;
  
  /**
   * Declares the workflows a worker runs on a task queue. Until a workflow is registered in
   * the account, CreateInstance of it is NOT_FOUND.
   */
  RegisterWorker: grpc.handleUnaryCall<_stepway_v1_RegisterWorkerRequest__Output, _stepway_v1_RegisterWorkerResponse>;
  
  /**
   * Gives tasks back at once (a worker shutting down); they are dispatched again.
   */
  ReleaseTasks: grpc.handleUnaryCall<_stepway_v1_ReleaseTasksRequest__Output, _stepway_v1_ReleaseTasksResponse>;
  
  /**
   * Starts a CALL step from a workflow task: the step's task goes on a step task queue, where
   * a step worker (in any language) takes it. The instance waits for the call, holding no
   * worker; the shard enforces the call's timeouts and retries, and once the call succeeds or
   * fails for good the instance is queued again and the journal holds the outcome.
   */
  ScheduleCall: grpc.handleUnaryCall<_stepway_v1_ScheduleCallRequest__Output, _stepway_v1_ScheduleCallResponse>;
  
  /**
   * Suspends the instance until a time.
   */
  StartSleep: grpc.handleUnaryCall<_stepway_v1_StartSleepRequest__Output, _stepway_v1_StartSleepResponse>;
  
  /**
   * Takes a buffered event of a type, or suspends the instance until one arrives or the wait
   * times out.
   */
  WaitForEvent: grpc.handleUnaryCall<_stepway_v1_WaitForEventRequest__Output, _stepway_v1_WaitForEventResponse>;
  
}

export interface WorkerServiceDefinition extends grpc.ServiceDefinition {
  CompleteStep: MethodDefinition<_stepway_v1_CompleteStepRequest, _stepway_v1_CompleteStepResponse, _stepway_v1_CompleteStepRequest__Output, _stepway_v1_CompleteStepResponse__Output>
  CompleteStepTask: MethodDefinition<_stepway_v1_CompleteStepTaskRequest, _stepway_v1_CompleteStepTaskResponse, _stepway_v1_CompleteStepTaskRequest__Output, _stepway_v1_CompleteStepTaskResponse__Output>
  CompleteWorkflow: MethodDefinition<_stepway_v1_CompleteWorkflowRequest, _stepway_v1_CompleteWorkflowResponse, _stepway_v1_CompleteWorkflowRequest__Output, _stepway_v1_CompleteWorkflowResponse__Output>
  FailStep: MethodDefinition<_stepway_v1_FailStepRequest, _stepway_v1_FailStepResponse, _stepway_v1_FailStepRequest__Output, _stepway_v1_FailStepResponse__Output>
  FailStepTask: MethodDefinition<_stepway_v1_FailStepTaskRequest, _stepway_v1_FailStepTaskResponse, _stepway_v1_FailStepTaskRequest__Output, _stepway_v1_FailStepTaskResponse__Output>
  FailWorkflow: MethodDefinition<_stepway_v1_FailWorkflowRequest, _stepway_v1_FailWorkflowResponse, _stepway_v1_FailWorkflowRequest__Output, _stepway_v1_FailWorkflowResponse__Output>
  GetTaskJournal: MethodDefinition<_stepway_v1_GetTaskJournalRequest, _stepway_v1_GetTaskJournalResponse, _stepway_v1_GetTaskJournalRequest__Output, _stepway_v1_GetTaskJournalResponse__Output>
  HeartbeatStepTask: MethodDefinition<_stepway_v1_HeartbeatStepTaskRequest, _stepway_v1_HeartbeatStepTaskResponse, _stepway_v1_HeartbeatStepTaskRequest__Output, _stepway_v1_HeartbeatStepTaskResponse__Output>
  HeartbeatTasks: MethodDefinition<_stepway_v1_HeartbeatTasksRequest, _stepway_v1_HeartbeatTasksResponse, _stepway_v1_HeartbeatTasksRequest__Output, _stepway_v1_HeartbeatTasksResponse__Output>
  PollStepTasks: MethodDefinition<_stepway_v1_PollStepTasksRequest, _stepway_v1_PollStepTasksResponse, _stepway_v1_PollStepTasksRequest__Output, _stepway_v1_PollStepTasksResponse__Output>
  PollWorkflowTasks: MethodDefinition<_stepway_v1_PollWorkflowTasksRequest, _stepway_v1_PollWorkflowTasksResponse, _stepway_v1_PollWorkflowTasksRequest__Output, _stepway_v1_PollWorkflowTasksResponse__Output>
  RecordBatch: MethodDefinition<_stepway_v1_RecordBatchRequest, _stepway_v1_RecordBatchResponse, _stepway_v1_RecordBatchRequest__Output, _stepway_v1_RecordBatchResponse__Output>
  RegisterWorker: MethodDefinition<_stepway_v1_RegisterWorkerRequest, _stepway_v1_RegisterWorkerResponse, _stepway_v1_RegisterWorkerRequest__Output, _stepway_v1_RegisterWorkerResponse__Output>
  ReleaseTasks: MethodDefinition<_stepway_v1_ReleaseTasksRequest, _stepway_v1_ReleaseTasksResponse, _stepway_v1_ReleaseTasksRequest__Output, _stepway_v1_ReleaseTasksResponse__Output>
  ScheduleCall: MethodDefinition<_stepway_v1_ScheduleCallRequest, _stepway_v1_ScheduleCallResponse, _stepway_v1_ScheduleCallRequest__Output, _stepway_v1_ScheduleCallResponse__Output>
  StartSleep: MethodDefinition<_stepway_v1_StartSleepRequest, _stepway_v1_StartSleepResponse, _stepway_v1_StartSleepRequest__Output, _stepway_v1_StartSleepResponse__Output>
  WaitForEvent: MethodDefinition<_stepway_v1_WaitForEventRequest, _stepway_v1_WaitForEventResponse, _stepway_v1_WaitForEventRequest__Output, _stepway_v1_WaitForEventResponse__Output>
}
