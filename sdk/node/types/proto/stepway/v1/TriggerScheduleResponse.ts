// Original file: stepway/v1/schedule_service.proto


/**
 * What the fire did.
 */
export interface TriggerScheduleResponse {
  /**
   * The instance created; empty when the overlap policy skipped the fire.
   */
  'instanceId'?: (string);
}

/**
 * What the fire did.
 */
export interface TriggerScheduleResponse__Output {
  /**
   * The instance created; empty when the overlap policy skipped the fire.
   */
  'instanceId': (string);
}
