// Original file: stepway/v1/workflow_service.proto

import type { Instance as _stepway_v1_Instance, Instance__Output as _stepway_v1_Instance__Output } from '../../stepway/v1/Instance';

/**
 * A page of instances.
 */
export interface ListInstancesResponse {
  /**
   * Newest first. Params and output are left out: GetInstance reads them.
   */
  'instances'?: (_stepway_v1_Instance)[];
  /**
   * Empty on the last page.
   */
  'nextPageToken'?: (string);
}

/**
 * A page of instances.
 */
export interface ListInstancesResponse__Output {
  /**
   * Newest first. Params and output are left out: GetInstance reads them.
   */
  'instances': (_stepway_v1_Instance__Output)[];
  /**
   * Empty on the last page.
   */
  'nextPageToken': (string);
}
