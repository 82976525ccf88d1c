import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { Response } from 'supertest';
import { as, expectError, loginAs } from '../support/factories';
import { StatementTrace, TracedStatement } from '../support/statement-trace';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * docs/round-trips.md: the statements and commits of the hot task requests, from a statement trace
 * of each request. The idempotency layer's own statements (the key's lock, its stored outcome) are
 * counted in the total but not named here: docs/api.md §1.10 owns them.
 */
describe('round trips of the hot task requests', () => {
  let t: TestApp;
  let trace: StatementTrace;

  beforeAll(async () => {
    t = await createTestApp({ RATE_LIMIT_GENERAL: '100000' });
    trace = new StatementTrace(t.dataSource);
  });

  afterAll(async () => {
    await t?.close();
  });

  const statementsOf = (response: Response): TracedStatement[] => trace.of(response.headers['x-request-id']);
  const commitsOf = (response: Response): number => trace.commitsOf(response.headers['x-request-id']);
  const isIdempotency = (statement: TracedStatement): boolean =>
    /idempotency_keys|pg_try_advisory_xact_lock/.test(statement.text);
  /** The request's own statements: names of named ones, the first words of the others. */
  const ownStatements = (response: Response): string[] =>
    statementsOf(response)
      .filter((statement) => !isIdempotency(statement))
      .map((statement) => statement.name ?? statement.text.trim().split(/\s+/).slice(0, 2).join(' '));

  async function taskWithChildren(api: ReturnType<typeof as>): Promise<string> {
    const due = new Date(Date.now() + 3 * 86_400_000).toISOString();
    const created = await api.post('/api/v1/tasks').send({ title: 'Hot', due_date: due }).expect(201);
    const id: string = created.body.data.id;
    await api.post(`/api/v1/tasks/${id}/subtasks`).send({ title: 'Child' }).expect(201);
    await api.post(`/api/v1/tasks/${id}/reminders`).send({ type: 'before', offset_minutes: 45 }).expect(201);
    return id;
  }

  it('should answer GET /tasks with one named statement that is also the user check', async () => {
    const { accessToken } = await loginAs(t);
    const api = as(t, accessToken);
    await api.post('/api/v1/tasks').send({ title: 'Listed' }).expect(201);

    const page = await api.get('/api/v1/tasks').expect(200);
    const empty = await api.get('/api/v1/tasks?completed=true').expect(200);

    expect(page.body.data.map((task: { title: string }) => task.title)).toEqual(['Listed']);
    expect(empty.body).toMatchObject({ data: [], pagination: { total: 0 } });
    for (const response of [page, empty]) {
      expect(statementsOf(response)).toHaveLength(1);
      expect(statementsOf(response)[0].name).toMatch(/^task_list_/);
      expect(commitsOf(response)).toBe(0);
    }
  });

  it('should answer GET /tasks/:id with its subtasks and reminders in one named statement', async () => {
    const { accessToken } = await loginAs(t);
    const api = as(t, accessToken);
    const id = await taskWithChildren(api);

    const detail = await api.get(`/api/v1/tasks/${id}`).expect(200);

    expect(detail.body.data).toMatchObject({ id, subtask_count: 1, subtask_completed_count: 0 });
    expect(detail.body.data.subtasks).toEqual([expect.objectContaining({ title: 'Child', task_id: id })]);
    expect(detail.body.data.reminders).toEqual([
      expect.objectContaining({ type: 'before', offset_minutes: 45, task_id: id }),
    ]);
    expect(detail.body.data.reminders[0].scheduled_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(ownStatements(detail)).toEqual(['task_detail_owned']);
    expect(commitsOf(detail)).toBe(0);
  });

  it('should create a task in one commit: user lock, then count, insert and activity entry in one statement', async () => {
    const { user, accessToken } = await loginAs(t);

    const created = await as(t, accessToken).post('/api/v1/tasks').send({ title: 'Counted' }).expect(201);

    expect(ownStatements(created)).toEqual([
      'START TRANSACTION',
      'user_limits_locked',
      'task_insert_if_room',
      'COMMIT',
    ]);
    expect(statementsOf(created).length).toBeLessThanOrEqual(7);
    expect(commitsOf(created)).toBe(1);
    const activity = await t.dataSource.query(
      `SELECT action, entity_id, source, metadata, request_id FROM activity_logs WHERE user_id = $1 AND entity_type = 'task'`,
      [user.id],
    );
    expect(activity).toEqual([
      {
        action: 'task_created',
        entity_id: created.body.data.id,
        source: 'user',
        metadata: { template_id: null },
        request_id: created.headers['x-request-id'],
      },
    ]);
  });

  it('should PATCH a task in one commit: owned lock, then the write returning the row with its activity entry', async () => {
    const { user, accessToken } = await loginAs(t);
    const api = as(t, accessToken);
    const id = await taskWithChildren(api);

    const patched = await api.patch(`/api/v1/tasks/${id}`).send({ title: 'Renamed', priority: 'high' }).expect(200);

    expect(patched.body.data).toMatchObject({ id, title: 'Renamed', priority: 'high', subtask_count: 1 });
    expect(ownStatements(patched)).toEqual(['START TRANSACTION', 'task_lock_owned', 'task_write', 'COMMIT']);
    expect(statementsOf(patched).length).toBeLessThanOrEqual(7);
    expect(commitsOf(patched)).toBe(1);
    const [entry] = await t.dataSource.query(
      `SELECT metadata, request_id FROM activity_logs WHERE user_id = $1 AND action = 'task_updated'`,
      [user.id],
    );
    expect(entry).toEqual({
      metadata: { changed_fields: ['title', 'priority'] },
      request_id: patched.headers['x-request-id'],
    });
  });

  it('should complete a task in one commit without re-reading it', async () => {
    const { accessToken } = await loginAs(t);
    const api = as(t, accessToken);
    const id = await taskWithChildren(api);
    const other = await taskWithChildren(api);

    const completed = await api.patch(`/api/v1/tasks/${id}`).send({ completed: true }).expect(200);
    const forced = await api.post(`/api/v1/tasks/${other}/force-complete`).send({}).expect(200);

    expect(completed.body.data).toMatchObject({ id, completed: true, completed_by: 'manual', subtask_count: 1 });
    expect(forced.body.data.task).toMatchObject({ id: other, completed: true, subtask_completed_count: 1 });
    for (const response of [completed, forced]) {
      const own = ownStatements(response);
      expect(own.slice(0, 2)).toEqual(['START TRANSACTION', 'task_lock_owned']);
      expect(own).toContain('task_write');
      // Neither the task view nor stats_counted is read or written on its own.
      expect(own).not.toContain('task_view');
      expect(statementsOf(response).filter((statement) => /stats_counted" = /.test(statement.text))).toEqual([]);
      expect(commitsOf(response)).toBe(1);
    }
    expect(ownStatements(forced)).toContain('task_detail');
    expect(statementsOf(completed).length).toBeLessThanOrEqual(13);
    // Force-complete also completes the subtask and writes its activity entry.
    expect(statementsOf(forced).length).toBeLessThanOrEqual(16);
  });

  it('should keep answering on prepared connections after a migration adds a column to the task tables', async () => {
    const { accessToken } = await loginAs(t);
    const api = as(t, accessToken);
    const id = await taskWithChildren(api);
    // Prepare every hot statement on the pool's connections first.
    for (let round = 0; round < 3; round++) {
      await api.get('/api/v1/tasks').expect(200);
      await api.get(`/api/v1/tasks/${id}`).expect(200);
      await api
        .patch(`/api/v1/tasks/${id}`)
        .send({ title: `Round ${round}` })
        .expect(200);
    }
    await t.dataSource.query('ALTER TABLE task_instances ADD COLUMN round_trips_probe int');
    await t.dataSource.query('ALTER TABLE subtasks ADD COLUMN round_trips_probe int');
    try {
      for (let round = 0; round < 3; round++) {
        await api.get('/api/v1/tasks').expect(200);
        const detail = await api.get(`/api/v1/tasks/${id}`).expect(200);
        expect(detail.body.data.subtasks[0]).not.toHaveProperty('round_trips_probe');
        await api
          .patch(`/api/v1/tasks/${id}`)
          .send({ title: `After ${round}` })
          .expect(200);
        await api
          .post('/api/v1/tasks')
          .send({ title: `Added ${round}` })
          .expect(201);
      }
    } finally {
      await t.dataSource.query('ALTER TABLE task_instances DROP COLUMN round_trips_probe');
      await t.dataSource.query('ALTER TABLE subtasks DROP COLUMN round_trips_probe');
    }
  });

  it('should check the bearer token of other routes with one named statement', async () => {
    const { accessToken } = await loginAs(t);

    const me = await as(t, accessToken).get('/api/v1/users/me').expect(200);

    expect(statementsOf(me)[0]).toEqual({ name: 'user_identity', text: 'SELECT id, email FROM users WHERE id = $1' });
  });

  it('should answer 401 on every route that checks the user in its own statement once the user is gone', async () => {
    const owner = await loginAs(t);
    const id = await taskWithChildren(as(t, owner.accessToken));
    await t.dataSource.query('DELETE FROM users WHERE id = $1', [owner.user.id]);
    const api = as(t, owner.accessToken);

    const answers = [
      await api.get('/api/v1/tasks'),
      await api.get(`/api/v1/tasks/${id}`),
      await api.post('/api/v1/tasks').send({ title: 'Orphan' }),
      await api.patch(`/api/v1/tasks/${id}`).send({ title: 'Orphan' }),
      await api.put(`/api/v1/tasks/${id}`).send({ title: 'Orphan' }),
      await api.post(`/api/v1/tasks/${id}/force-complete`).send({}),
    ];

    for (const answer of answers) {
      const error = expectError(answer, 401, 'UNAUTHORIZED');
      expect(error.message).toBe('The user of this access token no longer exists');
      expect(answer.headers['www-authenticate']).toBe('Bearer');
    }
    await expect(
      t.dataSource.query('SELECT count(*)::int AS n FROM task_instances WHERE user_id = $1', [owner.user.id]),
    ).resolves.toEqual([{ n: 0 }]);
  });

  it('should keep 404 for an unknown task and 403 for another user’s on the owned lock', async () => {
    const { accessToken } = await loginAs(t);
    const other = await loginAs(t);
    const foreign = await taskWithChildren(as(t, other.accessToken));
    const api = as(t, accessToken);

    expectError(await api.patch(`/api/v1/tasks/${randomUUID()}`).send({ title: 'x' }), 404, 'NOT_FOUND');
    expectError(await api.patch(`/api/v1/tasks/${foreign}`).send({ title: 'x' }), 403, 'FORBIDDEN');
    expectError(await api.get(`/api/v1/tasks/${foreign}`), 403, 'FORBIDDEN');
    expectError(await api.get(`/api/v1/tasks/${randomUUID()}`), 404, 'NOT_FOUND');
  });

  it('should never lock another user’s task: a held lock does not delay their 403', async () => {
    const owner = await loginAs(t);
    const intruder = await loginAs(t);
    const id = await taskWithChildren(as(t, owner.accessToken));
    const holder = new Client({ connectionString: t.databaseUrl });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT id FROM task_instances WHERE id = $1 FOR UPDATE', [id]);
      const api = as(t, intruder.accessToken);

      // Blocked behind the owner's lock, these would time out instead of answering.
      const patched = await api.patch(`/api/v1/tasks/${id}`).timeout(5000).send({ title: 'Mine now' });
      const forced = await api.post(`/api/v1/tasks/${id}/force-complete`).timeout(5000).send({});
      const subtask = await api.post(`/api/v1/tasks/${id}/subtasks`).timeout(5000).send({ title: 'Sneaky' });

      expectError(patched, 403, 'FORBIDDEN');
      expectError(forced, 403, 'FORBIDDEN');
      expectError(subtask, 403, 'FORBIDDEN');
      const waiting = await holder.query(
        `SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted AND relation = 'task_instances'::regclass`,
      );
      expect(waiting.rows).toEqual([{ n: 0 }]);
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
    const [task] = await t.dataSource.query('SELECT title, completed FROM task_instances WHERE id = $1', [id]);
    expect(task).toEqual({ title: 'Hot', completed: false });
  });
});
