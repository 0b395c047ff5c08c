// Original file: stepway/v1/worker_service.proto

import type { WorkflowOptions as _stepway_v1_WorkflowOptions, WorkflowOptions__Output as _stepway_v1_WorkflowOptions__Output } from '../../stepway/v1/WorkflowOptions';

/**
 * Declares a worker's workflows.
 */
export interface RegisterWorkerRequest {
  /**
   * Unique per worker process, chosen by the worker (a UUID); ^[a-zA-Z0-9_][a-zA-Z0-9_-]{0,99}$.
   */
  'workerId'?: (string);
  /**
   * The task queue the worker polls: ^[a-zA-Z0-9_][a-zA-Z0-9_-]{0,99}$.
   */
  'taskQueue'?: (string);
  /**
   * The workflow names it runs, each ^[a-zA-Z0-9_][a-zA-Z0-9_-]{0,99}$; at most 1,000 a call
   * (register more in several calls). The latest registration of a name sets its task queue.
   * Empty registers nothing.
   */
  'workflows'?: (string)[];
  /**
   * Free text for operators, e.g. "host-1/pid-42"; at most 200 characters.
   */
  'identity'?: (string);
  /**
   * SDK name and version, e.g. "python/0.1.0"; at most 100 characters.
   */
  'sdk'?: (string);
  /**
   * Options of some of the workflows registered: each names one of workflows, once. The
   * latest registration of a workflow sets its options; one without options clears them.
   */
  'workflowOptions'?: (_stepway_v1_WorkflowOptions)[];
  /**
   * The build of the worker's code (docs/versioning.md): empty (unversioned) or
   * ^[a-zA-Z0-9_][a-zA-Z0-9_.-]{0,99}$. The first registration of a build id for a workflow
   * makes it the workflow's newest build, where new instances start. Send the same build id
   * in every PollWorkflowTasks.
   */
  'buildId'?: (string);
}

/**
 * Declares a worker's workflows.
 */
export interface RegisterWorkerRequest__Output {
  /**
   * Unique per worker process, chosen by the worker (a UUID); ^[a-zA-Z0-9_][a-zA-Z0-9_-]{0,99}$.
   */
  'workerId': (string);
  /**
   * The task queue the worker polls: ^[a-zA-Z0-9_][a-zA-Z0-9_-]{0,99}$.
   */
  'taskQueue': (string);
  /**
   * The workflow names it runs, each ^[a-zA-Z0-9_][a-zA-Z0-9_-]{0,99}$; at most 1,000 a call
   * (register more in several calls). The latest registration of a name sets its task queue.
   * Empty registers nothing.
   */
  'workflows': (string)[];
  /**
   * Free text for operators, e.g. "host-1/pid-42"; at most 200 characters.
   */
  'identity': (string);
  /**
   * SDK name and version, e.g. "python/0.1.0"; at most 100 characters.
   */
  'sdk': (string);
  /**
   * Options of some of the workflows registered: each names one of workflows, once. The
   * latest registration of a workflow sets its options; one without options clears them.
   */
  'workflowOptions': (_stepway_v1_WorkflowOptions__Output)[];
  /**
   * The build of the worker's code (docs/versioning.md): empty (unversioned) or
   * ^[a-zA-Z0-9_][a-zA-Z0-9_.-]{0,99}$. The first registration of a build id for a workflow
   * makes it the workflow's newest build, where new instances start. Send the same build id
   * in every PollWorkflowTasks.
   */
  'buildId': (string);
}
