'use strict';
// A Node.js step worker: serves the step types `render_pdf` and `slow_render` on one step task
// queue, until SIGTERM or Ctrl-C. Run it from the repository root, with a server running
// (`stepway dev` prints its address and API key):
//
//   npm ci
//   STEPWAY_ADDRESS=127.0.0.1:7300 STEPWAY_API_KEY=sw_... STEPWAY_TASK_QUEUE=node-steps node sdk/node/examples/step-worker.js
//
// `npm ci` installs the SDK's two dependencies (@grpc/grpc-js and @grpc/proto-loader) in the
// repository's node_modules, once; without them node stops at "Cannot find module
// '@grpc/grpc-js'". tests/protocol/test_node_example.py runs these two lines as written, in a fresh copy.
//
// A Python workflow calls it with
//   await step.call("render", task_queue="node-steps", step_type="render_pdf", input={"order_id": 7})
//
// It prints one line per thing that happens ('ready', 'working <step> attempt <n>', 'progress',
// 'finished ...'), which is what tests/protocol/test_polyglot.py reads.

const { StepWorker, NonRetryableError } = require('..');

const address = process.env.STEPWAY_ADDRESS ?? '127.0.0.1:7300';
const taskQueue = process.env.STEPWAY_TASK_QUEUE ?? 'node-steps';

const worker = new StepWorker({ address, taskQueue, maxConcurrent: 8 });

worker.register('render_pdf', async (input, ctx) => {
  if (input?.order_id === undefined) throw new NonRetryableError('input.order_id is required');
  return { pdf: `order-${input.order_id}.pdf`, by: 'node' };
});

// Works for input.seconds, reporting its progress in heartbeats: an attempt that follows a lost
// one gets the last progress in ctx.heartbeatDetails and resumes from there.
worker.register('slow_render', async (input, ctx) => {
  const resumedFrom = ctx.heartbeatDetails;
  const total = Math.max(1, Math.round((input?.seconds ?? 1) * 10));
  for (let tenth = resumedFrom?.tenth ?? 0; tenth < total; tenth++) {
    if (ctx.signal.aborted) throw ctx.signal.reason;
    await new Promise((resolve) => setTimeout(resolve, 100));
    const sent = ctx.heartbeat({ tenth: tenth + 1 }); // resolves once the server has them
    if (tenth === 0 && (await sent)) console.log(`progress ${ctx.stepName} attempt ${ctx.attempt}`);
  }
  return { pages: total, by: 'node', resumed_from: resumedFrom };
});

worker.on('ready', () => console.log(`ready ${worker.workerId} on ${taskQueue}`));
worker.on('taskStarted', (ctx) => console.log(`working ${ctx.stepName} attempt ${ctx.attempt}`));
worker.on('taskFinished', (ctx, how) => console.log(`finished ${ctx.stepName} attempt ${ctx.attempt}: ${how}`));
worker.on('warning', (err) => console.log(`warning ${err.message}`));

worker.stopOnSignals({ timeoutMs: 10_000 });
worker.run().then(
  () => console.log('stopped'),
  (err) => {
    console.error(`step worker failed: ${err.message}`);
    process.exitCode = 1;
  },
);
