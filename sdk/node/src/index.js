'use strict';
// @stepway/sdk: workflows and a workflow Worker (Cloudflare Workflows' API), a step worker, a
// client of workflow instances, and promise-returning stubs of Stepway's gRPC services.

const { connect, CHANNEL_OPTIONS } = require('./client');
const { MAX_PAYLOAD_BYTES, MAX_JSON_DEPTH, toPayload, fromPayload, durationFromMs, msFromDuration, dateFromTimestamp, timestampFromDate } =
  require('./convert');
const errors = require('./errors');
const { LOADER_OPTIONS, findProtosDir, loadServices } = require('./protos');
const { Schedules, OVERLAPS } = require('./schedules');
const { StepWorker } = require('./step_worker');
const { Client, InstanceHandle, WaitTimeoutError, DEFAULT_ADDRESS } = require('./workflow_client');
const workflows = require('./workflow');
const { Worker } = require('./worker');

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
  Schedules,
  OVERLAPS,
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
  // Workflows in JavaScript and TypeScript, with Cloudflare Workflows' API (workflow.d.ts, worker.d.ts).
  Worker,
  WorkflowEntrypoint: workflows.WorkflowEntrypoint,
  StepFailedError: workflows.StepFailedError,
  EventTimeoutError: workflows.EventTimeoutError,
  durationMs: workflows.durationMs,
};
