import { Frequency, RRule } from 'rrule';

/**
 * rrule.js walks period by period until year 9999 looking for a match, so a rule that never
 * matches (FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30) or matches rarely with a COUNT
 * (FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO;COUNT=1000) would block the event loop for
 * seconds. Every expansion therefore runs under a {@link RecurrenceBudget}: rrule's loop reads
 * `options.interval` about twice per period, and each read costs work units weighted by the days
 * a period of the rule's frequency scans (docs/recurrence-budget.md).
 */
const UNITS_PER_READ: Record<number, number> = {
  [Frequency.DAILY]: 1,
  [Frequency.WEEKLY]: 2.5,
  [Frequency.MONTHLY]: 3.5,
  [Frequency.YEARLY]: 12,
};

/**
 * One search (the next occurrence): ~5 000 days (13 years) of a daily rule, ~400 years of a
 * yearly one; about 20 ms of CPU at worst.
 */
export const SEARCH_BUDGET_UNITS = 10_000;

class RecurrenceBudgetExceeded extends Error {}

/** Work units one or several expansions may spend; shared by every expansion it is passed to. */
export class RecurrenceBudget {
  constructor(private remaining: number) {}

  spend(units: number): void {
    this.remaining -= units;
    if (this.remaining < 0) throw new RecurrenceBudgetExceeded();
  }
}

function buildRule(rule: string, dtstart: Date, budget: RecurrenceBudget): RRule {
  const built = new RRule({ ...RRule.parseString(rule.toUpperCase()), dtstart }, true);
  const interval = built.options.interval;
  const units = UNITS_PER_READ[built.options.freq] ?? UNITS_PER_READ[Frequency.YEARLY];
  Object.defineProperty(built.options, 'interval', {
    configurable: true,
    enumerable: true,
    get: () => {
      budget.spend(units);
      return interval;
    },
  });
  return built;
}

/**
 * The one budgeted iterator every RRULE expansion goes through: calls `visit` with each
 * occurrence in order until it returns false, the rule ends, or the budget is spent. Returns
 * false when the budget ran out before the walk ended.
 */
export function walkOccurrences(
  rule: string,
  dtstart: Date,
  budget: RecurrenceBudget,
  visit: (occurrence: Date) => boolean,
): boolean {
  try {
    buildRule(rule, dtstart, budget).all((occurrence) => visit(occurrence));
    return true;
  } catch (error) {
    if (error instanceof RecurrenceBudgetExceeded) return false;
    throw error;
  }
}

/**
 * First occurrence strictly after `after` (docs/rules.md §6): occurrences start at `dtstart`, which
 * counts only when it matches the rule; COUNT counts from the first occurrence. Null when the
 * rule is exhausted (COUNT/UNTIL) or yields nothing within the search budget.
 */
export function occurrenceAfter(
  rule: string,
  dtstart: Date,
  after: Date,
  budget = new RecurrenceBudget(SEARCH_BUDGET_UNITS),
): Date | null {
  let found: Date | null = null;
  walkOccurrences(rule, dtstart, budget, (occurrence) => {
    if (occurrence.getTime() <= after.getTime()) return true;
    found = occurrence;
    return false;
  });
  return found;
}

/**
 * The last occurrence of a rule, or the last one reached before `budget` ran out (a series too
 * sparse to finish within it ends there). Null when there is none within reach.
 */
export function lastOccurrence(rule: string, dtstart: Date, budget: RecurrenceBudget): Date | null {
  let last: Date | null = null;
  walkOccurrences(rule, dtstart, budget, (occurrence) => {
    last = occurrence;
    return true;
  });
  return last;
}

/** Human-readable text such as "Every week on Monday, Wednesday" (rrule's toText; no expansion). */
export function describeRule(rule: string, dtstart: Date): string {
  const text = new RRule({ ...RRule.parseString(rule.toUpperCase()), dtstart }).toText();
  return text.charAt(0).toUpperCase() + text.slice(1);
}
