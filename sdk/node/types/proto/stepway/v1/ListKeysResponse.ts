// Original file: stepway/v1/admin_service.proto

import type { ApiKey as _stepway_v1_ApiKey, ApiKey__Output as _stepway_v1_ApiKey__Output } from '../../stepway/v1/ApiKey';

/**
 * An account's API keys.
 */
export interface ListKeysResponse {
  /**
   * The keys, oldest first, revoked ones included.
   */
  'keys'?: (_stepway_v1_ApiKey)[];
}

/**
 * An account's API keys.
 */
export interface ListKeysResponse__Output {
  /**
   * The keys, oldest first, revoked ones included.
   */
  'keys': (_stepway_v1_ApiKey__Output)[];
}
