// Original file: stepway/v1/admin_service.proto


/**
 * Asks for the server's description.
 */
export interface GetServerInfoRequest {
}

/**
 * Asks for the server's description.
 */
export interface GetServerInfoRequest__Output {
}
