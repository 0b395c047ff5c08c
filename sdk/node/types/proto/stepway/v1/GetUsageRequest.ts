// Original file: stepway/v1/admin_service.proto


/**
 * Which account's usage to read.
 */
export interface GetUsageRequest {
  /**
   * The account's name; a tenant admin key may name only its own.
   */
  'account'?: (string);
}

/**
 * Which account's usage to read.
 */
export interface GetUsageRequest__Output {
  /**
   * The account's name; a tenant admin key may name only its own.
   */
  'account': (string);
}
