import { ReminderEntity } from '@app/core/database/entities';
import type { ReminderMethod, ReminderType } from '@app/core/database/enums';

/** A reminders row as SQL returns it; here because a task's detail reads its reminders in its own statement. */
export interface ReminderRow {
  id: string;
  task_id: string;
  user_id: string;
  type: ReminderType;
  offset_minutes: number | null;
  scheduled_at: Date;
  method: ReminderMethod;
  fired: boolean;
  fired_at: Date | null;
  skipped: boolean;
  created_at: Date;
  updated_at: Date;
}

export function toReminder(row: ReminderRow): ReminderEntity {
  return Object.assign(new ReminderEntity(), {
    id: row.id,
    taskId: row.task_id,
    userId: row.user_id,
    type: row.type,
    offsetMinutes: row.offset_minutes,
    scheduledAt: row.scheduled_at,
    method: row.method,
    fired: row.fired,
    firedAt: row.fired_at,
    skipped: row.skipped,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });
}

/** A reminders row as `json_agg` renders it: timestamps as text. */
export type ReminderJson = Omit<ReminderRow, 'scheduled_at' | 'fired_at' | 'created_at' | 'updated_at'> & {
  scheduled_at: string;
  fired_at: string | null;
  created_at: string;
  updated_at: string;
};

export function reminderFromJson(row: ReminderJson): ReminderEntity {
  return toReminder({
    ...row,
    scheduled_at: new Date(row.scheduled_at),
    fired_at: row.fired_at === null ? null : new Date(row.fired_at),
    created_at: new Date(row.created_at),
    updated_at: new Date(row.updated_at),
  });
}
