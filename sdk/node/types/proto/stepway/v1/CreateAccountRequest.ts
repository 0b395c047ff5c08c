// Original file: stepway/v1/admin_service.proto


/**
 * Asks for a new account.
 */
export interface CreateAccountRequest {
  /**
   * The new account's name: ^[a-zA-Z0-9_][a-zA-Z0-9_-]{0,99}$; ALREADY_EXISTS when taken.
   */
  'name'?: (string);
  /**
   * Makes the new account an operator account, whose admin keys manage every account.
   */
  'operator'?: (boolean);
}

/**
 * Asks for a new account.
 */
export interface CreateAccountRequest__Output {
  /**
   * The new account's name: ^[a-zA-Z0-9_][a-zA-Z0-9_-]{0,99}$; ALREADY_EXISTS when taken.
   */
  'name': (string);
  /**
   * Makes the new account an operator account, whose admin keys manage every account.
   */
  'operator': (boolean);
}
