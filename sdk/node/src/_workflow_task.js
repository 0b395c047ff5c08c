'use strict';
// One workflow task on a Worker: reads the rest of its journal, replays the workflow from the
// top with a WorkflowStep, and ends the instance (CompleteWorkflow / FailWorkflow) or halts
// where the instance suspends, pauses, or the lease is lost.

const { MAX_PAYLOAD_BYTES, toPayload, fromPayload, dateFromTimestamp } = require('./convert');
const { abortReason, boundedFailure, failureOf, isLeaseLost } = require('./errors');
const { WorkflowStep } = require('./_step');
const { StepFailedError } = require('./workflow');

const JOURNAL_PAGE_TIMEOUT_MS = 10_000;

class WorkflowRun {
  /**
   * `definition` is the registered workflow (a WorkflowEntrypoint subclass or a function
   * (event, step)), or undefined when this worker does not know it; `outbox` sends the writes;
   * `env` goes to the workflow's constructor; `warn(err)` reports what the run cannot act on.
   */
  constructor(task, { definition, api, outbox, env, warn, buildId = '' }) {
    this.task = task;
    this.buildId = buildId;
    this.token = task.taskToken;
    this.definition = definition;
    this.api = api;
    this.outbox = outbox;
    this.env = env;
    this.warn = warn;
    this.journal = new Map();
    this.controller = new AbortController(); // aborted when the run halts: step bodies' signals follow it
    this.signal = this.controller.signal;
    this.how = null; // how the run halted: 'suspended' | 'paused' | 'lost' | 'abandoned' | 'blocked' | 'stopped'
    this.never = new Promise(() => {}); // what a step returns once the run halted
    this.halting = null;
    this.halted$ = new Promise((resolve) => (this.halting = resolve));
  }

  get halted() {
    return this.how !== null;
  }

  /** Ends the run where it stands: no step starts and nothing more is sent. Returns `never`. */
  halt(how, reason) {
    if (this.how === null) {
      this.how = how;
      this.controller.abort(abortReason(how === 'lost' ? 'TaskLost' : 'RunHalted', reason?.message ?? `the run is ${how}`));
      if (reason && how !== 'stopped') this.warn(new Error(`instance ${this.describe()}: ${reason.message}`, { cause: reason }));
      this.halting(how);
    }
    return this.never;
  }

  /**
   * The code asked, at a step's name and occurrence, for another kind of step than the journal
   * holds: the run ends, and FailWorkflow with nonDeterminism blocks the instance (it waits for
   * other code; docs/versioning.md). Returns `never`.
   */
  block(name, seq, recordedKind, requestedKind) {
    if (this.halted) return this.never;
    const kind = (k) => String(k).replace('STEP_KIND_', '').toLowerCase();
    const message = `step '${name}' #${seq} is recorded as a ${kind(recordedKind)} step, but the code asked for a ${kind(requestedKind)} step: the workflow's code changed under a running instance`;
    const nonDeterminism = { stepName: name, stepSeq: seq, recordedKind, requestedKind, message, buildId: this.buildId };
    this.blocking = this.outbox.send('failWorkflow', { taskToken: this.token, nonDeterminism }).catch((err) => {
      this.warn(new Error(`instance ${this.describe()}: the non-determinism was not recorded: ${err.message}`, { cause: err }));
    });
    return this.halt('blocked', new Error(message));
  }

  /**
   * Sends a write of this task; resolves to its answer. A refused write halts the run ('lost'
   * when the lease is gone, else 'abandoned': the worker gives the task back) and never settles,
   * unless `rethrow(err)` says the workflow should see the error.
   */
  async write(kind, request, rethrow = () => false) {
    if (this.halted) return this.never;
    try {
      return await this.outbox.send(kind, request);
    } catch (err) {
      if (rethrow(err)) throw err;
      return this.halt(isLeaseLost(err) ? 'lost' : 'abandoned', err);
    }
  }

  /** Records the start of an attempt with the next batch, without waiting for it. */
  startStep(name, seq, attempt) {
    this.outbox.send('startStep', { taskToken: this.token, name, seq, attempt }).catch(() => {
      // Not recorded: the attempt's report records its start anyway.
    });
  }

  /** Runs the task; resolves to how it ended: 'completed', 'failed', or how it halted. */
  async execute() {
    try {
      await this.readJournal();
    } catch (err) {
      this.halt('abandoned', new Error(`could not read the journal (${err.message}); giving the task back`, { cause: err }));
      return this.how;
    }
    const output = await Promise.race([this.runWorkflow(), this.halted$.then(() => null)]);
    if (this.blocking) await this.blocking;
    if (this.halted) return this.how;
    if ('error' in output) {
      await this.write('failWorkflow', { taskToken: this.token, error: boundedFailure(output.error) });
      return this.halted ? this.how : 'failed';
    }
    await this.write('completeWorkflow', { taskToken: this.token, output: output.payload });
    return this.halted ? this.how : 'completed';
  }

  /** Every page of the journal, GetTaskJournal after the first, into `journal` by (seq, name). */
  async readJournal() {
    const entries = [...this.task.journal];
    for (let page = this.task.nextJournalPageToken; page; ) {
      const request = { taskToken: this.token, pageToken: page };
      const response = await this.api.getTaskJournal(request, { timeoutMs: JOURNAL_PAGE_TIMEOUT_MS, signal: this.signal });
      entries.push(...response.journal);
      page = response.nextPageToken;
    }
    for (const entry of entries) this.journal.set(`${entry.seq}\u0000${entry.name}`, entry);
  }

  /** Runs the workflow's body: { payload } of its output, or { error } (a Failure). */
  async runWorkflow() {
    const { workflow, instanceId } = this.task;
    if (!this.definition) {
      return { error: { type: 'UnknownWorkflow', message: `this worker does not define workflow '${workflow}'`, details: '' } };
    }
    let params;
    try {
      params = fromPayload(this.task.params);
    } catch (err) {
      // Stored before the server held payloads to strict JSON: every run would fail so.
      return { error: { type: 'InvalidParams', message: `the instance's params are not strict JSON: ${err.message}`, details: '' } };
    }
    let output;
    try {
      const event = { payload: params, timestamp: dateFromTimestamp(this.task.createdAt) ?? new Date(), instanceId };
      const step = new WorkflowStep(this);
      const Definition = this.definition;
      output = hasRunMethod(Definition) ? await new Definition({ workflow, instanceId }, this.env).run(event, step) : await Definition(event, step);
    } catch (err) {
      if (err instanceof StepFailedError) return { error: { type: err.errorType, message: err.errorMessage, details: err.message } };
      return { error: failureOf(err) };
    }
    let payload;
    try {
      payload = toPayload(output);
    } catch (err) {
      return { error: { type: 'OutputNotSerializable', message: `the workflow's output is not JSON: ${err.message}`, details: '' } };
    }
    if (payload.data.length > MAX_PAYLOAD_BYTES) {
      const message = `the workflow's output is ${payload.data.length} bytes; the limit is ${MAX_PAYLOAD_BYTES} bytes (1 MiB)`;
      return { error: { type: 'OutputTooLarge', message, details: '' } };
    }
    return { payload };
  }

  describe() {
    return `${this.task.workflow}/${this.task.instanceId}`;
  }
}

/** A class with a run method (a WorkflowEntrypoint), rather than a function (event, step). */
function hasRunMethod(fn) {
  return typeof fn?.prototype?.run === 'function';
}

module.exports = { WorkflowRun };
