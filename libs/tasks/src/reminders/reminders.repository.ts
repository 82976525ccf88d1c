import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, LessThan } from 'typeorm';
import { ReminderEntity } from '@app/core/database/entities';
import type { ReminderMethod, ReminderType } from '@app/core/database/enums';
import type { Page } from '../tasks.repository';

export interface ReminderListFilters {
  taskId?: string;
  /** false: pending only; true: fired or skipped only. */
  fired?: boolean;
}

interface ReminderRow {
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

function toReminder(row: ReminderRow): ReminderEntity {
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

/** Reminder rows; callers lock the task row before writes (≤ 5 per task, docs/data-model.md §6). */
@Injectable()
export class RemindersRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** A task's reminders by scheduled_at: one plain statement, as every task detail reads it. */
  async listByTask(taskId: string, manager: EntityManager = this.dataSource.manager): Promise<ReminderEntity[]> {
    const rows: ReminderRow[] = await manager.query(
      'SELECT * FROM reminders WHERE task_id = $1 ORDER BY scheduled_at, id',
      [taskId],
    );
    return rows.map(toReminder);
  }

  async list(
    userId: string,
    filters: ReminderListFilters,
    page: Page,
  ): Promise<{ items: ReminderEntity[]; total: number }> {
    const where = {
      userId,
      ...(filters.taskId !== undefined ? { taskId: filters.taskId } : {}),
      ...(filters.fired !== undefined ? { fired: filters.fired } : {}),
    };
    const [items, total] = await this.dataSource.manager.findAndCount(ReminderEntity, {
      where,
      order: { scheduledAt: 'ASC', id: 'ASC' },
      skip: page.offset,
      take: page.limit,
    });
    return { items, total };
  }

  findById(id: string, manager: EntityManager = this.dataSource.manager): Promise<ReminderEntity | null> {
    return manager.findOne(ReminderEntity, { where: { id } });
  }

  countByTask(manager: EntityManager, taskId: string): Promise<number> {
    return manager.count(ReminderEntity, { where: { taskId } });
  }

  async insert(manager: EntityManager, reminder: ReminderEntity): Promise<ReminderEntity> {
    await manager.insert(ReminderEntity, reminder);
    return reminder;
  }

  async update(
    manager: EntityManager,
    reminder: ReminderEntity,
    changes: Partial<ReminderEntity>,
  ): Promise<ReminderEntity> {
    await manager.update(ReminderEntity, { id: reminder.id }, changes);
    return manager.merge<ReminderEntity>(ReminderEntity, reminder, changes);
  }

  async delete(manager: EntityManager, id: string): Promise<void> {
    await manager.delete(ReminderEntity, { id });
  }

  /** Pending reminders of a task whose time lies before `instant` (skipped on recovery, docs/rules.md §7). */
  pendingBefore(manager: EntityManager, taskId: string, instant: Date): Promise<ReminderEntity[]> {
    return manager.find(ReminderEntity, {
      where: { taskId, fired: false, scheduledAt: LessThan(instant) },
      order: { scheduledAt: 'ASC', id: 'ASC' },
    });
  }
}
