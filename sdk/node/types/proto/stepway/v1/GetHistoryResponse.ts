// Original file: stepway/v1/workflow_service.proto

import type { HistoryEvent as _stepway_v1_HistoryEvent, HistoryEvent__Output as _stepway_v1_HistoryEvent__Output } from '../../stepway/v1/HistoryEvent';
import type { InstanceStatus as _stepway_v1_InstanceStatus, InstanceStatus__Output as _stepway_v1_InstanceStatus__Output } from '../../stepway/v1/InstanceStatus';

/**
 * A page of an instance's history.
 */
export interface GetHistoryResponse {
  /**
   * The events, oldest first.
   */
  'events'?: (_stepway_v1_HistoryEvent)[];
  /**
   * True when more events follow this page: call again with after_seq = the last seq. A page
   * also ends early, with more set, once its events reach 32 MiB.
   */
  'more'?: (boolean);
  /**
   * The instance's status when the page was read.
   */
  'status'?: (_stepway_v1_InstanceStatus);
}

/**
 * A page of an instance's history.
 */
export interface GetHistoryResponse__Output {
  /**
   * The events, oldest first.
   */
  'events': (_stepway_v1_HistoryEvent__Output)[];
  /**
   * True when more events follow this page: call again with after_seq = the last seq. A page
   * also ends early, with more set, once its events reach 32 MiB.
   */
  'more': (boolean);
  /**
   * The instance's status when the page was read.
   */
  'status': (_stepway_v1_InstanceStatus__Output);
}
