// Original file: stepway/v1/admin_service.proto

import type { KeyRole as _stepway_v1_KeyRole, KeyRole__Output as _stepway_v1_KeyRole__Output } from '../../stepway/v1/KeyRole';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';

/**
 * An API key as listings show it: never the key itself.
 */
export interface ApiKey {
  /**
   * The first 12 lowercase hex characters of the key's SHA-256 hash; names the key in
   * RevokeKey. It cannot be used to call anything.
   */
  'keyId'?: (string);
  /**
   * Name of the account the key belongs to.
   */
  'account'?: (string);
  /**
   * What the key may call.
   */
  'role'?: (_stepway_v1_KeyRole);
  /**
   * A label given when the key was created (the role's name when none was).
   */
  'name'?: (string);
  /**
   * When the key was created.
   */
  'createdAt'?: (_google_protobuf_Timestamp | null);
  /**
   * When the key was revoked; unset while it is live.
   */
  'revokedAt'?: (_google_protobuf_Timestamp | null);
}

/**
 * An API key as listings show it: never the key itself.
 */
export interface ApiKey__Output {
  /**
   * The first 12 lowercase hex characters of the key's SHA-256 hash; names the key in
   * RevokeKey. It cannot be used to call anything.
   */
  'keyId': (string);
  /**
   * Name of the account the key belongs to.
   */
  'account': (string);
  /**
   * What the key may call.
   */
  'role': (_stepway_v1_KeyRole__Output);
  /**
   * A label given when the key was created (the role's name when none was).
   */
  'name': (string);
  /**
   * When the key was created.
   */
  'createdAt': (_google_protobuf_Timestamp__Output | null);
  /**
   * When the key was revoked; unset while it is live.
   */
  'revokedAt': (_google_protobuf_Timestamp__Output | null);
}
