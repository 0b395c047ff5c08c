// Original file: stepway/v1/common.proto


/**
 * A JSON document: params, a step's result, an event's payload or an instance's output.
 */
export interface Payload {
  /**
   * The JSON text (RFC 8259), UTF-8 encoded; empty means JSON null. At most 1 MiB (1,048,576
   * bytes); for params, a step's result and an event's payload, at most the account's
   * max_payload_bytes quota when that is lower. Data that is too large or not strict JSON (a
   * byte order mark, NaN or Infinity, a duplicate object key, a lone surrogate, nesting deeper
   * than 64 arrays and objects) is refused with INVALID_ARGUMENT naming the field.
   */
  'data'?: (Buffer | Uint8Array | string);
}

/**
 * A JSON document: params, a step's result, an event's payload or an instance's output.
 */
export interface Payload__Output {
  /**
   * The JSON text (RFC 8259), UTF-8 encoded; empty means JSON null. At most 1 MiB (1,048,576
   * bytes); for params, a step's result and an event's payload, at most the account's
   * max_payload_bytes quota when that is lower. Data that is too large or not strict JSON (a
   * byte order mark, NaN or Infinity, a duplicate object key, a lone surrogate, nesting deeper
   * than 64 arrays and objects) is refused with INVALID_ARGUMENT naming the field.
   */
  'data': (Buffer);
}
