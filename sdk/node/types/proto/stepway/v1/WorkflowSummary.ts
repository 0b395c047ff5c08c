// Original file: stepway/v1/workflow_service.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';
import type { StatusCount as _stepway_v1_StatusCount, StatusCount__Output as _stepway_v1_StatusCount__Output } from '../../stepway/v1/StatusCount';

/**
 * A workflow registered in the account.
 */
export interface WorkflowSummary {
  /**
   * The workflow's name.
   */
  'name'?: (string);
  /**
   * The task queue its workers registered it on (the latest registration wins).
   */
  'taskQueue'?: (string);
  /**
   * When it was first registered, or last moved to another task queue.
   */
  'registeredAt'?: (_google_protobuf_Timestamp | null);
  /**
   * Instances by status, statuses with none left out.
   */
  'instances'?: (_stepway_v1_StatusCount)[];
}

/**
 * A workflow registered in the account.
 */
export interface WorkflowSummary__Output {
  /**
   * The workflow's name.
   */
  'name': (string);
  /**
   * The task queue its workers registered it on (the latest registration wins).
   */
  'taskQueue': (string);
  /**
   * When it was first registered, or last moved to another task queue.
   */
  'registeredAt': (_google_protobuf_Timestamp__Output | null);
  /**
   * Instances by status, statuses with none left out.
   */
  'instances': (_stepway_v1_StatusCount__Output)[];
}
