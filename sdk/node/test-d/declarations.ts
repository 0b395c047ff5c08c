// Type-checked by `tsc --noEmit -p sdk/node`, never run: the package's declarations give the
// stubs the generated message types, the client its option and result types, and the errors
// their fields; each @ts-expect-error is a mistake the declarations must refuse.

import type { ClientReadableStream } from '@grpc/grpc-js';
import {
  Client,
  StepWorker,
  StepwayError,
  WorkflowFailedError,
  fromStatus,
  toPayload,
  fromPayload,
  type BatchResult,
  type InstanceInfo,
  type JsonValue,
  type Schedule,
  type Stubs,
} from '@stepway/sdk';
import type { WatchHistoryResponse__Output } from '@stepway/sdk/types/proto/stepway/v1/WatchHistoryResponse';

export async function stubsTakeAndGiveTheGeneratedMessages(stubs: Stubs): Promise<string> {
  const created = await stubs.workflow.createInstance({ workflow: 'w', params: toPayload({ a: 1 }) }, { timeoutMs: 1_000 });
  // @ts-expect-error: a field the request does not have
  await stubs.workflow.createInstance({ workflw: 'w' });
  // @ts-expect-error: a method the service does not have
  await stubs.workflow.createWorkflow({});
  const stream: ClientReadableStream<WatchHistoryResponse__Output> = stubs.workflow.watchHistory({ workflow: 'w', instanceId: 'i' });
  stream.cancel();
  const { version } = await stubs.admin.getServerInfo({});
  const { tasks } = await stubs.worker.pollStepTasks({ workerId: 'w', taskQueue: 'q', maxTasks: 1 });
  const status: 'INSTANCE_STATUS_QUEUED' | string | number = created.status;
  return `${created.instanceId} ${version} ${tasks.length} ${status}`;
}

export async function theClientIsTypedEnd2End(client: Client): Promise<number> {
  const handle = await client.create('w', { id: 'x', params: [1, 2], retentionMs: 60_000, taskQueue: 'q' });
  // @ts-expect-error: retention is in milliseconds, named retentionMs
  await client.create('w', { retention: 60 });
  const info: InstanceInfo = await handle.describe();
  const steps = info.steps ?? [];
  const results: BatchResult[] = await client.createBatch('w', [{ id: 'a' }, { workflow: 'v', params: null }]);
  for (const result of results) {
    if (result.ok) await result.handle.status();
    else console.log(result.error.reason, result.error.field);
  }
  const total = await handle.result<{ total: number }>({ timeoutMs: 1 });
  const output: JsonValue = await client.result('w', 'x');
  console.log(output, await handle.sendEvent('approved', { by: 'ann' }));
  return total.total + steps.length;
}

export function errorsHaveTheirFields(err: unknown): string {
  if (err instanceof WorkflowFailedError) return `${err.instanceId} ${err.errorType} ${err.errorMessage}`;
  if (err instanceof StepwayError) return `${err.code} ${err.reason ?? ''} ${err.retryAfterMs ?? 0}`;
  return String(fromStatus({ code: 5, message: 'gone', details: [] }).code);
}

export function aStepWorkerServesHandlers(): StepWorker {
  const worker = new StepWorker({ address: 'localhost:7300', taskQueue: 'q' });
  worker.register('double', (input, ctx) => {
    ctx.signal.throwIfAborted();
    return typeof input === 'number' ? input * 2 : fromPayload(toPayload(input));
  });
  worker.on('taskFinished', (ctx, how) => console.log(ctx.stepName, how));
  // @ts-expect-error: taskQueue is required
  new StepWorker({ address: 'localhost:7300' });
  return worker;
}

export async function schedulesTakeTheirSettingsAndAnswerSchedules(client: Client): Promise<number> {
  const made: Schedule = await client.schedules.create('nightly', 'report', { cron: '0 3 * * *', timeZone: 'Europe/Paris', overlap: 'skip' });
  // @ts-expect-error: not an overlap policy
  await client.schedules.create('x', 'report', { everyMs: 60_000, overlap: 'never' });
  await client.schedules.update(made.id, { everyMs: 3_600_000, end: null });
  for await (const schedule of client.schedules.list({ pageSize: 10 })) console.log(schedule.nextFireTimes[0]?.toISOString());
  const instanceId: string | null = await client.schedules.trigger(made.id, { overlap: 'allow_all' });
  const { created } = await client.schedules.backfill(made.id, new Date(0), new Date(), { overlap: 'skip' });
  const { recentRuns } = await client.schedules.get(made.id, { nextFireTimes: 3 });
  return created + recentRuns.length + (instanceId ?? '').length;
}
