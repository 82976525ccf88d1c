import type { DataSource } from 'typeorm';

export interface TaskFixture {
  title?: string;
  completed?: boolean;
  hidden?: boolean;
  archived?: boolean;
  dueDate?: Date | null;
}

export interface ReminderFixture {
  taskId: string;
  userId: string;
  scheduledAt: Date;
  type?: 'before' | 'after' | 'absolute';
  offsetMinutes?: number | null;
  method?: 'push' | 'in_app';
}

/** A task row written directly (the reminder jobs read tasks; the tasks API is another lib's). */
export async function insertTask(db: DataSource, userId: string, task: TaskFixture = {}): Promise<string> {
  const rows: Array<{ id: string }> = await db.query(
    `INSERT INTO task_instances (user_id, title, due_date, completed, completed_at, completed_by, hidden, archived)
     VALUES ($1, $2, $3, $4, CASE WHEN $4 THEN now() END, CASE WHEN $4 THEN 'manual' END, $5, $6) RETURNING id`,
    [
      userId,
      task.title ?? 'Write the report',
      task.dueDate ?? null,
      task.completed ?? false,
      task.hidden ?? false,
      task.archived ?? false,
    ],
  );
  return rows[0].id;
}

export async function insertReminder(db: DataSource, reminder: ReminderFixture): Promise<string> {
  const type = reminder.type ?? 'absolute';
  const rows: Array<{ id: string }> = await db.query(
    `INSERT INTO reminders (task_id, user_id, type, offset_minutes, scheduled_at, method)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [
      reminder.taskId,
      reminder.userId,
      type,
      reminder.offsetMinutes ?? (type === 'absolute' ? null : 30),
      reminder.scheduledAt,
      reminder.method ?? 'in_app',
    ],
  );
  return rows[0].id;
}

export interface ReminderRow {
  fired: boolean;
  skipped: boolean;
  fired_at: Date | null;
  scheduled_at: Date;
}

export async function reminderRow(db: DataSource, id: string): Promise<ReminderRow> {
  const rows: ReminderRow[] = await db.query(
    `SELECT fired, skipped, fired_at, scheduled_at FROM reminders WHERE id = $1`,
    [id],
  );
  return rows[0];
}

export async function notificationsFor(db: DataSource, reminderId: string): Promise<Array<Record<string, unknown>>> {
  return db.query(`SELECT * FROM notifications WHERE source_ref = $1`, [`reminder:${reminderId}`]);
}

export async function activityActions(db: DataSource, entityId: string): Promise<string[]> {
  const rows: Array<{ action: string }> = await db.query(
    `SELECT action FROM activity_logs WHERE entity_id = $1 ORDER BY created_at, id`,
    [entityId],
  );
  return rows.map((row) => row.action);
}

/** Polls until `check` holds (or fails after `timeoutMs`). */
export async function eventually(
  check: () => Promise<boolean>,
  timeoutMs = 10_000,
  label = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${label} not reached within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
