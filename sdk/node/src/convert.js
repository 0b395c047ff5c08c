'use strict';
// Conversions at the edge: JSON payloads, durations and timestamps as proto-loader reads them.

/** The largest payload the server takes: params, a result, heartbeat details (1 MiB). */
const MAX_PAYLOAD_BYTES = 1024 * 1024;

/** A JSON value as a Payload; undefined (and what JSON cannot hold) becomes an empty one (null). */
function toPayload(value) {
  const text = value === undefined ? undefined : JSON.stringify(value);
  return { data: Buffer.from(text ?? '', 'utf8') };
}

/** The JSON value of a Payload; an unset or empty one is null. */
function fromPayload(payload) {
  if (!payload || !payload.data || payload.data.length === 0) return null;
  return JSON.parse(Buffer.from(payload.data).toString('utf8'));
}

/** Milliseconds as a google.protobuf.Duration. */
function durationFromMs(ms) {
  const whole = Math.floor(ms / 1000);
  return { seconds: String(whole), nanos: Math.round((ms - whole * 1000) * 1e6) };
}

/** A google.protobuf.Duration in milliseconds; null when unset. */
function msFromDuration(duration) {
  if (!duration) return null;
  return Number(duration.seconds) * 1000 + (duration.nanos || 0) / 1e6;
}

/** A google.protobuf.Timestamp as a Date; null when unset. */
function dateFromTimestamp(timestamp) {
  if (!timestamp) return null;
  return new Date(Number(timestamp.seconds) * 1000 + Math.floor((timestamp.nanos || 0) / 1e6));
}

/** A Date (or milliseconds since the epoch) as a google.protobuf.Timestamp. */
function timestampFromDate(date) {
  const ms = typeof date === 'number' ? date : date.getTime();
  const seconds = Math.floor(ms / 1000);
  return { seconds: String(seconds), nanos: (ms - seconds * 1000) * 1e6 };
}

module.exports = {
  MAX_PAYLOAD_BYTES,
  toPayload,
  fromPayload,
  durationFromMs,
  msFromDuration,
  dateFromTimestamp,
  timestampFromDate,
};
