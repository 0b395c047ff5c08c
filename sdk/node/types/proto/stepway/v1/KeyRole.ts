// Original file: stepway/v1/admin_service.proto

/**
 * What an API key may call.
 */
export const KeyRole = {
  /**
   * Not a role; refused.
   */
  KEY_ROLE_UNSPECIFIED: 'KEY_ROLE_UNSPECIFIED',
  /**
   * Every service, and AdminService within the account's scope (operator or tenant).
   */
  KEY_ROLE_ADMIN: 'KEY_ROLE_ADMIN',
  /**
   * WorkflowService (create, read and control instances), and AdminService's GetServerInfo.
   */
  KEY_ROLE_CLIENT: 'KEY_ROLE_CLIENT',
  /**
   * WorkerService (poll for tasks and report their results), and AdminService's GetServerInfo.
   */
  KEY_ROLE_WORKER: 'KEY_ROLE_WORKER',
} as const;

/**
 * What an API key may call.
 */
export type KeyRole =
  /**
   * Not a role; refused.
   */
  | 'KEY_ROLE_UNSPECIFIED'
  | 0
  /**
   * Every service, and AdminService within the account's scope (operator or tenant).
   */
  | 'KEY_ROLE_ADMIN'
  | 1
  /**
   * WorkflowService (create, read and control instances), and AdminService's GetServerInfo.
   */
  | 'KEY_ROLE_CLIENT'
  | 2
  /**
   * WorkerService (poll for tasks and report their results), and AdminService's GetServerInfo.
   */
  | 'KEY_ROLE_WORKER'
  | 3

/**
 * What an API key may call.
 */
export type KeyRole__Output = typeof KeyRole[keyof typeof KeyRole]
