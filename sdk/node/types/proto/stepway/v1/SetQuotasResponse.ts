// Original file: stepway/v1/admin_service.proto

import type { Quotas as _stepway_v1_Quotas, Quotas__Output as _stepway_v1_Quotas__Output } from '../../stepway/v1/Quotas';

/**
 * An account's quotas after a change.
 */
export interface SetQuotasResponse {
  /**
   * The account's name.
   */
  'account'?: (string);
  /**
   * The account's quotas, every field set.
   */
  'quotas'?: (_stepway_v1_Quotas | null);
  /**
   * The default of each quota.
   */
  'defaults'?: (_stepway_v1_Quotas | null);
}

/**
 * An account's quotas after a change.
 */
export interface SetQuotasResponse__Output {
  /**
   * The account's name.
   */
  'account': (string);
  /**
   * The account's quotas, every field set.
   */
  'quotas': (_stepway_v1_Quotas__Output | null);
  /**
   * The default of each quota.
   */
  'defaults': (_stepway_v1_Quotas__Output | null);
}
