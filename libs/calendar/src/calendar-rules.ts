import { RRule } from 'rrule';
import type { ReminderEntity, TaskEntity, TaskTemplateEntity } from '@app/core/database/entities';
import type { TaskPriority } from '@app/core/database/enums';
import { lastOccurrence, RecurrenceBudget } from '@app/tasks/templates/recurrence';
import { formatDateTime, formatMinutes, IcsWriter } from './ics-writer';

export const PRODUCT_ID = '-//Perpetua Flow//Perpetua Flow API//EN';
const UID_DOMAIN = 'perpetua-flow';
/** Polling hint for calendar apps (RFC 7986 REFRESH-INTERVAL and the common X-PUBLISHED-TTL). */
const REFRESH_INTERVAL = 'PT15M';
/**
 * Work units all COUNT expansions of one render share (docs/recurrence-budget.md): a feed costs
 * at most ~100 ms of CPU however many templates it has; a series not finished within it ends at
 * the last occurrence reached.
 */
export const RENDER_BUDGET_UNITS = 50_000;

/** RFC 5545 §3.8.1.9: 1 = highest, 5 = medium, 9 = lowest. */
const PRIORITY: Record<TaskPriority, number> = { high: 1, medium: 5, low: 9 };

export interface CalendarContent {
  calendarName: string;
  /** Non-hidden tasks with a due date. */
  tasks: TaskEntity[];
  /** Reminders of those tasks. */
  reminders: ReminderEntity[];
  /** Active templates with a next occurrence. */
  templates: TaskTemplateEntity[];
}

/**
 * The user's calendar (docs/calendar-feed.md): one VTODO per task (DUE, STATUS, COMPLETED,
 * PRIORITY, a VALARM per reminder) and one recurring VTODO per active template covering the
 * occurrences not generated yet. Everything derives from stored data (DTSTAMP is the row's
 * `updated_at`), so unchanged data gives byte-identical output and the same ETag.
 */
export function renderCalendar(content: CalendarContent): string {
  const ics = new IcsWriter()
    .begin('VCALENDAR')
    .raw('VERSION', '2.0')
    .text('PRODID', PRODUCT_ID)
    .raw('CALSCALE', 'GREGORIAN')
    .raw('METHOD', 'PUBLISH')
    .text('NAME', content.calendarName)
    .text('X-WR-CALNAME', content.calendarName)
    .raw('REFRESH-INTERVAL', REFRESH_INTERVAL, { VALUE: 'DURATION' })
    .raw('X-PUBLISHED-TTL', REFRESH_INTERVAL);
  const remindersByTask = new Map<string, ReminderEntity[]>();
  for (const reminder of content.reminders) {
    remindersByTask.set(reminder.taskId, [...(remindersByTask.get(reminder.taskId) ?? []), reminder]);
  }
  for (const task of content.tasks) writeTask(ics, task, remindersByTask.get(task.id) ?? []);
  const budget = new RecurrenceBudget(RENDER_BUDGET_UNITS);
  for (const template of content.templates) writeTemplate(ics, template, budget);
  return ics.end('VCALENDAR').toString();
}

function writeTask(ics: IcsWriter, task: TaskEntity, reminders: ReminderEntity[]): void {
  ics
    .begin('VTODO')
    .text('UID', `${task.id}@${UID_DOMAIN}`)
    .dateTime('DTSTAMP', task.updatedAt)
    .dateTime('CREATED', task.createdAt)
    .dateTime('LAST-MODIFIED', task.updatedAt)
    .raw('SEQUENCE', String(task.version - 1))
    .text('SUMMARY', task.title)
    .dateTime('DUE', task.dueDate as Date)
    .raw('PRIORITY', String(PRIORITY[task.priority]))
    .raw('STATUS', task.completed ? 'COMPLETED' : 'NEEDS-ACTION');
  if (task.description !== '') ics.text('DESCRIPTION', task.description);
  if (task.completedAt) ics.dateTime('COMPLETED', task.completedAt).raw('PERCENT-COMPLETE', '100');
  for (const reminder of reminders) writeAlarm(ics, task, reminder);
  ics.end('VTODO');
}

/** Relative reminders stay relative to DUE (RELATED=END); absolute ones trigger at their instant. */
function writeAlarm(ics: IcsWriter, task: TaskEntity, reminder: ReminderEntity): void {
  ics
    .begin('VALARM')
    .text('UID', `${reminder.id}@${UID_DOMAIN}`)
    .raw('ACTION', 'DISPLAY')
    .text('DESCRIPTION', task.title);
  switch (reminder.type) {
    case 'before':
      ics.raw('TRIGGER', formatMinutes(-(reminder.offsetMinutes as number)), { RELATED: 'END' });
      break;
    case 'after':
      ics.raw('TRIGGER', formatMinutes(reminder.offsetMinutes as number), { RELATED: 'END' });
      break;
    case 'absolute':
      ics.dateTime('TRIGGER', reminder.scheduledAt, { VALUE: 'DATE-TIME' });
      break;
  }
  ics.end('VALARM');
}

/**
 * An active template as one recurring VTODO starting at `next_due`: the occurrences before it are
 * already tasks of their own, so none appears twice. A COUNT is turned into the UNTIL of the
 * series' last occurrence, since counting restarts at the new DTSTART.
 */
function writeTemplate(ics: IcsWriter, template: TaskTemplateEntity, budget: RecurrenceBudget): void {
  ics
    .begin('VTODO')
    .text('UID', templateUid(template.id))
    .dateTime('DTSTAMP', template.updatedAt)
    .dateTime('CREATED', template.createdAt)
    .dateTime('LAST-MODIFIED', template.updatedAt)
    .text('SUMMARY', template.title)
    .dateTime('DTSTART', template.nextDue as Date)
    .raw('RRULE', seriesRule(template.rrule, template.dtstart, budget, template.nextDue as Date))
    .raw('PRIORITY', String(PRIORITY[template.priority]))
    .raw('STATUS', 'NEEDS-ACTION');
  if (template.description !== '') ics.text('DESCRIPTION', template.description);
  ics.end('VTODO');
}

function templateUid(templateId: string): string {
  return `template-${templateId}@${UID_DOMAIN}`;
}

/**
 * The stored rule for a series restarted at one of its occurrences (`restart`, its next due):
 * parts kept as stored, UNTIL written as the UTC instant our generator uses, COUNT replaced by
 * UNTIL = the last occurrence reached within `budget` (never before `restart`).
 */
export function seriesRule(rule: string, dtstart: Date, budget: RecurrenceBudget, restart: Date): string {
  const parts = rule
    .toUpperCase()
    .split(';')
    .filter((part) => part !== '' && !/^(COUNT|UNTIL)=/.test(part));
  const options = RRule.parseString(rule.toUpperCase());
  let until = options.until ?? null;
  if (options.count) {
    const last = lastOccurrence(rule, dtstart, budget);
    until = last && last.getTime() > restart.getTime() ? last : restart;
  }
  return until ? [...parts, `UNTIL=${formatDateTime(until)}`].join(';') : parts.join(';');
}
