import { as, loginAs } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';

export type Api = ReturnType<typeof as>;

/** The documented members the tests read; the rest is compared through assertions. */
export interface TaskJson {
  id: string;
  title: string;
  due_date: string | null;
  completed_at: string | null;
  created_at: string;
  updated_at: string;
  version: number;
  [field: string]: unknown;
}

export interface SubtaskJson {
  id: string;
  title: string;
  completed_at: string | null;
  [field: string]: unknown;
}

export interface ActivityRow {
  entity_type: string;
  entity_id: string;
  action: string;
  source: string;
  metadata: Record<string, unknown>;
}

export interface Member {
  id: string;
  token: string;
  api: Api;
}

/** Task-domain e2e apps: a general rate limit high enough for bulk scenarios. */
export function createTasksTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  return createTestApp({ RATE_LIMIT_GENERAL: '100000', ...env });
}

export async function member(t: TestApp, tier: 'free' | 'pro' = 'free'): Promise<Member> {
  const login = await loginAs(t, tier === 'pro' ? { tier } : {});
  return { id: login.user.id, token: login.accessToken, api: as(t, login.accessToken) };
}

export async function createTask(api: Api, body: Record<string, unknown> = {}): Promise<TaskJson> {
  const response = await api.post('/api/v1/tasks').send({ title: 'Write the report', ...body });
  if (response.status !== 201)
    throw new Error(`task create failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.data;
}

export async function createSubtask(api: Api, taskId: string, title = 'Step'): Promise<SubtaskJson> {
  const response = await api.post(`/api/v1/tasks/${taskId}/subtasks`).send({ title });
  if (response.status !== 201)
    throw new Error(`subtask create failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.data;
}

/** Active tasks written directly (bulk setup for limit checks). */
export async function insertTasks(
  t: TestApp,
  userId: string,
  count: number,
  fields: Partial<Record<'completed' | 'hidden' | 'archived', boolean>> = {},
): Promise<void> {
  await t.dataSource.query(
    `INSERT INTO task_instances (user_id, title, completed, completed_at, completed_by, hidden, archived)
     SELECT $1, 'Bulk ' || n, $3, CASE WHEN $3 THEN now() END, CASE WHEN $3 THEN 'manual' END, $4, $5
     FROM generate_series(1, $2) AS n`,
    [userId, count, fields.completed ?? false, fields.hidden ?? false, fields.archived ?? false],
  );
}

export async function taskRow(t: TestApp, id: string): Promise<Record<string, unknown> | undefined> {
  const [row] = await t.dataSource.query(`SELECT * FROM task_instances WHERE id = $1`, [id]);
  return row;
}

/** The user's activity entries, oldest first (id tie-break is random within one millisecond). */
export async function activity(t: TestApp, userId: string, entityId?: string): Promise<ActivityRow[]> {
  return t.dataSource.query(
    `SELECT entity_type, entity_id, action, source, metadata FROM activity_logs
     WHERE user_id = $1 AND ($2::text IS NULL OR entity_id = $2) ORDER BY created_at, action`,
    [userId, entityId ?? null],
  );
}

export const TASK_KEYS = [
  'archived',
  'completed',
  'completed_at',
  'completed_by',
  'created_at',
  'description',
  'due_date',
  'estimated_duration',
  'focus_time_seconds',
  'hidden',
  'id',
  'priority',
  'subtask_completed_count',
  'subtask_count',
  'template_id',
  'title',
  'updated_at',
  'user_id',
  'version',
];

export const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function inDays(days: number, from = Date.now()): string {
  return new Date(from + days * 86_400_000).toISOString();
}
