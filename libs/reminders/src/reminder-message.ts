import type { ReminderType } from '@app/core/database/enums';

export const REMINDER_NOTIFICATION_TITLE = 'Task Reminder';
const TITLE_LIMIT = 50;

/** The notification body of a firing reminder (docs/rules.md §7). */
export function reminderBody(type: ReminderType, offsetMinutes: number | null, taskTitle: string): string {
  const title = `'${shortTitle(taskTitle)}'`;
  if (type === 'absolute' || offsetMinutes === null) return `Reminder for ${title}`;
  const offset = formatOffset(offsetMinutes);
  return type === 'before' ? `${title} is due in ${offset}` : `${title} was due ${offset} ago`;
}

/** Task titles longer than 50 characters are cut to 47 and `...`. */
export function shortTitle(title: string): string {
  const points = Array.from(title);
  return points.length > TITLE_LIMIT ? `${points.slice(0, TITLE_LIMIT - 3).join('')}...` : title;
}

/** `45 minutes`, `1 hour`, `2 hours`, `1 hour 30 minutes` (whole hours from 60 on, singular for 1). */
export function formatOffset(minutes: number): string {
  const unit = (value: number, name: string): string => `${value} ${name}${value === 1 ? '' : 's'}`;
  if (minutes < 60) return unit(minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? unit(hours, 'hour') : `${unit(hours, 'hour')} ${unit(rest, 'minute')}`;
}
