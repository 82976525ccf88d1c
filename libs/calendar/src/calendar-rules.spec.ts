import ICAL from 'ical.js';
import type { ReminderEntity, TaskEntity, TaskTemplateEntity } from '@app/core/database/entities';
import { RecurrenceBudget } from '@app/tasks/templates/recurrence';
import { RENDER_BUDGET_UNITS, renderCalendar, seriesRule } from './calendar-rules';

const created = new Date('2026-01-10T08:00:00.000Z');

function task(overrides: Partial<TaskEntity> = {}): TaskEntity {
  return {
    id: '6a2d8c4e-1b3f-4d5a-9c7e-2f4b6d8a0c1e',
    userId: '3f1c2b7e-9a4d-4e21-8c55-0b6a1d2e3f40',
    templateId: null,
    generatedFromTaskId: null,
    title: 'Write report',
    description: '',
    priority: 'medium',
    dueDate: new Date('2026-01-20T17:00:00.000Z'),
    estimatedDuration: null,
    focusTimeSeconds: 0,
    completed: false,
    completedAt: null,
    completedBy: null,
    statsCounted: false,
    hidden: false,
    archived: false,
    version: 1,
    createdAt: created,
    updatedAt: new Date('2026-01-11T09:30:00.000Z'),
    ...overrides,
  };
}

function reminder(overrides: Partial<ReminderEntity>): ReminderEntity {
  return {
    id: 'b0a8f7e6-5d4c-4b3a-9f8e-7d6c5b4a3f2e',
    taskId: task().id,
    userId: task().userId,
    type: 'before',
    offsetMinutes: 30,
    scheduledAt: new Date('2026-01-20T16:30:00.000Z'),
    method: 'in_app',
    fired: false,
    firedAt: null,
    skipped: false,
    createdAt: created,
    updatedAt: created,
    ...overrides,
  };
}

function template(overrides: Partial<TaskTemplateEntity> = {}): TaskTemplateEntity {
  return {
    id: 'c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f',
    userId: task().userId,
    title: 'Standup',
    description: 'Daily sync',
    priority: 'high',
    estimatedDuration: 15,
    rrule: 'FREQ=WEEKLY;BYDAY=MO,WE',
    dtstart: new Date('2026-01-05T09:00:00.000Z'),
    nextDue: new Date('2026-01-21T09:00:00.000Z'),
    active: true,
    lastGeneratedAt: created,
    createdAt: created,
    updatedAt: created,
    ...overrides,
  };
}

function parse(ics: string): ICAL.Component {
  return new ICAL.Component(ICAL.parse(ics));
}

describe(renderCalendar.name, () => {
  it('should write a VTODO per task with due date, priority, status and escaped, folded text', () => {
    const title = 'Pay rent, utilities; and "other" \\ things ' + 'é'.repeat(60);
    const ics = renderCalendar({
      calendarName: 'Ada — Perpetua Flow',
      tasks: [task({ title, description: 'Line one\nLine two', priority: 'high' })],
      reminders: [],
      templates: [],
    });

    expect(ics.endsWith('\r\n')).toBe(true);
    expect(ics.split('\r\n').every((line) => Buffer.byteLength(line, 'utf8') <= 75)).toBe(true);
    const calendar = parse(ics);
    expect(calendar.getFirstPropertyValue('version')).toBe('2.0');
    expect(calendar.getFirstPropertyValue('x-wr-calname')).toBe('Ada — Perpetua Flow');
    const todo = calendar.getFirstSubcomponent('vtodo') as ICAL.Component;
    expect(todo.getFirstPropertyValue('uid')).toBe(`${task().id}@perpetua-flow`);
    expect(todo.getFirstPropertyValue('summary')).toBe(title);
    expect(todo.getFirstPropertyValue('description')).toBe('Line one\nLine two');
    expect(todo.getFirstPropertyValue('priority')).toBe(1);
    expect(todo.getFirstPropertyValue('status')).toBe('NEEDS-ACTION');
    expect(String(todo.getFirstPropertyValue('due'))).toBe('2026-01-20T17:00:00Z');
    expect(String(todo.getFirstPropertyValue('dtstamp'))).toBe('2026-01-11T09:30:00Z');
    expect(todo.getFirstProperty('completed')).toBeNull();
  });

  it.each([
    ['high', 1],
    ['medium', 5],
    ['low', 9],
  ] as const)('should map priority %s to %i', (priority, expected) => {
    const todo = parse(
      renderCalendar({ calendarName: 'x', tasks: [task({ priority })], reminders: [], templates: [] }),
    ).getFirstSubcomponent('vtodo') as ICAL.Component;
    expect(todo.getFirstPropertyValue('priority')).toBe(expected);
  });

  it('should mark completed tasks COMPLETED with their completion time', () => {
    const completedAt = new Date('2026-01-19T12:00:00.000Z');
    const todo = parse(
      renderCalendar({
        calendarName: 'x',
        tasks: [task({ completed: true, completedAt, completedBy: 'manual', version: 3 })],
        reminders: [],
        templates: [],
      }),
    ).getFirstSubcomponent('vtodo') as ICAL.Component;
    expect(todo.getFirstPropertyValue('status')).toBe('COMPLETED');
    expect(String(todo.getFirstPropertyValue('completed'))).toBe('2026-01-19T12:00:00Z');
    expect(todo.getFirstPropertyValue('sequence')).toBe(2);
  });

  it('should write one VALARM per reminder: relative ones against DUE, absolute ones at their instant', () => {
    const ics = renderCalendar({
      calendarName: 'x',
      tasks: [task()],
      reminders: [
        reminder({ type: 'before', offsetMinutes: 90 }),
        reminder({ id: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d', type: 'after', offsetMinutes: 1440 }),
        reminder({
          id: 'd4c3b2a1-f6e5-4b7a-9d8c-5c4b3a2f1e0d',
          type: 'absolute',
          offsetMinutes: null,
          scheduledAt: new Date('2026-01-19T08:00:00.000Z'),
        }),
      ],
      templates: [],
    });
    const alarms = (parse(ics).getFirstSubcomponent('vtodo') as ICAL.Component).getAllSubcomponents('valarm');
    expect(alarms).toHaveLength(3);
    expect(alarms.map((alarm) => alarm.getFirstPropertyValue('action'))).toEqual(['DISPLAY', 'DISPLAY', 'DISPLAY']);
    const triggers = alarms.map((alarm) => alarm.getFirstProperty('trigger') as ICAL.Property);
    expect(triggers.map((trigger) => String(trigger.getFirstValue()))).toEqual([
      '-PT1H30M',
      'P1D',
      '2026-01-19T08:00:00Z',
    ]);
    expect(triggers.map((trigger) => trigger.getParameter('related') ?? null)).toEqual(['END', 'END', null]);
  });

  it('should write an active template as a recurring VTODO from its next occurrence', () => {
    const ics = renderCalendar({ calendarName: 'x', tasks: [], reminders: [], templates: [template()] });
    const todo = parse(ics).getFirstSubcomponent('vtodo') as ICAL.Component;
    expect(todo.getFirstPropertyValue('uid')).toBe(`template-${template().id}@perpetua-flow`);
    expect(String(todo.getFirstPropertyValue('dtstart'))).toBe('2026-01-21T09:00:00Z');
    const rule = todo.getFirstPropertyValue('rrule') as ICAL.Recur;
    expect(rule.freq).toBe('WEEKLY');
    const iterator = rule.iterator(todo.getFirstPropertyValue('dtstart') as ICAL.Time);
    // The iterator reuses one Time object: read each value before the next call.
    const occurrences = [0, 1, 2].map(() => String(iterator.next()));
    expect(occurrences).toEqual(['2026-01-21T09:00:00Z', '2026-01-26T09:00:00Z', '2026-01-28T09:00:00Z']);
  });

  it('should produce identical output for identical data (stable ETag)', () => {
    const content = { calendarName: 'x', tasks: [task()], reminders: [reminder({})], templates: [template()] };
    expect(renderCalendar(content)).toBe(renderCalendar(content));
  });
});

describe(seriesRule.name, () => {
  const dtstart = new Date('2026-01-05T09:00:00.000Z');

  const budget = (): RecurrenceBudget => new RecurrenceBudget(RENDER_BUDGET_UNITS);

  it('should keep a rule without COUNT or UNTIL as stored (upper case)', () => {
    expect(seriesRule('freq=weekly;byday=MO,WE', dtstart, budget(), dtstart)).toBe('FREQ=WEEKLY;BYDAY=MO,WE');
  });

  it('should replace COUNT by the UNTIL of the last occurrence', () => {
    expect(seriesRule('FREQ=DAILY;COUNT=3', dtstart, budget(), dtstart)).toBe('FREQ=DAILY;UNTIL=20260107T090000Z');
  });

  it('should write a date-only UNTIL as the UTC instant the generator uses', () => {
    expect(seriesRule('FREQ=DAILY;UNTIL=20260131', dtstart, budget(), dtstart)).toBe(
      'FREQ=DAILY;UNTIL=20260131T000000Z',
    );
  });

  it('should end a sparse COUNT series at the last occurrence reached within the budget', () => {
    const rule = 'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO;COUNT=1000';
    const first = new Date('2044-02-29T09:00:00.000Z');
    const shared = budget();
    const written = seriesRule(rule, dtstart, shared, first);
    expect(written).toMatch(/^FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO;UNTIL=\d{8}T090000Z$/);
    expect(written > 'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO;UNTIL=20440229T090000Z').toBe(true);
    // The walk stopped because the budget ran out (the bound on its CPU), not at the COUNT.
    expect(() => shared.spend(1)).toThrow();
  });

  it('should end at the restart occurrence when the shared budget is already spent', () => {
    const spent = new RecurrenceBudget(0);
    expect(seriesRule('FREQ=DAILY;COUNT=30', dtstart, spent, dtstart)).toBe('FREQ=DAILY;UNTIL=20260105T090000Z');
  });
});
