// Original file: stepway/v1/admin_service.proto


/**
 * Asks to revoke an API key.
 */
export interface RevokeKeyRequest {
  /**
   * Name of the account the key belongs to; a tenant admin key may name only its own.
   */
  'account'?: (string);
  /**
   * The key's id, as ListKeys shows it: 12 lowercase hex characters (INVALID_ARGUMENT
   * otherwise); NOT_FOUND when the account has no such key.
   */
  'keyId'?: (string);
}

/**
 * Asks to revoke an API key.
 */
export interface RevokeKeyRequest__Output {
  /**
   * Name of the account the key belongs to; a tenant admin key may name only its own.
   */
  'account': (string);
  /**
   * The key's id, as ListKeys shows it: 12 lowercase hex characters (INVALID_ARGUMENT
   * otherwise); NOT_FOUND when the account has no such key.
   */
  'keyId': (string);
}
