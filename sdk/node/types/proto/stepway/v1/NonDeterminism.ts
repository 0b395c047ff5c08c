// Original file: stepway/v1/common.proto

import type { StepKind as _stepway_v1_StepKind, StepKind__Output as _stepway_v1_StepKind__Output } from '../../stepway/v1/StepKind';

/**
 * A run met a journal it cannot follow: the code asked, at a step's name and occurrence, for
 * another kind of step than the one recorded.
 */
export interface NonDeterminism {
  /**
   * The step's name.
   */
  'stepName'?: (string);
  /**
   * The step's occurrence, from 1.
   */
  'stepSeq'?: (number);
  /**
   * The kind the journal holds.
   */
  'recordedKind'?: (_stepway_v1_StepKind);
  /**
   * The kind the code asked for.
   */
  'requestedKind'?: (_stepway_v1_StepKind);
  /**
   * What the worker said, for people: at most 32,768 characters.
   */
  'message'?: (string);
  /**
   * The build id of the worker that met it.
   */
  'buildId'?: (string);
}

/**
 * A run met a journal it cannot follow: the code asked, at a step's name and occurrence, for
 * another kind of step than the one recorded.
 */
export interface NonDeterminism__Output {
  /**
   * The step's name.
   */
  'stepName': (string);
  /**
   * The step's occurrence, from 1.
   */
  'stepSeq': (number);
  /**
   * The kind the journal holds.
   */
  'recordedKind': (_stepway_v1_StepKind__Output);
  /**
   * The kind the code asked for.
   */
  'requestedKind': (_stepway_v1_StepKind__Output);
  /**
   * What the worker said, for people: at most 32,768 characters.
   */
  'message': (string);
  /**
   * The build id of the worker that met it.
   */
  'buildId': (string);
}
