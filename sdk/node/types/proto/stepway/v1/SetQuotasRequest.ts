// Original file: stepway/v1/admin_service.proto

import type { Quotas as _stepway_v1_Quotas, Quotas__Output as _stepway_v1_Quotas__Output } from '../../stepway/v1/Quotas';

/**
 * Asks to change some of an account's quotas.
 */
export interface SetQuotasRequest {
  /**
   * The account's name.
   */
  'account'?: (string);
  /**
   * The quotas to change; an unset field keeps its value. Setting a quota to its default
   * makes it follow the default again. Each value must be within the quota's bounds, or
   * nothing changes (INVALID_ARGUMENT naming the field, e.g. "quotas.max_running", and the
   * bounds).
   */
  'quotas'?: (_stepway_v1_Quotas | null);
}

/**
 * Asks to change some of an account's quotas.
 */
export interface SetQuotasRequest__Output {
  /**
   * The account's name.
   */
  'account': (string);
  /**
   * The quotas to change; an unset field keeps its value. Setting a quota to its default
   * makes it follow the default again. Each value must be within the quota's bounds, or
   * nothing changes (INVALID_ARGUMENT naming the field, e.g. "quotas.max_running", and the
   * bounds).
   */
  'quotas': (_stepway_v1_Quotas__Output | null);
}
