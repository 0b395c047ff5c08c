// The order workflow of Stepway's README (sdk/python/stepway/examples/order.py), in TypeScript:
// reserve stock, charge the card (its first attempt fails and is retried), cool off, wait for an
// approval, ship. Compile and serve it from the repository root, with a server running
// (`stepway dev` prints its address and API key):
//
//   npm ci && npx tsc -p sdk/node/examples
//   STEPWAY_ADDRESS=127.0.0.1:7300 STEPWAY_API_KEY=sw_... node sdk/node/examples/dist/order-workflow.js
//
// then start an order and approve it:
//
//   stepway instances create order --id order-1 --params '{"sku": "A1", "qty": 2}'
//   stepway instances send-event order order-1 approved --payload '{"by": "ann"}'
//
// It prints a line per step as it runs ('step reserve: ...', 'step charge: attempt 1 failed ...').

import { NonRetryableError, Worker, WorkflowEntrypoint, WorkflowEvent, WorkflowStep } from '@stepway/sdk';

type Params = { sku: string; qty?: number };
type Reserved = { sku: string; qty: number; amount: number };
type Approval = { by: string };

const STOCK: Record<string, number> = { A1: 12, B2: 0 };

function say(message: string): void {
  console.log(`${new Date().toISOString().slice(11, 23)}  ${message}`);
}

export class OrderWorkflow extends WorkflowEntrypoint<unknown, Params> {
  async run(event: WorkflowEvent<Params>, step: WorkflowStep) {
    const reserved = await step.do('reserve', async (): Promise<Reserved> => {
      const { sku, qty = 1 } = event.payload;
      if ((STOCK[sku] ?? 0) < qty) throw new NonRetryableError(`${sku} is out of stock`);
      say(`step reserve: ${qty} x ${sku} reserved`);
      return { sku, qty, amount: 19.99 * qty };
    });

    const charged = await step.do(
      'charge',
      { retries: { limit: 3, delay: 500, backoff: 'exponential' }, timeout: '30 seconds' },
      async ({ attempt }) => {
        await new Promise((resolve) => setTimeout(resolve, 50));
        if (attempt === 1) {
          say('step charge: attempt 1 failed (card network timeout), will retry');
          throw new Error('card network timeout');
        }
        say(`step charge: attempt ${attempt} charged ${reserved.amount.toFixed(2)}`);
        return { chargeId: 'ch_1042', amount: reserved.amount };
      },
    );

    await step.sleep('cool off', '1 second');
    const approval = await step.waitForEvent<Approval>('approval', { type: 'approved', timeout: '1 hour' });

    const tracking = await step.do('ship', async () => {
      say(`step ship: ${reserved.qty} x ${reserved.sku} shipped, approved by ${approval.payload.by}`);
      return 'TRACK-42';
    });
    return { charged: charged.amount, by: approval.payload.by, tracking };
  }
}

if (require.main === module) {
  const taskQueue = process.env.STEPWAY_TASK_QUEUE ?? 'default';
  const worker = new Worker({
    address: process.env.STEPWAY_ADDRESS ?? '127.0.0.1:7300',
    taskQueue,
    workflows: { order: OrderWorkflow },
  });
  worker.on('ready', () => say(`ready ${worker.workerId} on ${taskQueue}`));
  worker.stopOnSignals();
  worker.run().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
