'use strict';
// Conversions at the edge: JSON payloads, durations and timestamps as proto-loader reads them.

/** The largest payload the server takes: params, a result, heartbeat details (1 MiB). */
const MAX_PAYLOAD_BYTES = 1024 * 1024;
/** The deepest nesting of arrays and objects the server takes in a payload. */
const MAX_JSON_DEPTH = 64;

/**
 * A JSON value as a Payload; undefined (and a function) becomes an empty one (null). What the
 * server would refuse throws a TypeError naming it, where JSON.stringify would pass it on or
 * change it: NaN and Infinity (JSON.stringify writes null), a string with a lone surrogate
 * (written as "\ud800", which is not Unicode), nesting deeper than MAX_JSON_DEPTH.
 */
function toPayload(value) {
  let text;
  try {
    text = value === undefined ? undefined : JSON.stringify(value, strictValue);
  } catch (err) {
    if (err instanceof RangeError) throw new TypeError(`nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels`);
    throw err;
  }
  if (text !== undefined) checkDepth(text);
  return { data: Buffer.from(text ?? '', 'utf8') };
}

/**
 * The JSON value of a Payload; an unset or empty one is null. Read by the rules the server
 * keeps: a byte order mark, nesting past MAX_JSON_DEPTH, a lone surrogate or a number too large
 * for a double throws a SyntaxError naming it.
 */
function fromPayload(payload) {
  if (!payload || !payload.data || payload.data.length === 0) return null;
  const text = Buffer.from(payload.data).toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) throw new SyntaxError('the payload starts with a byte order mark, which JSON text must not');
  try {
    checkDepth(text);
    return JSON.parse(text, strictValue);
  } catch (err) {
    if (err instanceof TypeError) throw new SyntaxError(`the payload ${err.message}`);
    throw err;
  }
}

/** JSON.stringify's replacer and JSON.parse's reviver: refuses what JSON cannot hold. */
function strictValue(key, value) {
  if (!key.isWellFormed()) throw new TypeError(`has an object key with a lone surrogate, which is not Unicode text`);
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new TypeError(`holds ${value}${key ? ` (key '${key}')` : ''}, which JSON cannot hold`);
  }
  if (typeof value === 'string' && !value.isWellFormed()) {
    throw new TypeError(`holds a string with a lone surrogate${key ? ` (key '${key}')` : ''}, which is not Unicode text`);
  }
  return value;
}

/** Throws a TypeError when JSON text nests deeper than MAX_JSON_DEPTH: one pass, no recursion. */
function checkDepth(text) {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // a backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_JSON_DEPTH) throw new TypeError(`nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels`);
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
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
  MAX_JSON_DEPTH,
  toPayload,
  fromPayload,
  durationFromMs,
  msFromDuration,
  dateFromTimestamp,
  timestampFromDate,
};
