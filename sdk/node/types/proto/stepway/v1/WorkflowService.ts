// Original file: stepway/v1/workflow_service.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CreateInstanceRequest as _stepway_v1_CreateInstanceRequest, CreateInstanceRequest__Output as _stepway_v1_CreateInstanceRequest__Output } from '../../stepway/v1/CreateInstanceRequest';
import type { CreateInstanceResponse as _stepway_v1_CreateInstanceResponse, CreateInstanceResponse__Output as _stepway_v1_CreateInstanceResponse__Output } from '../../stepway/v1/CreateInstanceResponse';
import type { CreateInstancesRequest as _stepway_v1_CreateInstancesRequest, CreateInstancesRequest__Output as _stepway_v1_CreateInstancesRequest__Output } from '../../stepway/v1/CreateInstancesRequest';
import type { CreateInstancesResponse as _stepway_v1_CreateInstancesResponse, CreateInstancesResponse__Output as _stepway_v1_CreateInstancesResponse__Output } from '../../stepway/v1/CreateInstancesResponse';
import type { DeleteInstanceRequest as _stepway_v1_DeleteInstanceRequest, DeleteInstanceRequest__Output as _stepway_v1_DeleteInstanceRequest__Output } from '../../stepway/v1/DeleteInstanceRequest';
import type { DeleteInstanceResponse as _stepway_v1_DeleteInstanceResponse, DeleteInstanceResponse__Output as _stepway_v1_DeleteInstanceResponse__Output } from '../../stepway/v1/DeleteInstanceResponse';
import type { DeleteInstancesRequest as _stepway_v1_DeleteInstancesRequest, DeleteInstancesRequest__Output as _stepway_v1_DeleteInstancesRequest__Output } from '../../stepway/v1/DeleteInstancesRequest';
import type { DeleteInstancesResponse as _stepway_v1_DeleteInstancesResponse, DeleteInstancesResponse__Output as _stepway_v1_DeleteInstancesResponse__Output } from '../../stepway/v1/DeleteInstancesResponse';
import type { GetHistoryRequest as _stepway_v1_GetHistoryRequest, GetHistoryRequest__Output as _stepway_v1_GetHistoryRequest__Output } from '../../stepway/v1/GetHistoryRequest';
import type { GetHistoryResponse as _stepway_v1_GetHistoryResponse, GetHistoryResponse__Output as _stepway_v1_GetHistoryResponse__Output } from '../../stepway/v1/GetHistoryResponse';
import type { GetInstanceRequest as _stepway_v1_GetInstanceRequest, GetInstanceRequest__Output as _stepway_v1_GetInstanceRequest__Output } from '../../stepway/v1/GetInstanceRequest';
import type { GetInstanceResponse as _stepway_v1_GetInstanceResponse, GetInstanceResponse__Output as _stepway_v1_GetInstanceResponse__Output } from '../../stepway/v1/GetInstanceResponse';
import type { ListInstancesRequest as _stepway_v1_ListInstancesRequest, ListInstancesRequest__Output as _stepway_v1_ListInstancesRequest__Output } from '../../stepway/v1/ListInstancesRequest';
import type { ListInstancesResponse as _stepway_v1_ListInstancesResponse, ListInstancesResponse__Output as _stepway_v1_ListInstancesResponse__Output } from '../../stepway/v1/ListInstancesResponse';
import type { ListWorkflowBuildsRequest as _stepway_v1_ListWorkflowBuildsRequest, ListWorkflowBuildsRequest__Output as _stepway_v1_ListWorkflowBuildsRequest__Output } from '../../stepway/v1/ListWorkflowBuildsRequest';
import type { ListWorkflowBuildsResponse as _stepway_v1_ListWorkflowBuildsResponse, ListWorkflowBuildsResponse__Output as _stepway_v1_ListWorkflowBuildsResponse__Output } from '../../stepway/v1/ListWorkflowBuildsResponse';
import type { ListWorkflowsRequest as _stepway_v1_ListWorkflowsRequest, ListWorkflowsRequest__Output as _stepway_v1_ListWorkflowsRequest__Output } from '../../stepway/v1/ListWorkflowsRequest';
import type { ListWorkflowsResponse as _stepway_v1_ListWorkflowsResponse, ListWorkflowsResponse__Output as _stepway_v1_ListWorkflowsResponse__Output } from '../../stepway/v1/ListWorkflowsResponse';
import type { MoveWorkflowBuildRequest as _stepway_v1_MoveWorkflowBuildRequest, MoveWorkflowBuildRequest__Output as _stepway_v1_MoveWorkflowBuildRequest__Output } from '../../stepway/v1/MoveWorkflowBuildRequest';
import type { MoveWorkflowBuildResponse as _stepway_v1_MoveWorkflowBuildResponse, MoveWorkflowBuildResponse__Output as _stepway_v1_MoveWorkflowBuildResponse__Output } from '../../stepway/v1/MoveWorkflowBuildResponse';
import type { PauseInstanceRequest as _stepway_v1_PauseInstanceRequest, PauseInstanceRequest__Output as _stepway_v1_PauseInstanceRequest__Output } from '../../stepway/v1/PauseInstanceRequest';
import type { PauseInstanceResponse as _stepway_v1_PauseInstanceResponse, PauseInstanceResponse__Output as _stepway_v1_PauseInstanceResponse__Output } from '../../stepway/v1/PauseInstanceResponse';
import type { RestartInstanceRequest as _stepway_v1_RestartInstanceRequest, RestartInstanceRequest__Output as _stepway_v1_RestartInstanceRequest__Output } from '../../stepway/v1/RestartInstanceRequest';
import type { RestartInstanceResponse as _stepway_v1_RestartInstanceResponse, RestartInstanceResponse__Output as _stepway_v1_RestartInstanceResponse__Output } from '../../stepway/v1/RestartInstanceResponse';
import type { ResumeInstanceRequest as _stepway_v1_ResumeInstanceRequest, ResumeInstanceRequest__Output as _stepway_v1_ResumeInstanceRequest__Output } from '../../stepway/v1/ResumeInstanceRequest';
import type { ResumeInstanceResponse as _stepway_v1_ResumeInstanceResponse, ResumeInstanceResponse__Output as _stepway_v1_ResumeInstanceResponse__Output } from '../../stepway/v1/ResumeInstanceResponse';
import type { SendEventRequest as _stepway_v1_SendEventRequest, SendEventRequest__Output as _stepway_v1_SendEventRequest__Output } from '../../stepway/v1/SendEventRequest';
import type { SendEventResponse as _stepway_v1_SendEventResponse, SendEventResponse__Output as _stepway_v1_SendEventResponse__Output } from '../../stepway/v1/SendEventResponse';
import type { TerminateInstanceRequest as _stepway_v1_TerminateInstanceRequest, TerminateInstanceRequest__Output as _stepway_v1_TerminateInstanceRequest__Output } from '../../stepway/v1/TerminateInstanceRequest';
import type { TerminateInstanceResponse as _stepway_v1_TerminateInstanceResponse, TerminateInstanceResponse__Output as _stepway_v1_TerminateInstanceResponse__Output } from '../../stepway/v1/TerminateInstanceResponse';
import type { WaitInstanceRequest as _stepway_v1_WaitInstanceRequest, WaitInstanceRequest__Output as _stepway_v1_WaitInstanceRequest__Output } from '../../stepway/v1/WaitInstanceRequest';
import type { WaitInstanceResponse as _stepway_v1_WaitInstanceResponse, WaitInstanceResponse__Output as _stepway_v1_WaitInstanceResponse__Output } from '../../stepway/v1/WaitInstanceResponse';
import type { WatchHistoryRequest as _stepway_v1_WatchHistoryRequest, WatchHistoryRequest__Output as _stepway_v1_WatchHistoryRequest__Output } from '../../stepway/v1/WatchHistoryRequest';
import type { WatchHistoryResponse as _stepway_v1_WatchHistoryResponse, WatchHistoryResponse__Output as _stepway_v1_WatchHistoryResponse__Output } from '../../stepway/v1/WatchHistoryResponse';

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
export interface WorkflowServiceClient extends grpc.Client {
  /**
   * Creates an instance. Idempotent: an existing id returns the existing instance with
   * created = false. NOT_FOUND while no worker has registered the workflow in the account;
   * RESOURCE_EXHAUSTED (with RetryInfo) past the creations_per_second or
   * max_queued_per_workflow quota.
   */
  CreateInstance(argument: _stepway_v1_CreateInstanceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_CreateInstanceResponse__Output>): grpc.ClientUnaryCall;
  CreateInstance(argument: _stepway_v1_CreateInstanceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_CreateInstanceResponse__Output>): grpc.ClientUnaryCall;
  CreateInstance(argument: _stepway_v1_CreateInstanceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_CreateInstanceResponse__Output>): grpc.ClientUnaryCall;
  CreateInstance(argument: _stepway_v1_CreateInstanceRequest, callback: grpc.requestCallback<_stepway_v1_CreateInstanceResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Creates an instance. Idempotent: an existing id returns the existing instance with
   * created = false. NOT_FOUND while no worker has registered the workflow in the account;
   * RESOURCE_EXHAUSTED (with RetryInfo) past the creations_per_second or
   * max_queued_per_workflow quota.
   */
  createInstance(argument: _stepway_v1_CreateInstanceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_CreateInstanceResponse__Output>): grpc.ClientUnaryCall;
  createInstance(argument: _stepway_v1_CreateInstanceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_CreateInstanceResponse__Output>): grpc.ClientUnaryCall;
  createInstance(argument: _stepway_v1_CreateInstanceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_CreateInstanceResponse__Output>): grpc.ClientUnaryCall;
  createInstance(argument: _stepway_v1_CreateInstanceRequest, callback: grpc.requestCallback<_stepway_v1_CreateInstanceResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Creates up to 1,000 instances in one call. Each item succeeds or fails on its own, whole,
   * and has its own result, in the order of the request.
   */
  CreateInstances(argument: _stepway_v1_CreateInstancesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_CreateInstancesResponse__Output>): grpc.ClientUnaryCall;
  CreateInstances(argument: _stepway_v1_CreateInstancesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_CreateInstancesResponse__Output>): grpc.ClientUnaryCall;
  CreateInstances(argument: _stepway_v1_CreateInstancesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_CreateInstancesResponse__Output>): grpc.ClientUnaryCall;
  CreateInstances(argument: _stepway_v1_CreateInstancesRequest, callback: grpc.requestCallback<_stepway_v1_CreateInstancesResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Creates up to 1,000 instances in one call. Each item succeeds or fails on its own, whole,
   * and has its own result, in the order of the request.
   */
  createInstances(argument: _stepway_v1_CreateInstancesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_CreateInstancesResponse__Output>): grpc.ClientUnaryCall;
  createInstances(argument: _stepway_v1_CreateInstancesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_CreateInstancesResponse__Output>): grpc.ClientUnaryCall;
  createInstances(argument: _stepway_v1_CreateInstancesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_CreateInstancesResponse__Output>): grpc.ClientUnaryCall;
  createInstances(argument: _stepway_v1_CreateInstancesRequest, callback: grpc.requestCallback<_stepway_v1_CreateInstancesResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Deletes a finished instance with its steps, events and history. FAILED_PRECONDITION when
   * it is not finished (terminate it first).
   */
  DeleteInstance(argument: _stepway_v1_DeleteInstanceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_DeleteInstanceResponse__Output>): grpc.ClientUnaryCall;
  DeleteInstance(argument: _stepway_v1_DeleteInstanceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_DeleteInstanceResponse__Output>): grpc.ClientUnaryCall;
  DeleteInstance(argument: _stepway_v1_DeleteInstanceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_DeleteInstanceResponse__Output>): grpc.ClientUnaryCall;
  DeleteInstance(argument: _stepway_v1_DeleteInstanceRequest, callback: grpc.requestCallback<_stepway_v1_DeleteInstanceResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Deletes a finished instance with its steps, events and history. FAILED_PRECONDITION when
   * it is not finished (terminate it first).
   */
  deleteInstance(argument: _stepway_v1_DeleteInstanceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_DeleteInstanceResponse__Output>): grpc.ClientUnaryCall;
  deleteInstance(argument: _stepway_v1_DeleteInstanceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_DeleteInstanceResponse__Output>): grpc.ClientUnaryCall;
  deleteInstance(argument: _stepway_v1_DeleteInstanceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_DeleteInstanceResponse__Output>): grpc.ClientUnaryCall;
  deleteInstance(argument: _stepway_v1_DeleteInstanceRequest, callback: grpc.requestCallback<_stepway_v1_DeleteInstanceResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Deletes many finished instances: by ids (each with its own result, as its single
   * DeleteInstance would have answered) or by filter (up to `limit` matching finished
   * instances a call, answering how many and whether more remain: call again until `more` is
   * false).
   */
  DeleteInstances(argument: _stepway_v1_DeleteInstancesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_DeleteInstancesResponse__Output>): grpc.ClientUnaryCall;
  DeleteInstances(argument: _stepway_v1_DeleteInstancesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_DeleteInstancesResponse__Output>): grpc.ClientUnaryCall;
  DeleteInstances(argument: _stepway_v1_DeleteInstancesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_DeleteInstancesResponse__Output>): grpc.ClientUnaryCall;
  DeleteInstances(argument: _stepway_v1_DeleteInstancesRequest, callback: grpc.requestCallback<_stepway_v1_DeleteInstancesResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Deletes many finished instances: by ids (each with its own result, as its single
   * DeleteInstance would have answered) or by filter (up to `limit` matching finished
   * instances a call, answering how many and whether more remain: call again until `more` is
   * false).
   */
  deleteInstances(argument: _stepway_v1_DeleteInstancesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_DeleteInstancesResponse__Output>): grpc.ClientUnaryCall;
  deleteInstances(argument: _stepway_v1_DeleteInstancesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_DeleteInstancesResponse__Output>): grpc.ClientUnaryCall;
  deleteInstances(argument: _stepway_v1_DeleteInstancesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_DeleteInstancesResponse__Output>): grpc.ClientUnaryCall;
  deleteInstances(argument: _stepway_v1_DeleteInstancesRequest, callback: grpc.requestCallback<_stepway_v1_DeleteInstancesResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * An instance's history: every transition, oldest first, a page at a time.
   */
  GetHistory(argument: _stepway_v1_GetHistoryRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_GetHistoryResponse__Output>): grpc.ClientUnaryCall;
  GetHistory(argument: _stepway_v1_GetHistoryRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_GetHistoryResponse__Output>): grpc.ClientUnaryCall;
  GetHistory(argument: _stepway_v1_GetHistoryRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_GetHistoryResponse__Output>): grpc.ClientUnaryCall;
  GetHistory(argument: _stepway_v1_GetHistoryRequest, callback: grpc.requestCallback<_stepway_v1_GetHistoryResponse__Output>): grpc.ClientUnaryCall;
  /**
   * An instance's history: every transition, oldest first, a page at a time.
   */
  getHistory(argument: _stepway_v1_GetHistoryRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_GetHistoryResponse__Output>): grpc.ClientUnaryCall;
  getHistory(argument: _stepway_v1_GetHistoryRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_GetHistoryResponse__Output>): grpc.ClientUnaryCall;
  getHistory(argument: _stepway_v1_GetHistoryRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_GetHistoryResponse__Output>): grpc.ClientUnaryCall;
  getHistory(argument: _stepway_v1_GetHistoryRequest, callback: grpc.requestCallback<_stepway_v1_GetHistoryResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Reads an instance's status, params, output and error, and its steps when asked.
   */
  GetInstance(argument: _stepway_v1_GetInstanceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_GetInstanceResponse__Output>): grpc.ClientUnaryCall;
  GetInstance(argument: _stepway_v1_GetInstanceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_GetInstanceResponse__Output>): grpc.ClientUnaryCall;
  GetInstance(argument: _stepway_v1_GetInstanceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_GetInstanceResponse__Output>): grpc.ClientUnaryCall;
  GetInstance(argument: _stepway_v1_GetInstanceRequest, callback: grpc.requestCallback<_stepway_v1_GetInstanceResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Reads an instance's status, params, output and error, and its steps when asked.
   */
  getInstance(argument: _stepway_v1_GetInstanceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_GetInstanceResponse__Output>): grpc.ClientUnaryCall;
  getInstance(argument: _stepway_v1_GetInstanceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_GetInstanceResponse__Output>): grpc.ClientUnaryCall;
  getInstance(argument: _stepway_v1_GetInstanceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_GetInstanceResponse__Output>): grpc.ClientUnaryCall;
  getInstance(argument: _stepway_v1_GetInstanceRequest, callback: grpc.requestCallback<_stepway_v1_GetInstanceResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Lists instances, newest first, a page at a time.
   */
  ListInstances(argument: _stepway_v1_ListInstancesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_ListInstancesResponse__Output>): grpc.ClientUnaryCall;
  ListInstances(argument: _stepway_v1_ListInstancesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_ListInstancesResponse__Output>): grpc.ClientUnaryCall;
  ListInstances(argument: _stepway_v1_ListInstancesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_ListInstancesResponse__Output>): grpc.ClientUnaryCall;
  ListInstances(argument: _stepway_v1_ListInstancesRequest, callback: grpc.requestCallback<_stepway_v1_ListInstancesResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Lists instances, newest first, a page at a time.
   */
  listInstances(argument: _stepway_v1_ListInstancesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_ListInstancesResponse__Output>): grpc.ClientUnaryCall;
  listInstances(argument: _stepway_v1_ListInstancesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_ListInstancesResponse__Output>): grpc.ClientUnaryCall;
  listInstances(argument: _stepway_v1_ListInstancesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_ListInstancesResponse__Output>): grpc.ClientUnaryCall;
  listInstances(argument: _stepway_v1_ListInstancesRequest, callback: grpc.requestCallback<_stepway_v1_ListInstancesResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * A workflow's builds (docs/versioning.md): each build id registered for it, newest first,
   * with its instances counted by status, and the instances no task has run yet.
   */
  ListWorkflowBuilds(argument: _stepway_v1_ListWorkflowBuildsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_ListWorkflowBuildsResponse__Output>): grpc.ClientUnaryCall;
  ListWorkflowBuilds(argument: _stepway_v1_ListWorkflowBuildsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_ListWorkflowBuildsResponse__Output>): grpc.ClientUnaryCall;
  ListWorkflowBuilds(argument: _stepway_v1_ListWorkflowBuildsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_ListWorkflowBuildsResponse__Output>): grpc.ClientUnaryCall;
  ListWorkflowBuilds(argument: _stepway_v1_ListWorkflowBuildsRequest, callback: grpc.requestCallback<_stepway_v1_ListWorkflowBuildsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * A workflow's builds (docs/versioning.md): each build id registered for it, newest first,
   * with its instances counted by status, and the instances no task has run yet.
   */
  listWorkflowBuilds(argument: _stepway_v1_ListWorkflowBuildsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_ListWorkflowBuildsResponse__Output>): grpc.ClientUnaryCall;
  listWorkflowBuilds(argument: _stepway_v1_ListWorkflowBuildsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_ListWorkflowBuildsResponse__Output>): grpc.ClientUnaryCall;
  listWorkflowBuilds(argument: _stepway_v1_ListWorkflowBuildsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_ListWorkflowBuildsResponse__Output>): grpc.ClientUnaryCall;
  listWorkflowBuilds(argument: _stepway_v1_ListWorkflowBuildsRequest, callback: grpc.requestCallback<_stepway_v1_ListWorkflowBuildsResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * The workflows registered in the account, with their instance counts by status.
   */
  ListWorkflows(argument: _stepway_v1_ListWorkflowsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_ListWorkflowsResponse__Output>): grpc.ClientUnaryCall;
  ListWorkflows(argument: _stepway_v1_ListWorkflowsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_ListWorkflowsResponse__Output>): grpc.ClientUnaryCall;
  ListWorkflows(argument: _stepway_v1_ListWorkflowsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_ListWorkflowsResponse__Output>): grpc.ClientUnaryCall;
  ListWorkflows(argument: _stepway_v1_ListWorkflowsRequest, callback: grpc.requestCallback<_stepway_v1_ListWorkflowsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * The workflows registered in the account, with their instance counts by status.
   */
  listWorkflows(argument: _stepway_v1_ListWorkflowsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_ListWorkflowsResponse__Output>): grpc.ClientUnaryCall;
  listWorkflows(argument: _stepway_v1_ListWorkflowsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_ListWorkflowsResponse__Output>): grpc.ClientUnaryCall;
  listWorkflows(argument: _stepway_v1_ListWorkflowsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_ListWorkflowsResponse__Output>): grpc.ClientUnaryCall;
  listWorkflows(argument: _stepway_v1_ListWorkflowsRequest, callback: grpc.requestCallback<_stepway_v1_ListWorkflowsResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Moves a workflow's unfinished instances from one build to another: their next tasks go
   * to workers of the new build; blocked ones are tried again there.
   */
  MoveWorkflowBuild(argument: _stepway_v1_MoveWorkflowBuildRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_MoveWorkflowBuildResponse__Output>): grpc.ClientUnaryCall;
  MoveWorkflowBuild(argument: _stepway_v1_MoveWorkflowBuildRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_MoveWorkflowBuildResponse__Output>): grpc.ClientUnaryCall;
  MoveWorkflowBuild(argument: _stepway_v1_MoveWorkflowBuildRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_MoveWorkflowBuildResponse__Output>): grpc.ClientUnaryCall;
  MoveWorkflowBuild(argument: _stepway_v1_MoveWorkflowBuildRequest, callback: grpc.requestCallback<_stepway_v1_MoveWorkflowBuildResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Moves a workflow's unfinished instances from one build to another: their next tasks go
   * to workers of the new build; blocked ones are tried again there.
   */
  moveWorkflowBuild(argument: _stepway_v1_MoveWorkflowBuildRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_MoveWorkflowBuildResponse__Output>): grpc.ClientUnaryCall;
  moveWorkflowBuild(argument: _stepway_v1_MoveWorkflowBuildRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_MoveWorkflowBuildResponse__Output>): grpc.ClientUnaryCall;
  moveWorkflowBuild(argument: _stepway_v1_MoveWorkflowBuildRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_MoveWorkflowBuildResponse__Output>): grpc.ClientUnaryCall;
  moveWorkflowBuild(argument: _stepway_v1_MoveWorkflowBuildRequest, callback: grpc.requestCallback<_stepway_v1_MoveWorkflowBuildResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Pauses an instance. A queued or waiting instance is paused at once; a running one finishes
   * the step it is in (status waitingForPause), then is paused; no new step starts.
   * FAILED_PRECONDITION when it is finished, paused or waitingForPause already.
   */
  PauseInstance(argument: _stepway_v1_PauseInstanceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_PauseInstanceResponse__Output>): grpc.ClientUnaryCall;
  PauseInstance(argument: _stepway_v1_PauseInstanceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_PauseInstanceResponse__Output>): grpc.ClientUnaryCall;
  PauseInstance(argument: _stepway_v1_PauseInstanceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_PauseInstanceResponse__Output>): grpc.ClientUnaryCall;
  PauseInstance(argument: _stepway_v1_PauseInstanceRequest, callback: grpc.requestCallback<_stepway_v1_PauseInstanceResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Pauses an instance. A queued or waiting instance is paused at once; a running one finishes
   * the step it is in (status waitingForPause), then is paused; no new step starts.
   * FAILED_PRECONDITION when it is finished, paused or waitingForPause already.
   */
  pauseInstance(argument: _stepway_v1_PauseInstanceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_PauseInstanceResponse__Output>): grpc.ClientUnaryCall;
  pauseInstance(argument: _stepway_v1_PauseInstanceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_PauseInstanceResponse__Output>): grpc.ClientUnaryCall;
  pauseInstance(argument: _stepway_v1_PauseInstanceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_PauseInstanceResponse__Output>): grpc.ClientUnaryCall;
  pauseInstance(argument: _stepway_v1_PauseInstanceRequest, callback: grpc.requestCallback<_stepway_v1_PauseInstanceResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Runs an instance again, from the beginning or from a named step (the results of the steps
   * before it are kept). Works in any status; a running instance's worker loses its task.
   */
  RestartInstance(argument: _stepway_v1_RestartInstanceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_RestartInstanceResponse__Output>): grpc.ClientUnaryCall;
  RestartInstance(argument: _stepway_v1_RestartInstanceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_RestartInstanceResponse__Output>): grpc.ClientUnaryCall;
  RestartInstance(argument: _stepway_v1_RestartInstanceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_RestartInstanceResponse__Output>): grpc.ClientUnaryCall;
  RestartInstance(argument: _stepway_v1_RestartInstanceRequest, callback: grpc.requestCallback<_stepway_v1_RestartInstanceResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Runs an instance again, from the beginning or from a named step (the results of the steps
   * before it are kept). Works in any status; a running instance's worker loses its task.
   */
  restartInstance(argument: _stepway_v1_RestartInstanceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_RestartInstanceResponse__Output>): grpc.ClientUnaryCall;
  restartInstance(argument: _stepway_v1_RestartInstanceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_RestartInstanceResponse__Output>): grpc.ClientUnaryCall;
  restartInstance(argument: _stepway_v1_RestartInstanceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_RestartInstanceResponse__Output>): grpc.ClientUnaryCall;
  restartInstance(argument: _stepway_v1_RestartInstanceRequest, callback: grpc.requestCallback<_stepway_v1_RestartInstanceResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Resumes a paused instance (or cancels a pause still waiting for its step to end).
   * FAILED_PRECONDITION in any other status.
   */
  ResumeInstance(argument: _stepway_v1_ResumeInstanceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_ResumeInstanceResponse__Output>): grpc.ClientUnaryCall;
  ResumeInstance(argument: _stepway_v1_ResumeInstanceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_ResumeInstanceResponse__Output>): grpc.ClientUnaryCall;
  ResumeInstance(argument: _stepway_v1_ResumeInstanceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_ResumeInstanceResponse__Output>): grpc.ClientUnaryCall;
  ResumeInstance(argument: _stepway_v1_ResumeInstanceRequest, callback: grpc.requestCallback<_stepway_v1_ResumeInstanceResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Resumes a paused instance (or cancels a pause still waiting for its step to end).
   * FAILED_PRECONDITION in any other status.
   */
  resumeInstance(argument: _stepway_v1_ResumeInstanceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_ResumeInstanceResponse__Output>): grpc.ClientUnaryCall;
  resumeInstance(argument: _stepway_v1_ResumeInstanceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_ResumeInstanceResponse__Output>): grpc.ClientUnaryCall;
  resumeInstance(argument: _stepway_v1_ResumeInstanceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_ResumeInstanceResponse__Output>): grpc.ClientUnaryCall;
  resumeInstance(argument: _stepway_v1_ResumeInstanceRequest, callback: grpc.requestCallback<_stepway_v1_ResumeInstanceResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Sends an event; buffered until the instance waits for its type. FAILED_PRECONDITION when
   * the instance is finished.
   */
  SendEvent(argument: _stepway_v1_SendEventRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_SendEventResponse__Output>): grpc.ClientUnaryCall;
  SendEvent(argument: _stepway_v1_SendEventRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_SendEventResponse__Output>): grpc.ClientUnaryCall;
  SendEvent(argument: _stepway_v1_SendEventRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_SendEventResponse__Output>): grpc.ClientUnaryCall;
  SendEvent(argument: _stepway_v1_SendEventRequest, callback: grpc.requestCallback<_stepway_v1_SendEventResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Sends an event; buffered until the instance waits for its type. FAILED_PRECONDITION when
   * the instance is finished.
   */
  sendEvent(argument: _stepway_v1_SendEventRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_SendEventResponse__Output>): grpc.ClientUnaryCall;
  sendEvent(argument: _stepway_v1_SendEventRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_SendEventResponse__Output>): grpc.ClientUnaryCall;
  sendEvent(argument: _stepway_v1_SendEventRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_SendEventResponse__Output>): grpc.ClientUnaryCall;
  sendEvent(argument: _stepway_v1_SendEventRequest, callback: grpc.requestCallback<_stepway_v1_SendEventResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Ends an instance that is not finished, at once; its worker's later writes are refused.
   * FAILED_PRECONDITION when it is finished already.
   */
  TerminateInstance(argument: _stepway_v1_TerminateInstanceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_TerminateInstanceResponse__Output>): grpc.ClientUnaryCall;
  TerminateInstance(argument: _stepway_v1_TerminateInstanceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_TerminateInstanceResponse__Output>): grpc.ClientUnaryCall;
  TerminateInstance(argument: _stepway_v1_TerminateInstanceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_TerminateInstanceResponse__Output>): grpc.ClientUnaryCall;
  TerminateInstance(argument: _stepway_v1_TerminateInstanceRequest, callback: grpc.requestCallback<_stepway_v1_TerminateInstanceResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Ends an instance that is not finished, at once; its worker's later writes are refused.
   * FAILED_PRECONDITION when it is finished already.
   */
  terminateInstance(argument: _stepway_v1_TerminateInstanceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_TerminateInstanceResponse__Output>): grpc.ClientUnaryCall;
  terminateInstance(argument: _stepway_v1_TerminateInstanceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_TerminateInstanceResponse__Output>): grpc.ClientUnaryCall;
  terminateInstance(argument: _stepway_v1_TerminateInstanceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_TerminateInstanceResponse__Output>): grpc.ClientUnaryCall;
  terminateInstance(argument: _stepway_v1_TerminateInstanceRequest, callback: grpc.requestCallback<_stepway_v1_TerminateInstanceResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Waits until the instance is finished (complete, errored or terminated) or the timeout
   * passes, then answers it as GetInstance would.
   */
  WaitInstance(argument: _stepway_v1_WaitInstanceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_WaitInstanceResponse__Output>): grpc.ClientUnaryCall;
  WaitInstance(argument: _stepway_v1_WaitInstanceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_WaitInstanceResponse__Output>): grpc.ClientUnaryCall;
  WaitInstance(argument: _stepway_v1_WaitInstanceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_WaitInstanceResponse__Output>): grpc.ClientUnaryCall;
  WaitInstance(argument: _stepway_v1_WaitInstanceRequest, callback: grpc.requestCallback<_stepway_v1_WaitInstanceResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Waits until the instance is finished (complete, errored or terminated) or the timeout
   * passes, then answers it as GetInstance would.
   */
  waitInstance(argument: _stepway_v1_WaitInstanceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_WaitInstanceResponse__Output>): grpc.ClientUnaryCall;
  waitInstance(argument: _stepway_v1_WaitInstanceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_WaitInstanceResponse__Output>): grpc.ClientUnaryCall;
  waitInstance(argument: _stepway_v1_WaitInstanceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_WaitInstanceResponse__Output>): grpc.ClientUnaryCall;
  waitInstance(argument: _stepway_v1_WaitInstanceRequest, callback: grpc.requestCallback<_stepway_v1_WaitInstanceResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * An instance's history as it happens: the events after `after_seq`, then each new one as it
   * is recorded. The stream ends once the instance is finished and its last event was sent.
   * On UNAVAILABLE, call again with after_seq = the last seq received: nothing is missed.
   */
  WatchHistory(argument: _stepway_v1_WatchHistoryRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_stepway_v1_WatchHistoryResponse__Output>;
  WatchHistory(argument: _stepway_v1_WatchHistoryRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_stepway_v1_WatchHistoryResponse__Output>;
  /**
   * An instance's history as it happens: the events after `after_seq`, then each new one as it
   * is recorded. The stream ends once the instance is finished and its last event was sent.
   * On UNAVAILABLE, call again with after_seq = the last seq received: nothing is missed.
   */
  watchHistory(argument: _stepway_v1_WatchHistoryRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_stepway_v1_WatchHistoryResponse__Output>;
  watchHistory(argument: _stepway_v1_WatchHistoryRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_stepway_v1_WatchHistoryResponse__Output>;
  
}

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
export interface WorkflowServiceHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Creates an instance. Idempotent: an existing id returns the existing instance with
   * created = false. NOT_FOUND while no worker has registered the workflow in the account;
   * RESOURCE_EXHAUSTED (with RetryInfo) past the creations_per_second or
   * max_queued_per_workflow quota.
   */
  CreateInstance: grpc.handleUnaryCall<_stepway_v1_CreateInstanceRequest__Output, _stepway_v1_CreateInstanceResponse>;
  
  /**
   * Creates up to 1,000 instances in one call. Each item succeeds or fails on its own, whole,
   * and has its own result, in the order of the request.
   */
  CreateInstances: grpc.handleUnaryCall<_stepway_v1_CreateInstancesRequest__Output, _stepway_v1_CreateInstancesResponse>;
  
  /**
   * Deletes a finished instance with its steps, events and history. FAILED_PRECONDITION when
   * it is not finished (terminate it first).
   */
  DeleteInstance: grpc.handleUnaryCall<_stepway_v1_DeleteInstanceRequest__Output, _stepway_v1_DeleteInstanceResponse>;
  
  /**
   * Deletes many finished instances: by ids (each with its own result, as its single
   * DeleteInstance would have answered) or by filter (up to `limit` matching finished
   * instances a call, answering how many and whether more remain: call again until `more` is
   * false).
   */
  DeleteInstances: grpc.handleUnaryCall<_stepway_v1_DeleteInstancesRequest__Output, _stepway_v1_DeleteInstancesResponse>;
  
  /**
   * An instance's history: every transition, oldest first, a page at a time.
   */
  GetHistory: grpc.handleUnaryCall<_stepway_v1_GetHistoryRequest__Output, _stepway_v1_GetHistoryResponse>;
  
  /**
   * Reads an instance's status, params, output and error, and its steps when asked.
   */
  GetInstance: grpc.handleUnaryCall<_stepway_v1_GetInstanceRequest__Output, _stepway_v1_GetInstanceResponse>;
  
  /**
   * Lists instances, newest first, a page at a time.
   */
  ListInstances: grpc.handleUnaryCall<_stepway_v1_ListInstancesRequest__Output, _stepway_v1_ListInstancesResponse>;
  
  /**
   * A workflow's builds (docs/versioning.md): each build id registered for it, newest first,
   * with its instances counted by status, and the instances no task has run yet.
   */
  ListWorkflowBuilds: grpc.handleUnaryCall<_stepway_v1_ListWorkflowBuildsRequest__Output, _stepway_v1_ListWorkflowBuildsResponse>;
  
  /**
   * The workflows registered in the account, with their instance counts by status.
   */
  ListWorkflows: grpc.handleUnaryCall<_stepway_v1_ListWorkflowsRequest__Output, _stepway_v1_ListWorkflowsResponse>;
  
  /**
   * Moves a workflow's unfinished instances from one build to another: their next tasks go
   * to workers of the new build; blocked ones are tried again there.
   */
  MoveWorkflowBuild: grpc.handleUnaryCall<_stepway_v1_MoveWorkflowBuildRequest__Output, _stepway_v1_MoveWorkflowBuildResponse>;
  
  /**
   * Pauses an instance. A queued or waiting instance is paused at once; a running one finishes
   * the step it is in (status waitingForPause), then is paused; no new step starts.
   * FAILED_PRECONDITION when it is finished, paused or waitingForPause already.
   */
  PauseInstance: grpc.handleUnaryCall<_stepway_v1_PauseInstanceRequest__Output, _stepway_v1_PauseInstanceResponse>;
  
  /**
   * Runs an instance again, from the beginning or from a named step (the results of the steps
   * before it are kept). Works in any status; a running instance's worker loses its task.
   */
  RestartInstance: grpc.handleUnaryCall<_stepway_v1_RestartInstanceRequest__Output, _stepway_v1_RestartInstanceResponse>;
  
  /**
   * Resumes a paused instance (or cancels a pause still waiting for its step to end).
   * FAILED_PRECONDITION in any other status.
   */
  ResumeInstance: grpc.handleUnaryCall<_stepway_v1_ResumeInstanceRequest__Output, _stepway_v1_ResumeInstanceResponse>;
  
  /**
   * Sends an event; buffered until the instance waits for its type. FAILED_PRECONDITION when
   * the instance is finished.
   */
  SendEvent: grpc.handleUnaryCall<_stepway_v1_SendEventRequest__Output, _stepway_v1_SendEventResponse>;
  
  /**
   * Ends an instance that is not finished, at once; its worker's later writes are refused.
   * FAILED_PRECONDITION when it is finished already.
   */
  TerminateInstance: grpc.handleUnaryCall<_stepway_v1_TerminateInstanceRequest__Output, _stepway_v1_TerminateInstanceResponse>;
  
  /**
   * Waits until the instance is finished (complete, errored or terminated) or the timeout
   * passes, then answers it as GetInstance would.
   */
  WaitInstance: grpc.handleUnaryCall<_stepway_v1_WaitInstanceRequest__Output, _stepway_v1_WaitInstanceResponse>;
  
  /**
   * An instance's history as it happens: the events after `after_seq`, then each new one as it
   * is recorded. The stream ends once the instance is finished and its last event was sent.
   * On UNAVAILABLE, call again with after_seq = the last seq received: nothing is missed.
   */
  WatchHistory: grpc.handleServerStreamingCall<_stepway_v1_WatchHistoryRequest__Output, _stepway_v1_WatchHistoryResponse>;
  
}

export interface WorkflowServiceDefinition extends grpc.ServiceDefinition {
  CreateInstance: MethodDefinition<_stepway_v1_CreateInstanceRequest, _stepway_v1_CreateInstanceResponse, _stepway_v1_CreateInstanceRequest__Output, _stepway_v1_CreateInstanceResponse__Output>
  CreateInstances: MethodDefinition<_stepway_v1_CreateInstancesRequest, _stepway_v1_CreateInstancesResponse, _stepway_v1_CreateInstancesRequest__Output, _stepway_v1_CreateInstancesResponse__Output>
  DeleteInstance: MethodDefinition<_stepway_v1_DeleteInstanceRequest, _stepway_v1_DeleteInstanceResponse, _stepway_v1_DeleteInstanceRequest__Output, _stepway_v1_DeleteInstanceResponse__Output>
  DeleteInstances: MethodDefinition<_stepway_v1_DeleteInstancesRequest, _stepway_v1_DeleteInstancesResponse, _stepway_v1_DeleteInstancesRequest__Output, _stepway_v1_DeleteInstancesResponse__Output>
  GetHistory: MethodDefinition<_stepway_v1_GetHistoryRequest, _stepway_v1_GetHistoryResponse, _stepway_v1_GetHistoryRequest__Output, _stepway_v1_GetHistoryResponse__Output>
  GetInstance: MethodDefinition<_stepway_v1_GetInstanceRequest, _stepway_v1_GetInstanceResponse, _stepway_v1_GetInstanceRequest__Output, _stepway_v1_GetInstanceResponse__Output>
  ListInstances: MethodDefinition<_stepway_v1_ListInstancesRequest, _stepway_v1_ListInstancesResponse, _stepway_v1_ListInstancesRequest__Output, _stepway_v1_ListInstancesResponse__Output>
  ListWorkflowBuilds: MethodDefinition<_stepway_v1_ListWorkflowBuildsRequest, _stepway_v1_ListWorkflowBuildsResponse, _stepway_v1_ListWorkflowBuildsRequest__Output, _stepway_v1_ListWorkflowBuildsResponse__Output>
  ListWorkflows: MethodDefinition<_stepway_v1_ListWorkflowsRequest, _stepway_v1_ListWorkflowsResponse, _stepway_v1_ListWorkflowsRequest__Output, _stepway_v1_ListWorkflowsResponse__Output>
  MoveWorkflowBuild: MethodDefinition<_stepway_v1_MoveWorkflowBuildRequest, _stepway_v1_MoveWorkflowBuildResponse, _stepway_v1_MoveWorkflowBuildRequest__Output, _stepway_v1_MoveWorkflowBuildResponse__Output>
  PauseInstance: MethodDefinition<_stepway_v1_PauseInstanceRequest, _stepway_v1_PauseInstanceResponse, _stepway_v1_PauseInstanceRequest__Output, _stepway_v1_PauseInstanceResponse__Output>
  RestartInstance: MethodDefinition<_stepway_v1_RestartInstanceRequest, _stepway_v1_RestartInstanceResponse, _stepway_v1_RestartInstanceRequest__Output, _stepway_v1_RestartInstanceResponse__Output>
  ResumeInstance: MethodDefinition<_stepway_v1_ResumeInstanceRequest, _stepway_v1_ResumeInstanceResponse, _stepway_v1_ResumeInstanceRequest__Output, _stepway_v1_ResumeInstanceResponse__Output>
  SendEvent: MethodDefinition<_stepway_v1_SendEventRequest, _stepway_v1_SendEventResponse, _stepway_v1_SendEventRequest__Output, _stepway_v1_SendEventResponse__Output>
  TerminateInstance: MethodDefinition<_stepway_v1_TerminateInstanceRequest, _stepway_v1_TerminateInstanceResponse, _stepway_v1_TerminateInstanceRequest__Output, _stepway_v1_TerminateInstanceResponse__Output>
  WaitInstance: MethodDefinition<_stepway_v1_WaitInstanceRequest, _stepway_v1_WaitInstanceResponse, _stepway_v1_WaitInstanceRequest__Output, _stepway_v1_WaitInstanceResponse__Output>
  WatchHistory: MethodDefinition<_stepway_v1_WatchHistoryRequest, _stepway_v1_WatchHistoryResponse, _stepway_v1_WatchHistoryRequest__Output, _stepway_v1_WatchHistoryResponse__Output>
}
