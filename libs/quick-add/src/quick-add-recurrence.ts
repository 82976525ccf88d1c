const DAY_CODES: Record<string, string> = {
  mo: 'MO',
  tu: 'TU',
  we: 'WE',
  th: 'TH',
  fr: 'FR',
  sa: 'SA',
  su: 'SU',
};
const CODE_ORDER = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
const DAY_NAME =
  '(?:mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?)s?';
const DAY_LIST = `${DAY_NAME}(?:\\s*(?:,\\s*(?:and\\s+)?|and\\s+|&\\s*)${DAY_NAME})*`;
const ORDINAL = '(\\d{1,2})(?:st|nd|rd|th)';

/** A recurrence phrase as an RRULE whose BYDAY/BYMONTHDAY are in the user's local calendar. */
export interface LocalRecurrence {
  freq: 'DAILY' | 'WEEKLY' | 'MONTHLY' | 'YEARLY';
  interval: number;
  byDay: string[];
  byMonthDay: number | null;
}

interface RecurrenceForm {
  pattern: RegExp;
  build: (match: RegExpExecArray) => LocalRecurrence;
}

const rule = (freq: LocalRecurrence['freq'], interval = 1, byDay: string[] = [], byMonthDay: number | null = null) => ({
  freq,
  interval,
  byDay,
  byMonthDay,
});

const UNIT_FREQ: Record<string, LocalRecurrence['freq']> = {
  day: 'DAILY',
  week: 'WEEKLY',
  month: 'MONTHLY',
  year: 'YEARLY',
};

function dayCodes(list: string): string[] {
  const names = list.toLowerCase().match(new RegExp(DAY_NAME, 'g')) ?? [];
  const codes = new Set(names.map((name) => DAY_CODES[name.slice(0, 2)]));
  return CODE_ORDER.filter((code) => codes.has(code));
}

function monthDay(value: string): number | null {
  const day = Number(value);
  return day >= 1 && day <= 31 ? day : null;
}

const b = (source: string): RegExp => new RegExp(`(?<![\\p{L}\\p{N}_])(?:${source})(?![\\p{L}\\p{N}_])`, 'iu');

// Ordered: the first form that matches wins, so the longer phrasings come first.
const FORMS: RecurrenceForm[] = [
  {
    pattern: b('every\\s+(?:weekday|work\\s*day)s?|on\\s+weekdays|weekdays'),
    build: () => rule('WEEKLY', 1, ['MO', 'TU', 'WE', 'TH', 'FR']),
  },
  { pattern: b('every\\s+weekends?|on\\s+weekends|weekends'), build: () => rule('WEEKLY', 1, ['SA', 'SU']) },
  {
    pattern: b(
      `(?:monthly|every\\s+month)\\s+on\\s+the\\s+${ORDINAL}|every\\s+${ORDINAL}(?:\\s+of\\s+(?:the|every)\\s+month)?`,
    ),
    build: (match) => rule('MONTHLY', 1, [], monthDay(match[1] ?? match[2])),
  },
  { pattern: b(`every\\s+other\\s+(${DAY_LIST})`), build: (match) => rule('WEEKLY', 2, dayCodes(match[1])) },
  {
    pattern: b(`every\\s+(${DAY_LIST})|(?:on\\s+)?(${DAY_NAME.replace(/s\?$/, '')})s\\b`),
    build: (match) => rule('WEEKLY', 1, dayCodes(match[1] ?? match[2])),
  },
  {
    pattern: b('every\\s+(other|\\d{1,3})\\s+(day|week|month|year)s?'),
    build: (match) =>
      rule(UNIT_FREQ[match[2].toLowerCase()], match[1].toLowerCase() === 'other' ? 2 : Number(match[1])),
  },
  { pattern: b('every\\s+(?:morning|afternoon|evening|night)'), build: () => rule('DAILY') },
  {
    pattern: b('every\\s+(day|week|month|year)|every\\s*day'),
    build: (match) => rule(UNIT_FREQ[(match[1] ?? 'day').toLowerCase()]),
  },
  { pattern: b('daily|nightly'), build: () => rule('DAILY') },
  { pattern: b('weekly'), build: () => rule('WEEKLY') },
  { pattern: b('biweekly|fortnightly'), build: () => rule('WEEKLY', 2) },
  { pattern: b('monthly'), build: () => rule('MONTHLY') },
  { pattern: b('yearly|annually'), build: () => rule('YEARLY') },
];

/** The first recurrence phrase of `text`, with its position. */
export function findRecurrence(text: string): { index: number; length: number; recurrence: LocalRecurrence } | null {
  for (const form of FORMS) {
    const match = form.pattern.exec(text);
    if (!match) continue;
    const recurrence = form.build(match);
    // "every 0 days" and "the 45th" are no rule: the words stay in the title.
    if (
      recurrence.interval < 1 ||
      (recurrence.freq === 'MONTHLY' && recurrence.byMonthDay === null && /\d/.test(match[0]))
    )
      continue;
    return { index: match.index, length: match[0].length, recurrence };
  }
  return null;
}

/**
 * The stored RRULE. Templates recur in UTC, so BYDAY/BYMONTHDAY move by the day the first
 * occurrence's local date differs from its UTC date (Sunday 21:00 in New York is Monday in UTC).
 */
export function toUtcRrule(recurrence: LocalRecurrence, utcDayShift: number): string {
  const parts = [`FREQ=${recurrence.freq}`];
  if (recurrence.interval > 1) parts.push(`INTERVAL=${recurrence.interval}`);
  if (recurrence.byDay.length > 0) {
    const shifted = recurrence.byDay.map((code) => CODE_ORDER[(CODE_ORDER.indexOf(code) + utcDayShift + 7) % 7]);
    parts.push(`BYDAY=${CODE_ORDER.filter((code) => shifted.includes(code)).join(',')}`);
  }
  if (recurrence.byMonthDay !== null) parts.push(`BYMONTHDAY=${shiftedMonthDay(recurrence.byMonthDay, utcDayShift)}`);
  return parts.join(';');
}

// The 1st a day behind in UTC is the previous month's last day; a day past the 31st cannot be
// spelled in an RRULE, so that rare case keeps the local day number.
function shiftedMonthDay(day: number, shift: number): number {
  const shifted = day + shift;
  if (shifted === 0) return -1;
  return shifted > 31 ? day : shifted;
}
