// Declarations of client.js: connect() and the promise-returning stubs of the four services,
// typed by the generated types of types/proto.

import type { ChannelCredentials, ChannelOptions, ClientReadableStream } from '@grpc/grpc-js';
import type { MethodDefinition } from '@grpc/proto-loader';
import type { AdminServiceClient, AdminServiceDefinition } from '../types/proto/stepway/v1/AdminService';
import type { ScheduleServiceClient, ScheduleServiceDefinition } from '../types/proto/stepway/v1/ScheduleService';
import type { WorkerServiceClient, WorkerServiceDefinition } from '../types/proto/stepway/v1/WorkerService';
import type { WorkflowServiceClient, WorkflowServiceDefinition } from '../types/proto/stepway/v1/WorkflowService';

/** A stub method's options: a deadline `timeoutMs` from now, and a signal that cancels the call. */
export interface StubCallOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** The methods of a service definition, without its index signature. */
type Methods<Definition> = { [K in keyof Definition as string extends K ? never : K]: Definition[K] };

/**
 * A service's methods in camelCase, taking (request, options): a unary one returns a promise of
 * the response (rejected with a typed StepwayError), a streaming one the grpc-js stream.
 * `raw` is the grpc-js client.
 */
export type PromiseStubs<Definition, Raw> = {
  [K in keyof Methods<Definition> & string as Uncapitalize<K>]: Methods<Definition>[K] extends MethodDefinition<
    infer Request,
    any,
    any,
    infer Response
  >
    ? Raw[Uncapitalize<K> & keyof Raw] extends (...args: any[]) => ClientReadableStream<any>
      ? (request?: Request | null, options?: { timeoutMs?: number }) => ClientReadableStream<Response>
      : (request?: Request | null, options?: StubCallOptions) => Promise<Response>
    : never;
} & { readonly raw: Raw };

/** What connect() returns: the four services, sharing one channel. */
export interface Stubs {
  worker: PromiseStubs<WorkerServiceDefinition, WorkerServiceClient>;
  workflow: PromiseStubs<WorkflowServiceDefinition, WorkflowServiceClient>;
  admin: PromiseStubs<AdminServiceDefinition, AdminServiceClient>;
  schedule: PromiseStubs<ScheduleServiceDefinition, ScheduleServiceClient>;
  /** Closes the channel. */
  close(): void;
}

/** How to reach and authenticate to a gateway. */
export interface ConnectOptions {
  /** The API key; default $STEPWAY_API_KEY. */
  apiKey?: string;
  /** A CA file (PEM) the gateway's certificate comes from, true for the system's roots, false for plaintext; default $STEPWAY_TLS_CA. */
  tls?: string | boolean;
  /** grpc-js channel credentials; override `tls`. */
  credentials?: ChannelCredentials;
  /** Where the .proto files are (findProtosDir()). */
  protosDir?: string;
  /** grpc-js channel options, over CHANNEL_OPTIONS. */
  channelOptions?: ChannelOptions;
}

/** What the servers expect of a client: 64 MiB messages, keepalive pings every 20 s. */
export declare const CHANNEL_OPTIONS: Readonly<Record<string, number>>;
/** Connects to a gateway (address host:port): the four services as promise-returning stubs. */
export declare function connect(address: string, options?: ConnectOptions): Stubs;
