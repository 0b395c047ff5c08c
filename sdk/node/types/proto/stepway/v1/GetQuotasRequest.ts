// Original file: stepway/v1/admin_service.proto


/**
 * Asks for an account's quotas.
 */
export interface GetQuotasRequest {
  /**
   * The account's name; a tenant admin key may name only its own.
   */
  'account'?: (string);
}

/**
 * Asks for an account's quotas.
 */
export interface GetQuotasRequest__Output {
  /**
   * The account's name; a tenant admin key may name only its own.
   */
  'account': (string);
}
