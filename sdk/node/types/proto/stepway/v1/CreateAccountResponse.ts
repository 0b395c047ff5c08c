// Original file: stepway/v1/admin_service.proto

import type { Account as _stepway_v1_Account, Account__Output as _stepway_v1_Account__Output } from '../../stepway/v1/Account';

/**
 * The account created.
 */
export interface CreateAccountResponse {
  /**
   * The new account.
   */
  'account'?: (_stepway_v1_Account | null);
}

/**
 * The account created.
 */
export interface CreateAccountResponse__Output {
  /**
   * The new account.
   */
  'account': (_stepway_v1_Account__Output | null);
}
