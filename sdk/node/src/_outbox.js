'use strict';
// Coalesces a workflow Worker's task writes into RecordBatch calls: a write waits only for the
// batches in flight before it, so an idle worker sends each write at once and a busy one sends
// one call for all the writes its runs made meanwhile. Each write succeeds or fails on its own.

const { status } = require('@grpc/grpc-js');
const { CALL_TIMEOUT_MS, sleep } = require('./_backoff');
const { StepwayError, fromStatus, isTransient } = require('./errors');

/** How long a batch is tried again while the server is unreachable before its writes fail. */
const RETRY_UNAVAILABLE_MS = 15_000;
const MAX_IN_FLIGHT = 2;
const MAX_BATCH = 500;

class Outbox {
  /** `api` is the WorkerService stub. */
  constructor(api) {
    this.api = api;
    this.pending = []; // { command, resolve, reject }
    this.inFlight = new Set();
    this.scheduled = false;
  }

  /**
   * Sends one write: `kind` names the WorkerCommand field (completeStep, failStep, startStep,
   * startSleep, waitForEvent, scheduleCall, completeWorkflow, failWorkflow). Resolves to its
   * response; rejects with its StepwayError.
   */
  send(kind, request) {
    return new Promise((resolve, reject) => {
      this.pending.push({ command: { [kind]: request }, kind, resolve, reject });
      if (!this.scheduled) {
        // On the next turn, so that the writes made in this one travel together.
        this.scheduled = true;
        setImmediate(() => this.pump());
      }
    });
  }

  pump() {
    this.scheduled = false;
    while (this.pending.length > 0 && this.inFlight.size < MAX_IN_FLIGHT) {
      const flight = this.flush(this.pending.splice(0, MAX_BATCH)).finally(() => {
        this.inFlight.delete(flight);
        this.pump();
      });
      this.inFlight.add(flight);
    }
  }

  /** Sends a batch; the writes the server could not make for now (UNAVAILABLE) go again. */
  async flush(batch) {
    const giveUpAt = Date.now() + RETRY_UNAVAILABLE_MS;
    for (let delayMs = 50; batch.length > 0; delayMs = Math.min(delayMs * 2, 1_000)) {
      batch = await this.sendOnce(batch, giveUpAt);
      if (batch.length > 0) await sleep(delayMs);
    }
  }

  async sendOnce(batch, giveUpAt) {
    let response;
    try {
      const commands = batch.map((write) => write.command);
      response = await this.api.recordBatch({ commands }, { timeoutMs: CALL_TIMEOUT_MS });
    } catch (err) {
      if (isTransient(err) && Date.now() < giveUpAt) return batch;
      const failure = err instanceof StepwayError ? err : new StepwayError(`RecordBatch failed: ${err.message}`, { cause: err });
      for (const write of batch) write.reject(failure);
      return [];
    }
    const again = [];
    batch.forEach((write, i) => {
      const result = response.results[i];
      if (result?.result === 'error') {
        if (result.error.code === status.UNAVAILABLE && Date.now() < giveUpAt) again.push(write);
        else write.reject(fromStatus(result.error));
      } else if (result?.result === write.kind) {
        write.resolve(result[write.kind]);
      } else {
        write.reject(new StepwayError(`RecordBatch answered ${result?.result ?? 'nothing'} to ${write.kind}`));
      }
    });
    return again;
  }

  /** Resolves once every write sent so far is settled. */
  async close() {
    while (this.pending.length > 0 || this.inFlight.size > 0) {
      if (this.inFlight.size === 0) this.pump();
      await Promise.allSettled([...this.inFlight]);
    }
  }
}

module.exports = { Outbox, RETRY_UNAVAILABLE_MS };
