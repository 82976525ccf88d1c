import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import { TaskEntity } from '@app/core/database/entities';
import type { TaskPriority } from '@app/core/database/enums';
import type { TaskView } from './dto/task-response.dto';

export interface TaskListFilters {
  completed?: boolean;
  priority?: TaskPriority;
  /** true: hidden and visible tasks; false: visible only. */
  hidden: boolean;
  archived?: boolean;
  templateId?: string;
  dueBefore?: Date;
  dueAfter?: Date;
}

export interface Page {
  offset: number;
  limit: number;
}

const SUBTASK_COUNT = '(SELECT count(*)::int FROM subtasks s WHERE s.task_id = t.id)';
const SUBTASK_COMPLETED_COUNT = '(SELECT count(*)::int FROM subtasks s WHERE s.task_id = t.id AND s.completed)';

/** Task rows. Ownership is checked by the services; list queries always filter on `user_id`. */
@Injectable()
export class TasksRepository {
  constructor(private readonly dataSource: DataSource) {}

  findById(id: string, manager: EntityManager = this.dataSource.manager): Promise<TaskEntity | null> {
    return manager.findOne(TaskEntity, { where: { id } });
  }

  /** Locks the task row: every write to a task, its subtasks or reminders serialises on it. */
  lockById(manager: EntityManager, id: string): Promise<TaskEntity | null> {
    return manager
      .createQueryBuilder(TaskEntity, 't')
      .setLock('pessimistic_write')
      .where('t.id = :id', { id })
      .getOne();
  }

  /** Active = not completed, not archived, not hidden (rules.md §1). */
  countActive(manager: EntityManager, userId: string): Promise<number> {
    return manager.count(TaskEntity, { where: { userId, completed: false, archived: false, hidden: false } });
  }

  async insert(manager: EntityManager, task: TaskEntity): Promise<TaskEntity> {
    await manager.insert(TaskEntity, task);
    return task;
  }

  async update(manager: EntityManager, task: TaskEntity, changes: Partial<TaskEntity>): Promise<TaskEntity> {
    await manager.update(TaskEntity, { id: task.id }, changes);
    return manager.merge<TaskEntity>(TaskEntity, task, changes);
  }

  /** Hard delete; subtasks, reminders and focus sessions cascade. */
  async delete(manager: EntityManager, id: string): Promise<void> {
    await manager.delete(TaskEntity, { id });
  }

  /** The task with its subtask counts (one statement). */
  async findView(id: string, manager: EntityManager = this.dataSource.manager): Promise<TaskView | null> {
    const [view] = await this.views(this.withCounts(manager).where('t.id = :id', { id }));
    return view ?? null;
  }

  /** One page of the user's tasks with subtask counts in the same statement, plus one count. */
  async list(userId: string, filters: TaskListFilters, page: Page): Promise<{ items: TaskView[]; total: number }> {
    const query = this.withCounts(this.dataSource.manager).where('t.user_id = :userId', { userId });
    applyFilters(query, filters);
    const items = await this.views(
      query.clone().orderBy('t.createdAt', 'DESC').addOrderBy('t.id', 'DESC').offset(page.offset).limit(page.limit),
    );
    return { items, total: await query.getCount() };
  }

  private withCounts(manager: EntityManager): SelectQueryBuilder<TaskEntity> {
    return manager
      .createQueryBuilder(TaskEntity, 't')
      .addSelect(SUBTASK_COUNT, 'subtask_count')
      .addSelect(SUBTASK_COMPLETED_COUNT, 'subtask_completed_count');
  }

  private async views(query: SelectQueryBuilder<TaskEntity>): Promise<TaskView[]> {
    const { entities, raw } = await query.getRawAndEntities<{
      t_id: string;
      subtask_count: number;
      subtask_completed_count: number;
    }>();
    const counts = new Map(raw.map((row) => [row.t_id, row]));
    return entities.map((task) => ({
      task,
      subtaskCount: counts.get(task.id)?.subtask_count ?? 0,
      subtaskCompletedCount: counts.get(task.id)?.subtask_completed_count ?? 0,
    }));
  }
}

function applyFilters(query: SelectQueryBuilder<TaskEntity>, filters: TaskListFilters): void {
  if (filters.completed !== undefined) query.andWhere('t.completed = :completed', { completed: filters.completed });
  if (filters.priority !== undefined) query.andWhere('t.priority = :priority', { priority: filters.priority });
  if (!filters.hidden) query.andWhere('t.hidden = false');
  if (filters.archived !== undefined) query.andWhere('t.archived = :archived', { archived: filters.archived });
  if (filters.templateId !== undefined)
    query.andWhere('t.template_id = :templateId', { templateId: filters.templateId });
  if (filters.dueBefore !== undefined) query.andWhere('t.due_date <= :dueBefore', { dueBefore: filters.dueBefore });
  if (filters.dueAfter !== undefined) query.andWhere('t.due_date >= :dueAfter', { dueAfter: filters.dueAfter });
}
