// Original file: stepway/v1/worker_service.proto

import type { Long } from '@grpc/proto-loader';

/**
 * The inside of a task token. Workers never need to read it; gateways route on its partition.
 */
export interface TaskToken {
  /**
   * The instance's partition.
   */
  'partition'?: (number);
  /**
   * The instance's internal id (not its instance_id).
   */
  'uid'?: (string);
  /**
   * The lease: a random non-zero number, new each time the instance (or, in a step task
   * token, the step's task) is handed out.
   */
  'lease'?: (number | string | Long);
  /**
   * Set in a step task token only: the CALL step's name.
   */
  'stepName'?: (string);
  /**
   * Set in a step task token only: the CALL step's occurrence.
   */
  'stepSeq'?: (number);
}

/**
 * The inside of a task token. Workers never need to read it; gateways route on its partition.
 */
export interface TaskToken__Output {
  /**
   * The instance's partition.
   */
  'partition': (number);
  /**
   * The instance's internal id (not its instance_id).
   */
  'uid': (string);
  /**
   * The lease: a random non-zero number, new each time the instance (or, in a step task
   * token, the step's task) is handed out.
   */
  'lease': (string);
  /**
   * Set in a step task token only: the CALL step's name.
   */
  'stepName': (string);
  /**
   * Set in a step task token only: the CALL step's occurrence.
   */
  'stepSeq': (number);
}
