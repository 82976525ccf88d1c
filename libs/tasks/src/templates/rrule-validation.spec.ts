import { ValidationError } from '@app/core/errors/domain-error';
import { validateRecurrenceRule } from './rrule-validation';

function problem(rule: string): string | undefined {
  try {
    validateRecurrenceRule(rule);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).details?.[0]?.message;
  }
}

describe(validateRecurrenceRule.name, () => {
  it('should strip the RRULE: prefix and surrounding whitespace but keep the rule as sent', () => {
    expect(validateRecurrenceRule('  RRULE:FREQ=WEEKLY;byday=MO,WE  ')).toBe('FREQ=WEEKLY;byday=MO,WE');
    expect(validateRecurrenceRule('rrule:freq=daily')).toBe('freq=daily');
  });

  it.each([
    'FREQ=DAILY',
    'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE,FR;WKST=SU',
    'FREQ=MONTHLY;BYMONTHDAY=1,15,-1',
    'FREQ=MONTHLY;BYDAY=-1FR',
    'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1',
    'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;COUNT=3',
    'FREQ=DAILY;UNTIL=20261231',
    'FREQ=DAILY;UNTIL=20261231T235959Z',
    'FREQ=DAILY;INTERVAL=365;COUNT=1000',
  ])('should accept %s', (rule) => {
    expect(problem(rule)).toBeUndefined();
  });

  it.each([
    ['', 'is not a NAME=VALUE'],
    ['INTERVAL=2', 'FREQ is required'],
    ['FREQ=HOURLY', 'FREQ must be one of'],
    ['FREQ=DAILY;FREQ=WEEKLY', 'appears more than once'],
    ['FREQ=DAILY;INTERVAL=0', 'INTERVAL must be an integer from 1 to 365'],
    ['FREQ=DAILY;INTERVAL=366', 'INTERVAL must be an integer from 1 to 365'],
    ['FREQ=DAILY;COUNT=1001', 'COUNT must be an integer from 1 to 1000'],
    ['FREQ=DAILY;COUNT=2;UNTIL=20261231', 'COUNT and UNTIL cannot be combined'],
    ['FREQ=DAILY;BYHOUR=9', 'BYHOUR is not supported'],
    ['FREQ=DAILY;BYMINUTE=9', 'BYMINUTE is not supported'],
    ['FREQ=DAILY;BYSECOND=9', 'BYSECOND is not supported'],
    ['FREQ=YEARLY;BYYEARDAY=9', 'BYYEARDAY is not supported'],
    ['FREQ=YEARLY;BYWEEKNO=9', 'BYWEEKNO is not supported'],
    ['FREQ=DAILY;DTSTART=20260101T000000Z', 'DTSTART is not allowed'],
    ['FREQ=DAILY;FOO=1', 'unknown rule part FOO'],
    ['FREQ=WEEKLY;BYDAY=XX', 'BYDAY must be a list of weekdays'],
    ['FREQ=WEEKLY;BYDAY=1MO', 'BYDAY must be a list of weekdays'],
    ['FREQ=MONTHLY;BYDAY=6MO', 'BYDAY must be a list of weekdays'],
    ['FREQ=MONTHLY;BYMONTHDAY=32', 'BYMONTHDAY must be a list'],
    ['FREQ=MONTHLY;BYMONTHDAY=0', 'BYMONTHDAY must be a list'],
    ['FREQ=YEARLY;BYMONTH=13', 'BYMONTH must be a list of months'],
    ['FREQ=DAILY;BYSETPOS=1', 'BYSETPOS needs BYDAY'],
    ['FREQ=DAILY;UNTIL=20260230', 'UNTIL must be a date'],
    ['FREQ=DAILY;WKST=XY', 'WKST must be a weekday'],
    ['FREQ=DAILY;', 'is not a NAME=VALUE'],
  ])('should refuse %p', (rule, message) => {
    expect(problem(rule)).toContain(message);
  });
});
