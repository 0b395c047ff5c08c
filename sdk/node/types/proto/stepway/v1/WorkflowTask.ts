// Original file: stepway/v1/worker_service.proto

import type { Payload as _stepway_v1_Payload, Payload__Output as _stepway_v1_Payload__Output } from '../../stepway/v1/Payload';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';
import type { JournalEntry as _stepway_v1_JournalEntry, JournalEntry__Output as _stepway_v1_JournalEntry__Output } from '../../stepway/v1/JournalEntry';
import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from '../../google/protobuf/Duration';

/**
 * An instance handed to one worker under a lease: run its workflow from the top.
 */
export interface WorkflowTask {
  /**
   * Opaque to workers: send it back unchanged with every call about this task.
   */
  'taskToken'?: (Buffer | Uint8Array | string);
  /**
   * The instance's workflow: the function to run.
   */
  'workflow'?: (string);
  /**
   * The instance's id.
   */
  'instanceId'?: (string);
  /**
   * The params the instance was created with, JSON.
   */
  'params'?: (_stepway_v1_Payload | null);
  /**
   * When the instance was created.
   */
  'createdAt'?: (_google_protobuf_Timestamp | null);
  /**
   * The steps recorded so far, in the order they started: all of them, or, when
   * next_journal_page_token is set, the first page (results adding up to at most 4 MiB, or a
   * single larger entry).
   */
  'journal'?: (_stepway_v1_JournalEntry)[];
  /**
   * How long the lease lasts without a heartbeat or a recorded step.
   */
  'leaseTimeout'?: (_google_protobuf_Duration | null);
  /**
   * The W3C traceparent of the call that created the instance, when it was traced; empty
   * otherwise. Start the run's span as its child, so that every run and step of the instance
   * joins the creating call's trace.
   */
  'traceParent'?: (string);
  /**
   * The id of the instance's account (the API key's), as metrics label it: for logs and
   * span attributes.
   */
  'accountId'?: (string);
  /**
   * Set when the journal has more entries than this message holds: call GetTaskJournal with
   * it, and with each answer's next_page_token until that is empty, before replaying.
   */
  'nextJournalPageToken'?: (string);
}

/**
 * An instance handed to one worker under a lease: run its workflow from the top.
 */
export interface WorkflowTask__Output {
  /**
   * Opaque to workers: send it back unchanged with every call about this task.
   */
  'taskToken': (Buffer);
  /**
   * The instance's workflow: the function to run.
   */
  'workflow': (string);
  /**
   * The instance's id.
   */
  'instanceId': (string);
  /**
   * The params the instance was created with, JSON.
   */
  'params': (_stepway_v1_Payload__Output | null);
  /**
   * When the instance was created.
   */
  'createdAt': (_google_protobuf_Timestamp__Output | null);
  /**
   * The steps recorded so far, in the order they started: all of them, or, when
   * next_journal_page_token is set, the first page (results adding up to at most 4 MiB, or a
   * single larger entry).
   */
  'journal': (_stepway_v1_JournalEntry__Output)[];
  /**
   * How long the lease lasts without a heartbeat or a recorded step.
   */
  'leaseTimeout': (_google_protobuf_Duration__Output | null);
  /**
   * The W3C traceparent of the call that created the instance, when it was traced; empty
   * otherwise. Start the run's span as its child, so that every run and step of the instance
   * joins the creating call's trace.
   */
  'traceParent': (string);
  /**
   * The id of the instance's account (the API key's), as metrics label it: for logs and
   * span attributes.
   */
  'accountId': (string);
  /**
   * Set when the journal has more entries than this message holds: call GetTaskJournal with
   * it, and with each answer's next_page_token until that is empty, before replaying.
   */
  'nextJournalPageToken': (string);
}
