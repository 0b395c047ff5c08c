import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from './google/protobuf/Duration';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from './google/protobuf/Timestamp';
import type { BackfillScheduleRequest as _stepway_v1_BackfillScheduleRequest, BackfillScheduleRequest__Output as _stepway_v1_BackfillScheduleRequest__Output } from './stepway/v1/BackfillScheduleRequest';
import type { BackfillScheduleResponse as _stepway_v1_BackfillScheduleResponse, BackfillScheduleResponse__Output as _stepway_v1_BackfillScheduleResponse__Output } from './stepway/v1/BackfillScheduleResponse';
import type { ChildLink as _stepway_v1_ChildLink, ChildLink__Output as _stepway_v1_ChildLink__Output } from './stepway/v1/ChildLink';
import type { CreateScheduleRequest as _stepway_v1_CreateScheduleRequest, CreateScheduleRequest__Output as _stepway_v1_CreateScheduleRequest__Output } from './stepway/v1/CreateScheduleRequest';
import type { CreateScheduleResponse as _stepway_v1_CreateScheduleResponse, CreateScheduleResponse__Output as _stepway_v1_CreateScheduleResponse__Output } from './stepway/v1/CreateScheduleResponse';
import type { CronSpec as _stepway_v1_CronSpec, CronSpec__Output as _stepway_v1_CronSpec__Output } from './stepway/v1/CronSpec';
import type { DeleteScheduleRequest as _stepway_v1_DeleteScheduleRequest, DeleteScheduleRequest__Output as _stepway_v1_DeleteScheduleRequest__Output } from './stepway/v1/DeleteScheduleRequest';
import type { DeleteScheduleResponse as _stepway_v1_DeleteScheduleResponse, DeleteScheduleResponse__Output as _stepway_v1_DeleteScheduleResponse__Output } from './stepway/v1/DeleteScheduleResponse';
import type { Failure as _stepway_v1_Failure, Failure__Output as _stepway_v1_Failure__Output } from './stepway/v1/Failure';
import type { GetScheduleRequest as _stepway_v1_GetScheduleRequest, GetScheduleRequest__Output as _stepway_v1_GetScheduleRequest__Output } from './stepway/v1/GetScheduleRequest';
import type { GetScheduleResponse as _stepway_v1_GetScheduleResponse, GetScheduleResponse__Output as _stepway_v1_GetScheduleResponse__Output } from './stepway/v1/GetScheduleResponse';
import type { HistoryEvent as _stepway_v1_HistoryEvent, HistoryEvent__Output as _stepway_v1_HistoryEvent__Output } from './stepway/v1/HistoryEvent';
import type { Instance as _stepway_v1_Instance, Instance__Output as _stepway_v1_Instance__Output } from './stepway/v1/Instance';
import type { IntervalSpec as _stepway_v1_IntervalSpec, IntervalSpec__Output as _stepway_v1_IntervalSpec__Output } from './stepway/v1/IntervalSpec';
import type { ListSchedulesRequest as _stepway_v1_ListSchedulesRequest, ListSchedulesRequest__Output as _stepway_v1_ListSchedulesRequest__Output } from './stepway/v1/ListSchedulesRequest';
import type { ListSchedulesResponse as _stepway_v1_ListSchedulesResponse, ListSchedulesResponse__Output as _stepway_v1_ListSchedulesResponse__Output } from './stepway/v1/ListSchedulesResponse';
import type { ParentLink as _stepway_v1_ParentLink, ParentLink__Output as _stepway_v1_ParentLink__Output } from './stepway/v1/ParentLink';
import type { PauseScheduleRequest as _stepway_v1_PauseScheduleRequest, PauseScheduleRequest__Output as _stepway_v1_PauseScheduleRequest__Output } from './stepway/v1/PauseScheduleRequest';
import type { PauseScheduleResponse as _stepway_v1_PauseScheduleResponse, PauseScheduleResponse__Output as _stepway_v1_PauseScheduleResponse__Output } from './stepway/v1/PauseScheduleResponse';
import type { Payload as _stepway_v1_Payload, Payload__Output as _stepway_v1_Payload__Output } from './stepway/v1/Payload';
import type { ResumeScheduleRequest as _stepway_v1_ResumeScheduleRequest, ResumeScheduleRequest__Output as _stepway_v1_ResumeScheduleRequest__Output } from './stepway/v1/ResumeScheduleRequest';
import type { ResumeScheduleResponse as _stepway_v1_ResumeScheduleResponse, ResumeScheduleResponse__Output as _stepway_v1_ResumeScheduleResponse__Output } from './stepway/v1/ResumeScheduleResponse';
import type { Schedule as _stepway_v1_Schedule, Schedule__Output as _stepway_v1_Schedule__Output } from './stepway/v1/Schedule';
import type { ScheduleAction as _stepway_v1_ScheduleAction, ScheduleAction__Output as _stepway_v1_ScheduleAction__Output } from './stepway/v1/ScheduleAction';
import type { SchedulePolicy as _stepway_v1_SchedulePolicy, SchedulePolicy__Output as _stepway_v1_SchedulePolicy__Output } from './stepway/v1/SchedulePolicy';
import type { ScheduleRun as _stepway_v1_ScheduleRun, ScheduleRun__Output as _stepway_v1_ScheduleRun__Output } from './stepway/v1/ScheduleRun';
import type { ScheduleServiceClient as _stepway_v1_ScheduleServiceClient, ScheduleServiceDefinition as _stepway_v1_ScheduleServiceDefinition } from './stepway/v1/ScheduleService';
import type { ScheduleSpec as _stepway_v1_ScheduleSpec, ScheduleSpec__Output as _stepway_v1_ScheduleSpec__Output } from './stepway/v1/ScheduleSpec';
import type { Step as _stepway_v1_Step, Step__Output as _stepway_v1_Step__Output } from './stepway/v1/Step';
import type { TriggerScheduleRequest as _stepway_v1_TriggerScheduleRequest, TriggerScheduleRequest__Output as _stepway_v1_TriggerScheduleRequest__Output } from './stepway/v1/TriggerScheduleRequest';
import type { TriggerScheduleResponse as _stepway_v1_TriggerScheduleResponse, TriggerScheduleResponse__Output as _stepway_v1_TriggerScheduleResponse__Output } from './stepway/v1/TriggerScheduleResponse';
import type { UpdateScheduleRequest as _stepway_v1_UpdateScheduleRequest, UpdateScheduleRequest__Output as _stepway_v1_UpdateScheduleRequest__Output } from './stepway/v1/UpdateScheduleRequest';
import type { UpdateScheduleResponse as _stepway_v1_UpdateScheduleResponse, UpdateScheduleResponse__Output as _stepway_v1_UpdateScheduleResponse__Output } from './stepway/v1/UpdateScheduleResponse';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  google: {
    protobuf: {
      Duration: MessageTypeDefinition<_google_protobuf_Duration, _google_protobuf_Duration__Output>
      Timestamp: MessageTypeDefinition<_google_protobuf_Timestamp, _google_protobuf_Timestamp__Output>
    }
  }
  stepway: {
    v1: {
      BackfillScheduleRequest: MessageTypeDefinition<_stepway_v1_BackfillScheduleRequest, _stepway_v1_BackfillScheduleRequest__Output>
      BackfillScheduleResponse: MessageTypeDefinition<_stepway_v1_BackfillScheduleResponse, _stepway_v1_BackfillScheduleResponse__Output>
      ChildLink: MessageTypeDefinition<_stepway_v1_ChildLink, _stepway_v1_ChildLink__Output>
      CreateScheduleRequest: MessageTypeDefinition<_stepway_v1_CreateScheduleRequest, _stepway_v1_CreateScheduleRequest__Output>
      CreateScheduleResponse: MessageTypeDefinition<_stepway_v1_CreateScheduleResponse, _stepway_v1_CreateScheduleResponse__Output>
      CronSpec: MessageTypeDefinition<_stepway_v1_CronSpec, _stepway_v1_CronSpec__Output>
      DeleteScheduleRequest: MessageTypeDefinition<_stepway_v1_DeleteScheduleRequest, _stepway_v1_DeleteScheduleRequest__Output>
      DeleteScheduleResponse: MessageTypeDefinition<_stepway_v1_DeleteScheduleResponse, _stepway_v1_DeleteScheduleResponse__Output>
      Failure: MessageTypeDefinition<_stepway_v1_Failure, _stepway_v1_Failure__Output>
      GetScheduleRequest: MessageTypeDefinition<_stepway_v1_GetScheduleRequest, _stepway_v1_GetScheduleRequest__Output>
      GetScheduleResponse: MessageTypeDefinition<_stepway_v1_GetScheduleResponse, _stepway_v1_GetScheduleResponse__Output>
      HistoryEvent: MessageTypeDefinition<_stepway_v1_HistoryEvent, _stepway_v1_HistoryEvent__Output>
      HistoryEventType: EnumTypeDefinition
      Instance: MessageTypeDefinition<_stepway_v1_Instance, _stepway_v1_Instance__Output>
      InstanceStatus: EnumTypeDefinition
      IntervalSpec: MessageTypeDefinition<_stepway_v1_IntervalSpec, _stepway_v1_IntervalSpec__Output>
      ListSchedulesRequest: MessageTypeDefinition<_stepway_v1_ListSchedulesRequest, _stepway_v1_ListSchedulesRequest__Output>
      ListSchedulesResponse: MessageTypeDefinition<_stepway_v1_ListSchedulesResponse, _stepway_v1_ListSchedulesResponse__Output>
      OverlapPolicy: EnumTypeDefinition
      ParentClosePolicy: EnumTypeDefinition
      ParentLink: MessageTypeDefinition<_stepway_v1_ParentLink, _stepway_v1_ParentLink__Output>
      PauseScheduleRequest: MessageTypeDefinition<_stepway_v1_PauseScheduleRequest, _stepway_v1_PauseScheduleRequest__Output>
      PauseScheduleResponse: MessageTypeDefinition<_stepway_v1_PauseScheduleResponse, _stepway_v1_PauseScheduleResponse__Output>
      Payload: MessageTypeDefinition<_stepway_v1_Payload, _stepway_v1_Payload__Output>
      ResumeScheduleRequest: MessageTypeDefinition<_stepway_v1_ResumeScheduleRequest, _stepway_v1_ResumeScheduleRequest__Output>
      ResumeScheduleResponse: MessageTypeDefinition<_stepway_v1_ResumeScheduleResponse, _stepway_v1_ResumeScheduleResponse__Output>
      Schedule: MessageTypeDefinition<_stepway_v1_Schedule, _stepway_v1_Schedule__Output>
      ScheduleAction: MessageTypeDefinition<_stepway_v1_ScheduleAction, _stepway_v1_ScheduleAction__Output>
      SchedulePolicy: MessageTypeDefinition<_stepway_v1_SchedulePolicy, _stepway_v1_SchedulePolicy__Output>
      ScheduleRun: MessageTypeDefinition<_stepway_v1_ScheduleRun, _stepway_v1_ScheduleRun__Output>
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
      ScheduleService: SubtypeConstructor<typeof grpc.Client, _stepway_v1_ScheduleServiceClient> & { service: _stepway_v1_ScheduleServiceDefinition }
      ScheduleSpec: MessageTypeDefinition<_stepway_v1_ScheduleSpec, _stepway_v1_ScheduleSpec__Output>
      Step: MessageTypeDefinition<_stepway_v1_Step, _stepway_v1_Step__Output>
      StepKind: EnumTypeDefinition
      StepState: EnumTypeDefinition
      TriggerScheduleRequest: MessageTypeDefinition<_stepway_v1_TriggerScheduleRequest, _stepway_v1_TriggerScheduleRequest__Output>
      TriggerScheduleResponse: MessageTypeDefinition<_stepway_v1_TriggerScheduleResponse, _stepway_v1_TriggerScheduleResponse__Output>
      UpdateScheduleRequest: MessageTypeDefinition<_stepway_v1_UpdateScheduleRequest, _stepway_v1_UpdateScheduleRequest__Output>
      UpdateScheduleResponse: MessageTypeDefinition<_stepway_v1_UpdateScheduleResponse, _stepway_v1_UpdateScheduleResponse__Output>
    }
  }
}

