// Original file: stepway/v1/schedule_service.proto

import type { Long } from '@grpc/proto-loader';

/**
 * What the backfill did.
 */
export interface BackfillScheduleResponse {
  /**
   * Instances created.
   */
  'created'?: (number | string | Long);
  /**
   * Fire times whose instance existed already.
   */
  'existing'?: (number | string | Long);
  /**
   * Fire times skipped by the overlap policy.
   */
  'skipped'?: (number | string | Long);
}

/**
 * What the backfill did.
 */
export interface BackfillScheduleResponse__Output {
  /**
   * Instances created.
   */
  'created': (string);
  /**
   * Fire times whose instance existed already.
   */
  'existing': (string);
  /**
   * Fire times skipped by the overlap policy.
   */
  'skipped': (string);
}
