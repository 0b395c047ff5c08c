// Original file: stepway/v1/admin_service.proto


/**
 * Asks for every account.
 */
export interface ListAccountsRequest {
}

/**
 * Asks for every account.
 */
export interface ListAccountsRequest__Output {
}
