// A Cloudflare workflow in the shape of Cloudflare's getting-started guide
// (https://developers.cloudflare.com/workflows/get-started/guide/, the `MyWorkflow` of the
// cloudflare/workflows-starter template): a step that lists files, parallel steps, a sleep, a
// wait for an approval event, and a step with its own retries and timeout. Nothing in the class
// is Stepway's: on Cloudflare the import line reads
//
//   import { WorkflowEntrypoint, WorkflowStep, WorkflowEvent } from 'cloudflare:workers';
//
// and that line is all that changes. The bottom of the file replaces wrangler.toml's
// `[[workflows]]` binding: a Worker serves the class under the name 'my-workflow'.
//
//   npx tsc -p sdk/node/examples
//   STEPWAY_ADDRESS=127.0.0.1:7300 STEPWAY_API_KEY=sw_... node sdk/node/examples/dist/cloudflare-workflow.js
//   stepway instances create my-workflow --id wf-1 --params '{"email": "ann@example.com", "metadata": {}}'
//   stepway instances send-event my-workflow wf-1 approval --payload '{"approved": true}'

import { WorkflowEntrypoint, WorkflowStep, WorkflowEvent } from '@stepway/sdk';
import { Worker } from '@stepway/sdk';

type Env = {
  // Bindings: here, whatever the Worker below passes as `env`.
  ARCHIVE_PREFIX: string;
};

// User-defined params passed to your workflow
type Params = {
  email: string;
  metadata: Record<string, string>;
};

export class MyWorkflow extends WorkflowEntrypoint<Env, Params> {
  async run(event: WorkflowEvent<Params>, step: WorkflowStep) {
    // Bindings are on `this.env`, params on `event.payload`.
    const listing = await step.do('list the files', async () => {
      return {
        requestedBy: event.payload.email,
        files: ['invoice_2041.pdf', 'receipt_7733.pdf', 'statement_q3.pdf'],
      };
    });

    // One step per file, all at once.
    const archived = await Promise.all(
      listing.files.map((file) => step.do(`archive ${file}`, async () => `${this.env.ARCHIVE_PREFIX}/${file}`)),
    );

    await step.sleep('wait on something', '1 second');

    const approval = await step.waitForEvent<{ approved: boolean }>('request approval', {
      type: 'approval',
      timeout: '1 minute',
    });

    const report = await step.do(
      'write the report, which may fail',
      // Define a retry strategy
      {
        retries: {
          limit: 5,
          delay: '1 second',
          backoff: 'exponential',
        },
        timeout: '15 minutes',
      },
      async () => {
        if (!approval.payload.approved) throw new Error('the report was not approved');
        return { to: listing.requestedBy, archived };
      },
    );
    return report;
  }
}

if (require.main === module) {
  const worker = new Worker<Env>({
    address: process.env.STEPWAY_ADDRESS ?? '127.0.0.1:7300',
    taskQueue: process.env.STEPWAY_TASK_QUEUE ?? 'default',
    workflows: { 'my-workflow': MyWorkflow },
    env: { ARCHIVE_PREFIX: 'archive' },
  });
  worker.on('ready', () => console.log(`ready ${worker.workerId}`));
  worker.stopOnSignals();
  worker.run().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
