import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, LessThan } from 'typeorm';
import { ReminderEntity } from '@app/core/database/entities';
import { ReminderRow, toReminder } from '@app/tasks/reminder-rows';
import type { Page } from '@app/tasks/tasks.repository';

export interface ReminderListFilters {
  taskId?: string;
  /** false: pending only; true: fired or skipped only. */
  fired?: boolean;
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
