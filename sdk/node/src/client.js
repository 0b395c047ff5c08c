'use strict';
// connect(): one channel to a gateway and the four services as promise-returning stubs.

const fs = require('node:fs');
const grpc = require('@grpc/grpc-js');
const { fromServiceError } = require('./errors');
const { loadServices } = require('./protos');

const MESSAGE_LIMIT = 64 * 1024 * 1024;

/** What the servers expect of a client: 64 MiB messages, keepalive pings every 20 s. */
const CHANNEL_OPTIONS = Object.freeze({
  'grpc.max_receive_message_length': MESSAGE_LIMIT,
  'grpc.max_send_message_length': MESSAGE_LIMIT,
  'grpc.keepalive_time_ms': 20_000,
  'grpc.keepalive_timeout_ms': 10_000,
  'grpc.keepalive_permit_without_calls': 1,
});

/**
 * The channel credentials of a `tls` option: a CA file (PEM) that the gateway's certificate
 * must come from, `true` for the system's roots, or `false` for plaintext.
 */
function tlsCredentials(tls) {
  if (tls === false || tls === undefined || tls === null || tls === '') {
    return grpc.credentials.createInsecure();
  }
  if (tls === true) return grpc.credentials.createSsl();
  return grpc.credentials.createSsl(fs.readFileSync(tls));
}

/**
 * Connects to a gateway: plaintext, or TLS when `tls` (or $STEPWAY_TLS_CA) names a CA file or
 * is `true` (the system's roots); `credentials` (grpc-js ChannelCredentials) overrides both.
 * Returns { worker, workflow, admin, schedule, close() }: each service's methods in camelCase, taking
 * (request, { timeoutMs, signal }) and returning a promise of the response; a rejected call
 * is a StepwayError of its ErrorInfo reason (errors.js), with the ServiceError's `code`,
 * `details` and `metadata`, and `reason`, `info`, `retryAfterMs` and `field`.
 */
function connect(address, options = {}) {
  const {
    apiKey = process.env.STEPWAY_API_KEY,
    tls = process.env.STEPWAY_TLS_CA || false,
    credentials = tlsCredentials(tls),
    protosDir,
    channelOptions = {},
  } = options;
  if (!address) throw new TypeError('connect: an address (host:port) is required');
  if (!apiKey) throw new TypeError('connect: apiKey (or $STEPWAY_API_KEY) is required');
  const services = loadServices(protosDir);
  const settings = { ...CHANNEL_OPTIONS, ...channelOptions };
  const channel = new grpc.Channel(address, credentials, settings);
  const stub = (Service) =>
    wrapService(new Service(address, credentials, { ...settings, channelOverride: channel }), apiKey);
  return {
    worker: stub(services.WorkerService),
    workflow: stub(services.WorkflowService),
    admin: stub(services.AdminService),
    schedule: stub(services.ScheduleService),
    close: () => channel.close(),
  };
}

function wrapService(stub, apiKey) {
  const api = { raw: stub };
  for (const [name, method] of Object.entries(stub.constructor.service)) {
    const jsName = name[0].toLowerCase() + name.slice(1);
    api[jsName] = method.responseStream
      ? (request, opts = {}) => stub[name](request ?? {}, authMetadata(apiKey), callOptions(opts))
      : (request, opts = {}) => unaryCall(stub, name, request, apiKey, opts);
  }
  return api;
}

function unaryCall(stub, name, request, apiKey, opts) {
  const { signal } = opts;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(Object.assign(new Error(`${name} cancelled`), { code: grpc.status.CANCELLED }));
      return;
    }
    const onAbort = () => call.cancel();
    const call = stub[name](request ?? {}, authMetadata(apiKey), callOptions(opts), (err, response) => {
      signal?.removeEventListener('abort', onAbort);
      if (err) reject(fromServiceError(err));
      else resolve(response);
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function authMetadata(apiKey) {
  const metadata = new grpc.Metadata();
  metadata.set('authorization', `Bearer ${apiKey}`);
  return metadata;
}

function callOptions({ timeoutMs }) {
  return timeoutMs === undefined ? {} : { deadline: Date.now() + timeoutMs };
}

module.exports = { connect, tlsCredentials, CHANNEL_OPTIONS };
