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

export interface DueCursor {
  scheduledAt: Date;
  id: string;
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

  /** Pending reminders due at `now`, oldest first, after `cursor` (keyset pagination). */
  async due(now: Date, cursor: DueCursor | null, limit: number): Promise<DueCursor[]> {
    const rows: Array<{ id: string; scheduled_at: Date }> = await this.dataSource.query(
      `SELECT id, scheduled_at FROM reminders
       WHERE fired = false AND scheduled_at <= $1
         AND ($2::timestamptz IS NULL OR (scheduled_at, id) > ($2::timestamptz, $3::uuid))
       ORDER BY scheduled_at, id
       LIMIT $4`,
      [now, cursor?.scheduledAt ?? null, cursor?.id ?? null, limit],
    );
    return rows.map((row) => ({ id: row.id, scheduledAt: row.scheduled_at }));
  }

  /**
   * Locks the reminder if it is still pending and due; null when it fired meanwhile, moved,
   * disappeared or is being handled by another transaction (`SKIP LOCKED`: that one fires it).
   */
  async lockDue(manager: EntityManager, id: string, now: Date): Promise<LockedReminder | null> {
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
       WHERE r.id = $1 AND r.fired = false AND r.scheduled_at <= $2
       FOR UPDATE OF r SKIP LOCKED`,
      [id, now],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      id: row.id,
      taskId: row.task_id,
      userId: row.user_id,
      type: row.type,
      offsetMinutes: row.offset_minutes,
      method: row.method,
      taskTitle: row.title,
      taskInactive: row.inactive,
    };
  }

  async markFired(manager: EntityManager, id: string, now: Date): Promise<void> {
    await manager.query(
      `UPDATE reminders SET fired = true, skipped = false, fired_at = $2, updated_at = $2 WHERE id = $1`,
      [id, now],
    );
  }

  /** Marked fired without delivery; `fired_at` stays null (nothing was delivered). */
  async markSkipped(manager: EntityManager, id: string, now: Date): Promise<void> {
    await manager.query(`UPDATE reminders SET fired = true, skipped = true, updated_at = $2 WHERE id = $1`, [id, now]);
  }

  /** The notification a reminder already produced (its dedupe key), if it still exists. */
  async notificationIdFor(manager: EntityManager, sourceRef: string): Promise<string | null> {
    const rows: Array<{ id: string }> = await manager.query(`SELECT id FROM notifications WHERE source_ref = $1`, [
      sourceRef,
    ]);
    return rows[0]?.id ?? null;
  }
}
