// Original file: stepway/v1/workflow_service.proto


/**
 * Asks for a page of an instance's history.
 */
export interface GetHistoryRequest {
  /**
   * The instance's workflow.
   */
  'workflow'?: (string);
  /**
   * The instance's id.
   */
  'instanceId'?: (string);
  /**
   * Only events with a greater seq (the last seq of the previous page); 0 for the first page.
   * At most 1,000,000,000 (INVALID_ARGUMENT otherwise).
   */
  'afterSeq'?: (number);
  /**
   * 1 to 1,000; 0 means 1,000; more than 1,000 is INVALID_ARGUMENT.
   */
  'pageSize'?: (number);
}

/**
 * Asks for a page of an instance's history.
 */
export interface GetHistoryRequest__Output {
  /**
   * The instance's workflow.
   */
  'workflow': (string);
  /**
   * The instance's id.
   */
  'instanceId': (string);
  /**
   * Only events with a greater seq (the last seq of the previous page); 0 for the first page.
   * At most 1,000,000,000 (INVALID_ARGUMENT otherwise).
   */
  'afterSeq': (number);
  /**
   * 1 to 1,000; 0 means 1,000; more than 1,000 is INVALID_ARGUMENT.
   */
  'pageSize': (number);
}
