import { describeRule, occurrenceAfter, RecurrenceBudget, SEARCH_BUDGET_UNITS } from './recurrence';

const at = (iso: string): Date => new Date(iso);

describe(occurrenceAfter.name, () => {
  it('should step a daily rule from the time of day of dtstart', () => {
    expect(occurrenceAfter('FREQ=DAILY', at('2026-01-05T09:00:00Z'), at('2026-01-10T12:00:00Z'))).toEqual(
      at('2026-01-11T09:00:00Z'),
    );
  });

  it('should honour INTERVAL counted from dtstart', () => {
    expect(occurrenceAfter('FREQ=DAILY;INTERVAL=3', at('2026-01-05T09:00:00Z'), at('2026-01-06T00:00:00Z'))).toEqual(
      at('2026-01-08T09:00:00Z'),
    );
  });

  it('should skip a dtstart that does not match the rule', () => {
    // 2026-01-06 is a Tuesday: the first occurrence is Wednesday.
    expect(occurrenceAfter('FREQ=WEEKLY;BYDAY=MO,WE', at('2026-01-06T09:00:00Z'), at('2026-01-06T08:00:00Z'))).toEqual(
      at('2026-01-07T09:00:00Z'),
    );
  });

  it('should include a matching dtstart when it lies after the reference instant', () => {
    expect(occurrenceAfter('FREQ=WEEKLY;BYDAY=TU', at('2026-01-06T09:00:00Z'), at('2026-01-06T08:59:59Z'))).toEqual(
      at('2026-01-06T09:00:00Z'),
    );
  });

  it('should be strictly after the reference instant', () => {
    expect(occurrenceAfter('FREQ=DAILY', at('2026-01-06T09:00:00Z'), at('2026-01-07T09:00:00Z'))).toEqual(
      at('2026-01-08T09:00:00Z'),
    );
  });

  it('should skip months without the day of a monthly rule', () => {
    expect(
      occurrenceAfter('FREQ=MONTHLY;BYMONTHDAY=31', at('2026-01-31T08:00:00Z'), at('2026-01-31T08:00:00Z')),
    ).toEqual(at('2026-03-31T08:00:00Z'));
  });

  it('should find the last weekday of the month with BYSETPOS', () => {
    const rule = 'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1';
    expect(occurrenceAfter(rule, at('2026-01-01T17:00:00Z'), at('2026-02-01T00:00:00Z'))).toEqual(
      at('2026-02-27T17:00:00Z'),
    );
  });

  it('should count COUNT from the first occurrence and then be exhausted', () => {
    const rule = 'FREQ=WEEKLY;BYDAY=MO;COUNT=2';
    const dtstart = at('2026-01-06T09:00:00Z');
    expect(occurrenceAfter(rule, dtstart, at('2026-01-12T09:00:00Z'))).toEqual(at('2026-01-19T09:00:00Z'));
    expect(occurrenceAfter(rule, dtstart, at('2026-01-19T09:00:00Z'))).toBeNull();
  });

  it('should stop at UNTIL', () => {
    expect(
      occurrenceAfter('FREQ=DAILY;UNTIL=20260110T090000Z', at('2026-01-06T09:00:00Z'), at('2026-01-10T09:00:00Z')),
    ).toBeNull();
  });

  it('should accept lower-case rules as sent', () => {
    expect(
      occurrenceAfter('freq=yearly;bymonth=2;bymonthday=29', at('2026-01-01T00:00:00Z'), at('2026-01-01T00:00:00Z')),
    ).toEqual(at('2028-02-29T00:00:00Z'));
  });

  it('should give up on a rule that never matches once its search budget is spent', () => {
    const budget = new RecurrenceBudget(SEARCH_BUDGET_UNITS);
    expect(
      occurrenceAfter(
        'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30',
        at('2026-01-01T00:00:00Z'),
        at('2026-01-01T00:00:00Z'),
        budget,
      ),
    ).toBeNull();
    // The walk ended on the budget (bounded work), not on the calendar.
    expect(() => budget.spend(1)).toThrow();
  });

  it('should leave budget over when a rule matches soon', () => {
    const budget = new RecurrenceBudget(SEARCH_BUDGET_UNITS);
    expect(occurrenceAfter('FREQ=DAILY', at('2026-01-01T00:00:00Z'), at('2026-01-01T00:00:00Z'), budget)).toEqual(
      at('2026-01-02T00:00:00Z'),
    );
    expect(() => budget.spend(SEARCH_BUDGET_UNITS / 2)).not.toThrow();
  });
});

describe(describeRule.name, () => {
  it('should describe a weekly rule in words', () => {
    expect(describeRule('FREQ=WEEKLY;BYDAY=MO,WE', at('2026-01-05T09:00:00Z'))).toBe('Every week on Monday, Wednesday');
  });

  it('should describe intervals and counts', () => {
    expect(describeRule('FREQ=DAILY;INTERVAL=2;COUNT=5', at('2026-01-05T09:00:00Z'))).toBe('Every 2 days for 5 times');
  });
});
