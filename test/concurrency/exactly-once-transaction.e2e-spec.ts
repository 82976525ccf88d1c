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

  it('should run a write of every module in one commit with its stored outcome, replay it and guard its key', async () => {
    const { user, accessToken } = await loginAs(t);
    const api = as(t, accessToken);
    const dueDate = new Date(Date.now() + 3 * 86_400_000).toISOString();
    const task = (await api.post('/api/v1/tasks').send({ title: 'Host', due_date: dueDate }).expect(201)).body.data;
    const victim = (await api.post('/api/v1/tasks').send({ title: 'To delete' }).expect(201)).body.data;
    const note = (await api.post('/api/v1/notes').send({ content: 'A note' }).expect(201)).body.data;
    const answers: Record<string, import('supertest').Response> = {};
    type Method = 'post' | 'patch' | 'delete';
    const writes: Array<{ name: string; method: Method; path: () => string; body?: object; status: number }> = [
      {
        name: 'subtask',
        method: 'post',
        path: () => `/api/v1/tasks/${task.id}/subtasks`,
        body: { title: 'S' },
        status: 201,
      },
      {
        name: 'subtask edit',
        method: 'patch',
        path: () => `/api/v1/subtasks/${answers.subtask.body.data.id}`,
        body: { title: 'S1' },
        status: 200,
      },
      {
        name: 'reminder',
        method: 'post',
        path: () => `/api/v1/tasks/${task.id}/reminders`,
        body: { type: 'before', offset_minutes: 30 },
        status: 201,
      },
      {
        name: 'note edit',
        method: 'patch',
        path: () => `/api/v1/notes/${note.id}`,
        body: { content: 'E' },
        status: 200,
      },
      { name: 'note delete', method: 'delete', path: () => `/api/v1/notes/${note.id}`, status: 200 },
      {
        name: 'template',
        method: 'post',
        path: () => '/api/v1/templates',
        body: { title: 'Daily', rrule: 'FREQ=DAILY' },
        status: 201,
      },
      {
        name: 'focus start',
        method: 'post',
        path: () => '/api/v1/focus/start',
        body: { task_id: task.id },
        status: 201,
      },
      { name: 'focus end', method: 'post', path: () => '/api/v1/focus/end', body: { task_id: task.id }, status: 200 },
      { name: 'profile', method: 'patch', path: () => '/api/v1/users/me', body: { name: 'Renamed' }, status: 200 },
      {
        name: 'quick add',
        method: 'post',
        path: () => '/api/v1/tasks/quick-add',
        body: { text: 'Water the plants' },
        status: 201,
      },
      { name: 'calendar feed', method: 'post', path: () => '/api/v1/calendar-feed', status: 201 },
      { name: 'export', method: 'post', path: () => '/api/v1/users/me/export', status: 202 },
      { name: 'notifications', method: 'post', path: () => '/api/v1/notifications/read-all', status: 200 },
      {
        name: 'ai confirm',
        method: 'post',
        path: () => '/api/v1/ai/confirm-action',
        body: { action_type: 'create_subtasks', action_data: { task_id: task.id, subtasks: [{ title: 'AI' }] } },
        status: 200,
      },
      { name: 'task delete', method: 'delete', path: () => `/api/v1/tasks/${victim.id}`, status: 200 },
      {
        name: 'recover',
        method: 'post',
        path: () => `/api/v1/tasks/recover/${answers['task delete'].body.data.tombstone_id}`,
        status: 200,
      },
    ];
    const keyed = (
      write: (typeof writes)[number],
      path: string,
      key: string,
      body = write.body,
    ): import('supertest').Test => {
      const request = t.http[write.method](path)
        .set('Authorization', `Bearer ${accessToken}`)
        .set('Idempotency-Key', key);
      return body ? request.send(body) : request;
    };
    const sent = new Map<string, { path: string; key: string }>();
    const commits: Record<string, number> = {};
    for (const write of writes) {
      const request = { path: write.path(), key: randomUUID() };
      sent.set(write.name, request);
      commits[write.name] = await commitsOf(t, async () => {
        answers[write.name] = await keyed(write, request.path, request.key).expect(write.status);
      });
    }
    expect(commits).toEqual(Object.fromEntries(writes.map(({ name }) => [name, 1])));
    // Each outcome was stored in that transaction: one completed key per write, none left running.
    await expect(
      rows('SELECT state, count(*)::int AS n FROM idempotency_keys WHERE user_id = $1 GROUP BY state', user.id),
    ).resolves.toEqual([{ state: 'completed', n: writes.length + 3 }]);

    for (const write of writes) {
      const { path, key } = sent.get(write.name) as { path: string; key: string };
      let replay: import('supertest').Response | undefined;
      expect(await commitsOf(t, async () => (replay = await keyed(write, path, key)))).toBe(0);
      expect({ name: write.name, status: replay?.status, text: replay?.text }).toEqual({
        name: write.name,
        status: write.status,
        text: answers[write.name].text,
      });
      expect(replay?.headers['x-idempotent-replayed']).toBe('true');
      const other = await keyed(write, path, key, { other: true });
      expect({ name: write.name, code: other.body.error?.code }).toEqual({
        name: write.name,
        code: 'IDEMPOTENCY_CONFLICT',
      });
    }
  });

  it('should answer a duplicate at once with 409 IDEMPOTENCY_IN_PROGRESS while the original holds the key', async () => {
    const { user, accessToken } = await loginAs(t);
    const key = randomUUID();
    // The original's transaction holds the key's advisory lock (docs/data-model.md §21) until it ends.
    const original = t.dataSource.createQueryRunner();
    await original.connect();
    await original.startTransaction();
    try {
      await original.query(`SELECT pg_advisory_xact_lock(hashtextextended($1::uuid::text || ':' || $2::text, 0))`, [
        user.id,
        key,
      ]);
      const duplicate = await t.http
        .patch('/api/v1/users/me')
        .set('Authorization', `Bearer ${accessToken}`)
        .set('Idempotency-Key', key)
        .send({ name: 'Twice' });
      expect(duplicate.status).toBe(409);
      expect(duplicate.body.error.code).toBe('IDEMPOTENCY_IN_PROGRESS');
      expect(duplicate.headers['retry-after']).toBe('1');
    } finally {
      await original.rollbackTransaction();
      await original.release();
    }
    await expect(rows('SELECT name FROM users WHERE id = $1', user.id)).resolves.not.toEqual([{ name: 'Twice' }]);
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
