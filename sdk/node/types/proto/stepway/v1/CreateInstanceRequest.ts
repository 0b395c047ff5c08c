// Original file: stepway/v1/workflow_service.proto

import type { Payload as _stepway_v1_Payload, Payload__Output as _stepway_v1_Payload__Output } from '../../stepway/v1/Payload';
import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from '../../google/protobuf/Duration';

/**
 * Asks for a new instance; also one item of CreateInstancesRequest.
 */
export interface CreateInstanceRequest {
  /**
   * The workflow to run: a name a worker registered in the account. In a batch, empty means
   * CreateInstancesRequest.workflow.
   */
  'workflow'?: (string);
  /**
   * ^[a-zA-Z0-9_][a-zA-Z0-9_-]{0,99}$, unique per workflow in the account; empty means the
   * server generates one (32 hex characters).
   */
  'instanceId'?: (string);
  /**
   * What the workflow receives, JSON; empty means null.
   */
  'params'?: (_stepway_v1_Payload | null);
  /**
   * How long the instance and its history are kept once finished, whatever its outcome;
   * unset means its workflow's retention for that outcome, else the account's retention (30
   * days unless changed). Between 1 second and 3,650 days, or INVALID_ARGUMENT.
   */
  'retention'?: (_google_protobuf_Duration | null);
  /**
   * The task queue the instance waits on for a worker. Empty means the queue its workflow is
   * registered on, and NOT_FOUND when no worker registered the workflow yet. Named, the
   * workflow need not be registered: the instance is accepted, QUEUED, and runs once a worker
   * that defines the workflow polls this queue (deploy clients before workers). In a batch,
   * empty means CreateInstancesRequest.task_queue.
   */
  'taskQueue'?: (string);
  /**
   * How long the instance is kept once it completes; unset means retention, else the
   * workflow's success retention (WorkflowOptions), else the account's. Bounds as retention.
   */
  'successRetention'?: (_google_protobuf_Duration | null);
  /**
   * How long the instance is kept once it ends errored or terminated; unset means retention,
   * else the workflow's error retention, else the account's. Bounds as retention.
   */
  'errorRetention'?: (_google_protobuf_Duration | null);
}

/**
 * Asks for a new instance; also one item of CreateInstancesRequest.
 */
export interface CreateInstanceRequest__Output {
  /**
   * The workflow to run: a name a worker registered in the account. In a batch, empty means
   * CreateInstancesRequest.workflow.
   */
  'workflow': (string);
  /**
   * ^[a-zA-Z0-9_][a-zA-Z0-9_-]{0,99}$, unique per workflow in the account; empty means the
   * server generates one (32 hex characters).
   */
  'instanceId': (string);
  /**
   * What the workflow receives, JSON; empty means null.
   */
  'params': (_stepway_v1_Payload__Output | null);
  /**
   * How long the instance and its history are kept once finished, whatever its outcome;
   * unset means its workflow's retention for that outcome, else the account's retention (30
   * days unless changed). Between 1 second and 3,650 days, or INVALID_ARGUMENT.
   */
  'retention': (_google_protobuf_Duration__Output | null);
  /**
   * The task queue the instance waits on for a worker. Empty means the queue its workflow is
   * registered on, and NOT_FOUND when no worker registered the workflow yet. Named, the
   * workflow need not be registered: the instance is accepted, QUEUED, and runs once a worker
   * that defines the workflow polls this queue (deploy clients before workers). In a batch,
   * empty means CreateInstancesRequest.task_queue.
   */
  'taskQueue': (string);
  /**
   * How long the instance is kept once it completes; unset means retention, else the
   * workflow's success retention (WorkflowOptions), else the account's. Bounds as retention.
   */
  'successRetention': (_google_protobuf_Duration__Output | null);
  /**
   * How long the instance is kept once it ends errored or terminated; unset means retention,
   * else the workflow's error retention, else the account's. Bounds as retention.
   */
  'errorRetention': (_google_protobuf_Duration__Output | null);
}
