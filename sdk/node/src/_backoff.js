'use strict';
// Waiting between tries: jittered exponential backoff, and sleeps a signal can cut short.

const { isTransient } = require('./errors');

const CALL_TIMEOUT_MS = 10_000;

/** The pause before try n+1 after n failures: 100 ms doubling up to 5 s, with jitter. */
function backoffMs(failures) {
  const base = Math.min(5_000, 100 * 2 ** Math.max(0, failures - 1));
  return base * (0.5 + Math.random() / 2);
}

/** Resolves after `ms`, or at once when `signal` aborts; never rejects. */
function sleep(ms, signal) {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Calls `call({timeoutMs})`, trying again through transient errors for up to `windowMs`. */
async function retrying(call, windowMs) {
  const giveUpAt = Date.now() + windowMs;
  for (let failures = 1; ; failures++) {
    try {
      return await call({ timeoutMs: CALL_TIMEOUT_MS });
    } catch (err) {
      const pause = backoffMs(failures);
      if (!isTransient(err) || Date.now() + pause > giveUpAt) throw err;
      await sleep(pause);
    }
  }
}

module.exports = { CALL_TIMEOUT_MS, backoffMs, sleep, retrying };
