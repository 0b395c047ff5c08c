// Original file: stepway/v1/admin_service.proto

import type { Account as _stepway_v1_Account, Account__Output as _stepway_v1_Account__Output } from '../../stepway/v1/Account';

/**
 * Every account.
 */
export interface ListAccountsResponse {
  /**
   * The accounts, by name.
   */
  'accounts'?: (_stepway_v1_Account)[];
}

/**
 * Every account.
 */
export interface ListAccountsResponse__Output {
  /**
   * The accounts, by name.
   */
  'accounts': (_stepway_v1_Account__Output)[];
}
