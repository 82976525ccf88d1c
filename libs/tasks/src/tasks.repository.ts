import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { TaskEntity } from '@app/core/database/entities';
import type { TaskCompletionMode, TaskPriority } from '@app/core/database/enums';
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
  /** Case-insensitive substring of the title or description. */
  search?: string;
}

export interface Page {
  offset: number;
  limit: number;
}

/** Subtask counts of the task row `t` (one aggregate over its subtasks). */
const WITH_COUNTS = `CROSS JOIN LATERAL (
  SELECT count(*)::int AS subtask_count, (count(*) FILTER (WHERE s.completed))::int AS subtask_completed_count
  FROM subtasks s WHERE s.task_id = t.id) c`;

interface TaskRow {
  id: string;
  user_id: string;
  template_id: string | null;
  generated_from_task_id: string | null;
  title: string;
  description: string;
  priority: TaskPriority;
  due_date: Date | null;
  estimated_duration: number | null;
  focus_time_seconds: number;
  completed: boolean;
  completed_at: Date | null;
  completed_by: TaskCompletionMode | null;
  stats_counted: boolean;
  hidden: boolean;
  archived: boolean;
  version: number;
  created_at: Date;
  updated_at: Date;
}

interface TaskViewRow extends TaskRow {
  subtask_count: number;
  subtask_completed_count: number;
}

/** Task rows. Ownership is checked by the services; list queries always filter on `user_id`. */
@Injectable()
export class TasksRepository {
  constructor(private readonly dataSource: DataSource) {}

  findById(id: string, manager: EntityManager = this.dataSource.manager): Promise<TaskEntity | null> {
    return manager.findOne(TaskEntity, { where: { id } });
  }

  /** Locks the task row: every write to a task, its subtasks or reminders serialises on it. */
  async lockById(manager: EntityManager, id: string): Promise<TaskEntity | null> {
    const rows: TaskRow[] = await manager.query('SELECT * FROM task_instances WHERE id = $1 FOR UPDATE', [id]);
    return rows.length > 0 ? toTask(rows[0]) : null;
  }

  /** Active = not completed, not archived, not hidden (docs/rules.md §1). */
  async countActive(manager: EntityManager, userId: string): Promise<number> {
    const [row]: Array<{ active: number }> = await manager.query(
      `SELECT count(*)::int AS active FROM task_instances
       WHERE user_id = $1 AND completed = false AND archived = false AND hidden = false`,
      [userId],
    );
    return row.active;
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
    const rows: TaskViewRow[] = await manager.query(
      `SELECT t.*, c.* FROM task_instances t ${WITH_COUNTS} WHERE t.id = $1`,
      [id],
    );
    return rows.length > 0 ? toView(rows[0]) : null;
  }

  /**
   * One page of the user's tasks with their subtask counts and the total in one statement (the
   * total is a window count over the filtered rows, taken before the page is cut); a page past
   * the end has no row to carry it and counts separately.
   */
  async list(userId: string, filters: TaskListFilters, page: Page): Promise<{ items: TaskView[]; total: number }> {
    const params: unknown[] = [userId];
    const where = ['t.user_id = $1', ...filterConditions(filters, params)].join(' AND ');
    const rows: Array<TaskViewRow & { total_count: string }> = await this.dataSource.query(
      `SELECT t.*, c.* FROM (
         SELECT t.*, count(*) OVER () AS total_count FROM task_instances t WHERE ${where}
         ORDER BY t.created_at DESC, t.id DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}
       ) t ${WITH_COUNTS}
       ORDER BY t.created_at DESC, t.id DESC`,
      [...params, page.limit, page.offset],
    );
    if (rows.length > 0 || page.offset === 0) {
      return { items: rows.map(toView), total: rows.length > 0 ? Number(rows[0].total_count) : 0 };
    }
    const [counted]: Array<{ total: string }> = await this.dataSource.query(
      `SELECT count(*) AS total FROM task_instances t WHERE ${where}`,
      params,
    );
    return { items: [], total: Number(counted.total) };
  }
}

function toView(row: TaskViewRow): TaskView {
  return { task: toTask(row), subtaskCount: row.subtask_count, subtaskCompletedCount: row.subtask_completed_count };
}

function toTask(row: TaskRow): TaskEntity {
  return Object.assign(new TaskEntity(), {
    id: row.id,
    userId: row.user_id,
    templateId: row.template_id,
    generatedFromTaskId: row.generated_from_task_id,
    title: row.title,
    description: row.description,
    priority: row.priority,
    dueDate: row.due_date,
    estimatedDuration: row.estimated_duration,
    focusTimeSeconds: row.focus_time_seconds,
    completed: row.completed,
    completedAt: row.completed_at,
    completedBy: row.completed_by,
    statsCounted: row.stats_counted,
    hidden: row.hidden,
    archived: row.archived,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });
}

/** SQL conditions on `t` for the filters, their values appended to `params` ($2, $3, …). */
function filterConditions(filters: TaskListFilters, params: unknown[]): string[] {
  const conditions: string[] = [];
  const add = (sql: string, value: unknown): void => {
    params.push(value);
    conditions.push(sql.replace('?', `$${params.length}`));
  };
  if (filters.completed !== undefined) add('t.completed = ?', filters.completed);
  if (filters.priority !== undefined) add('t.priority = ?', filters.priority);
  if (!filters.hidden) conditions.push('t.hidden = false');
  if (filters.archived !== undefined) add('t.archived = ?', filters.archived);
  if (filters.templateId !== undefined) add('t.template_id = ?', filters.templateId);
  if (filters.dueBefore !== undefined) add('t.due_date <= ?', filters.dueBefore);
  if (filters.dueAfter !== undefined) add('t.due_date >= ?', filters.dueAfter);
  if (filters.search !== undefined)
    add(`strpos(lower(t.title || ' ' || coalesce(t.description, '')), lower(?)) > 0`, filters.search);
  return conditions;
}
