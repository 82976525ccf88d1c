import { randomUUID } from 'node:crypto';
import { commitsOf } from '../support/commits';
import { as, loginAs } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * docs/api.md §1.10 "Exactly once": for a database-only write the key, its fingerprint, the effects
 * and the stored outcome commit in one transaction, so a lost answer can never run twice.
 */
describe('exactly once in the business transaction', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ RATE_LIMIT_GENERAL: '100000' });
  });

  afterAll(async () => {
    await t?.dataSource.query('DROP TRIGGER IF EXISTS idempotency_outcome_fails_once ON idempotency_keys');
    await t?.close();
  });

  const rows = (sql: string, ...params: unknown[]): Promise<Array<Record<string, unknown>>> =>
    t.dataSource.query(sql, params);

  it('should roll back the task when storing the outcome fails and create exactly one on the retry', async () => {
    const { user, accessToken } = await loginAs(t);
    const key = `fails-once-${randomUUID()}`;
    // A sequence is not transactional: the trigger raises on the first completed outcome only.
    await t.dataSource.query(`
      CREATE SEQUENCE IF NOT EXISTS idempotency_outcome_failures;
      CREATE OR REPLACE FUNCTION idempotency_outcome_fails_once() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.key LIKE 'fails-once-%' AND NEW.state = 'completed' AND nextval('idempotency_outcome_failures') = 1 THEN
          RAISE EXCEPTION 'outcome write lost';
        END IF;
        RETURN NEW;
      END $$;
      DROP TRIGGER IF EXISTS idempotency_outcome_fails_once ON idempotency_keys;
      CREATE TRIGGER idempotency_outcome_fails_once BEFORE INSERT OR UPDATE ON idempotency_keys
        FOR EACH ROW EXECUTE FUNCTION idempotency_outcome_fails_once();
    `);
    const post = (): Promise<import('supertest').Response> =>
      t.http
        .post('/api/v1/tasks')
        .set('Authorization', `Bearer ${accessToken}`)
        .set('Idempotency-Key', key)
        .send({ title: 'Once despite a lost outcome' });

    const lost = await post();
    expect(lost.status).toBe(500);
    await expect(rows('SELECT id FROM task_instances WHERE user_id = $1', user.id)).resolves.toEqual([]);
    await expect(rows('SELECT id FROM idempotency_keys WHERE user_id = $1', user.id)).resolves.toEqual([]);

    const retried = await post();
    expect(retried.status).toBe(201);
    expect(retried.body.data).toMatchObject({ title: 'Once despite a lost outcome' });
    const replayed = await post();
    expect(replayed.status).toBe(201);
    expect(replayed.body).toEqual(retried.body);
    // Verbatim: the same bytes, key order included (a jsonb column would reorder the keys).
    expect(replayed.text).toBe(retried.text);
    expect(replayed.headers['x-idempotent-replayed']).toBe('true');
    await expect(rows('SELECT id FROM task_instances WHERE user_id = $1', user.id)).resolves.toEqual([
      { id: retried.body.data.id },
    ]);
  });

  it('should commit one POST /tasks and one PATCH /tasks/:id in exactly one writing transaction each', async () => {
    const { accessToken } = await loginAs(t);
    const api = as(t, accessToken);
    await api.post('/api/v1/tasks').send({ title: 'warm-up' }).expect(201);

    let id = '';
    const create = await commitsOf(t, async () => {
      id = (await api.post('/api/v1/tasks').send({ title: 'Counted' }).expect(201)).body.data.id;
    });
    const patch = await commitsOf(t, () =>
      api.patch(`/api/v1/tasks/${id}`).send({ title: 'Counted again' }).expect(200),
    );

    expect({ create, patch }).toEqual({ create: 1, patch: 1 });
  });

  it('should commit one force-complete in one writing transaction', async () => {
    const { accessToken } = await loginAs(t);
    const api = as(t, accessToken);
    const created = await api.post('/api/v1/tasks').send({ title: 'Forced' }).expect(201);
    const commits = await commitsOf(t, () =>
      api.post(`/api/v1/tasks/${created.body.data.id}/force-complete`).send({}).expect(200),
    );
    expect(commits).toBe(1);
  });

  it('should commit a write of every module in one transaction with its stored outcome', async () => {
    const { user, accessToken } = await loginAs(t);
    const api = as(t, accessToken);
    const dueDate = new Date(Date.now() + 3 * 86_400_000).toISOString();
    const task = (await api.post('/api/v1/tasks').send({ title: 'Host', due_date: dueDate }).expect(201)).body.data;
    const victim = (await api.post('/api/v1/tasks').send({ title: 'To delete' }).expect(201)).body.data;
    const note = (await api.post('/api/v1/notes').send({ content: 'A note' }).expect(201)).body.data;
    let subtaskId = '';
    let tombstoneId = '';
    const writes: Array<[string, () => Promise<unknown>]> = [
      [
        'POST /tasks/:id/subtasks',
        async () => {
          subtaskId = (await api.post(`/api/v1/tasks/${task.id}/subtasks`).send({ title: 'Step' }).expect(201)).body
            .data.id;
        },
      ],
      ['PATCH /subtasks/:id', () => api.patch(`/api/v1/subtasks/${subtaskId}`).send({ title: 'Step 1' }).expect(200)],
      [
        'POST /tasks/:id/reminders',
        () => api.post(`/api/v1/tasks/${task.id}/reminders`).send({ type: 'before', offset_minutes: 30 }).expect(201),
      ],
      ['PATCH /notes/:id', () => api.patch(`/api/v1/notes/${note.id}`).send({ content: 'Edited' }).expect(200)],
      ['DELETE /notes/:id', () => api.delete(`/api/v1/notes/${note.id}`).expect(200)],
      [
        'POST /templates',
        () => api.post('/api/v1/templates').send({ title: 'Daily', rrule: 'FREQ=DAILY' }).expect(201),
      ],
      ['POST /focus/start', () => api.post('/api/v1/focus/start').send({ task_id: task.id }).expect(201)],
      ['POST /focus/end', () => api.post('/api/v1/focus/end').send({ task_id: task.id }).expect(200)],
      ['PATCH /users/me', () => api.patch('/api/v1/users/me').send({ name: 'Renamed' }).expect(200)],
      [
        'POST /tasks/quick-add',
        () => api.post('/api/v1/tasks/quick-add').send({ text: 'Water the plants' }).expect(201),
      ],
      ['POST /calendar-feed', () => api.post('/api/v1/calendar-feed').expect(201)],
      ['POST /users/me/export', () => api.post('/api/v1/users/me/export').expect(202)],
      ['POST /notifications/read-all', () => api.post('/api/v1/notifications/read-all').expect(200)],
      [
        'POST /ai/confirm-action',
        () =>
          api
            .post('/api/v1/ai/confirm-action')
            .send({ action_type: 'create_subtasks', action_data: { task_id: task.id, subtasks: [{ title: 'AI' }] } })
            .expect(200),
      ],
      [
        'DELETE /tasks/:id',
        async () => {
          tombstoneId = (await api.delete(`/api/v1/tasks/${victim.id}`).expect(200)).body.data.tombstone_id;
        },
      ],
      ['POST /tasks/recover/:tombstone_id', () => api.post(`/api/v1/tasks/recover/${tombstoneId}`).expect(200)],
    ];
    const commits: Record<string, number> = {};
    for (const [name, write] of writes) commits[name] = await commitsOf(t, write);
    expect(commits).toEqual(Object.fromEntries(writes.map(([name]) => [name, 1])));
    // Each outcome is stored in that transaction: one completed key per write, none left running.
    const keys = await rows(
      'SELECT state, count(*)::int AS n FROM idempotency_keys WHERE user_id = $1 GROUP BY state',
      user.id,
    );
    expect(keys).toEqual([{ state: 'completed', n: writes.length + 3 }]);
  });

  it('should store a 4xx outcome after its rollback and replay it verbatim', async () => {
    const { accessToken } = await loginAs(t);
    const created = await as(t, accessToken).post('/api/v1/tasks').send({ title: 'Versioned' }).expect(201);
    const key = randomUUID();
    const stale = (): import('supertest').Test =>
      t.http
        .patch(`/api/v1/tasks/${created.body.data.id}`)
        .set('Authorization', `Bearer ${accessToken}`)
        .set('Idempotency-Key', key)
        .send({ title: 'Stale', version: created.body.data.version + 5 });
    const first = await stale().expect(409);
    expect(first.body.error.code).toBe('CONFLICT');
    const again = await stale().expect(409);
    expect(again.text).toBe(first.text);
    expect(again.headers['x-idempotent-replayed']).toBe('true');
    await expect(rows('SELECT title FROM task_instances WHERE id = $1', created.body.data.id)).resolves.toEqual([
      { title: 'Versioned' },
    ]);
  });

  it('should answer 409 IDEMPOTENCY_CONFLICT when the key comes back with another body', async () => {
    const { accessToken } = await loginAs(t);
    const key = randomUUID();
    const send = (title: string): import('supertest').Test =>
      t.http
        .post('/api/v1/tasks')
        .set('Authorization', `Bearer ${accessToken}`)
        .set('Idempotency-Key', key)
        .send({ title });
    await send('first').expect(201);
    const conflict = await send('second').expect(409);
    expect(conflict.body.error.code).toBe('IDEMPOTENCY_CONFLICT');
  });
});
