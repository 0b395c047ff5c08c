'use strict';
// Unit tests: conversions at the edge, failures, and loading the protos. No server needed.

const { describe, test } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const {
  MAX_JSON_DEPTH,
  NonRetryableError,
  durationFromMs,
  msFromDuration,
  dateFromTimestamp,
  timestampFromDate,
  toPayload,
  fromPayload,
  findProtosDir,
  loadServices,
} = require('../src');
const { boundedFailure, failureOf } = require('../src/errors');

describe('payloads', () => {
  test('JSON values round-trip through Payload.data', () => {
    for (const value of [{ a: [1, 'x', null] }, 'text', 3.5, true, null]) {
      assert.deepEqual(fromPayload(toPayload(value)), value);
    }
  });

  test('undefined and an empty or unset payload mean null', () => {
    assert.equal(toPayload(undefined).data.length, 0);
    assert.equal(fromPayload({ data: Buffer.alloc(0) }), null);
    assert.equal(fromPayload(null), null);
  });

  test('what the server refuses as JSON throws a TypeError naming it, never a silent null', () => {
    assert.throws(() => toPayload(NaN), { name: 'TypeError', message: /NaN, which JSON cannot hold/ });
    assert.throws(() => toPayload({ progress: [Infinity] }), /Infinity \(key '0'\), which JSON/);
    assert.throws(() => toPayload({ x: -Infinity }), /-Infinity \(key 'x'\)/);
    assert.throws(() => toPayload('\ud800'), { name: 'TypeError', message: /lone surrogate/ });
    assert.throws(() => toPayload({ ['k\udfff']: 1 }), /object key with a lone surrogate/);
    const nest = (depth) => {
      let value = 1;
      for (let i = 0; i < depth; i++) value = [value];
      return value;
    };
    assert.deepEqual(fromPayload(toPayload(nest(MAX_JSON_DEPTH))), nest(MAX_JSON_DEPTH));
    assert.throws(() => toPayload(nest(MAX_JSON_DEPTH + 1)), /deeper than 64 levels/);
    assert.throws(() => toPayload(nest(100_000)), { name: 'TypeError', message: /deeper than 64 levels/ });
    assert.deepEqual(fromPayload(toPayload({ s: '\ud83d\ude00', t: '[[[', u: '\\' })), { s: '\ud83d\ude00', t: '[[[', u: '\\' });
  });

  test('a payload that breaks the same rules is refused when read', () => {
    const read = (text) => () => fromPayload({ data: Buffer.from(text, 'utf8') });
    assert.throws(read('\ufeff{}'), { name: 'SyntaxError', message: /byte order mark/ });
    assert.throws(read('"\\ud800"'), { name: 'SyntaxError', message: /lone surrogate/ });
    assert.throws(read('[1e400]'), { name: 'SyntaxError', message: /Infinity/ });
    const started = Date.now();
    assert.throws(read('['.repeat(1_000_000) + ']'.repeat(1_000_000)), /deeper than 64 levels/);
    assert.ok(Date.now() - started < 1_000, 'a deep payload is refused in linear time');
    assert.deepEqual(fromPayload({ data: Buffer.from('["[[[\\"[[", "\\ud83d\\ude00"]', 'utf8') }), ['[[["[[', '\ud83d\ude00']);
  });
});

describe('durations and timestamps', () => {
  test('milliseconds become {seconds, nanos} and back', () => {
    assert.deepEqual(durationFromMs(1500), { seconds: '1', nanos: 500_000_000 });
    assert.equal(msFromDuration({ seconds: '30', nanos: 250_000_000 }), 30_250);
    assert.equal(msFromDuration(null), null);
  });

  test('timestamps become Dates and back', () => {
    const date = new Date('2030-01-02T03:04:05.678Z');
    assert.deepEqual(dateFromTimestamp(timestampFromDate(date)), date);
    assert.equal(dateFromTimestamp(null), null);
  });
});

describe('failures', () => {
  test("a thrown error's type is its name, else its class's name", () => {
    class PaymentError extends Error {}
    assert.equal(failureOf(new TypeError('bad')).type, 'TypeError');
    assert.equal(failureOf(new PaymentError('no')).type, 'PaymentError');
    assert.equal(failureOf(new Error('plain')).type, 'Error');
    assert.deepEqual(failureOf('a string'), { type: 'Error', message: 'a string', details: '' });
    assert.match(failureOf(new Error('x')).details, /convert\.test\.js/);
  });

  test('a NonRetryableError reports its type option, or its subclass name', () => {
    class CardDeclined extends NonRetryableError {}
    assert.equal(failureOf(new NonRetryableError('no', { type: 'Fatal' })).type, 'Fatal');
    assert.equal(failureOf(new CardDeclined('declined')).type, 'CardDeclined');
    assert.equal(failureOf(new NonRetryableError('no')).type, 'NonRetryableError');
  });

  test("a failure is cut to the server's limits (type 200, message 32 KiB characters), never refused", () => {
    const long = boundedFailure({ type: 'T'.repeat(300), message: '\u{1F600}'.repeat(40000), details: 'd'.repeat(9000) + 'end' });
    assert.equal(long.type.length, 200);
    assert.equal(Array.from(long.message).length, 32 * 1024);
    assert.equal(long.message, '\u{1F600}'.repeat(32 * 1024)); // no character split in half
    assert.equal(long.details.length, 8000);
    assert.ok(long.details.endsWith('end'));
    const short = { type: 'E', message: 'm', details: '' };
    assert.deepEqual(boundedFailure(short), short);
  });
});

describe('protos', () => {
  test("the repository's protos/ is found, and $STEPWAY_PROTOS overrides it", () => {
    const repoProtos = path.resolve(__dirname, '..', '..', '..', 'protos');
    assert.equal(findProtosDir(), repoProtos);
    process.env.STEPWAY_PROTOS = '/nonexistent';
    try {
      assert.throws(() => findProtosDir(), /STEPWAY_PROTOS/);
    } finally {
      delete process.env.STEPWAY_PROTOS;
    }
  });

  test('the step task RPCs are loaded, with camelCase fields', () => {
    const { WorkerService, StepTask } = loadServices();
    for (const rpc of ['ScheduleCall', 'PollStepTasks', 'CompleteStepTask', 'FailStepTask', 'HeartbeatStepTask']) {
      assert.ok(WorkerService.service[rpc], rpc);
    }
    assert.ok(StepTask.type.field.some((f) => f.name === 'heartbeatTimeout'));
    const decoded = WorkerService.service.PollStepTasks.responseDeserialize(
      WorkerService.service.PollStepTasks.responseSerialize({ tasks: [{ taskToken: Buffer.from('t'), attempt: 2 }] }),
    );
    assert.equal(decoded.tasks[0].attempt, 2);
    assert.ok(Buffer.isBuffer(decoded.tasks[0].taskToken));
    assert.equal(decoded.tasks[0].heartbeatTimeout, null);
  });
});
