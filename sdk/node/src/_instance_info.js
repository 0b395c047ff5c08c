'use strict';
// How the client shows an instance and its step journal: plain objects with JSON values, Dates
// and lowercase names, as the Python SDK's InstanceInfo and StepRecord show them.

const { fromPayload, msFromDuration, dateFromTimestamp } = require('./convert');

const STATUS = {
  INSTANCE_STATUS_QUEUED: 'queued',
  INSTANCE_STATUS_RUNNING: 'running',
  INSTANCE_STATUS_PAUSED: 'paused',
  INSTANCE_STATUS_WAITING: 'waiting',
  INSTANCE_STATUS_WAITING_FOR_PAUSE: 'waitingForPause',
  INSTANCE_STATUS_ERRORED: 'errored',
  INSTANCE_STATUS_TERMINATED: 'terminated',
  INSTANCE_STATUS_COMPLETE: 'complete',
};
const FINISHED = new Set(['errored', 'terminated', 'complete']);

/** An enum value's name without its prefix, lowercased ('STEP_KIND_CALL' → 'call'). */
function shortName(name, prefix) {
  return name?.startsWith(prefix) && name !== `${prefix}UNSPECIFIED` ? name.slice(prefix.length).toLowerCase() : 'unknown';
}

/** A Failure as { type, message }; null when unset. */
function errorOf(failure) {
  return failure ? { type: failure.type, message: failure.message } : null;
}

/** A stepway.v1.Step as a StepRecord. */
function stepRecord(step) {
  return {
    name: step.name,
    seq: step.seq,
    kind: shortName(step.kind, 'STEP_KIND_'),
    state: shortName(step.state, 'STEP_STATE_'),
    attempts: step.attempts,
    startedAt: dateFromTimestamp(step.startedAt),
    endedAt: dateFromTimestamp(step.endedAt),
    output: step.output ? fromPayload(step.output) : null,
    error: errorOf(step.error),
    wakeAt: dateFromTimestamp(step.wakeAt),
    eventType: step.eventType || null,
    attemptStartedAt: dateFromTimestamp(step.attemptStartedAt),
  };
}

/** A stepway.v1.Instance as an InstanceInfo; `steps` only where the journal was read. */
function instanceInfo(instance, steps = null) {
  const status = STATUS[instance.status] ?? 'unknown';
  return {
    workflow: instance.workflow,
    id: instance.instanceId,
    status,
    finished: FINISHED.has(status),
    params: fromPayload(instance.params),
    output: instance.output ? fromPayload(instance.output) : null,
    error: errorOf(instance.error),
    createdAt: dateFromTimestamp(instance.createdAt),
    startedAt: dateFromTimestamp(instance.startedAt),
    endedAt: dateFromTimestamp(instance.endedAt),
    currentStep: instance.currentStep || null,
    taskQueue: instance.taskQueue,
    retentionMs: msFromDuration(instance.retention),
    expiresAt: dateFromTimestamp(instance.expiresAt),
    steps: steps === null ? null : steps.map(stepRecord),
  };
}

module.exports = { instanceInfo, STATUS };
