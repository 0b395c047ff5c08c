// Original file: stepway/v1/admin_service.proto

import type { ApiKey as _stepway_v1_ApiKey, ApiKey__Output as _stepway_v1_ApiKey__Output } from '../../stepway/v1/ApiKey';

/**
 * The key revoked.
 */
export interface RevokeKeyResponse {
  /**
   * The key, with its revocation time (the first one, when it was revoked already).
   */
  'apiKey'?: (_stepway_v1_ApiKey | null);
}

/**
 * The key revoked.
 */
export interface RevokeKeyResponse__Output {
  /**
   * The key, with its revocation time (the first one, when it was revoked already).
   */
  'apiKey': (_stepway_v1_ApiKey__Output | null);
}
