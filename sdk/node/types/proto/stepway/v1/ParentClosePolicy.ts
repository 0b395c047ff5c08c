// Original file: stepway/v1/common.proto

/**
 * What happens to a child still running when its parent ends (completes, errors or is
 * terminated).
 */
export const ParentClosePolicy = {
  /**
   * The default of the call: TERMINATE for a child the parent waits for (run_workflow),
   * ABANDON for one started without waiting (start_workflow).
   */
  PARENT_CLOSE_POLICY_UNSPECIFIED: 'PARENT_CLOSE_POLICY_UNSPECIFIED',
  /**
   * The child is terminated (reason "parent closed").
   */
  PARENT_CLOSE_POLICY_TERMINATE: 'PARENT_CLOSE_POLICY_TERMINATE',
  /**
   * The child runs on.
   */
  PARENT_CLOSE_POLICY_ABANDON: 'PARENT_CLOSE_POLICY_ABANDON',
} as const;

/**
 * What happens to a child still running when its parent ends (completes, errors or is
 * terminated).
 */
export type ParentClosePolicy =
  /**
   * The default of the call: TERMINATE for a child the parent waits for (run_workflow),
   * ABANDON for one started without waiting (start_workflow).
   */
  | 'PARENT_CLOSE_POLICY_UNSPECIFIED'
  | 0
  /**
   * The child is terminated (reason "parent closed").
   */
  | 'PARENT_CLOSE_POLICY_TERMINATE'
  | 1
  /**
   * The child runs on.
   */
  | 'PARENT_CLOSE_POLICY_ABANDON'
  | 2

/**
 * What happens to a child still running when its parent ends (completes, errors or is
 * terminated).
 */
export type ParentClosePolicy__Output = typeof ParentClosePolicy[keyof typeof ParentClosePolicy]
