// Original file: stepway/v1/admin_service.proto


/**
 * Asks for an account's API keys.
 */
export interface ListKeysRequest {
  /**
   * The account's name; a tenant admin key may name only its own.
   */
  'account'?: (string);
}

/**
 * Asks for an account's API keys.
 */
export interface ListKeysRequest__Output {
  /**
   * The account's name; a tenant admin key may name only its own.
   */
  'account': (string);
}
