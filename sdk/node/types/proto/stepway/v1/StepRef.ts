// Original file: stepway/v1/worker_service.proto


/**
 * A DO step, by name and occurrence.
 */
export interface StepRef {
  /**
   * The step's name, 1 to 200 characters.
   */
  'name'?: (string);
  /**
   * Occurrence of the name in the run, from 1 to 1,000,000,000.
   */
  'seq'?: (number);
}

/**
 * A DO step, by name and occurrence.
 */
export interface StepRef__Output {
  /**
   * The step's name, 1 to 200 characters.
   */
  'name': (string);
  /**
   * Occurrence of the name in the run, from 1 to 1,000,000,000.
   */
  'seq': (number);
}
