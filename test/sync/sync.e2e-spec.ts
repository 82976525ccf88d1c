import { Client } from 'pg';
import { encodeCursor } from '@app/sync/sync-cursor';
import { as, expectError, loginAs } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';
import { createTestWorker } from '../support/test-worker';
import { eventually, serverState, SyncReplica } from './sync-client';

const DAY_MS = 86_400_000;

describe('GET /api/v1/sync', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ RATE_LIMIT_GENERAL: '100000' });
  });

  afterAll(() => t.close());

  async function post(token: string, path: string, body: object): Promise<Record<string, unknown>> {
    const res = await as(t, token).post(path).send(body);
    if (res.status !== 201) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.data;
  }

  async function seed(token: string): Promise<Record<string, string>> {
    const due = new Date(Date.now() + 2 * DAY_MS).toISOString();
    const task = await post(token, '/api/v1/tasks', { title: 'Write report', due_date: due });
    const subtask = await post(token, `/api/v1/tasks/${task.id as string}/subtasks`, { title: 'Outline' });
    const reminder = await post(token, `/api/v1/tasks/${task.id as string}/reminders`, {
      type: 'before',
      offset_minutes: 30,
    });
    const note = await post(token, '/api/v1/notes', { content: 'Buy milk' });
    const template = await post(token, '/api/v1/templates', { title: 'Standup', rrule: 'FREQ=DAILY' });
    return {
      task: task.id as string,
      subtask: subtask.id as string,
      reminder: reminder.id as string,
      note: note.id as string,
      template: template.id as string,
      instance: (template.first_instance as { id: string }).id,
    };
  }

  it('should return the whole current state on a first synchronisation, in the regular representations', async () => {
    const { accessToken } = await loginAs(t);
    const other = await loginAs(t);
    await seed(other.accessToken);
    const ids = await seed(accessToken);
    const replica = new SyncReplica(t, accessToken);

    const changes = await replica.drain();

    expect(changes.every((change) => change.deleted === false)).toBe(true);
    expect(new Set(changes.map((change) => `${change.type}:${change.id}`))).toEqual(
      new Set([
        `task:${ids.task}`,
        `task:${ids.instance}`,
        `subtask:${ids.subtask}`,
        `reminder:${ids.reminder}`,
        `note:${ids.note}`,
        `template:${ids.template}`,
      ]),
    );
    expect(replica.entities).toEqual(await serverState(t, accessToken));
    const task = changes.find((change) => change.id === ids.task);
    expect(task).toEqual({
      type: 'task',
      id: ids.task,
      deleted: false,
      changed_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      data: expect.objectContaining({ id: ids.task, subtask_count: 1, subtask_completed_count: 0, version: 1 }),
    });
  });

  it('should answer an empty page with a usable cursor when nothing changed', async () => {
    const { accessToken } = await loginAs(t);
    await seed(accessToken);
    const replica = new SyncReplica(t, accessToken);
    await replica.drain();
    const before = replica.cursor;

    const res = await as(t, accessToken).get('/api/v1/sync').query({ since: before });

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: { changes: [], next_cursor: expect.any(String), has_more: false } });
  });

  it('should report updates, the task whose subtask counts changed, and deletions as tombstones', async () => {
    const { accessToken } = await loginAs(t);
    const ids = await seed(accessToken);
    const replica = new SyncReplica(t, accessToken);
    await replica.drain();
    const client = as(t, accessToken);

    expect((await client.patch(`/api/v1/subtasks/${ids.subtask}`).send({ completed: true })).status).toBe(200);
    let changes = await replica.drain();
    expect(changes.map((change) => `${change.type}:${change.id}`).sort()).toEqual(
      [`subtask:${ids.subtask}`, `task:${ids.task}`].sort(),
    );
    expect(replica.ofType('task').get(ids.task)).toMatchObject({ subtask_completed_count: 1, completed: true });

    expect((await client.patch(`/api/v1/notes/${ids.note}`).send({ content: 'Buy oat milk' })).status).toBe(200);
    changes = await replica.drain();
    expect(changes).toEqual([
      expect.objectContaining({
        type: 'note',
        id: ids.note,
        deleted: false,
        data: expect.objectContaining({ content: 'Buy oat milk' }),
      }),
    ]);

    expect((await client.delete(`/api/v1/notes/${ids.note}`)).status).toBe(200);
    expect((await client.delete(`/api/v1/templates/${ids.template}`)).status).toBe(200);
    changes = await replica.drain();
    expect(changes).toEqual(
      expect.arrayContaining([
        { type: 'note', id: ids.note, deleted: true, changed_at: expect.any(String), data: null },
        { type: 'template', id: ids.template, deleted: true, changed_at: expect.any(String), data: null },
        expect.objectContaining({
          type: 'task',
          id: ids.instance,
          data: expect.objectContaining({ template_id: null }),
        }),
      ]),
    );
    expect(changes).toHaveLength(3);

    const deletion = await client.delete(`/api/v1/tasks/${ids.task}`);
    expect(deletion.status).toBe(200);
    changes = await replica.drain();
    expect(
      changes
        .map(({ type, id, deleted, data }) => ({ type, id, deleted, data }))
        .sort((a, b) => a.type.localeCompare(b.type)),
    ).toEqual([
      { type: 'reminder', id: ids.reminder, deleted: true, data: null },
      { type: 'subtask', id: ids.subtask, deleted: true, data: null },
      { type: 'task', id: ids.task, deleted: true, data: null },
    ]);
    expect(replica.entities).toEqual(await serverState(t, accessToken));

    const recovered = await client.post(`/api/v1/tasks/recover/${deletion.body.data.tombstone_id as string}`);
    expect(recovered.status).toBe(200);
    changes = await replica.drain();
    expect(changes.map((change) => `${change.type}:${change.id}:${String(change.deleted)}`).sort()).toEqual(
      [`reminder:${ids.reminder}:false`, `subtask:${ids.subtask}:false`, `task:${ids.task}:false`].sort(),
    );
    expect(replica.entities).toEqual(await serverState(t, accessToken));
  });

  it('should page through changes with limit, each entity once, cursors moving forward only', async () => {
    const { accessToken } = await loginAs(t);
    for (let i = 0; i < 7; i++) await post(accessToken, '/api/v1/notes', { content: `note ${i}` });
    const replica = new SyncReplica(t, accessToken, 3);

    const pages: Array<{ size: number; hasMore: boolean }> = [];
    await eventually(async () => {
      const page = await replica.pull();
      pages.push({ size: page.changes.length, hasMore: page.has_more });
      expect(replica.seen.size).toBe(7);
    });
    expect(pages.every((page) => page.size <= 3 && (!page.hasMore || page.size === 3))).toBe(true);
    expect(pages.filter((page) => page.size > 0).length).toBeGreaterThanOrEqual(3);
    expect(replica.seen.size).toBe(7);
    expect(replica.entities).toEqual(await serverState(t, accessToken));
  });

  it('should never hand out a cursor past a transaction that is still running, so its change is not skipped', async () => {
    const { accessToken } = await loginAs(t);
    const slowNote = await post(accessToken, '/api/v1/notes', { content: 'before' });
    const replica = new SyncReplica(t, accessToken);
    await replica.drain();

    const slow = new Client({ connectionString: t.databaseUrl });
    await slow.connect();
    try {
      await slow.query('BEGIN');
      await slow.query(`UPDATE notes SET content = 'written by a slow transaction', updated_at = now() WHERE id = $1`, [
        slowNote.id,
      ]);
      // A later transaction takes a higher position and commits first.
      const fastNote = await post(accessToken, '/api/v1/notes', { content: 'fast' });
      const whileRunning = await replica.drain();
      expect(whileRunning.map((change) => change.id)).not.toContain(fastNote.id);

      await slow.query('COMMIT');
      await eventually(async () => {
        await replica.drain();
        expect(replica.ofType('note').get(fastNote.id as string)).toBeDefined();
        expect(replica.ofType('note').get(slowNote.id as string)).toMatchObject({
          content: 'written by a slow transaction',
        });
      });
      expect(replica.entities).toEqual(await serverState(t, accessToken));
    } finally {
      await slow.end();
    }
  });

  it('should cover writes made outside the API (triggers), e.g. by the job runner or SQL', async () => {
    const { accessToken, user } = await loginAs(t);
    const replica = new SyncReplica(t, accessToken);
    await replica.drain();
    const [{ id }] = await t.dataSource.query(
      `INSERT INTO notes (user_id, content) VALUES ($1, 'from the runner') RETURNING id`,
      [user.id],
    );
    await eventually(async () => {
      await replica.drain();
      expect(replica.ofType('note').get(id)).toMatchObject({ content: 'from the runner' });
    });
  });

  it('should reject a malformed cursor or limit with 400 naming the field', async () => {
    const { accessToken } = await loginAs(t);
    const client = as(t, accessToken);
    const cursor = expectError(
      await client.get('/api/v1/sync').query({ since: 'not-a-cursor!' }),
      400,
      'VALIDATION_ERROR',
    );
    expect(cursor.details).toEqual([{ field: 'since', message: 'must be a cursor returned by this endpoint' }]);
    for (const limit of ['0', '501', 'ten']) {
      const error = expectError(await client.get('/api/v1/sync').query({ limit }), 400, 'VALIDATION_ERROR');
      expect((error.details as Array<{ field: string }>)[0].field).toBe('limit');
    }
  });

  it('should refuse a cursor older than the tombstone retention with 410 CURSOR_EXPIRED', async () => {
    const { accessToken } = await loginAs(t);
    const old = encodeCursor({ txid: 1n, seq: 1n }, new Date(Date.now() - 90 * DAY_MS));
    expectError(await as(t, accessToken).get('/api/v1/sync').query({ since: old }), 410, 'CURSOR_EXPIRED');
    const recent = encodeCursor({ txid: 1n, seq: 1n }, new Date(Date.now() - 88 * DAY_MS));
    expect((await as(t, accessToken).get('/api/v1/sync').query({ since: recent })).status).toBe(200);
  });

  it('should let sync_change_prune forget tombstones older than 90 days, and only those', async () => {
    const { accessToken, user } = await loginAs(t);
    const old = await post(accessToken, '/api/v1/notes', { content: 'old' });
    const recent = await post(accessToken, '/api/v1/notes', { content: 'recent' });
    await as(t, accessToken).delete(`/api/v1/notes/${old.id as string}`);
    await as(t, accessToken).delete(`/api/v1/notes/${recent.id as string}`);
    await t.dataSource.query(`UPDATE sync_changes SET changed_at = now() - interval '91 days' WHERE entity_id = $1`, [
      old.id,
    ]);
    const tombstones = async (): Promise<number> =>
      (await t.dataSource.query(`SELECT count(*)::int AS n FROM sync_changes WHERE deleted`))[0].n;
    const before = await tombstones();
    const worker = await createTestWorker(t.databaseUrl);
    try {
      const result = await worker.runJob('sync_change_prune', new Date());
      const pruned = before - (await tombstones());
      expect(pruned).toBeGreaterThanOrEqual(1);
      expect(result).toEqual({ status: 'success', result: { tombstones_deleted: pruned } });
    } finally {
      await worker.close();
    }
    const rows = await t.dataSource.query(`SELECT entity_id FROM sync_changes WHERE user_id = $1 AND deleted`, [
      user.id,
    ]);
    expect(rows).toEqual([{ entity_id: recent.id }]);
  });

  it('should require authentication', async () => {
    expectError(await t.http.get('/api/v1/sync'), 401, 'UNAUTHORIZED');
  });
});
