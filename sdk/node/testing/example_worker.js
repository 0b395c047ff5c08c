'use strict';
// A workflow Worker as a child process, for tests that kill one mid-run:
//
//   node example_worker.js <compiled module> <exported class> <workflow name>
//
// with STEPWAY_ADDRESS, STEPWAY_API_KEY and STEPWAY_TASK_QUEUE set. It prints 'ready' once it
// polls. With STEPWAY_SLOW_STEP=<name>, the body of that step prints 'slow <name>' and then
// waits a minute before it runs, so that a test can kill the worker in the middle of it.

const path = require('node:path');
const { Worker } = require('../src');

const [modulePath, exportName, workflowName] = process.argv.slice(2);
const Workflow = require(path.resolve(modulePath))[exportName];
const slowStep = process.env.STEPWAY_SLOW_STEP;

/** The step, with the body of `slowStep` held back for a minute. */
function slowed(step) {
  if (!slowStep) return step;
  return new Proxy(step, {
    get(target, key) {
      if (key !== 'do') return typeof target[key] === 'function' ? target[key].bind(target) : target[key];
      return (name, configOrFn, maybeFn) => {
        const [config, fn] = typeof configOrFn === 'function' ? [{}, configOrFn] : [configOrFn, maybeFn];
        if (name !== slowStep) return target.do(name, config, fn);
        return target.do(name, config, async (ctx) => {
          console.log(`slow ${name}`);
          await new Promise((resolve) => setTimeout(resolve, 60_000));
          return fn(ctx);
        });
      };
    },
  });
}

class Slowed extends Workflow {
  run(event, step) {
    return super.run(event, slowed(step));
  }
}

const worker = new Worker({
  address: process.env.STEPWAY_ADDRESS,
  taskQueue: process.env.STEPWAY_TASK_QUEUE,
  workflows: { [workflowName]: Slowed },
});
worker.on('ready', () => console.log('ready'));
worker.on('warning', (err) => console.log(`warning ${err.message}`));
worker.stopOnSignals();
worker.run().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
