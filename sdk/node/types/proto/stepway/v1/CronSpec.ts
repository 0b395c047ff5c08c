// Original file: stepway/v1/schedule_service.proto


/**
 * A cron trigger.
 */
export interface CronSpec {
  /**
   * Five fields (minute hour day-of-month month day-of-week) or six (second first), with the
   * usual ranges, lists, steps, names (JAN, MON) and the macros @hourly, @daily, @weekly,
   * @monthly, @yearly. At most 200 characters.
   */
  'expression'?: (string);
  /**
   * The IANA time zone the expression is read in, e.g. "Europe/Paris"; unset: "UTC". Across a
   * daylight-saving change a wall-clock time that does not exist does not fire, and one that
   * occurs twice fires once, at its first occurrence.
   */
  'timeZone'?: (string);
}

/**
 * A cron trigger.
 */
export interface CronSpec__Output {
  /**
   * Five fields (minute hour day-of-month month day-of-week) or six (second first), with the
   * usual ranges, lists, steps, names (JAN, MON) and the macros @hourly, @daily, @weekly,
   * @monthly, @yearly. At most 200 characters.
   */
  'expression': (string);
  /**
   * The IANA time zone the expression is read in, e.g. "Europe/Paris"; unset: "UTC". Across a
   * daylight-saving change a wall-clock time that does not exist does not fire, and one that
   * occurs twice fires once, at its first occurrence.
   */
  'timeZone': (string);
}
