// Original file: stepway/v1/admin_service.proto

import type { ApiKey as _stepway_v1_ApiKey, ApiKey__Output as _stepway_v1_ApiKey__Output } from '../../stepway/v1/ApiKey';

/**
 * The new key.
 */
export interface CreateKeyResponse {
  /**
   * The API key itself ("sw_" and 43 characters), shown only in this answer: it is stored as a
   * hash. Send it as `authorization: Bearer <key>`.
   */
  'key'?: (string);
  /**
   * The key's id, account, role, label and creation time.
   */
  'apiKey'?: (_stepway_v1_ApiKey | null);
}

/**
 * The new key.
 */
export interface CreateKeyResponse__Output {
  /**
   * The API key itself ("sw_" and 43 characters), shown only in this answer: it is stored as a
   * hash. Send it as `authorization: Bearer <key>`.
   */
  'key': (string);
  /**
   * The key's id, account, role, label and creation time.
   */
  'apiKey': (_stepway_v1_ApiKey__Output | null);
}
