import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { ReminderMethod, ReminderType } from '@app/core/database/enums';

/** A due reminder locked for firing, with what its notification needs from the task. */
export interface LockedReminder {
  id: string;
  taskId: string;
  userId: string;
  type: ReminderType;
  offsetMinutes: number | null;
  method: ReminderMethod;
  taskTitle: string;
  /** Completed, hidden or archived: the reminder is skipped (docs/rules.md §7). */
  taskInactive: boolean;
}

/** The reminder queries of `reminder_fire`; every lookup uses the partial index on pending reminders. */
@Injectable()
export class ReminderFiringRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The earliest pending reminder time, or null when none is pending. */
  async nextPendingAt(): Promise<Date | null> {
    const rows: Array<{ scheduled_at: Date }> = await this.dataSource.query(
      `SELECT scheduled_at FROM reminders WHERE fired = false ORDER BY scheduled_at LIMIT 1`,
    );
    return rows[0]?.scheduled_at ?? null;
  }

  /**
   * Locks up to `limit` pending reminders due at `now`, oldest first, leaving out `excluded` and
   * those another transaction holds (`SKIP LOCKED`: that one fires them, so runners share a burst).
   * With `only`, just those reminders.
   */
  async lockDue(
    manager: EntityManager,
    now: Date,
    limit: number,
    options: { excluded?: string[]; only?: string[] } = {},
  ): Promise<LockedReminder[]> {
    const rows: Array<{
      id: string;
      task_id: string;
      user_id: string;
      type: ReminderType;
      offset_minutes: number | null;
      method: ReminderMethod;
      title: string;
      inactive: boolean;
    }> = await manager.query(
      `SELECT r.id, r.task_id, r.user_id, r.type, r.offset_minutes, r.method, t.title,
              (t.completed OR t.hidden OR t.archived) AS inactive
       FROM reminders r JOIN task_instances t ON t.id = r.task_id
       WHERE r.fired = false AND r.scheduled_at <= $1
         AND NOT (r.id = ANY($2::uuid[])) AND ($3::uuid[] IS NULL OR r.id = ANY($3::uuid[]))
       ORDER BY r.scheduled_at, r.id
       LIMIT $4
       FOR UPDATE OF r SKIP LOCKED`,
      [now, options.excluded ?? [], options.only ?? null, limit],
    );
    return rows.map((row) => ({
      id: row.id,
      taskId: row.task_id,
      userId: row.user_id,
      type: row.type,
      offsetMinutes: row.offset_minutes,
      method: row.method,
      taskTitle: row.title,
      taskInactive: row.inactive,
    }));
  }

  async markFired(manager: EntityManager, ids: string[], now: Date): Promise<void> {
    if (ids.length === 0) return;
    await manager.query(
      `UPDATE reminders SET fired = true, skipped = false, fired_at = $2, updated_at = $2 WHERE id = ANY($1::uuid[])`,
      [ids, now],
    );
  }

  /** Marked fired without delivery; `fired_at` stays null (nothing was delivered). */
  async markSkipped(manager: EntityManager, ids: string[], now: Date): Promise<void> {
    if (ids.length === 0) return;
    await manager.query(
      `UPDATE reminders SET fired = true, skipped = true, updated_at = $2 WHERE id = ANY($1::uuid[])`,
      [ids, now],
    );
  }
}
