import { randomUUID } from 'node:crypto';
import { expectError } from '../support/factories';
import type { TestApp } from '../support/test-app';
import { activity, createTask, createTasksTestApp, ISO, member, taskRow } from '../tasks/task-fixtures';

const SESSION_KEYS = [
  'created_at',
  'duration_seconds',
  'ended_at',
  'id',
  'started_at',
  'task_id',
  'updated_at',
  'user_id',
];

async function backdate(t: TestApp, sessionId: string, seconds: number): Promise<void> {
  await t.dataSource.query(`UPDATE focus_sessions SET started_at = now() - $2 * interval '1 second' WHERE id = $1`, [
    sessionId,
    seconds,
  ]);
}

describe('Focus mode', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTasksTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  it('should start a session (201), return it again on the same task (200) and report it as active', async () => {
    const alice = await member(t);
    const task = await createTask(alice.api);
    await expect(alice.api.get('/api/v1/focus/active')).resolves.toMatchObject({ status: 200, body: { data: null } });
    const started = await alice.api.post('/api/v1/focus/start').send({ task_id: task.id });
    expect(started.status).toBe(201);
    expect(Object.keys(started.body.data).sort()).toEqual(SESSION_KEYS);
    expect(started.body.data).toEqual({
      id: expect.any(String),
      user_id: alice.id,
      task_id: task.id,
      started_at: expect.stringMatching(ISO),
      ended_at: null,
      duration_seconds: null,
      created_at: started.body.data.started_at,
      updated_at: started.body.data.started_at,
    });
    const again = await alice.api.post('/api/v1/focus/start').send({ task_id: task.id });
    expect(again.status).toBe(200);
    expect(again.body.data).toEqual(started.body.data);
    await expect(alice.api.get('/api/v1/focus/active')).resolves.toMatchObject({ body: { data: started.body.data } });
  });

  it('should end the previous session when starting on another task and credit its time', async () => {
    const alice = await member(t);
    const first = await createTask(alice.api, { title: 'First' });
    const second = await createTask(alice.api, { title: 'Second' });
    const one = (await alice.api.post('/api/v1/focus/start').send({ task_id: first.id })).body.data;
    await backdate(t, one.id, 120);
    const two = await alice.api.post('/api/v1/focus/start').send({ task_id: second.id });
    expect(two.status).toBe(201);
    const [ended] = await t.dataSource.query(`SELECT ended_at, duration_seconds FROM focus_sessions WHERE id = $1`, [
      one.id,
    ]);
    expect(ended.duration_seconds).toBeGreaterThanOrEqual(120);
    await expect(taskRow(t, first.id)).resolves.toMatchObject({
      focus_time_seconds: ended.duration_seconds,
      version: 1,
    });
    const [{ count }] = await t.dataSource.query(
      `SELECT count(*)::int AS count FROM focus_sessions WHERE user_id = $1 AND ended_at IS NULL`,
      [alice.id],
    );
    expect(count).toBe(1);
    expect(
      (await activity(t, alice.id))
        .filter((entry) => entry.entity_type === 'focus_session')
        .map((entry) => entry.action),
    ).toEqual(['focus_started', 'focus_ended', 'focus_started']);
  });

  it('should end by task_id or session_id, cap a session at 12 hours and add to the task total', async () => {
    const alice = await member(t);
    const task = await createTask(alice.api);
    await t.dataSource.query(`UPDATE task_instances SET focus_time_seconds = 100 WHERE id = $1`, [task.id]);
    const session = (await alice.api.post('/api/v1/focus/start').send({ task_id: task.id })).body.data;
    await backdate(t, session.id, 50_000);
    const ended = await alice.api.post('/api/v1/focus/end').send({ task_id: task.id });
    expect(ended.status).toBe(200);
    expect(ended.body.data).toMatchObject({
      id: session.id,
      duration_seconds: 43_200,
      focus_time_seconds: 43_300,
      ended_at: expect.stringMatching(ISO),
    });
    expect(Object.keys(ended.body.data).sort()).toEqual([...SESSION_KEYS, 'focus_time_seconds'].sort());

    const next = (await alice.api.post('/api/v1/focus/start').send({ task_id: task.id })).body.data;
    await backdate(t, next.id, 30);
    const bySession = await alice.api.post('/api/v1/focus/end').send({ session_id: next.id });
    expect(bySession.body.data.duration_seconds).toBeGreaterThanOrEqual(30);
    await expect(taskRow(t, task.id)).resolves.toMatchObject({
      focus_time_seconds: 43_300 + bySession.body.data.duration_seconds,
      version: 1,
    });
    expectError(await alice.api.post('/api/v1/focus/end').send({ session_id: next.id }), 404, 'NOT_FOUND');
    expectError(await alice.api.post('/api/v1/focus/end').send({ task_id: task.id }), 404, 'NOT_FOUND');
  });

  it('should end a session whatever the task state (archiving does not end it)', async () => {
    const alice = await member(t);
    const task = await createTask(alice.api);
    await alice.api.post('/api/v1/focus/start').send({ task_id: task.id });
    await alice.api.patch(`/api/v1/tasks/${task.id}`).send({ archived: true, hidden: true });
    expect((await alice.api.get('/api/v1/focus/active')).body.data).not.toBeNull();
    await expect(alice.api.post('/api/v1/focus/end').send({ task_id: task.id })).resolves.toMatchObject({
      status: 200,
    });
  });

  it('should refuse completed (CONFLICT) and archived (ARCHIVED, also when completed) tasks', async () => {
    const alice = await member(t);
    const done = await createTask(alice.api);
    await alice.api.patch(`/api/v1/tasks/${done.id}`).send({ completed: true });
    expectError(await alice.api.post('/api/v1/focus/start').send({ task_id: done.id }), 409, 'CONFLICT');
    await alice.api.patch(`/api/v1/tasks/${done.id}`).send({ archived: true });
    expectError(await alice.api.post('/api/v1/focus/start').send({ task_id: done.id }), 409, 'ARCHIVED');
    const archived = await createTask(alice.api);
    await alice.api.patch(`/api/v1/tasks/${archived.id}`).send({ archived: true });
    expectError(await alice.api.post('/api/v1/focus/start').send({ task_id: archived.id }), 409, 'ARCHIVED');
  });

  it("should validate bodies and protect other users' tasks and sessions", async () => {
    const alice = await member(t);
    const bob = await member(t);
    const task = await createTask(alice.api);
    const session = (await alice.api.post('/api/v1/focus/start').send({ task_id: task.id })).body.data;
    expectError(await bob.api.post('/api/v1/focus/start').send({ task_id: task.id }), 403, 'FORBIDDEN');
    expectError(await bob.api.post('/api/v1/focus/start').send({ task_id: randomUUID() }), 404, 'NOT_FOUND');
    expectError(await bob.api.post('/api/v1/focus/start').send({}), 400, 'VALIDATION_ERROR');
    expectError(await bob.api.post('/api/v1/focus/end').send({ task_id: task.id }), 403, 'FORBIDDEN');
    expectError(await bob.api.post('/api/v1/focus/end').send({ session_id: session.id }), 403, 'FORBIDDEN');
    expectError(await bob.api.post('/api/v1/focus/end').send({ session_id: randomUUID() }), 404, 'NOT_FOUND');
    const none = await bob.api.post('/api/v1/focus/end').send({});
    expectError(none, 400, 'VALIDATION_ERROR');
    expect(none.body.error.details[0].field).toBe('task_id');
    const both = await alice.api.post('/api/v1/focus/end').send({ task_id: task.id, session_id: session.id });
    expectError(both, 400, 'VALIDATION_ERROR');
    expect(both.body.error.details[0].field).toBe('session_id');
    expectError(await alice.api.post('/api/v1/focus/end').send({ session_id: 'abc' }), 400, 'VALIDATION_ERROR');
    await expect(bob.api.get('/api/v1/focus/active')).resolves.toMatchObject({ body: { data: null } });
  });

  it('should keep one active session under concurrent starts', async () => {
    const alice = await member(t);
    const tasks = await Promise.all([1, 2, 3, 4].map((n) => createTask(alice.api, { title: `T${n}` })));
    const responses = await Promise.all(
      tasks.map((task) => alice.api.post('/api/v1/focus/start').send({ task_id: task.id })),
    );
    expect(responses.every((response) => response.status === 201)).toBe(true);
    const [{ count }] = await t.dataSource.query(
      `SELECT count(*)::int AS count FROM focus_sessions WHERE user_id = $1 AND ended_at IS NULL`,
      [alice.id],
    );
    expect(count).toBe(1);
  });
});
