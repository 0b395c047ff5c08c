import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Any as _google_protobuf_Any, Any__Output as _google_protobuf_Any__Output } from './google/protobuf/Any';
import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from './google/protobuf/Duration';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from './google/protobuf/Timestamp';
import type { Status as _google_rpc_Status, Status__Output as _google_rpc_Status__Output } from './google/rpc/Status';
import type { ChildLink as _stepway_v1_ChildLink, ChildLink__Output as _stepway_v1_ChildLink__Output } from './stepway/v1/ChildLink';
import type { CreateInstanceRequest as _stepway_v1_CreateInstanceRequest, CreateInstanceRequest__Output as _stepway_v1_CreateInstanceRequest__Output } from './stepway/v1/CreateInstanceRequest';
import type { CreateInstanceResponse as _stepway_v1_CreateInstanceResponse, CreateInstanceResponse__Output as _stepway_v1_CreateInstanceResponse__Output } from './stepway/v1/CreateInstanceResponse';
import type { CreateInstanceResult as _stepway_v1_CreateInstanceResult, CreateInstanceResult__Output as _stepway_v1_CreateInstanceResult__Output } from './stepway/v1/CreateInstanceResult';
import type { CreateInstancesRequest as _stepway_v1_CreateInstancesRequest, CreateInstancesRequest__Output as _stepway_v1_CreateInstancesRequest__Output } from './stepway/v1/CreateInstancesRequest';
import type { CreateInstancesResponse as _stepway_v1_CreateInstancesResponse, CreateInstancesResponse__Output as _stepway_v1_CreateInstancesResponse__Output } from './stepway/v1/CreateInstancesResponse';
import type { DeleteFilter as _stepway_v1_DeleteFilter, DeleteFilter__Output as _stepway_v1_DeleteFilter__Output } from './stepway/v1/DeleteFilter';
import type { DeleteInstanceRequest as _stepway_v1_DeleteInstanceRequest, DeleteInstanceRequest__Output as _stepway_v1_DeleteInstanceRequest__Output } from './stepway/v1/DeleteInstanceRequest';
import type { DeleteInstanceResponse as _stepway_v1_DeleteInstanceResponse, DeleteInstanceResponse__Output as _stepway_v1_DeleteInstanceResponse__Output } from './stepway/v1/DeleteInstanceResponse';
import type { DeleteInstanceResult as _stepway_v1_DeleteInstanceResult, DeleteInstanceResult__Output as _stepway_v1_DeleteInstanceResult__Output } from './stepway/v1/DeleteInstanceResult';
import type { DeleteInstancesRequest as _stepway_v1_DeleteInstancesRequest, DeleteInstancesRequest__Output as _stepway_v1_DeleteInstancesRequest__Output } from './stepway/v1/DeleteInstancesRequest';
import type { DeleteInstancesResponse as _stepway_v1_DeleteInstancesResponse, DeleteInstancesResponse__Output as _stepway_v1_DeleteInstancesResponse__Output } from './stepway/v1/DeleteInstancesResponse';
import type { Failure as _stepway_v1_Failure, Failure__Output as _stepway_v1_Failure__Output } from './stepway/v1/Failure';
import type { GetHistoryRequest as _stepway_v1_GetHistoryRequest, GetHistoryRequest__Output as _stepway_v1_GetHistoryRequest__Output } from './stepway/v1/GetHistoryRequest';
import type { GetHistoryResponse as _stepway_v1_GetHistoryResponse, GetHistoryResponse__Output as _stepway_v1_GetHistoryResponse__Output } from './stepway/v1/GetHistoryResponse';
import type { GetInstanceRequest as _stepway_v1_GetInstanceRequest, GetInstanceRequest__Output as _stepway_v1_GetInstanceRequest__Output } from './stepway/v1/GetInstanceRequest';
import type { GetInstanceResponse as _stepway_v1_GetInstanceResponse, GetInstanceResponse__Output as _stepway_v1_GetInstanceResponse__Output } from './stepway/v1/GetInstanceResponse';
import type { HistoryEvent as _stepway_v1_HistoryEvent, HistoryEvent__Output as _stepway_v1_HistoryEvent__Output } from './stepway/v1/HistoryEvent';
import type { Instance as _stepway_v1_Instance, Instance__Output as _stepway_v1_Instance__Output } from './stepway/v1/Instance';
import type { ListInstancesRequest as _stepway_v1_ListInstancesRequest, ListInstancesRequest__Output as _stepway_v1_ListInstancesRequest__Output } from './stepway/v1/ListInstancesRequest';
import type { ListInstancesResponse as _stepway_v1_ListInstancesResponse, ListInstancesResponse__Output as _stepway_v1_ListInstancesResponse__Output } from './stepway/v1/ListInstancesResponse';
import type { ListWorkflowsRequest as _stepway_v1_ListWorkflowsRequest, ListWorkflowsRequest__Output as _stepway_v1_ListWorkflowsRequest__Output } from './stepway/v1/ListWorkflowsRequest';
import type { ListWorkflowsResponse as _stepway_v1_ListWorkflowsResponse, ListWorkflowsResponse__Output as _stepway_v1_ListWorkflowsResponse__Output } from './stepway/v1/ListWorkflowsResponse';
import type { ParentLink as _stepway_v1_ParentLink, ParentLink__Output as _stepway_v1_ParentLink__Output } from './stepway/v1/ParentLink';
import type { PauseInstanceRequest as _stepway_v1_PauseInstanceRequest, PauseInstanceRequest__Output as _stepway_v1_PauseInstanceRequest__Output } from './stepway/v1/PauseInstanceRequest';
import type { PauseInstanceResponse as _stepway_v1_PauseInstanceResponse, PauseInstanceResponse__Output as _stepway_v1_PauseInstanceResponse__Output } from './stepway/v1/PauseInstanceResponse';
import type { Payload as _stepway_v1_Payload, Payload__Output as _stepway_v1_Payload__Output } from './stepway/v1/Payload';
import type { RestartInstanceRequest as _stepway_v1_RestartInstanceRequest, RestartInstanceRequest__Output as _stepway_v1_RestartInstanceRequest__Output } from './stepway/v1/RestartInstanceRequest';
import type { RestartInstanceResponse as _stepway_v1_RestartInstanceResponse, RestartInstanceResponse__Output as _stepway_v1_RestartInstanceResponse__Output } from './stepway/v1/RestartInstanceResponse';
import type { ResumeInstanceRequest as _stepway_v1_ResumeInstanceRequest, ResumeInstanceRequest__Output as _stepway_v1_ResumeInstanceRequest__Output } from './stepway/v1/ResumeInstanceRequest';
import type { ResumeInstanceResponse as _stepway_v1_ResumeInstanceResponse, ResumeInstanceResponse__Output as _stepway_v1_ResumeInstanceResponse__Output } from './stepway/v1/ResumeInstanceResponse';
import type { SendEventRequest as _stepway_v1_SendEventRequest, SendEventRequest__Output as _stepway_v1_SendEventRequest__Output } from './stepway/v1/SendEventRequest';
import type { SendEventResponse as _stepway_v1_SendEventResponse, SendEventResponse__Output as _stepway_v1_SendEventResponse__Output } from './stepway/v1/SendEventResponse';
import type { StatusCount as _stepway_v1_StatusCount, StatusCount__Output as _stepway_v1_StatusCount__Output } from './stepway/v1/StatusCount';
import type { Step as _stepway_v1_Step, Step__Output as _stepway_v1_Step__Output } from './stepway/v1/Step';
import type { TerminateInstanceRequest as _stepway_v1_TerminateInstanceRequest, TerminateInstanceRequest__Output as _stepway_v1_TerminateInstanceRequest__Output } from './stepway/v1/TerminateInstanceRequest';
import type { TerminateInstanceResponse as _stepway_v1_TerminateInstanceResponse, TerminateInstanceResponse__Output as _stepway_v1_TerminateInstanceResponse__Output } from './stepway/v1/TerminateInstanceResponse';
import type { WaitInstanceRequest as _stepway_v1_WaitInstanceRequest, WaitInstanceRequest__Output as _stepway_v1_WaitInstanceRequest__Output } from './stepway/v1/WaitInstanceRequest';
import type { WaitInstanceResponse as _stepway_v1_WaitInstanceResponse, WaitInstanceResponse__Output as _stepway_v1_WaitInstanceResponse__Output } from './stepway/v1/WaitInstanceResponse';
import type { WatchHistoryRequest as _stepway_v1_WatchHistoryRequest, WatchHistoryRequest__Output as _stepway_v1_WatchHistoryRequest__Output } from './stepway/v1/WatchHistoryRequest';
import type { WatchHistoryResponse as _stepway_v1_WatchHistoryResponse, WatchHistoryResponse__Output as _stepway_v1_WatchHistoryResponse__Output } from './stepway/v1/WatchHistoryResponse';
import type { WorkflowServiceClient as _stepway_v1_WorkflowServiceClient, WorkflowServiceDefinition as _stepway_v1_WorkflowServiceDefinition } from './stepway/v1/WorkflowService';
import type { WorkflowSummary as _stepway_v1_WorkflowSummary, WorkflowSummary__Output as _stepway_v1_WorkflowSummary__Output } from './stepway/v1/WorkflowSummary';

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
      ChildLink: MessageTypeDefinition<_stepway_v1_ChildLink, _stepway_v1_ChildLink__Output>
      CreateInstanceRequest: MessageTypeDefinition<_stepway_v1_CreateInstanceRequest, _stepway_v1_CreateInstanceRequest__Output>
      CreateInstanceResponse: MessageTypeDefinition<_stepway_v1_CreateInstanceResponse, _stepway_v1_CreateInstanceResponse__Output>
      CreateInstanceResult: MessageTypeDefinition<_stepway_v1_CreateInstanceResult, _stepway_v1_CreateInstanceResult__Output>
      CreateInstancesRequest: MessageTypeDefinition<_stepway_v1_CreateInstancesRequest, _stepway_v1_CreateInstancesRequest__Output>
      CreateInstancesResponse: MessageTypeDefinition<_stepway_v1_CreateInstancesResponse, _stepway_v1_CreateInstancesResponse__Output>
      DeleteFilter: MessageTypeDefinition<_stepway_v1_DeleteFilter, _stepway_v1_DeleteFilter__Output>
      DeleteInstanceRequest: MessageTypeDefinition<_stepway_v1_DeleteInstanceRequest, _stepway_v1_DeleteInstanceRequest__Output>
      DeleteInstanceResponse: MessageTypeDefinition<_stepway_v1_DeleteInstanceResponse, _stepway_v1_DeleteInstanceResponse__Output>
      DeleteInstanceResult: MessageTypeDefinition<_stepway_v1_DeleteInstanceResult, _stepway_v1_DeleteInstanceResult__Output>
      DeleteInstancesRequest: MessageTypeDefinition<_stepway_v1_DeleteInstancesRequest, _stepway_v1_DeleteInstancesRequest__Output>
      DeleteInstancesResponse: MessageTypeDefinition<_stepway_v1_DeleteInstancesResponse, _stepway_v1_DeleteInstancesResponse__Output>
      Failure: MessageTypeDefinition<_stepway_v1_Failure, _stepway_v1_Failure__Output>
      GetHistoryRequest: MessageTypeDefinition<_stepway_v1_GetHistoryRequest, _stepway_v1_GetHistoryRequest__Output>
      GetHistoryResponse: MessageTypeDefinition<_stepway_v1_GetHistoryResponse, _stepway_v1_GetHistoryResponse__Output>
      GetInstanceRequest: MessageTypeDefinition<_stepway_v1_GetInstanceRequest, _stepway_v1_GetInstanceRequest__Output>
      GetInstanceResponse: MessageTypeDefinition<_stepway_v1_GetInstanceResponse, _stepway_v1_GetInstanceResponse__Output>
      HistoryEvent: MessageTypeDefinition<_stepway_v1_HistoryEvent, _stepway_v1_HistoryEvent__Output>
      HistoryEventType: EnumTypeDefinition
      Instance: MessageTypeDefinition<_stepway_v1_Instance, _stepway_v1_Instance__Output>
      InstanceStatus: EnumTypeDefinition
      ListInstancesRequest: MessageTypeDefinition<_stepway_v1_ListInstancesRequest, _stepway_v1_ListInstancesRequest__Output>
      ListInstancesResponse: MessageTypeDefinition<_stepway_v1_ListInstancesResponse, _stepway_v1_ListInstancesResponse__Output>
      ListWorkflowsRequest: MessageTypeDefinition<_stepway_v1_ListWorkflowsRequest, _stepway_v1_ListWorkflowsRequest__Output>
      ListWorkflowsResponse: MessageTypeDefinition<_stepway_v1_ListWorkflowsResponse, _stepway_v1_ListWorkflowsResponse__Output>
      ParentClosePolicy: EnumTypeDefinition
      ParentLink: MessageTypeDefinition<_stepway_v1_ParentLink, _stepway_v1_ParentLink__Output>
      PauseInstanceRequest: MessageTypeDefinition<_stepway_v1_PauseInstanceRequest, _stepway_v1_PauseInstanceRequest__Output>
      PauseInstanceResponse: MessageTypeDefinition<_stepway_v1_PauseInstanceResponse, _stepway_v1_PauseInstanceResponse__Output>
      Payload: MessageTypeDefinition<_stepway_v1_Payload, _stepway_v1_Payload__Output>
      RestartInstanceRequest: MessageTypeDefinition<_stepway_v1_RestartInstanceRequest, _stepway_v1_RestartInstanceRequest__Output>
      RestartInstanceResponse: MessageTypeDefinition<_stepway_v1_RestartInstanceResponse, _stepway_v1_RestartInstanceResponse__Output>
      ResumeInstanceRequest: MessageTypeDefinition<_stepway_v1_ResumeInstanceRequest, _stepway_v1_ResumeInstanceRequest__Output>
      ResumeInstanceResponse: MessageTypeDefinition<_stepway_v1_ResumeInstanceResponse, _stepway_v1_ResumeInstanceResponse__Output>
      SendEventRequest: MessageTypeDefinition<_stepway_v1_SendEventRequest, _stepway_v1_SendEventRequest__Output>
      SendEventResponse: MessageTypeDefinition<_stepway_v1_SendEventResponse, _stepway_v1_SendEventResponse__Output>
      StatusCount: MessageTypeDefinition<_stepway_v1_StatusCount, _stepway_v1_StatusCount__Output>
      Step: MessageTypeDefinition<_stepway_v1_Step, _stepway_v1_Step__Output>
      StepKind: EnumTypeDefinition
      StepState: EnumTypeDefinition
      TerminateInstanceRequest: MessageTypeDefinition<_stepway_v1_TerminateInstanceRequest, _stepway_v1_TerminateInstanceRequest__Output>
      TerminateInstanceResponse: MessageTypeDefinition<_stepway_v1_TerminateInstanceResponse, _stepway_v1_TerminateInstanceResponse__Output>
      WaitInstanceRequest: MessageTypeDefinition<_stepway_v1_WaitInstanceRequest, _stepway_v1_WaitInstanceRequest__Output>
      WaitInstanceResponse: MessageTypeDefinition<_stepway_v1_WaitInstanceResponse, _stepway_v1_WaitInstanceResponse__Output>
      WatchHistoryRequest: MessageTypeDefinition<_stepway_v1_WatchHistoryRequest, _stepway_v1_WatchHistoryRequest__Output>
      WatchHistoryResponse: MessageTypeDefinition<_stepway_v1_WatchHistoryResponse, _stepway_v1_WatchHistoryResponse__Output>
      /**
       * What clients call: create instances, read them, control them, send them events.
       * 
       * Every call carries an API key in the `authorization: Bearer <key>` metadata, of role client
       * or admin (UNAUTHENTICATED without a valid key, PERMISSION_DENIED for a worker key); the
       * account always comes from the key, never from the request. An instance is named by its
       * workflow and instance_id, both ^[a-zA-Z0-9_][a-zA-Z0-9_-]{0,99}$ (INVALID_ARGUMENT
       * otherwise); one the account does not have is NOT_FOUND. A field that breaks a rule is
       * refused with INVALID_ARGUMENT and a google.rpc.BadRequest naming it. Any call may be
       * RESOURCE_EXHAUSTED (with RetryInfo) past the account's requests_per_second quota, and
       * UNAVAILABLE while a server restarts or partitions move: retry those with backoff.
       * docs/protocol.md has the error model.
       */
      WorkflowService: SubtypeConstructor<typeof grpc.Client, _stepway_v1_WorkflowServiceClient> & { service: _stepway_v1_WorkflowServiceDefinition }
      WorkflowSummary: MessageTypeDefinition<_stepway_v1_WorkflowSummary, _stepway_v1_WorkflowSummary__Output>
    }
  }
}

