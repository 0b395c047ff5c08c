// Creates an instance of a workflow, waits for its result, and tells its typed errors apart.
//   STEPWAY_ADDRESS=127.0.0.1:7300 STEPWAY_API_KEY=sw_... node examples/client.js   (once compiled)
// The repository's CI type-checks it: npx tsc --noEmit -p sdk/node

import {
  Client,
  WaitTimeoutError,
  WorkflowFailedError,
  WorkflowNotRegisteredError,
  WorkflowTerminatedError,
  type InstanceInfo,
} from '@stepway/sdk';

/** What the 'orders' workflow returns. */
interface Receipt {
  orderId: number;
  total: number;
}

async function main(): Promise<void> {
  const client = await Client.connect(process.env.STEPWAY_ADDRESS, { apiKey: process.env.STEPWAY_API_KEY });
  try {
    const handle = await client.create('orders', { id: 'order-7', params: { orderId: 7 } });
    console.log(handle.created ? `created ${handle.id}` : `${handle.id} existed already`);
    const receipt = await handle.result<Receipt>({ timeoutMs: 60_000 });
    console.log(`order ${receipt.orderId}: ${receipt.total}`);
  } catch (err) {
    if (err instanceof WorkflowFailedError) console.error(`the workflow failed: ${err.errorType}: ${err.errorMessage}`);
    else if (err instanceof WorkflowTerminatedError) console.error(`${err.instanceId} was terminated`);
    else if (err instanceof WaitTimeoutError) console.error(`still ${describe(err.instance)}`);
    else if (err instanceof WorkflowNotRegisteredError) console.error('no worker registered orders yet');
    else throw err;
    process.exitCode = 1;
  } finally {
    client.close();
  }
}

function describe(info: InstanceInfo): string {
  return `${info.status} at ${info.currentStep ?? 'its start'}`;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
