// A TypeScript workflow with a step that a Python step worker runs: `step.call` puts the step's
// task on the step task queue 'py-steps', where a stepway.StepWorker serving 'thumbnail' takes it.
// tests/protocol/test_polyglot_workflow.py runs it beside a Python step worker, and beside the
// same workflow written in Python.
//
//   npx tsc -p sdk/node/examples
//   STEPWAY_ADDRESS=127.0.0.1:7300 STEPWAY_API_KEY=sw_... node sdk/node/examples/dist/polyglot-workflow.js

import { Worker, WorkflowEntrypoint, WorkflowEvent, WorkflowStep } from '@stepway/sdk';

type Params = { order_id: number };
type Thumbnail = { thumb: string; by: string };

export class FulfilWorkflow extends WorkflowEntrypoint<unknown, Params> {
  async run(event: WorkflowEvent<Params>, step: WorkflowStep) {
    const order = event.payload.order_id;
    const price = await step.do('price', async () => ({ order_id: order, total: 42.5 }));
    const thumb = await step.call<Thumbnail>('thumbnail', {
      taskQueue: 'py-steps',
      stepType: 'thumbnail',
      input: { pdf: `order-${order}.pdf` },
      retries: { limit: 2, delay: '1 second' },
    });
    return { price, thumb };
  }
}

if (require.main === module) {
  const worker = new Worker({
    address: process.env.STEPWAY_ADDRESS ?? '127.0.0.1:7300',
    taskQueue: process.env.STEPWAY_TASK_QUEUE ?? 'default',
    workflows: { fulfil_ts: FulfilWorkflow },
  });
  worker.on('ready', () => console.log(`ready ${worker.workerId}`));
  worker.stopOnSignals();
  worker.run().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
