'use strict';
// Test fixtures: a real `stepway dev` server on a free port, and the workflow side of a CALL step
// driven with raw stubs. Kept out of test/, where `node --test` would run it as a test file.

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { connect, toPayload, fromPayload, durationFromMs } = require('../src');

const REPO = path.resolve(__dirname, '..', '..', '..');

/** The stepway CLI: $STEPWAY_BIN, else the repository's .venv; null when neither exists. */
function findStepwayBin() {
  const candidates = [process.env.STEPWAY_BIN, path.join(REPO, '.venv', 'bin', 'stepway')].filter(Boolean);
  return candidates.find((bin) => fs.existsSync(bin)) ?? null;
}

/** A TCP port nothing listens on right now. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once something accepts TCP connections on the port; rejects after `timeoutMs`. */
async function waitForPort(port, { timeoutMs = 20_000, exited = () => false } = {}) {
  const giveUpAt = Date.now() + timeoutMs;
  while (Date.now() < giveUpAt) {
    if (exited()) throw new Error('stepway dev exited before it listened');
    const open = await new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`nothing listened on port ${port} within ${timeoutMs} ms`);
}

/**
 * Starts `stepway dev` with a fresh SQLite database (and `leaseTimeoutS`, the seconds a worker
 * holds a task without a heartbeat, when given); stop() kills it and removes its files.
 */
async function startDevServer(bin, { apiKey = 'sw_node_test_key', leaseTimeoutS } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepway-node-'));
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  const args = ['dev', '--db', `sqlite:///${dir}/s.db`, '--listen', address, '--api-key', apiKey, '--http', 'off'];
  if (leaseTimeoutS !== undefined) args.push('--lease-timeout', String(leaseTimeoutS));
  const child = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exit = new Promise((resolve) => child.once('exit', resolve));
  try {
    await waitForPort(port, { exited: () => child.exitCode !== null });
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`${err.message}\n${stderr}`);
  }
  return {
    address,
    apiKey,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exit;
      clearTimeout(killer);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Waits until `check()` is truthy (or its promise is), polling; rejects after `timeoutMs`. */
async function eventually(check, { timeoutMs = 5_000, what = 'the condition' } = {}) {
  const giveUpAt = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > giveUpAt) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * The workflow side of CALL steps, with raw stubs: a workflow on its own task queue whose
 * instances each schedule one call named 'call' on the step task queue `stepQueue`.
 */
class CallDriver {
  constructor(server, name) {
    this.client = connect(server.address, { apiKey: server.apiKey });
    this.workflow = `wf_${name}`;
    this.taskQueue = `wq_${name}`;
    this.stepQueue = `sq_${name}`;
    this.workerId = `driver_${name}`;
  }

  /** Creates `count` instances and schedules the call from each one's task; returns their ids. */
  async schedule(call, { count = 1 } = {}) {
    const { worker, workflow } = this.client;
    await worker.registerWorker({ workerId: this.workerId, taskQueue: this.taskQueue, workflows: [this.workflow] });
    const ids = [];
    for (let i = 0; i < count; i++) {
      const { instanceId } = await workflow.createInstance({ workflow: this.workflow, params: toPayload({ i }) });
      ids.push(instanceId);
    }
    for (const task of await this.takeTasks(count)) {
      const response = await worker.scheduleCall({
        taskToken: task.taskToken,
        name: 'call',
        seq: 1,
        taskQueue: this.stepQueue,
        stepType: call.stepType,
        input: toPayload(call.input ?? fromPayload(task.params)),
        retry: call.retry ?? null,
        timeout: call.timeoutMs ? durationFromMs(call.timeoutMs) : null,
        heartbeatTimeout: call.heartbeatTimeoutMs ? durationFromMs(call.heartbeatTimeoutMs) : null,
      });
      if (!response.suspended) throw new Error(`ScheduleCall did not suspend ${task.instanceId}`);
    }
    return ids;
  }

  /** The call's journal entries, once `count` instances are queued again with the outcome. */
  async outcomes(count = 1, { timeoutMs = 8_000 } = {}) {
    const tasks = await this.takeTasks(count, { timeoutMs });
    return tasks.map((task) => {
      const entry = task.journal.find((e) => e.name === 'call' && e.seq === 1);
      return { instanceId: task.instanceId, ...entry, result: fromPayload(entry.result) };
    });
  }

  /** Polls the workflow task queue until `count` tasks came, or rejects after `timeoutMs`. */
  async takeTasks(count, { timeoutMs = 8_000 } = {}) {
    const tasks = [];
    const giveUpAt = Date.now() + timeoutMs;
    while (tasks.length < count) {
      const left = giveUpAt - Date.now();
      if (left <= 0) throw new Error(`only ${tasks.length} of ${count} workflow tasks came in ${timeoutMs} ms`);
      const { tasks: got } = await this.client.worker.pollWorkflowTasks(
        {
          workerId: this.workerId,
          taskQueue: this.taskQueue,
          maxTasks: count - tasks.length,
          wait: durationFromMs(Math.min(left, 1_000)),
        },
        { timeoutMs: 20_000 },
      );
      tasks.push(...got);
    }
    return tasks;
  }

  close() {
    this.client.close();
  }
}

module.exports = { findStepwayBin, freePort, waitForPort, startDevServer, eventually, CallDriver };
