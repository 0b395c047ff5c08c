// Original file: stepway/v1/schedule_service.proto

/**
 * What to do when a fire comes while the instance of an earlier fire is not finished.
 */
export const OverlapPolicy = {
  /**
   * Unset: OVERLAP_POLICY_SKIP.
   */
  OVERLAP_POLICY_UNSPECIFIED: 'OVERLAP_POLICY_UNSPECIFIED',
  /**
   * The fire does not create an instance; it is counted as skipped.
   */
  OVERLAP_POLICY_SKIP: 'OVERLAP_POLICY_SKIP',
  /**
   * One fire waits until the running instance finishes, then creates its instance; further
   * fires while one waits are skipped.
   */
  OVERLAP_POLICY_BUFFER_ONE: 'OVERLAP_POLICY_BUFFER_ONE',
  /**
   * Every fire creates its instance, running beside the earlier ones.
   */
  OVERLAP_POLICY_ALLOW_ALL: 'OVERLAP_POLICY_ALLOW_ALL',
  /**
   * The earlier instance is terminated, then the fire creates its instance.
   */
  OVERLAP_POLICY_TERMINATE_PREVIOUS: 'OVERLAP_POLICY_TERMINATE_PREVIOUS',
} as const;

/**
 * What to do when a fire comes while the instance of an earlier fire is not finished.
 */
export type OverlapPolicy =
  /**
   * Unset: OVERLAP_POLICY_SKIP.
   */
  | 'OVERLAP_POLICY_UNSPECIFIED'
  | 0
  /**
   * The fire does not create an instance; it is counted as skipped.
   */
  | 'OVERLAP_POLICY_SKIP'
  | 1
  /**
   * One fire waits until the running instance finishes, then creates its instance; further
   * fires while one waits are skipped.
   */
  | 'OVERLAP_POLICY_BUFFER_ONE'
  | 2
  /**
   * Every fire creates its instance, running beside the earlier ones.
   */
  | 'OVERLAP_POLICY_ALLOW_ALL'
  | 3
  /**
   * The earlier instance is terminated, then the fire creates its instance.
   */
  | 'OVERLAP_POLICY_TERMINATE_PREVIOUS'
  | 4

/**
 * What to do when a fire comes while the instance of an earlier fire is not finished.
 */
export type OverlapPolicy__Output = typeof OverlapPolicy[keyof typeof OverlapPolicy]
