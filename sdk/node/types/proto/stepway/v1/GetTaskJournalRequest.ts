// Original file: stepway/v1/worker_service.proto


/**
 * Asks for the next page of a task's journal.
 */
export interface GetTaskJournalRequest {
  /**
   * The task's token, as WorkflowTask.task_token.
   */
  'taskToken'?: (Buffer | Uint8Array | string);
  /**
   * WorkflowTask.next_journal_page_token, or the previous answer's next_page_token.
   */
  'pageToken'?: (string);
}

/**
 * Asks for the next page of a task's journal.
 */
export interface GetTaskJournalRequest__Output {
  /**
   * The task's token, as WorkflowTask.task_token.
   */
  'taskToken': (Buffer);
  /**
   * WorkflowTask.next_journal_page_token, or the previous answer's next_page_token.
   */
  'pageToken': (string);
}
