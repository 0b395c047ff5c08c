// Original file: stepway/v1/workflow_service.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';
import type { StatusCount as _stepway_v1_StatusCount, StatusCount__Output as _stepway_v1_StatusCount__Output } from '../../stepway/v1/StatusCount';

/**
 * One build of a workflow, or the instances not on a build yet.
 */
export interface WorkflowBuild {
  /**
   * The build id; empty means unversioned workers (or, with unassigned, no build yet).
   */
  'buildId'?: (string);
  /**
   * True for the instances no task has run yet: they start on the newest build.
   */
  'unassigned'?: (boolean);
  /**
   * True for the newest build: the one new instances start on.
   */
  'newest'?: (boolean);
  /**
   * When a worker of the build first registered the workflow; unset for unassigned, or for a
   * build only moved to.
   */
  'firstRegisteredAt'?: (_google_protobuf_Timestamp | null);
  /**
   * When a worker of the build last registered it.
   */
  'lastRegisteredAt'?: (_google_protobuf_Timestamp | null);
  /**
   * Instances on the build by status, statuses with none left out.
   */
  'instances'?: (_stepway_v1_StatusCount)[];
  /**
   * Of them, instances blocked by non-determinism.
   */
  'blocked'?: (number);
  /**
   * True while a worker of the build has a poll open on the workflow's task queue: false with
   * instances queued on the build means they wait for a worker of it.
   */
  'polling'?: (boolean);
}

/**
 * One build of a workflow, or the instances not on a build yet.
 */
export interface WorkflowBuild__Output {
  /**
   * The build id; empty means unversioned workers (or, with unassigned, no build yet).
   */
  'buildId': (string);
  /**
   * True for the instances no task has run yet: they start on the newest build.
   */
  'unassigned': (boolean);
  /**
   * True for the newest build: the one new instances start on.
   */
  'newest': (boolean);
  /**
   * When a worker of the build first registered the workflow; unset for unassigned, or for a
   * build only moved to.
   */
  'firstRegisteredAt': (_google_protobuf_Timestamp__Output | null);
  /**
   * When a worker of the build last registered it.
   */
  'lastRegisteredAt': (_google_protobuf_Timestamp__Output | null);
  /**
   * Instances on the build by status, statuses with none left out.
   */
  'instances': (_stepway_v1_StatusCount__Output)[];
  /**
   * Of them, instances blocked by non-determinism.
   */
  'blocked': (number);
  /**
   * True while a worker of the build has a poll open on the workflow's task queue: false with
   * instances queued on the build means they wait for a worker of it.
   */
  'polling': (boolean);
}
