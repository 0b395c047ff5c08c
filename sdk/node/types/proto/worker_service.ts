import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Any as _google_protobuf_Any, Any__Output as _google_protobuf_Any__Output } from './google/protobuf/Any';
import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from './google/protobuf/Duration';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from './google/protobuf/Timestamp';
import type { Status as _google_rpc_Status, Status__Output as _google_rpc_Status__Output } from './google/rpc/Status';
import type { ChildLink as _stepway_v1_ChildLink, ChildLink__Output as _stepway_v1_ChildLink__Output } from './stepway/v1/ChildLink';
import type { CommandResult as _stepway_v1_CommandResult, CommandResult__Output as _stepway_v1_CommandResult__Output } from './stepway/v1/CommandResult';
import type { CompleteStepRequest as _stepway_v1_CompleteStepRequest, CompleteStepRequest__Output as _stepway_v1_CompleteStepRequest__Output } from './stepway/v1/CompleteStepRequest';
import type { CompleteStepResponse as _stepway_v1_CompleteStepResponse, CompleteStepResponse__Output as _stepway_v1_CompleteStepResponse__Output } from './stepway/v1/CompleteStepResponse';
import type { CompleteStepTaskRequest as _stepway_v1_CompleteStepTaskRequest, CompleteStepTaskRequest__Output as _stepway_v1_CompleteStepTaskRequest__Output } from './stepway/v1/CompleteStepTaskRequest';
import type { CompleteStepTaskResponse as _stepway_v1_CompleteStepTaskResponse, CompleteStepTaskResponse__Output as _stepway_v1_CompleteStepTaskResponse__Output } from './stepway/v1/CompleteStepTaskResponse';
import type { CompleteWorkflowRequest as _stepway_v1_CompleteWorkflowRequest, CompleteWorkflowRequest__Output as _stepway_v1_CompleteWorkflowRequest__Output } from './stepway/v1/CompleteWorkflowRequest';
import type { CompleteWorkflowResponse as _stepway_v1_CompleteWorkflowResponse, CompleteWorkflowResponse__Output as _stepway_v1_CompleteWorkflowResponse__Output } from './stepway/v1/CompleteWorkflowResponse';
import type { Event as _stepway_v1_Event, Event__Output as _stepway_v1_Event__Output } from './stepway/v1/Event';
import type { FailStepRequest as _stepway_v1_FailStepRequest, FailStepRequest__Output as _stepway_v1_FailStepRequest__Output } from './stepway/v1/FailStepRequest';
import type { FailStepResponse as _stepway_v1_FailStepResponse, FailStepResponse__Output as _stepway_v1_FailStepResponse__Output } from './stepway/v1/FailStepResponse';
import type { FailStepTaskRequest as _stepway_v1_FailStepTaskRequest, FailStepTaskRequest__Output as _stepway_v1_FailStepTaskRequest__Output } from './stepway/v1/FailStepTaskRequest';
import type { FailStepTaskResponse as _stepway_v1_FailStepTaskResponse, FailStepTaskResponse__Output as _stepway_v1_FailStepTaskResponse__Output } from './stepway/v1/FailStepTaskResponse';
import type { FailWorkflowRequest as _stepway_v1_FailWorkflowRequest, FailWorkflowRequest__Output as _stepway_v1_FailWorkflowRequest__Output } from './stepway/v1/FailWorkflowRequest';
import type { FailWorkflowResponse as _stepway_v1_FailWorkflowResponse, FailWorkflowResponse__Output as _stepway_v1_FailWorkflowResponse__Output } from './stepway/v1/FailWorkflowResponse';
import type { Failure as _stepway_v1_Failure, Failure__Output as _stepway_v1_Failure__Output } from './stepway/v1/Failure';
import type { GetTaskJournalRequest as _stepway_v1_GetTaskJournalRequest, GetTaskJournalRequest__Output as _stepway_v1_GetTaskJournalRequest__Output } from './stepway/v1/GetTaskJournalRequest';
import type { GetTaskJournalResponse as _stepway_v1_GetTaskJournalResponse, GetTaskJournalResponse__Output as _stepway_v1_GetTaskJournalResponse__Output } from './stepway/v1/GetTaskJournalResponse';
import type { HeartbeatStepTaskRequest as _stepway_v1_HeartbeatStepTaskRequest, HeartbeatStepTaskRequest__Output as _stepway_v1_HeartbeatStepTaskRequest__Output } from './stepway/v1/HeartbeatStepTaskRequest';
import type { HeartbeatStepTaskResponse as _stepway_v1_HeartbeatStepTaskResponse, HeartbeatStepTaskResponse__Output as _stepway_v1_HeartbeatStepTaskResponse__Output } from './stepway/v1/HeartbeatStepTaskResponse';
import type { HeartbeatTasksRequest as _stepway_v1_HeartbeatTasksRequest, HeartbeatTasksRequest__Output as _stepway_v1_HeartbeatTasksRequest__Output } from './stepway/v1/HeartbeatTasksRequest';
import type { HeartbeatTasksResponse as _stepway_v1_HeartbeatTasksResponse, HeartbeatTasksResponse__Output as _stepway_v1_HeartbeatTasksResponse__Output } from './stepway/v1/HeartbeatTasksResponse';
import type { HistoryEvent as _stepway_v1_HistoryEvent, HistoryEvent__Output as _stepway_v1_HistoryEvent__Output } from './stepway/v1/HistoryEvent';
import type { Instance as _stepway_v1_Instance, Instance__Output as _stepway_v1_Instance__Output } from './stepway/v1/Instance';
import type { JournalEntry as _stepway_v1_JournalEntry, JournalEntry__Output as _stepway_v1_JournalEntry__Output } from './stepway/v1/JournalEntry';
import type { ParentLink as _stepway_v1_ParentLink, ParentLink__Output as _stepway_v1_ParentLink__Output } from './stepway/v1/ParentLink';
import type { Payload as _stepway_v1_Payload, Payload__Output as _stepway_v1_Payload__Output } from './stepway/v1/Payload';
import type { PollStepTasksRequest as _stepway_v1_PollStepTasksRequest, PollStepTasksRequest__Output as _stepway_v1_PollStepTasksRequest__Output } from './stepway/v1/PollStepTasksRequest';
import type { PollStepTasksResponse as _stepway_v1_PollStepTasksResponse, PollStepTasksResponse__Output as _stepway_v1_PollStepTasksResponse__Output } from './stepway/v1/PollStepTasksResponse';
import type { PollWorkflowTasksRequest as _stepway_v1_PollWorkflowTasksRequest, PollWorkflowTasksRequest__Output as _stepway_v1_PollWorkflowTasksRequest__Output } from './stepway/v1/PollWorkflowTasksRequest';
import type { PollWorkflowTasksResponse as _stepway_v1_PollWorkflowTasksResponse, PollWorkflowTasksResponse__Output as _stepway_v1_PollWorkflowTasksResponse__Output } from './stepway/v1/PollWorkflowTasksResponse';
import type { RecordBatchRequest as _stepway_v1_RecordBatchRequest, RecordBatchRequest__Output as _stepway_v1_RecordBatchRequest__Output } from './stepway/v1/RecordBatchRequest';
import type { RecordBatchResponse as _stepway_v1_RecordBatchResponse, RecordBatchResponse__Output as _stepway_v1_RecordBatchResponse__Output } from './stepway/v1/RecordBatchResponse';
import type { RegisterWorkerRequest as _stepway_v1_RegisterWorkerRequest, RegisterWorkerRequest__Output as _stepway_v1_RegisterWorkerRequest__Output } from './stepway/v1/RegisterWorkerRequest';
import type { RegisterWorkerResponse as _stepway_v1_RegisterWorkerResponse, RegisterWorkerResponse__Output as _stepway_v1_RegisterWorkerResponse__Output } from './stepway/v1/RegisterWorkerResponse';
import type { ReleaseTasksRequest as _stepway_v1_ReleaseTasksRequest, ReleaseTasksRequest__Output as _stepway_v1_ReleaseTasksRequest__Output } from './stepway/v1/ReleaseTasksRequest';
import type { ReleaseTasksResponse as _stepway_v1_ReleaseTasksResponse, ReleaseTasksResponse__Output as _stepway_v1_ReleaseTasksResponse__Output } from './stepway/v1/ReleaseTasksResponse';
import type { RetryPolicy as _stepway_v1_RetryPolicy, RetryPolicy__Output as _stepway_v1_RetryPolicy__Output } from './stepway/v1/RetryPolicy';
import type { ScheduleCallRequest as _stepway_v1_ScheduleCallRequest, ScheduleCallRequest__Output as _stepway_v1_ScheduleCallRequest__Output } from './stepway/v1/ScheduleCallRequest';
import type { ScheduleCallResponse as _stepway_v1_ScheduleCallResponse, ScheduleCallResponse__Output as _stepway_v1_ScheduleCallResponse__Output } from './stepway/v1/ScheduleCallResponse';
import type { StartChildRequest as _stepway_v1_StartChildRequest, StartChildRequest__Output as _stepway_v1_StartChildRequest__Output } from './stepway/v1/StartChildRequest';
import type { StartChildResponse as _stepway_v1_StartChildResponse, StartChildResponse__Output as _stepway_v1_StartChildResponse__Output } from './stepway/v1/StartChildResponse';
import type { StartSleepRequest as _stepway_v1_StartSleepRequest, StartSleepRequest__Output as _stepway_v1_StartSleepRequest__Output } from './stepway/v1/StartSleepRequest';
import type { StartSleepResponse as _stepway_v1_StartSleepResponse, StartSleepResponse__Output as _stepway_v1_StartSleepResponse__Output } from './stepway/v1/StartSleepResponse';
import type { StartStepRequest as _stepway_v1_StartStepRequest, StartStepRequest__Output as _stepway_v1_StartStepRequest__Output } from './stepway/v1/StartStepRequest';
import type { StartStepResponse as _stepway_v1_StartStepResponse, StartStepResponse__Output as _stepway_v1_StartStepResponse__Output } from './stepway/v1/StartStepResponse';
import type { Step as _stepway_v1_Step, Step__Output as _stepway_v1_Step__Output } from './stepway/v1/Step';
import type { StepTask as _stepway_v1_StepTask, StepTask__Output as _stepway_v1_StepTask__Output } from './stepway/v1/StepTask';
import type { TaskToken as _stepway_v1_TaskToken, TaskToken__Output as _stepway_v1_TaskToken__Output } from './stepway/v1/TaskToken';
import type { WaitForEventRequest as _stepway_v1_WaitForEventRequest, WaitForEventRequest__Output as _stepway_v1_WaitForEventRequest__Output } from './stepway/v1/WaitForEventRequest';
import type { WaitForEventResponse as _stepway_v1_WaitForEventResponse, WaitForEventResponse__Output as _stepway_v1_WaitForEventResponse__Output } from './stepway/v1/WaitForEventResponse';
import type { WorkerCommand as _stepway_v1_WorkerCommand, WorkerCommand__Output as _stepway_v1_WorkerCommand__Output } from './stepway/v1/WorkerCommand';
import type { WorkerServiceClient as _stepway_v1_WorkerServiceClient, WorkerServiceDefinition as _stepway_v1_WorkerServiceDefinition } from './stepway/v1/WorkerService';
import type { WorkflowOptions as _stepway_v1_WorkflowOptions, WorkflowOptions__Output as _stepway_v1_WorkflowOptions__Output } from './stepway/v1/WorkflowOptions';
import type { WorkflowTask as _stepway_v1_WorkflowTask, WorkflowTask__Output as _stepway_v1_WorkflowTask__Output } from './stepway/v1/WorkflowTask';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  google: {
    protobuf: {
      Any: MessageTypeDefinition<_google_protobuf_Any, _google_protobuf_Any__Output>
      Duration: MessageTypeDefinition<_google_protobuf_Duration, _google_protobuf_Duration__Output>
      Timestamp: MessageTypeDefinition<_google_protobuf_Timestamp, _google_protobuf_Timestamp__Output>
    }
    rpc: {
      Status: MessageTypeDefinition<_google_rpc_Status, _google_rpc_Status__Output>
    }
  }
  stepway: {
    v1: {
      Backoff: EnumTypeDefinition
      ChildLink: MessageTypeDefinition<_stepway_v1_ChildLink, _stepway_v1_ChildLink__Output>
      CommandResult: MessageTypeDefinition<_stepway_v1_CommandResult, _stepway_v1_CommandResult__Output>
      CompleteStepRequest: MessageTypeDefinition<_stepway_v1_CompleteStepRequest, _stepway_v1_CompleteStepRequest__Output>
      CompleteStepResponse: MessageTypeDefinition<_stepway_v1_CompleteStepResponse, _stepway_v1_CompleteStepResponse__Output>
      CompleteStepTaskRequest: MessageTypeDefinition<_stepway_v1_CompleteStepTaskRequest, _stepway_v1_CompleteStepTaskRequest__Output>
      CompleteStepTaskResponse: MessageTypeDefinition<_stepway_v1_CompleteStepTaskResponse, _stepway_v1_CompleteStepTaskResponse__Output>
      CompleteWorkflowRequest: MessageTypeDefinition<_stepway_v1_CompleteWorkflowRequest, _stepway_v1_CompleteWorkflowRequest__Output>
      CompleteWorkflowResponse: MessageTypeDefinition<_stepway_v1_CompleteWorkflowResponse, _stepway_v1_CompleteWorkflowResponse__Output>
      Event: MessageTypeDefinition<_stepway_v1_Event, _stepway_v1_Event__Output>
      FailStepRequest: MessageTypeDefinition<_stepway_v1_FailStepRequest, _stepway_v1_FailStepRequest__Output>
      FailStepResponse: MessageTypeDefinition<_stepway_v1_FailStepResponse, _stepway_v1_FailStepResponse__Output>
      FailStepTaskRequest: MessageTypeDefinition<_stepway_v1_FailStepTaskRequest, _stepway_v1_FailStepTaskRequest__Output>
      FailStepTaskResponse: MessageTypeDefinition<_stepway_v1_FailStepTaskResponse, _stepway_v1_FailStepTaskResponse__Output>
      FailWorkflowRequest: MessageTypeDefinition<_stepway_v1_FailWorkflowRequest, _stepway_v1_FailWorkflowRequest__Output>
      FailWorkflowResponse: MessageTypeDefinition<_stepway_v1_FailWorkflowResponse, _stepway_v1_FailWorkflowResponse__Output>
      Failure: MessageTypeDefinition<_stepway_v1_Failure, _stepway_v1_Failure__Output>
      GetTaskJournalRequest: MessageTypeDefinition<_stepway_v1_GetTaskJournalRequest, _stepway_v1_GetTaskJournalRequest__Output>
      GetTaskJournalResponse: MessageTypeDefinition<_stepway_v1_GetTaskJournalResponse, _stepway_v1_GetTaskJournalResponse__Output>
      HeartbeatStepTaskRequest: MessageTypeDefinition<_stepway_v1_HeartbeatStepTaskRequest, _stepway_v1_HeartbeatStepTaskRequest__Output>
      HeartbeatStepTaskResponse: MessageTypeDefinition<_stepway_v1_HeartbeatStepTaskResponse, _stepway_v1_HeartbeatStepTaskResponse__Output>
      HeartbeatTasksRequest: MessageTypeDefinition<_stepway_v1_HeartbeatTasksRequest, _stepway_v1_HeartbeatTasksRequest__Output>
      HeartbeatTasksResponse: MessageTypeDefinition<_stepway_v1_HeartbeatTasksResponse, _stepway_v1_HeartbeatTasksResponse__Output>
      HistoryEvent: MessageTypeDefinition<_stepway_v1_HistoryEvent, _stepway_v1_HistoryEvent__Output>
      HistoryEventType: EnumTypeDefinition
      Instance: MessageTypeDefinition<_stepway_v1_Instance, _stepway_v1_Instance__Output>
      InstanceStatus: EnumTypeDefinition
      JournalEntry: MessageTypeDefinition<_stepway_v1_JournalEntry, _stepway_v1_JournalEntry__Output>
      ParentClosePolicy: EnumTypeDefinition
      ParentLink: MessageTypeDefinition<_stepway_v1_ParentLink, _stepway_v1_ParentLink__Output>
      Payload: MessageTypeDefinition<_stepway_v1_Payload, _stepway_v1_Payload__Output>
      PollStepTasksRequest: MessageTypeDefinition<_stepway_v1_PollStepTasksRequest, _stepway_v1_PollStepTasksRequest__Output>
      PollStepTasksResponse: MessageTypeDefinition<_stepway_v1_PollStepTasksResponse, _stepway_v1_PollStepTasksResponse__Output>
      PollWorkflowTasksRequest: MessageTypeDefinition<_stepway_v1_PollWorkflowTasksRequest, _stepway_v1_PollWorkflowTasksRequest__Output>
      PollWorkflowTasksResponse: MessageTypeDefinition<_stepway_v1_PollWorkflowTasksResponse, _stepway_v1_PollWorkflowTasksResponse__Output>
      RecordBatchRequest: MessageTypeDefinition<_stepway_v1_RecordBatchRequest, _stepway_v1_RecordBatchRequest__Output>
      RecordBatchResponse: MessageTypeDefinition<_stepway_v1_RecordBatchResponse, _stepway_v1_RecordBatchResponse__Output>
      RegisterWorkerRequest: MessageTypeDefinition<_stepway_v1_RegisterWorkerRequest, _stepway_v1_RegisterWorkerRequest__Output>
      RegisterWorkerResponse: MessageTypeDefinition<_stepway_v1_RegisterWorkerResponse, _stepway_v1_RegisterWorkerResponse__Output>
      ReleaseTasksRequest: MessageTypeDefinition<_stepway_v1_ReleaseTasksRequest, _stepway_v1_ReleaseTasksRequest__Output>
      ReleaseTasksResponse: MessageTypeDefinition<_stepway_v1_ReleaseTasksResponse, _stepway_v1_ReleaseTasksResponse__Output>
      RetryPolicy: MessageTypeDefinition<_stepway_v1_RetryPolicy, _stepway_v1_RetryPolicy__Output>
      ScheduleCallRequest: MessageTypeDefinition<_stepway_v1_ScheduleCallRequest, _stepway_v1_ScheduleCallRequest__Output>
      ScheduleCallResponse: MessageTypeDefinition<_stepway_v1_ScheduleCallResponse, _stepway_v1_ScheduleCallResponse__Output>
      StartChildRequest: MessageTypeDefinition<_stepway_v1_StartChildRequest, _stepway_v1_StartChildRequest__Output>
      StartChildResponse: MessageTypeDefinition<_stepway_v1_StartChildResponse, _stepway_v1_StartChildResponse__Output>
      StartSleepRequest: MessageTypeDefinition<_stepway_v1_StartSleepRequest, _stepway_v1_StartSleepRequest__Output>
      StartSleepResponse: MessageTypeDefinition<_stepway_v1_StartSleepResponse, _stepway_v1_StartSleepResponse__Output>
      StartStepRequest: MessageTypeDefinition<_stepway_v1_StartStepRequest, _stepway_v1_StartStepRequest__Output>
      StartStepResponse: MessageTypeDefinition<_stepway_v1_StartStepResponse, _stepway_v1_StartStepResponse__Output>
      Step: MessageTypeDefinition<_stepway_v1_Step, _stepway_v1_Step__Output>
      StepKind: EnumTypeDefinition
      StepState: EnumTypeDefinition
      StepTask: MessageTypeDefinition<_stepway_v1_StepTask, _stepway_v1_StepTask__Output>
      TaskToken: MessageTypeDefinition<_stepway_v1_TaskToken, _stepway_v1_TaskToken__Output>
      WaitForEventRequest: MessageTypeDefinition<_stepway_v1_WaitForEventRequest, _stepway_v1_WaitForEventRequest__Output>
      WaitForEventResponse: MessageTypeDefinition<_stepway_v1_WaitForEventResponse, _stepway_v1_WaitForEventResponse__Output>
      WorkerCommand: MessageTypeDefinition<_stepway_v1_WorkerCommand, _stepway_v1_WorkerCommand__Output>
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
      WorkerService: SubtypeConstructor<typeof grpc.Client, _stepway_v1_WorkerServiceClient> & { service: _stepway_v1_WorkerServiceDefinition }
      WorkflowOptions: MessageTypeDefinition<_stepway_v1_WorkflowOptions, _stepway_v1_WorkflowOptions__Output>
      WorkflowTask: MessageTypeDefinition<_stepway_v1_WorkflowTask, _stepway_v1_WorkflowTask__Output>
    }
  }
}

