/**
 * The periodic schedules of the job catalogue, evaluated in UTC: a 5-field cron expression
 * (`minute hour day-of-month month day-of-week`; each field a comma list of `*`, `n` or `a-b`,
 * optionally with a `/step`) or `@every <n>s` for sub-minute intervals (`reminder_fire`, docs/jobs.md §2).
 * A schedule's slots are the instants it fires at; the scheduler enqueues one job per slot.
 */
export interface JobSchedule {
  readonly expression: string;
  /** The latest slot at or before `now`, or null when none exists within the search window. */
  latestSlot(now: Date): Date | null;
}

const MINUTE_MS = 60_000;
/** Covers weekly schedules with room to spare; the catalogue's longest period is one day. */
const SEARCH_MINUTES = 8 * 24 * 60;

interface FieldRange {
  min: number;
  max: number;
}

const FIELDS: FieldRange[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12 },
  { min: 0, max: 7 },
];

export function parseSchedule(expression: string): JobSchedule {
  const every = /^@every\s+(\d+)s$/.exec(expression.trim());
  if (every) return intervalSchedule(expression, Number(every[1]));
  return cronSchedule(expression);
}

function intervalSchedule(expression: string, seconds: number): JobSchedule {
  if (seconds < 1 || 86_400 % seconds !== 0) {
    throw new Error(`Schedule "${expression}": the interval must divide a day into whole seconds`);
  }
  const periodMs = seconds * 1000;
  return { expression, latestSlot: (now) => new Date(Math.floor(now.getTime() / periodMs) * periodMs) };
}

function cronSchedule(expression: string): JobSchedule {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5) throw new Error(`Schedule "${expression}": expected 5 cron fields`);
  const [minutes, hours, days, months, weekdays] = parts.map((part, index) =>
    parseField(expression, part, FIELDS[index]),
  );
  // Day 7 is Sunday too.
  if (weekdays.values.has(7)) weekdays.values.add(0);
  const matches = (instant: Date): boolean => {
    if (!minutes.values.has(instant.getUTCMinutes()) || !hours.values.has(instant.getUTCHours())) return false;
    if (!months.values.has(instant.getUTCMonth() + 1)) return false;
    const dayOk = days.values.has(instant.getUTCDate());
    const weekdayOk = weekdays.values.has(instant.getUTCDay());
    // Classic cron: when both day fields are restricted, either one matching is enough.
    if (!days.wildcard && !weekdays.wildcard) return dayOk || weekdayOk;
    return dayOk && weekdayOk;
  };
  return {
    expression,
    latestSlot: (now) => {
      let candidate = Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS;
      for (let step = 0; step <= SEARCH_MINUTES; step++, candidate -= MINUTE_MS) {
        const instant = new Date(candidate);
        if (matches(instant)) return instant;
      }
      return null;
    },
  };
}

function parseField(expression: string, field: string, range: FieldRange): { values: Set<number>; wildcard: boolean } {
  const values = new Set<number>();
  const fail = (): never => {
    throw new Error(`Schedule "${expression}": invalid field "${field}"`);
  };
  for (const item of field.split(',')) {
    const match = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(item);
    if (!match) fail();
    const [, whole, from, to, stepText] = match as RegExpExecArray;
    const start = whole === '*' ? range.min : Number(from);
    const end = whole === '*' ? range.max : to !== undefined ? Number(to) : stepText ? range.max : start;
    const step = stepText ? Number(stepText) : 1;
    if (start < range.min || end > range.max || start > end || step < 1) fail();
    for (let value = start; value <= end; value += step) values.add(value);
  }
  return { values, wildcard: field === '*' };
}
