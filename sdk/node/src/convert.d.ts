// Declarations of convert.js: JSON payloads, durations and timestamps as proto-loader reads them.

import type { Duration__Output } from '../types/proto/google/protobuf/Duration';
import type { Timestamp__Output } from '../types/proto/google/protobuf/Timestamp';
import type { Payload__Output } from '../types/proto/stepway/v1/Payload';

/** A value JSON can hold, as fromPayload() reads it. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** The largest payload the server takes: params, a result, heartbeat details (1 MiB). */
export declare const MAX_PAYLOAD_BYTES: number;
/** The deepest nesting of arrays and objects the server takes in a payload (64). */
export declare const MAX_JSON_DEPTH: number;

/**
 * A JSON value as a Payload; undefined becomes an empty one (null). Throws a TypeError for what
 * the server would refuse: NaN, Infinity, a lone surrogate, nesting deeper than MAX_JSON_DEPTH.
 */
export declare function toPayload(value: unknown): Payload__Output;
/** The JSON value of a Payload; unset or empty is null. Throws a SyntaxError for JSON the server refuses. */
export declare function fromPayload(payload: { readonly data?: Uint8Array | null } | null | undefined): JsonValue;
/** Milliseconds as a google.protobuf.Duration. */
export declare function durationFromMs(ms: number): Duration__Output;
/** A google.protobuf.Duration in milliseconds; null when unset. */
export declare function msFromDuration(duration: Duration__Output | null | undefined): number | null;
/** A google.protobuf.Timestamp as a Date; null when unset. */
export declare function dateFromTimestamp(timestamp: Timestamp__Output | null | undefined): Date | null;
/** A Date (or milliseconds since the epoch) as a google.protobuf.Timestamp. */
export declare function timestampFromDate(date: Date | number): Timestamp__Output;
