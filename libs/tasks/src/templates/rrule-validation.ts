import { ValidationError } from '@app/core/errors/domain-error';

const FREQUENCIES = ['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'];
const WEEKDAY = '(MO|TU|WE|TH|FR|SA|SU)';
const UNSUPPORTED = ['BYHOUR', 'BYMINUTE', 'BYSECOND', 'BYYEARDAY', 'BYWEEKNO'];

type PartCheck = (value: string, parts: Map<string, string>) => string | null;

const integerIn =
  (min: number, max: number): PartCheck =>
  (value) =>
    /^\d+$/.test(value) && Number(value) >= min && Number(value) <= max
      ? null
      : `must be an integer from ${min} to ${max}`;

const signedListIn =
  (max: number): PartCheck =>
  (value) =>
    value
      .split(',')
      .every((item) => /^[+-]?\d+$/.test(item) && Math.abs(Number(item)) >= 1 && Math.abs(Number(item)) <= max)
      ? null
      : `must be a list of non-zero integers from -${max} to ${max}`;

/** Checks of each allowed part (docs/rules.md §6); the value is already upper-cased. */
const PART_CHECKS: Record<string, PartCheck> = {
  FREQ: (value) => (FREQUENCIES.includes(value) ? null : `must be one of ${FREQUENCIES.join(', ')}`),
  INTERVAL: integerIn(1, 365),
  COUNT: integerIn(1, 1000),
  UNTIL: (value) => (isUntil(value) ? null : 'must be a date (YYYYMMDD) or UTC date-time (YYYYMMDDTHHMMSSZ)'),
  WKST: (value) => (new RegExp(`^${WEEKDAY}$`).test(value) ? null : 'must be a weekday (MO…SU)'),
  BYMONTH: (value) =>
    value.split(',').every((item) => /^\d+$/.test(item) && Number(item) >= 1 && Number(item) <= 12)
      ? null
      : 'must be a list of months from 1 to 12',
  BYMONTHDAY: signedListIn(31),
  BYSETPOS: signedListIn(366),
  BYDAY: (value, parts) => {
    // Ordinal weekdays (1MO, -1FR) only make sense within a month or a year (RFC 5545 §3.3.10).
    const ordinalsAllowed = ['MONTHLY', 'YEARLY'].includes(parts.get('FREQ') ?? '');
    const limit = parts.get('FREQ') === 'MONTHLY' ? 5 : 53;
    const valid = value.split(',').every((item) => {
      const match = new RegExp(`^([+-]?\\d{1,2})?${WEEKDAY}$`).exec(item);
      if (!match) return false;
      if (match[1] === undefined) return true;
      const ordinal = Math.abs(Number(match[1]));
      return ordinalsAllowed && ordinal >= 1 && ordinal <= limit;
    });
    return valid ? null : `must be a list of weekdays (MO…SU), with ordinals only for MONTHLY (±1–5) or YEARLY (±1–53)`;
  },
};

/**
 * Validates an RRULE value exactly as docs/rules.md §6 allows and returns it as stored: without the
 * optional `RRULE:` prefix and surrounding whitespace. Throws 400 VALIDATION_ERROR on `rrule`.
 */
export function validateRecurrenceRule(input: string): string {
  const rule = input
    .trim()
    .replace(/^RRULE:/i, '')
    .trim();
  const parts = new Map<string, string>();
  for (const part of rule.split(';')) {
    const match = /^([A-Za-z]+)=(.+)$/.exec(part);
    if (!match) invalid(`"${part}" is not a NAME=VALUE rule part`);
    const name = match[1].toUpperCase();
    if (parts.has(name)) invalid(`${name} appears more than once`);
    parts.set(name, match[2].toUpperCase());
  }
  if (!parts.has('FREQ')) invalid('FREQ is required');
  for (const [name, value] of parts) {
    if (name === 'DTSTART') invalid('DTSTART is not allowed inside the rule; use the dtstart field');
    const check = PART_CHECKS[name];
    if (!check) invalid(UNSUPPORTED.includes(name) ? `${name} is not supported` : `unknown rule part ${name}`);
    const problem = check(value, parts);
    if (problem) invalid(`${name} ${problem}`);
  }
  if (parts.has('COUNT') && parts.has('UNTIL')) invalid('COUNT and UNTIL cannot be combined');
  if (parts.has('BYSETPOS') && !['BYDAY', 'BYMONTHDAY', 'BYMONTH'].some((name) => parts.has(name))) {
    invalid('BYSETPOS needs BYDAY, BYMONTHDAY or BYMONTH');
  }
  return rule;
}

function isUntil(value: string): boolean {
  const match = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})Z?)?$/.exec(value);
  if (!match) return false;
  const [, y, mo, d, h = '00', mi = '00', s = '00'] = match;
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)));
  return (
    date.getUTCMonth() === Number(mo) - 1 &&
    date.getUTCDate() === Number(d) &&
    Number(h) < 24 &&
    Number(mi) < 60 &&
    Number(s) < 60
  );
}

function invalid(message: string): never {
  throw ValidationError.field('rrule', message);
}
