// Original file: stepway/v1/schedule_service.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { BackfillScheduleRequest as _stepway_v1_BackfillScheduleRequest, BackfillScheduleRequest__Output as _stepway_v1_BackfillScheduleRequest__Output } from '../../stepway/v1/BackfillScheduleRequest';
import type { BackfillScheduleResponse as _stepway_v1_BackfillScheduleResponse, BackfillScheduleResponse__Output as _stepway_v1_BackfillScheduleResponse__Output } from '../../stepway/v1/BackfillScheduleResponse';
import type { CreateScheduleRequest as _stepway_v1_CreateScheduleRequest, CreateScheduleRequest__Output as _stepway_v1_CreateScheduleRequest__Output } from '../../stepway/v1/CreateScheduleRequest';
import type { CreateScheduleResponse as _stepway_v1_CreateScheduleResponse, CreateScheduleResponse__Output as _stepway_v1_CreateScheduleResponse__Output } from '../../stepway/v1/CreateScheduleResponse';
import type { DeleteScheduleRequest as _stepway_v1_DeleteScheduleRequest, DeleteScheduleRequest__Output as _stepway_v1_DeleteScheduleRequest__Output } from '../../stepway/v1/DeleteScheduleRequest';
import type { DeleteScheduleResponse as _stepway_v1_DeleteScheduleResponse, DeleteScheduleResponse__Output as _stepway_v1_DeleteScheduleResponse__Output } from '../../stepway/v1/DeleteScheduleResponse';
import type { GetScheduleRequest as _stepway_v1_GetScheduleRequest, GetScheduleRequest__Output as _stepway_v1_GetScheduleRequest__Output } from '../../stepway/v1/GetScheduleRequest';
import type { GetScheduleResponse as _stepway_v1_GetScheduleResponse, GetScheduleResponse__Output as _stepway_v1_GetScheduleResponse__Output } from '../../stepway/v1/GetScheduleResponse';
import type { ListSchedulesRequest as _stepway_v1_ListSchedulesRequest, ListSchedulesRequest__Output as _stepway_v1_ListSchedulesRequest__Output } from '../../stepway/v1/ListSchedulesRequest';
import type { ListSchedulesResponse as _stepway_v1_ListSchedulesResponse, ListSchedulesResponse__Output as _stepway_v1_ListSchedulesResponse__Output } from '../../stepway/v1/ListSchedulesResponse';
import type { PauseScheduleRequest as _stepway_v1_PauseScheduleRequest, PauseScheduleRequest__Output as _stepway_v1_PauseScheduleRequest__Output } from '../../stepway/v1/PauseScheduleRequest';
import type { PauseScheduleResponse as _stepway_v1_PauseScheduleResponse, PauseScheduleResponse__Output as _stepway_v1_PauseScheduleResponse__Output } from '../../stepway/v1/PauseScheduleResponse';
import type { ResumeScheduleRequest as _stepway_v1_ResumeScheduleRequest, ResumeScheduleRequest__Output as _stepway_v1_ResumeScheduleRequest__Output } from '../../stepway/v1/ResumeScheduleRequest';
import type { ResumeScheduleResponse as _stepway_v1_ResumeScheduleResponse, ResumeScheduleResponse__Output as _stepway_v1_ResumeScheduleResponse__Output } from '../../stepway/v1/ResumeScheduleResponse';
import type { TriggerScheduleRequest as _stepway_v1_TriggerScheduleRequest, TriggerScheduleRequest__Output as _stepway_v1_TriggerScheduleRequest__Output } from '../../stepway/v1/TriggerScheduleRequest';
import type { TriggerScheduleResponse as _stepway_v1_TriggerScheduleResponse, TriggerScheduleResponse__Output as _stepway_v1_TriggerScheduleResponse__Output } from '../../stepway/v1/TriggerScheduleResponse';
import type { UpdateScheduleRequest as _stepway_v1_UpdateScheduleRequest, UpdateScheduleRequest__Output as _stepway_v1_UpdateScheduleRequest__Output } from '../../stepway/v1/UpdateScheduleRequest';
import type { UpdateScheduleResponse as _stepway_v1_UpdateScheduleResponse, UpdateScheduleResponse__Output as _stepway_v1_UpdateScheduleResponse__Output } from '../../stepway/v1/UpdateScheduleResponse';

/**
 * What clients call to start workflows on a schedule: a cron expression in a time zone, or a
 * fixed interval. Each fire creates one instance of the schedule's workflow, whose id is derived
 * from the schedule and the scheduled time ("<schedule_id>-<YYYYMMDDTHHMMSSZ>"), so a fire is
 * neither lost nor doubled across crashes and partition moves: a fire is retried until that
 * instance exists, and creating an existing id creates nothing.
 * 
 * Authentication, the account and the error model are WorkflowService's: an API key of role
 * client or admin; INVALID_ARGUMENT with a google.rpc.BadRequest naming the field; NOT_FOUND
 * (reason SCHEDULE_NOT_FOUND) for a schedule the account does not have. A schedule is named by
 * its schedule_id, ^[a-zA-Z0-9_][a-zA-Z0-9_-]{0,79}$ (80 characters at most, so that the ids of
 * its instances fit in 100). An account holds at most max_schedules schedules (quota, 1,000 by
 * default): past it CreateSchedule is RESOURCE_EXHAUSTED.
 */
export interface ScheduleServiceClient extends grpc.Client {
  /**
   * Fires a schedule for every time its spec gives in [start_time, end_time), as if each had
   * come on time: the instances get the ids those times give, so a backfill run twice creates
   * nothing the second time. At most 10,000 fire times per call (INVALID_ARGUMENT past it).
   */
  BackfillSchedule(argument: _stepway_v1_BackfillScheduleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_BackfillScheduleResponse__Output>): grpc.ClientUnaryCall;
  BackfillSchedule(argument: _stepway_v1_BackfillScheduleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_BackfillScheduleResponse__Output>): grpc.ClientUnaryCall;
  BackfillSchedule(argument: _stepway_v1_BackfillScheduleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_BackfillScheduleResponse__Output>): grpc.ClientUnaryCall;
  BackfillSchedule(argument: _stepway_v1_BackfillScheduleRequest, callback: grpc.requestCallback<_stepway_v1_BackfillScheduleResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Fires a schedule for every time its spec gives in [start_time, end_time), as if each had
   * come on time: the instances get the ids those times give, so a backfill run twice creates
   * nothing the second time. At most 10,000 fire times per call (INVALID_ARGUMENT past it).
   */
  backfillSchedule(argument: _stepway_v1_BackfillScheduleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_BackfillScheduleResponse__Output>): grpc.ClientUnaryCall;
  backfillSchedule(argument: _stepway_v1_BackfillScheduleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_BackfillScheduleResponse__Output>): grpc.ClientUnaryCall;
  backfillSchedule(argument: _stepway_v1_BackfillScheduleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_BackfillScheduleResponse__Output>): grpc.ClientUnaryCall;
  backfillSchedule(argument: _stepway_v1_BackfillScheduleRequest, callback: grpc.requestCallback<_stepway_v1_BackfillScheduleResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Creates a schedule. ALREADY_EXISTS (reason SCHEDULE_EXISTS) when the account has one of
   * that id; NOT_FOUND (reason WORKFLOW_NOT_REGISTERED) when the workflow is not registered
   * and no task_queue is named.
   */
  CreateSchedule(argument: _stepway_v1_CreateScheduleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_CreateScheduleResponse__Output>): grpc.ClientUnaryCall;
  CreateSchedule(argument: _stepway_v1_CreateScheduleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_CreateScheduleResponse__Output>): grpc.ClientUnaryCall;
  CreateSchedule(argument: _stepway_v1_CreateScheduleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_CreateScheduleResponse__Output>): grpc.ClientUnaryCall;
  CreateSchedule(argument: _stepway_v1_CreateScheduleRequest, callback: grpc.requestCallback<_stepway_v1_CreateScheduleResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Creates a schedule. ALREADY_EXISTS (reason SCHEDULE_EXISTS) when the account has one of
   * that id; NOT_FOUND (reason WORKFLOW_NOT_REGISTERED) when the workflow is not registered
   * and no task_queue is named.
   */
  createSchedule(argument: _stepway_v1_CreateScheduleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_CreateScheduleResponse__Output>): grpc.ClientUnaryCall;
  createSchedule(argument: _stepway_v1_CreateScheduleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_CreateScheduleResponse__Output>): grpc.ClientUnaryCall;
  createSchedule(argument: _stepway_v1_CreateScheduleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_CreateScheduleResponse__Output>): grpc.ClientUnaryCall;
  createSchedule(argument: _stepway_v1_CreateScheduleRequest, callback: grpc.requestCallback<_stepway_v1_CreateScheduleResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Deletes a schedule. The instances it created are kept.
   */
  DeleteSchedule(argument: _stepway_v1_DeleteScheduleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_DeleteScheduleResponse__Output>): grpc.ClientUnaryCall;
  DeleteSchedule(argument: _stepway_v1_DeleteScheduleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_DeleteScheduleResponse__Output>): grpc.ClientUnaryCall;
  DeleteSchedule(argument: _stepway_v1_DeleteScheduleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_DeleteScheduleResponse__Output>): grpc.ClientUnaryCall;
  DeleteSchedule(argument: _stepway_v1_DeleteScheduleRequest, callback: grpc.requestCallback<_stepway_v1_DeleteScheduleResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Deletes a schedule. The instances it created are kept.
   */
  deleteSchedule(argument: _stepway_v1_DeleteScheduleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_DeleteScheduleResponse__Output>): grpc.ClientUnaryCall;
  deleteSchedule(argument: _stepway_v1_DeleteScheduleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_DeleteScheduleResponse__Output>): grpc.ClientUnaryCall;
  deleteSchedule(argument: _stepway_v1_DeleteScheduleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_DeleteScheduleResponse__Output>): grpc.ClientUnaryCall;
  deleteSchedule(argument: _stepway_v1_DeleteScheduleRequest, callback: grpc.requestCallback<_stepway_v1_DeleteScheduleResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Reads a schedule with its next fire times and its most recent runs.
   */
  GetSchedule(argument: _stepway_v1_GetScheduleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_GetScheduleResponse__Output>): grpc.ClientUnaryCall;
  GetSchedule(argument: _stepway_v1_GetScheduleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_GetScheduleResponse__Output>): grpc.ClientUnaryCall;
  GetSchedule(argument: _stepway_v1_GetScheduleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_GetScheduleResponse__Output>): grpc.ClientUnaryCall;
  GetSchedule(argument: _stepway_v1_GetScheduleRequest, callback: grpc.requestCallback<_stepway_v1_GetScheduleResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Reads a schedule with its next fire times and its most recent runs.
   */
  getSchedule(argument: _stepway_v1_GetScheduleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_GetScheduleResponse__Output>): grpc.ClientUnaryCall;
  getSchedule(argument: _stepway_v1_GetScheduleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_GetScheduleResponse__Output>): grpc.ClientUnaryCall;
  getSchedule(argument: _stepway_v1_GetScheduleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_GetScheduleResponse__Output>): grpc.ClientUnaryCall;
  getSchedule(argument: _stepway_v1_GetScheduleRequest, callback: grpc.requestCallback<_stepway_v1_GetScheduleResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Lists the account's schedules by schedule_id, a page at a time.
   */
  ListSchedules(argument: _stepway_v1_ListSchedulesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_ListSchedulesResponse__Output>): grpc.ClientUnaryCall;
  ListSchedules(argument: _stepway_v1_ListSchedulesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_ListSchedulesResponse__Output>): grpc.ClientUnaryCall;
  ListSchedules(argument: _stepway_v1_ListSchedulesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_ListSchedulesResponse__Output>): grpc.ClientUnaryCall;
  ListSchedules(argument: _stepway_v1_ListSchedulesRequest, callback: grpc.requestCallback<_stepway_v1_ListSchedulesResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Lists the account's schedules by schedule_id, a page at a time.
   */
  listSchedules(argument: _stepway_v1_ListSchedulesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_ListSchedulesResponse__Output>): grpc.ClientUnaryCall;
  listSchedules(argument: _stepway_v1_ListSchedulesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_ListSchedulesResponse__Output>): grpc.ClientUnaryCall;
  listSchedules(argument: _stepway_v1_ListSchedulesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_ListSchedulesResponse__Output>): grpc.ClientUnaryCall;
  listSchedules(argument: _stepway_v1_ListSchedulesRequest, callback: grpc.requestCallback<_stepway_v1_ListSchedulesResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Pauses a schedule: it does not fire until resumed. Fires whose time passes while paused
   * are not made up on resume. Pausing a paused schedule changes only its note.
   */
  PauseSchedule(argument: _stepway_v1_PauseScheduleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_PauseScheduleResponse__Output>): grpc.ClientUnaryCall;
  PauseSchedule(argument: _stepway_v1_PauseScheduleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_PauseScheduleResponse__Output>): grpc.ClientUnaryCall;
  PauseSchedule(argument: _stepway_v1_PauseScheduleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_PauseScheduleResponse__Output>): grpc.ClientUnaryCall;
  PauseSchedule(argument: _stepway_v1_PauseScheduleRequest, callback: grpc.requestCallback<_stepway_v1_PauseScheduleResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Pauses a schedule: it does not fire until resumed. Fires whose time passes while paused
   * are not made up on resume. Pausing a paused schedule changes only its note.
   */
  pauseSchedule(argument: _stepway_v1_PauseScheduleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_PauseScheduleResponse__Output>): grpc.ClientUnaryCall;
  pauseSchedule(argument: _stepway_v1_PauseScheduleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_PauseScheduleResponse__Output>): grpc.ClientUnaryCall;
  pauseSchedule(argument: _stepway_v1_PauseScheduleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_PauseScheduleResponse__Output>): grpc.ClientUnaryCall;
  pauseSchedule(argument: _stepway_v1_PauseScheduleRequest, callback: grpc.requestCallback<_stepway_v1_PauseScheduleResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Resumes a paused schedule from now. Resuming a running schedule changes nothing.
   */
  ResumeSchedule(argument: _stepway_v1_ResumeScheduleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_ResumeScheduleResponse__Output>): grpc.ClientUnaryCall;
  ResumeSchedule(argument: _stepway_v1_ResumeScheduleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_ResumeScheduleResponse__Output>): grpc.ClientUnaryCall;
  ResumeSchedule(argument: _stepway_v1_ResumeScheduleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_ResumeScheduleResponse__Output>): grpc.ClientUnaryCall;
  ResumeSchedule(argument: _stepway_v1_ResumeScheduleRequest, callback: grpc.requestCallback<_stepway_v1_ResumeScheduleResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Resumes a paused schedule from now. Resuming a running schedule changes nothing.
   */
  resumeSchedule(argument: _stepway_v1_ResumeScheduleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_ResumeScheduleResponse__Output>): grpc.ClientUnaryCall;
  resumeSchedule(argument: _stepway_v1_ResumeScheduleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_ResumeScheduleResponse__Output>): grpc.ClientUnaryCall;
  resumeSchedule(argument: _stepway_v1_ResumeScheduleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_ResumeScheduleResponse__Output>): grpc.ClientUnaryCall;
  resumeSchedule(argument: _stepway_v1_ResumeScheduleRequest, callback: grpc.requestCallback<_stepway_v1_ResumeScheduleResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Fires a schedule now, once, whatever its spec and even when paused, under its overlap
   * policy unless the request names another.
   */
  TriggerSchedule(argument: _stepway_v1_TriggerScheduleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_TriggerScheduleResponse__Output>): grpc.ClientUnaryCall;
  TriggerSchedule(argument: _stepway_v1_TriggerScheduleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_TriggerScheduleResponse__Output>): grpc.ClientUnaryCall;
  TriggerSchedule(argument: _stepway_v1_TriggerScheduleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_TriggerScheduleResponse__Output>): grpc.ClientUnaryCall;
  TriggerSchedule(argument: _stepway_v1_TriggerScheduleRequest, callback: grpc.requestCallback<_stepway_v1_TriggerScheduleResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Fires a schedule now, once, whatever its spec and even when paused, under its overlap
   * policy unless the request names another.
   */
  triggerSchedule(argument: _stepway_v1_TriggerScheduleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_TriggerScheduleResponse__Output>): grpc.ClientUnaryCall;
  triggerSchedule(argument: _stepway_v1_TriggerScheduleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_TriggerScheduleResponse__Output>): grpc.ClientUnaryCall;
  triggerSchedule(argument: _stepway_v1_TriggerScheduleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_TriggerScheduleResponse__Output>): grpc.ClientUnaryCall;
  triggerSchedule(argument: _stepway_v1_TriggerScheduleRequest, callback: grpc.requestCallback<_stepway_v1_TriggerScheduleResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Replaces a schedule's spec, action and policy. Fires already due keep their scheduled
   * times; the next fire is computed from the new spec.
   */
  UpdateSchedule(argument: _stepway_v1_UpdateScheduleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_UpdateScheduleResponse__Output>): grpc.ClientUnaryCall;
  UpdateSchedule(argument: _stepway_v1_UpdateScheduleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_UpdateScheduleResponse__Output>): grpc.ClientUnaryCall;
  UpdateSchedule(argument: _stepway_v1_UpdateScheduleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_UpdateScheduleResponse__Output>): grpc.ClientUnaryCall;
  UpdateSchedule(argument: _stepway_v1_UpdateScheduleRequest, callback: grpc.requestCallback<_stepway_v1_UpdateScheduleResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Replaces a schedule's spec, action and policy. Fires already due keep their scheduled
   * times; the next fire is computed from the new spec.
   */
  updateSchedule(argument: _stepway_v1_UpdateScheduleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_UpdateScheduleResponse__Output>): grpc.ClientUnaryCall;
  updateSchedule(argument: _stepway_v1_UpdateScheduleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_UpdateScheduleResponse__Output>): grpc.ClientUnaryCall;
  updateSchedule(argument: _stepway_v1_UpdateScheduleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_UpdateScheduleResponse__Output>): grpc.ClientUnaryCall;
  updateSchedule(argument: _stepway_v1_UpdateScheduleRequest, callback: grpc.requestCallback<_stepway_v1_UpdateScheduleResponse__Output>): grpc.ClientUnaryCall;
  
}

/**
 * What clients call to start workflows on a schedule: a cron expression in a time zone, or a
 * fixed interval. Each fire creates one instance of the schedule's workflow, whose id is derived
 * from the schedule and the scheduled time ("<schedule_id>-<YYYYMMDDTHHMMSSZ>"), so a fire is
 * neither lost nor doubled across crashes and partition moves: a fire is retried until that
 * instance exists, and creating an existing id creates nothing.
 * 
 * Authentication, the account and the error model are WorkflowService's: an API key of role
 * client or admin; INVALID_ARGUMENT with a google.rpc.BadRequest naming the field; NOT_FOUND
 * (reason SCHEDULE_NOT_FOUND) for a schedule the account does not have. A schedule is named by
 * its schedule_id, ^[a-zA-Z0-9_][a-zA-Z0-9_-]{0,79}$ (80 characters at most, so that the ids of
 * its instances fit in 100). An account holds at most max_schedules schedules (quota, 1,000 by
 * default): past it CreateSchedule is RESOURCE_EXHAUSTED.
 */
export interface ScheduleServiceHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Fires a schedule for every time its spec gives in [start_time, end_time), as if each had
   * come on time: the instances get the ids those times give, so a backfill run twice creates
   * nothing the second time. At most 10,000 fire times per call (INVALID_ARGUMENT past it).
   */
  BackfillSchedule: grpc.handleUnaryCall<_stepway_v1_BackfillScheduleRequest__Output, _stepway_v1_BackfillScheduleResponse>;
  
  /**
   * Creates a schedule. ALREADY_EXISTS (reason SCHEDULE_EXISTS) when the account has one of
   * that id; NOT_FOUND (reason WORKFLOW_NOT_REGISTERED) when the workflow is not registered
   * and no task_queue is named.
   */
  CreateSchedule: grpc.handleUnaryCall<_stepway_v1_CreateScheduleRequest__Output, _stepway_v1_CreateScheduleResponse>;
  
  /**
   * Deletes a schedule. The instances it created are kept.
   */
  DeleteSchedule: grpc.handleUnaryCall<_stepway_v1_DeleteScheduleRequest__Output, _stepway_v1_DeleteScheduleResponse>;
  
  /**
   * Reads a schedule with its next fire times and its most recent runs.
   */
  GetSchedule: grpc.handleUnaryCall<_stepway_v1_GetScheduleRequest__Output, _stepway_v1_GetScheduleResponse>;
  
  /**
   * Lists the account's schedules by schedule_id, a page at a time.
   */
  ListSchedules: grpc.handleUnaryCall<_stepway_v1_ListSchedulesRequest__Output, _stepway_v1_ListSchedulesResponse>;
  
  /**
   * Pauses a schedule: it does not fire until resumed. Fires whose time passes while paused
   * are not made up on resume. Pausing a paused schedule changes only its note.
   */
  PauseSchedule: grpc.handleUnaryCall<_stepway_v1_PauseScheduleRequest__Output, _stepway_v1_PauseScheduleResponse>;
  
  /**
   * Resumes a paused schedule from now. Resuming a running schedule changes nothing.
   */
  ResumeSchedule: grpc.handleUnaryCall<_stepway_v1_ResumeScheduleRequest__Output, _stepway_v1_ResumeScheduleResponse>;
  
  /**
   * Fires a schedule now, once, whatever its spec and even when paused, under its overlap
   * policy unless the request names another.
   */
  TriggerSchedule: grpc.handleUnaryCall<_stepway_v1_TriggerScheduleRequest__Output, _stepway_v1_TriggerScheduleResponse>;
  
  /**
   * Replaces a schedule's spec, action and policy. Fires already due keep their scheduled
   * times; the next fire is computed from the new spec.
   */
  UpdateSchedule: grpc.handleUnaryCall<_stepway_v1_UpdateScheduleRequest__Output, _stepway_v1_UpdateScheduleResponse>;
  
}

export interface ScheduleServiceDefinition extends grpc.ServiceDefinition {
  BackfillSchedule: MethodDefinition<_stepway_v1_BackfillScheduleRequest, _stepway_v1_BackfillScheduleResponse, _stepway_v1_BackfillScheduleRequest__Output, _stepway_v1_BackfillScheduleResponse__Output>
  CreateSchedule: MethodDefinition<_stepway_v1_CreateScheduleRequest, _stepway_v1_CreateScheduleResponse, _stepway_v1_CreateScheduleRequest__Output, _stepway_v1_CreateScheduleResponse__Output>
  DeleteSchedule: MethodDefinition<_stepway_v1_DeleteScheduleRequest, _stepway_v1_DeleteScheduleResponse, _stepway_v1_DeleteScheduleRequest__Output, _stepway_v1_DeleteScheduleResponse__Output>
  GetSchedule: MethodDefinition<_stepway_v1_GetScheduleRequest, _stepway_v1_GetScheduleResponse, _stepway_v1_GetScheduleRequest__Output, _stepway_v1_GetScheduleResponse__Output>
  ListSchedules: MethodDefinition<_stepway_v1_ListSchedulesRequest, _stepway_v1_ListSchedulesResponse, _stepway_v1_ListSchedulesRequest__Output, _stepway_v1_ListSchedulesResponse__Output>
  PauseSchedule: MethodDefinition<_stepway_v1_PauseScheduleRequest, _stepway_v1_PauseScheduleResponse, _stepway_v1_PauseScheduleRequest__Output, _stepway_v1_PauseScheduleResponse__Output>
  ResumeSchedule: MethodDefinition<_stepway_v1_ResumeScheduleRequest, _stepway_v1_ResumeScheduleResponse, _stepway_v1_ResumeScheduleRequest__Output, _stepway_v1_ResumeScheduleResponse__Output>
  TriggerSchedule: MethodDefinition<_stepway_v1_TriggerScheduleRequest, _stepway_v1_TriggerScheduleResponse, _stepway_v1_TriggerScheduleRequest__Output, _stepway_v1_TriggerScheduleResponse__Output>
  UpdateSchedule: MethodDefinition<_stepway_v1_UpdateScheduleRequest, _stepway_v1_UpdateScheduleResponse, _stepway_v1_UpdateScheduleRequest__Output, _stepway_v1_UpdateScheduleResponse__Output>
}
