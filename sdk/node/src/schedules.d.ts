// Declarations of schedules.js: `client.schedules`, the schedules that start workflows.

import type { Stubs } from './client';
import type { JsonValue } from './convert';
import type { InstanceStatus } from './workflow_client';

/** What a fire does while the instance of an earlier fire is not finished. */
export type Overlap = 'skip' | 'buffer_one' | 'allow_all' | 'terminate_previous';

/** The OverlapPolicy enum value of each policy name. */
export declare const OVERLAPS: Readonly<Record<Overlap, string>>;

/** One instance a schedule created. */
export interface ScheduleRun {
  /** The time the fire was due (the instance id's time). */
  scheduledAt: Date | null;
  createdAt: Date | null;
  instanceId: string;
  /** Its status when read; 'unknown' once deleted. */
  status: InstanceStatus;
  /** The instance's workflow: the schedule's when it fired (an update may change it since). */
  workflow: string;
}

/** A schedule as stored, with its next fire times and what it did. */
export interface Schedule {
  id: string;
  workflow: string;
  /** Exactly one of cron (with timeZone) and everyMs (with offsetMs) is set. */
  cron: string | null;
  timeZone: string | null;
  everyMs: number | null;
  offsetMs: number | null;
  start: Date | null;
  end: Date | null;
  jitterMs: number | null;
  params: JsonValue;
  /** null: the workflow's registered queue. */
  taskQueue: string | null;
  /** null: the account's retention. */
  retentionMs: number | null;
  overlap: Overlap;
  catchupWindowMs: number | null;
  paused: boolean;
  /** The note of the last pause or resume. */
  note: string;
  createdAt: Date | null;
  updatedAt: Date | null;
  /** As many as asked by get(), one in a listing; empty when paused or past its end. */
  nextFireTimes: Date[];
  /** Newest first, at most 10; only from get(). */
  recentRuns: ScheduleRun[];
  fired: number;
  skipped: number;
  missed: number;
}

/** A schedule's settings: create()'s options, and what update() changes (null clears one). */
export interface ScheduleSettings {
  /** A cron expression: five fields (or six, seconds first), or @hourly, @daily... */
  cron?: string | null;
  /** The IANA time zone of cron; default UTC. */
  timeZone?: string | null;
  /** A fixed interval: fires at offsetMs + k * everyMs since the Unix epoch. */
  everyMs?: number | null;
  offsetMs?: number | null;
  /** No fire before start, nor at or after end. */
  start?: Date | null;
  end?: Date | null;
  /** Each fire starts a random delay below this after its time. */
  jitterMs?: number | null;
  params?: unknown;
  taskQueue?: string | null;
  retentionMs?: number | null;
  /** Default 'skip'. */
  overlap?: Overlap | null;
  /** After the server was away, fires later than this are missed; default 1 minute. */
  catchupWindowMs?: number | null;
}

/** create()'s options: the settings, and whether to create it paused. */
export interface CreateScheduleOptions extends ScheduleSettings {
  paused?: boolean;
}

/** One page of a listing, by id; nextPageToken is null on the last. */
export interface SchedulePage {
  schedules: Schedule[];
  nextPageToken: string | null;
}

/** What a backfill did. */
export interface BackfillResult {
  created: number;
  /** Fire times whose instance existed already. */
  existing: number;
  /** Fire times the overlap policy skipped. */
  skipped: number;
}

/** ScheduleService's calls, with the client's key (`client.schedules`). */
export declare class Schedules {
  constructor(client: { readonly stubs: Stubs });
  /** Creates a schedule; rejects with ScheduleExistsError when the id is taken. */
  create(scheduleId: string, workflow: string, options?: CreateScheduleOptions): Promise<Schedule>;
  /** The schedule with its next fire times (default 10, at most 100) and recent runs. */
  get(scheduleId: string, options?: { nextFireTimes?: number }): Promise<Schedule>;
  listPage(options?: { pageSize?: number; pageToken?: string | null }): Promise<SchedulePage>;
  /** Every schedule by id, a page at a time. */
  list(options?: { pageSize?: number }): AsyncGenerator<Schedule, void, undefined>;
  /** Changes what is named (null clears it) and keeps the rest. */
  update(scheduleId: string, changes: ScheduleSettings & { workflow?: string }): Promise<Schedule>;
  pause(scheduleId: string, note?: string): Promise<Schedule>;
  resume(scheduleId: string, note?: string): Promise<Schedule>;
  /** Deletes the schedule; the instances it created are kept. */
  delete(scheduleId: string): Promise<void>;
  /** Fires it now, once: the instance created, or null when the overlap policy skipped it. */
  trigger(scheduleId: string, options?: { overlap?: Overlap | null }): Promise<string | null>;
  /** Fires it for each time its spec gives in [start, end), as if on time. */
  backfill(scheduleId: string, start: Date, end: Date, options?: { overlap?: Overlap | null }): Promise<BackfillResult>;
}
