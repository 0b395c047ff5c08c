// Original file: stepway/v1/admin_service.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';

/**
 * An account: a tenant with its own instances, API keys and quotas.
 */
export interface Account {
  /**
   * Unique name: ^[a-zA-Z0-9_][a-zA-Z0-9_-]{0,99}$.
   */
  'name'?: (string);
  /**
   * Whether the account's admin keys manage every account.
   */
  'operator'?: (boolean);
  /**
   * When the account was created.
   */
  'createdAt'?: (_google_protobuf_Timestamp | null);
}

/**
 * An account: a tenant with its own instances, API keys and quotas.
 */
export interface Account__Output {
  /**
   * Unique name: ^[a-zA-Z0-9_][a-zA-Z0-9_-]{0,99}$.
   */
  'name': (string);
  /**
   * Whether the account's admin keys manage every account.
   */
  'operator': (boolean);
  /**
   * When the account was created.
   */
  'createdAt': (_google_protobuf_Timestamp__Output | null);
}
