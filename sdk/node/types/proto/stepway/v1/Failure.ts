// Original file: stepway/v1/common.proto


/**
 * An error with the type name and message it was raised with.
 */
export interface Failure {
  /**
   * The error's type name, e.g. "ValueError" or "EventTimeout"; at most 200 characters. In a
   * worker's report an empty type is stored as "Error".
   */
  'type'?: (string);
  /**
   * The error's message, free text; at most 32,768 characters.
   */
  'message'?: (string);
  /**
   * Free text, such as a stack trace; at most 32,768 characters. Kept for a workflow's failure
   * (Instance.error); dropped from a step's failure.
   */
  'details'?: (string);
}

/**
 * An error with the type name and message it was raised with.
 */
export interface Failure__Output {
  /**
   * The error's type name, e.g. "ValueError" or "EventTimeout"; at most 200 characters. In a
   * worker's report an empty type is stored as "Error".
   */
  'type': (string);
  /**
   * The error's message, free text; at most 32,768 characters.
   */
  'message': (string);
  /**
   * Free text, such as a stack trace; at most 32,768 characters. Kept for a workflow's failure
   * (Instance.error); dropped from a step's failure.
   */
  'details': (string);
}
