import { expectError } from '../support/factories';
import type { TestApp } from '../support/test-app';
import { createTestWorker, TestWorker } from '../support/test-worker';
import { createTask, createTasksTestApp, ISO, member } from '../tasks/task-fixtures';

const DAY = 86_400_000;

async function insertEntry(
  t: TestApp,
  userId: string,
  fields: { action: string; createdAt: Date; entityType?: string; entityId?: string; source?: string },
): Promise<string> {
  const [row] = await t.dataSource.query(
    `INSERT INTO activity_logs (user_id, entity_type, entity_id, action, source, created_at)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [
      userId,
      fields.entityType ?? 'task',
      fields.entityId ?? 'x',
      fields.action,
      fields.source ?? 'system',
      fields.createdAt,
    ],
  );
  return row.id;
}

describe('Activity log', () => {
  let t: TestApp;
  let worker: TestWorker;

  beforeAll(async () => {
    t = await createTasksTestApp();
    worker = await createTestWorker(t.databaseUrl);
  });

  afterAll(async () => {
    await worker.close();
    await t.close();
  });

  it("should list only the caller's entries of the last 30 days, newest first, with the request id", async () => {
    const alice = await member(t);
    const bob = await member(t);
    const created = await alice.api.post('/api/v1/tasks').set('X-Request-ID', 'trace-42').send({ title: 'Traced' });
    await createTask(bob.api);
    await insertEntry(t, alice.id, { action: 'ancient', createdAt: new Date(Date.now() - 31 * DAY) });

    const response = await alice.api.get('/api/v1/activity');
    expect(response.status).toBe(200);
    const actions = response.body.data.map((entry: { action: string }) => entry.action);
    expect(actions[0]).toBe('task_created');
    expect(actions).not.toContain('ancient');
    expect(response.body.data.every((entry: { user_id: string }) => entry.user_id === alice.id)).toBe(true);
    expect(response.body.pagination).toEqual({ offset: 0, limit: 25, total: actions.length, has_more: false });
    const [entry] = response.body.data;
    expect(Object.keys(entry).sort()).toEqual([
      'action',
      'created_at',
      'entity_id',
      'entity_type',
      'id',
      'metadata',
      'request_id',
      'source',
      'user_id',
    ]);
    expect(entry).toEqual({
      id: expect.any(String),
      user_id: alice.id,
      entity_type: 'task',
      entity_id: created.body.data.id,
      action: 'task_created',
      source: 'user',
      metadata: { template_id: null },
      request_id: 'trace-42',
      created_at: expect.stringMatching(ISO),
    });
  });

  it('should filter by entity, action, source and an inclusive time window, and paginate', async () => {
    const alice = await member(t);
    const base = Date.now() - 2 * DAY;
    const at = (hours: number): Date => new Date(base + hours * 3_600_000);
    const ids = {
      a: await insertEntry(t, alice.id, { action: 'task_updated', createdAt: at(1), entityId: 'one', source: 'user' }),
      b: await insertEntry(t, alice.id, { action: 'task_updated', createdAt: at(2), entityId: 'two', source: 'ai' }),
      c: await insertEntry(t, alice.id, {
        action: 'note_created',
        createdAt: at(3),
        entityType: 'note',
        entityId: 'one',
      }),
      d: await insertEntry(t, alice.id, {
        action: 'task_completed',
        createdAt: at(4),
        entityId: 'one',
        source: 'system',
      }),
    };
    const found = async (query: string): Promise<string[]> =>
      ((await alice.api.get(`/api/v1/activity?${query}`)).body.data as Array<{ id: string; action: string }>)
        .filter((entry) => Object.values(ids).includes(entry.id))
        .map((entry) => entry.id);
    await expect(found('entity_type=task')).resolves.toEqual([ids.d, ids.b, ids.a]);
    await expect(found('entity_type=task&entity_id=one')).resolves.toEqual([ids.d, ids.a]);
    await expect(found('action=task_updated')).resolves.toEqual([ids.b, ids.a]);
    await expect(found('source=ai')).resolves.toEqual([ids.b]);
    const since = encodeURIComponent(at(2).toISOString());
    const until = encodeURIComponent(at(3).toISOString());
    await expect(found(`since=${since}&until=${until}`)).resolves.toEqual([ids.c, ids.b]);
    const page = await alice.api.get(
      `/api/v1/activity?since=${encodeURIComponent(at(0).toISOString())}&until=${encodeURIComponent(at(5).toISOString())}&limit=3&offset=1`,
    );
    expect(page.body.data.map((entry: { id: string }) => entry.id)).toEqual([ids.c, ids.b, ids.a]);
    expect(page.body.pagination).toEqual({ offset: 1, limit: 3, total: 4, has_more: false });
    const old = encodeURIComponent(new Date(Date.now() - 60 * DAY).toISOString());
    await expect(found(`since=${old}`)).resolves.toEqual([ids.d, ids.c, ids.b, ids.a]);
  });

  it.each([
    'entity_type=planet',
    'source=robot',
    'since=yesterday',
    'until=2026-01-01',
    'limit=101',
    `entity_id=${'x'.repeat(65)}`,
  ])('should refuse %s with 400', async (query) => {
    const alice = await member(t);
    expectError(await alice.api.get(`/api/v1/activity?${query}`), 400, 'VALIDATION_ERROR');
  });

  it('should purge entries older than 30 days by the job clock, in batches', async () => {
    const alice = await member(t);
    const now = new Date();
    await t.dataSource.query(
      `INSERT INTO activity_logs (user_id, entity_type, entity_id, action, source, created_at)
       SELECT $1, 'task', 'bulk', 'old', 'system', $2::timestamptz - interval '31 days' FROM generate_series(1, 1500)`,
      [alice.id, now],
    );
    const keep = await insertEntry(t, alice.id, { action: 'recent', createdAt: new Date(now.getTime() - 29 * DAY) });
    const boundary = await insertEntry(t, alice.id, {
      action: 'boundary',
      createdAt: new Date(now.getTime() - 30 * DAY),
    });
    const result = await worker.runJob('activity_log_purge', now);
    expect(result.status).toBe('success');
    expect(result.result?.deleted).toBeGreaterThanOrEqual(1500);
    const left: Array<{ id: string }> = await t.dataSource.query(
      `SELECT id FROM activity_logs WHERE user_id = $1 AND action IN ('old', 'recent', 'boundary')`,
      [alice.id],
    );
    expect(left.map((row) => row.id).sort()).toEqual([keep, boundary].sort());
  });
});
