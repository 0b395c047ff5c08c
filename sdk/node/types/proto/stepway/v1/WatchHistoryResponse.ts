// Original file: stepway/v1/workflow_service.proto

import type { HistoryEvent as _stepway_v1_HistoryEvent, HistoryEvent__Output as _stepway_v1_HistoryEvent__Output } from '../../stepway/v1/HistoryEvent';

/**
 * One message of the WatchHistory stream.
 */
export interface WatchHistoryResponse {
  /**
   * The next history event, in seq order.
   */
  'event'?: (_stepway_v1_HistoryEvent | null);
}

/**
 * One message of the WatchHistory stream.
 */
export interface WatchHistoryResponse__Output {
  /**
   * The next history event, in seq order.
   */
  'event': (_stepway_v1_HistoryEvent__Output | null);
}
