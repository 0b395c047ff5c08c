'use strict';
// @stepway/sdk: a step worker for Stepway, and promise-returning stubs of its gRPC services.

const { connect, CHANNEL_OPTIONS } = require('./client');
const { MAX_PAYLOAD_BYTES, MAX_JSON_DEPTH, toPayload, fromPayload, durationFromMs, msFromDuration, dateFromTimestamp, timestampFromDate } =
  require('./convert');
const { NonRetryableError } = require('./errors');
const { LOADER_OPTIONS, findProtosDir, loadServices } = require('./protos');
const { StepWorker } = require('./step_worker');

module.exports = {
  StepWorker,
  NonRetryableError,
  connect,
  CHANNEL_OPTIONS,
  LOADER_OPTIONS,
  findProtosDir,
  loadServices,
  MAX_PAYLOAD_BYTES,
  MAX_JSON_DEPTH,
  toPayload,
  fromPayload,
  durationFromMs,
  msFromDuration,
  dateFromTimestamp,
  timestampFromDate,
};
