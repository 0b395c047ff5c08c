// Original file: stepway/v1/admin_service.proto


/**
 * The server's description.
 */
export interface GetServerInfoResponse {
  /**
   * Stepway's version.
   */
  'version'?: (string);
  /**
   * Fixed number of partitions of the cluster (1024 by default).
   */
  'partitions'?: (number);
  /**
   * Database backend: "sqlite", "postgresql" or "cockroachdb".
   */
  'backend'?: (string);
  /**
   * Account of the calling key.
   */
  'account'?: (string);
}

/**
 * The server's description.
 */
export interface GetServerInfoResponse__Output {
  /**
   * Stepway's version.
   */
  'version': (string);
  /**
   * Fixed number of partitions of the cluster (1024 by default).
   */
  'partitions': (number);
  /**
   * Database backend: "sqlite", "postgresql" or "cockroachdb".
   */
  'backend': (string);
  /**
   * Account of the calling key.
   */
  'account': (string);
}
