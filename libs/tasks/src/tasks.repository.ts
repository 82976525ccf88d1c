import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { TaskEntity } from '@app/core/database/entities';
import type { TaskPriority } from '@app/core/database/enums';
import { NamedStatement, namedStatement, runNamed } from '@app/core/database/named-statement';
import type { ActivityRow } from '@app/core/events/domain-event';
import type { TaskDetailView } from './dto/task-detail-response.dto';
import type { TaskView } from './dto/task-response.dto';
import { ReminderJson, reminderFromJson } from './reminder-rows';
import { SubtaskJson, subtaskFromJson } from './subtasks/subtasks.repository';
import { fromTaskRow, TASK_COLUMN_COUNT, taskColumns, taskPlaceholders, TaskRow, taskValues } from './task-columns';

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

/** The subtasks (by order_index) and reminders (by scheduled_at) of the task row `t`, as JSON arrays. */
const CHILDREN = `(SELECT COALESCE(json_agg(s ORDER BY s.order_index), '[]') FROM subtasks s WHERE s.task_id = t.id) AS subtasks,
  (SELECT COALESCE(json_agg(r ORDER BY r.scheduled_at, r.id), '[]') FROM reminders r WHERE r.task_id = t.id) AS reminders`;

/** The written row `t` with the subtask counts a statement taken after the task lock sees. */
const VIEW_OF_WRITTEN = `SELECT ${taskColumns('t')},
  (SELECT count(*)::int FROM subtasks s WHERE s.task_id = t.id) AS subtask_count,
  (SELECT count(*)::int FROM subtasks s WHERE s.task_id = t.id AND s.completed) AS subtask_completed_count
  FROM t`;

/**
 * The change's activity entry (docs/rules.md §12) inserted by the change's own statement from the
 * eight values at `$first`…, once per row of `source`; none when the action (`$first + 3`) is null.
 */
function activityInsert(source: string, first: number): string {
  const [user, type, entity, action, origin, metadata, request, at] = Array.from(
    { length: 8 },
    (_, i) => `$${first + i}`,
  );
  return `INSERT INTO activity_logs (user_id, entity_type, entity_id, action, source, metadata, request_id, created_at)
    SELECT ${user}::uuid, ${type}::text, ${entity}::text, ${action}::text, ${origin}::text, ${metadata}::jsonb,
      ${request}::text, ${at}::timestamptz
    FROM ${source} WHERE ${action}::text IS NOT NULL`;
}

function activityValues(row: ActivityRow | null): unknown[] {
  if (!row) return Array<null>(8).fill(null);
  const { userId, entityType, entityId, action, source, metadata, requestId, createdAt } = row;
  return [userId, entityType, entityId, action, source, metadata, requestId, createdAt];
}

const SQL = {
  /** The caller's user row (the route's user check) and the task locked only if the caller owns it. */
  lockOwned: namedStatement(
    'task_lock_owned',
    `SELECT u.id AS caller_id, ${taskColumns('t')} FROM users u
     LEFT JOIN LATERAL (SELECT ${taskColumns()} FROM task_instances WHERE id = $2 AND user_id = u.id FOR UPDATE) t ON true
     WHERE u.id = $1`,
  ),
  /** Who owns a task (no lock): tells a 403 from a 404 after the owned lock found nothing. */
  owner: namedStatement('task_owner', 'SELECT user_id FROM task_instances WHERE id = $1'),
  view: namedStatement(
    'task_view',
    `SELECT ${taskColumns('t')}, c.* FROM task_instances t ${WITH_COUNTS} WHERE t.id = $1`,
  ),
  detail: namedStatement(
    'task_detail',
    `SELECT ${taskColumns('t')}, c.*, ${CHILDREN} FROM task_instances t ${WITH_COUNTS} WHERE t.id = $1`,
  ),
  /** The user check and the task's detail in one statement (no task row: unknown task). */
  detailOwned: namedStatement(
    'task_detail_owned',
    `SELECT u.id AS caller_id, ${taskColumns('t')}, c.*, ${CHILDREN}
     FROM users u LEFT JOIN task_instances t ON t.id = $2 ${WITH_COUNTS}
     WHERE u.id = $1`,
  ),
  /**
   * The active count of user `$2` under the locked user row; the task (from `$3`) and its activity
   * entry only if there is room under the limit `$1`.
   */
  insertIfRoom: namedStatement(
    'task_insert_if_room',
    `WITH active AS (
       SELECT count(*)::int AS n FROM task_instances
       WHERE user_id = $2 AND completed = false AND archived = false AND hidden = false),
     inserted AS (
       INSERT INTO task_instances (${taskColumns()})
       SELECT ${taskPlaceholders(3)} FROM active WHERE active.n + 1 <= $1
       RETURNING id),
     activity AS (${activityInsert('inserted', TASK_COLUMN_COUNT + 3)})
     SELECT active.n AS active, EXISTS (SELECT 1 FROM inserted) AS inserted FROM active`,
  ),
  /**
   * Every column a PATCH or a completion changes, written from the locked row merged with its
   * changes, and the change's activity entry if given.
   */
  write: namedStatement(
    'task_write',
    `WITH t AS (
       UPDATE task_instances SET title = $2, description = $3, priority = $4, due_date = $5,
         estimated_duration = $6, completed = $7, completed_at = $8, completed_by = $9, hidden = $10,
         archived = $11, stats_counted = $12, version = $13, updated_at = $14
       WHERE id = $1 RETURNING ${taskColumns()}),
     activity AS (${activityInsert('t', 15)})
     ${VIEW_OF_WRITTEN}`,
  ),
};

/** Named statements of the list, one per combination of filters (at most 2^7). */
const listStatements = new Map<string, NamedStatement>();

function listStatement(text: string): NamedStatement {
  let statement = listStatements.get(text);
  if (!statement) {
    statement = namedStatement(`task_list_${listStatements.size}`, text);
    listStatements.set(text, statement);
  }
  return statement;
}

/** The caller's id on the rows of a statement that also checks the user (none: the user is gone). */
interface CallerRow {
  caller_id: string;
}

interface TaskViewRow extends TaskRow {
  subtask_count: number;
  subtask_completed_count: number;
}

interface TaskDetailRow extends TaskViewRow {
  subtasks: SubtaskJson[];
  reminders: ReminderJson[];
}

/** What a statement with the user check found: no user, or the user and maybe the row. */
export type Checked<T> = { userFound: false } | { userFound: true; found: T };

/** The outcome of locking a task for its owner: locked, someone else's, or unknown. */
export type OwnedLock = { kind: 'locked'; task: TaskEntity } | { kind: 'forbidden' } | { kind: 'missing' };

/** Task rows. Ownership is checked by the services; list queries always filter on `user_id`. */
@Injectable()
export class TasksRepository {
  constructor(private readonly dataSource: DataSource) {}

  findById(id: string, manager: EntityManager = this.dataSource.manager): Promise<TaskEntity | null> {
    return manager.findOne(TaskEntity, { where: { id } });
  }

  /**
   * Locks the task row for its owner: every write to a task, its subtasks or reminders serialises
   * on it. The lock carries the ownership condition, so another user's id never takes it; the
   * same statement is the request's user check (docs/round-trips.md §1, §3).
   */
  async lockOwned(manager: EntityManager, userId: string, id: string): Promise<Checked<OwnedLock>> {
    const rows = await runNamed<CallerRow & TaskRow>(manager, SQL.lockOwned, [userId, id]);
    if (rows.length === 0) return { userFound: false };
    if (rows[0].id !== null) return { userFound: true, found: { kind: 'locked', task: fromTaskRow(rows[0]) } };
    const [owner] = await runNamed<{ user_id: string }>(manager, SQL.owner, [id]);
    return { userFound: true, found: owner ? { kind: 'forbidden' } : { kind: 'missing' } };
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

  /**
   * Inserts the task and its activity entry if the user's active tasks stay within `limit`, in one
   * statement under the locked user row (its snapshot is taken after the lock): the active count
   * before the insert.
   */
  async insertIfRoom(
    manager: EntityManager,
    task: TaskEntity,
    limit: number,
    activity: ActivityRow,
  ): Promise<{ inserted: boolean; active: number }> {
    const [row] = await runNamed<{ active: number; inserted: boolean }>(manager, SQL.insertIfRoom, [
      limit,
      task.userId,
      ...taskValues(task),
      ...activityValues(activity),
    ]);
    return row;
  }

  /**
   * Writes the PATCH-able and completion columns of the locked `task` merged with `changes`, and
   * returns the row as written with its subtask counts (no re-read).
   */
  async write(
    manager: EntityManager,
    task: TaskEntity,
    changes: Partial<TaskEntity>,
    activity: ActivityRow | null = null,
  ): Promise<TaskView> {
    const next = { ...task, ...changes };
    const [row] = await runNamed<TaskViewRow>(manager, SQL.write, [
      next.id,
      next.title,
      next.description,
      next.priority,
      next.dueDate,
      next.estimatedDuration,
      next.completed,
      next.completedAt,
      next.completedBy,
      next.hidden,
      next.archived,
      next.statsCounted,
      next.version,
      next.updatedAt,
      ...activityValues(activity),
    ]);
    return toView(row);
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
    const rows = await runNamed<TaskViewRow>(manager, SQL.view, [id]);
    return rows.length > 0 ? toView(rows[0]) : null;
  }

  /** The task with its counts, subtasks and reminders (one statement). */
  async findDetail(id: string, manager: EntityManager = this.dataSource.manager): Promise<TaskDetailView | null> {
    const rows = await runNamed<TaskDetailRow>(manager, SQL.detail, [id]);
    return rows.length > 0 ? toDetail(rows[0]) : null;
  }

  /** The user check and the task's detail in one statement (docs/round-trips.md §1). */
  async findDetailChecked(userId: string, id: string): Promise<Checked<TaskDetailView | null>> {
    const rows = await runNamed<CallerRow & TaskDetailRow>(this.dataSource.manager, SQL.detailOwned, [userId, id]);
    if (rows.length === 0) return { userFound: false };
    return { userFound: true, found: rows[0].id !== null ? toDetail(rows[0]) : null };
  }

  /**
   * The user check and one page of the user's tasks with their subtask counts and the total in
   * one statement (the total is a window count over the filtered rows, taken before the page is
   * cut; an empty page is one row without a task); a page past the end has no row to carry the
   * total and counts separately.
   */
  async list(
    userId: string,
    filters: TaskListFilters,
    page: Page,
  ): Promise<Checked<{ items: TaskView[]; total: number }>> {
    const params: unknown[] = [userId];
    const where = ['t.user_id = u.id', ...filterConditions(filters, params)].join(' AND ');
    const statement = listStatement(
      `SELECT u.id AS caller_id, ${taskColumns('t')}, t.total_count, c.* FROM users u
       LEFT JOIN LATERAL (
         SELECT ${taskColumns('t')}, count(*) OVER () AS total_count FROM task_instances t WHERE ${where}
         ORDER BY t.created_at DESC, t.id DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}
       ) t ON true ${WITH_COUNTS}
       WHERE u.id = $1
       ORDER BY t.created_at DESC, t.id DESC`,
    );
    const rows = await runNamed<CallerRow & TaskViewRow & { total_count: string }>(this.dataSource.manager, statement, [
      ...params,
      page.limit,
      page.offset,
    ]);
    if (rows.length === 0) return { userFound: false };
    const tasks = rows.filter((row) => row.id !== null);
    if (tasks.length > 0 || page.offset === 0) {
      return {
        userFound: true,
        found: { items: tasks.map(toView), total: tasks.length > 0 ? Number(tasks[0].total_count) : 0 },
      };
    }
    const [counted]: Array<{ total: string }> = await this.dataSource.query(
      `SELECT count(*) AS total FROM task_instances t WHERE ${where.replace('u.id', '$1')}`,
      params,
    );
    return { userFound: true, found: { items: [], total: Number(counted.total) } };
  }
}

function toDetail(row: TaskDetailRow): TaskDetailView {
  return {
    ...toView(row),
    subtasks: row.subtasks.map(subtaskFromJson),
    reminders: row.reminders.map(reminderFromJson),
  };
}

function toView(row: TaskViewRow): TaskView {
  return {
    task: fromTaskRow(row),
    subtaskCount: row.subtask_count,
    subtaskCompletedCount: row.subtask_completed_count,
  };
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
