import { RRule } from 'rrule';

/**
 * rrule.js walks period by period until year 9999 looking for a match, so a rule that never
 * matches (e.g. FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30) would block the event loop for seconds. Its
 * loop reads `options.interval` about twice per period; a counting getter bounds the walk to
 * ~20 000 periods (55 years of a daily rule, far beyond any sparse but valid rule's gap).
 */
const PERIOD_READ_BUDGET = 40_000;

class OccurrenceBudgetExceeded extends Error {}

function buildRule(rule: string, dtstart: Date): RRule {
  const built = new RRule({ ...RRule.parseString(rule.toUpperCase()), dtstart }, true);
  const interval = built.options.interval;
  let reads = 0;
  Object.defineProperty(built.options, 'interval', {
    configurable: true,
    enumerable: true,
    get: () => {
      if (++reads > PERIOD_READ_BUDGET) throw new OccurrenceBudgetExceeded();
      return interval;
    },
  });
  return built;
}

/**
 * First occurrence strictly after `after` (docs/rules.md §6): occurrences start at `dtstart`, which
 * counts only when it matches the rule; COUNT counts from the first occurrence. Null when the
 * rule is exhausted (COUNT/UNTIL) or yields nothing within the search budget.
 */
export function occurrenceAfter(rule: string, dtstart: Date, after: Date): Date | null {
  try {
    return buildRule(rule, dtstart).after(after, false);
  } catch (error) {
    if (error instanceof OccurrenceBudgetExceeded) return null;
    throw error;
  }
}

/** Human-readable text such as "Every week on Monday, Wednesday" (rrule's toText). */
export function describeRule(rule: string, dtstart: Date): string {
  const text = new RRule({ ...RRule.parseString(rule.toUpperCase()), dtstart }).toText();
  return text.charAt(0).toUpperCase() + text.slice(1);
}
