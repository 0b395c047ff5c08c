'use strict';
// @stepway/sdk: a step worker for Stepway, a client of workflow instances, and promise-returning
// stubs of its gRPC services.

const { connect, CHANNEL_OPTIONS } = require('./client');
const { MAX_PAYLOAD_BYTES, MAX_JSON_DEPTH, toPayload, fromPayload, durationFromMs, msFromDuration, dateFromTimestamp, timestampFromDate } =
  require('./convert');
const errors = require('./errors');
const { LOADER_OPTIONS, findProtosDir, loadServices } = require('./protos');
const { StepWorker } = require('./step_worker');
const { Client, InstanceHandle, WaitTimeoutError, DEFAULT_ADDRESS } = require('./workflow_client');

module.exports = {
  StepWorker,
  NonRetryableError: errors.NonRetryableError,
  // The typed errors of a server's answers: one per gRPC status, a subclass per ErrorInfo reason.
  StepwayError: errors.StepwayError,
  ...Object.fromEntries(
    Object.entries(errors).filter(([name, value]) => typeof value === 'function' && value.prototype instanceof errors.StepwayError),
  ),
  fromStatus: errors.fromStatus,
  Client,
  InstanceHandle,
  WaitTimeoutError,
  DEFAULT_ADDRESS,
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
