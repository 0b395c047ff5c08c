// Original file: stepway/v1/admin_service.proto

import type { Long } from '@grpc/proto-loader';

/**
 * An account's usage, read when the call was answered.
 */
export interface GetUsageResponse {
  /**
   * The account's name.
   */
  'account'?: (string);
  /**
   * Instances running now (running or waitingForPause): what max_running limits.
   */
  'running'?: (number | string | Long);
  /**
   * Instances queued: ready to start, waiting for a worker or a running slot.
   */
  'queued'?: (number | string | Long);
  /**
   * Instances waiting for a time, an event or a retry; they take no running slot.
   */
  'waiting'?: (number | string | Long);
  /**
   * Instances paused.
   */
  'paused'?: (number | string | Long);
  /**
   * Instances created per second, over the last minute.
   */
  'createdPerSecond'?: (number | string);
  /**
   * Calls and creations refused since the account was created, by quota name (for example
   * "creations_per_second"). Servers add theirs about every second.
   */
  'rejected'?: ({[key: string]: number | string | Long});
}

/**
 * An account's usage, read when the call was answered.
 */
export interface GetUsageResponse__Output {
  /**
   * The account's name.
   */
  'account': (string);
  /**
   * Instances running now (running or waitingForPause): what max_running limits.
   */
  'running': (string);
  /**
   * Instances queued: ready to start, waiting for a worker or a running slot.
   */
  'queued': (string);
  /**
   * Instances waiting for a time, an event or a retry; they take no running slot.
   */
  'waiting': (string);
  /**
   * Instances paused.
   */
  'paused': (string);
  /**
   * Instances created per second, over the last minute.
   */
  'createdPerSecond': (number);
  /**
   * Calls and creations refused since the account was created, by quota name (for example
   * "creations_per_second"). Servers add theirs about every second.
   */
  'rejected': ({[key: string]: string});
}
