// Declarations of protos.js: Stepway's services loaded from the .proto files at run time.

import type { Options } from '@grpc/proto-loader';
import type { ProtoGrpcType as AdminProto } from '../types/proto/admin_service';
import type { ProtoGrpcType as ScheduleProto } from '../types/proto/schedule_service';
import type { ProtoGrpcType as WorkerProto } from '../types/proto/worker_service';
import type { ProtoGrpcType as WorkflowProto } from '../types/proto/workflow_service';

/** The `stepway.v1` package: the four services' constructors, and the message types. */
export type StepwayV1 = WorkerProto['stepway']['v1'] &
  WorkflowProto['stepway']['v1'] &
  AdminProto['stepway']['v1'] &
  ScheduleProto['stepway']['v1'];

/** How protobuf maps to JavaScript everywhere in this package (and in types/proto). */
export declare const LOADER_OPTIONS: Readonly<Options>;
/** The protos directory: the argument, else $STEPWAY_PROTOS, else the package's copy, else the repository's. */
export declare function findProtosDir(protosDir?: string): string;
/** The `stepway.v1` package namespace loaded from a protos directory (cached per directory). */
export declare function loadServices(protosDir?: string): StepwayV1;
