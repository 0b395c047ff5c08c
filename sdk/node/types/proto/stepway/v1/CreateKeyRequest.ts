// Original file: stepway/v1/admin_service.proto

import type { KeyRole as _stepway_v1_KeyRole, KeyRole__Output as _stepway_v1_KeyRole__Output } from '../../stepway/v1/KeyRole';

/**
 * Asks for a new API key.
 */
export interface CreateKeyRequest {
  /**
   * Name of the account the key is for; a tenant admin key may name only its own.
   */
  'account'?: (string);
  /**
   * What the key may call; UNSPECIFIED or an unknown value is INVALID_ARGUMENT.
   */
  'role'?: (_stepway_v1_KeyRole);
  /**
   * A label: printable text, at most 100 characters (INVALID_ARGUMENT otherwise); empty means
   * the role's name.
   */
  'name'?: (string);
}

/**
 * Asks for a new API key.
 */
export interface CreateKeyRequest__Output {
  /**
   * Name of the account the key is for; a tenant admin key may name only its own.
   */
  'account': (string);
  /**
   * What the key may call; UNSPECIFIED or an unknown value is INVALID_ARGUMENT.
   */
  'role': (_stepway_v1_KeyRole__Output);
  /**
   * A label: printable text, at most 100 characters (INVALID_ARGUMENT otherwise); empty means
   * the role's name.
   */
  'name': (string);
}
