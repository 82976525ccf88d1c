import { randomUUID } from 'node:crypto';
import { expectError } from '../support/factories';
import type { TestApp } from '../support/test-app';
import { createTask, createTasksTestApp, inDays, insertTasks, ISO, member, TASK_KEYS, taskRow } from './task-fixtures';

describe('Tasks: create, read, list', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTasksTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  describe('POST /api/v1/tasks', () => {
    it('should create a task with defaults and every documented field', async () => {
      const alice = await member(t);
      const response = await alice.api.post('/api/v1/tasks').send({ title: '  Write the report  ' });
      expect(response.status).toBe(201);
      const task = response.body.data;
      expect(Object.keys(task).sort()).toEqual(TASK_KEYS);
      expect(task).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        user_id: alice.id,
        template_id: null,
        title: 'Write the report',
        description: '',
        priority: 'medium',
        due_date: null,
        estimated_duration: null,
        focus_time_seconds: 0,
        completed: false,
        completed_at: null,
        completed_by: null,
        hidden: false,
        archived: false,
        subtask_count: 0,
        subtask_completed_count: 0,
        version: 1,
        created_at: expect.stringMatching(ISO),
        updated_at: task.created_at,
      });
      await expect(taskRow(t, task.id)).resolves.toMatchObject({
        title: 'Write the report',
        stats_counted: false,
        version: 1,
      });
      const [entry] = await t.dataSource.query(
        `SELECT action, source, entity_type, request_id FROM activity_logs WHERE entity_id = $1`,
        [task.id],
      );
      expect(entry).toEqual({
        action: 'task_created',
        source: 'user',
        entity_type: 'task',
        request_id: response.headers['x-request-id'],
      });
    });

    it('should store every optional field and convert offsets to UTC', async () => {
      const alice = await member(t);
      const due = new Date(Date.now() + 86_400_000);
      const local = `${due.toISOString().slice(0, 19)}+02:00`;
      const task = await createTask(alice.api, {
        title: 'Plan',
        description: 'Line one',
        priority: 'high',
        due_date: local,
        estimated_duration: 720,
      });
      expect(task).toMatchObject({
        description: 'Line one',
        priority: 'high',
        due_date: new Date(`${due.toISOString().slice(0, 19)}.000+02:00`).toISOString(),
        estimated_duration: 720,
      });
    });

    it('should treat a null description as empty', async () => {
      const alice = await member(t);
      await expect(createTask(alice.api, { description: null })).resolves.toMatchObject({ description: '' });
    });

    it.each([
      [{ title: '   ' }, 'title'],
      [{ title: 'x'.repeat(201) }, 'title'],
      [{}, 'title'],
      [{ title: 'Valid', priority: 'urgent' }, 'priority'],
      [{ title: 'Valid', priority: null }, 'priority'],
      [{ title: 'Valid', estimated_duration: 0 }, 'estimated_duration'],
      [{ title: 'Valid', estimated_duration: 721 }, 'estimated_duration'],
      [{ title: 'Valid', estimated_duration: 1.5 }, 'estimated_duration'],
      [{ title: 'Valid', due_date: '2026-01-20' }, 'due_date'],
      [{ title: 'Valid', due_date: 'tomorrow' }, 'due_date'],
    ])('should refuse %j with 400 on %s', async (body, field) => {
      const alice = await member(t);
      const response = await alice.api.post('/api/v1/tasks').send(body);
      expectError(response, 400, 'VALIDATION_ERROR');
      expect(response.body.error.details.map((detail: { field: string }) => detail.field)).toContain(field);
      await expect(t.dataSource.query(`SELECT id FROM task_instances WHERE user_id = $1`, [alice.id])).resolves.toEqual(
        [],
      );
    });

    it('should accept 200 title characters and 1–720 minutes at the boundaries', async () => {
      const alice = await member(t);
      await expect(createTask(alice.api, { title: 'é'.repeat(200), estimated_duration: 1 })).resolves.toMatchObject({
        estimated_duration: 1,
      });
    });

    it('should allow a due date exactly 30 days ahead and past dates, but not beyond 30 days', async () => {
      const alice = await member(t);
      await expect(createTask(alice.api, { due_date: inDays(-3) })).resolves.toBeDefined();
      await expect(createTask(alice.api, { due_date: inDays(29.99) })).resolves.toBeDefined();
      const response = await alice.api.post('/api/v1/tasks').send({ title: 'Far', due_date: inDays(30.01) });
      expectError(response, 400, 'VALIDATION_ERROR');
      expect(response.body.error.details).toEqual([{ field: 'due_date', message: expect.any(String) }]);
    });

    it('should apply the description limit of the tier (1000 free, 2000 Pro) in code points', async () => {
      const free = await member(t);
      await expect(createTask(free.api, { description: '😀'.repeat(1000) })).resolves.toBeDefined();
      const over = await free.api.post('/api/v1/tasks').send({ title: 'Long', description: 'a'.repeat(1001) });
      expectError(over, 400, 'VALIDATION_ERROR');
      expect(over.body.error.details[0].field).toBe('description');

      const pro = await member(t, 'pro');
      await expect(createTask(pro.api, { description: 'a'.repeat(2000) })).resolves.toBeDefined();
      expectError(
        await pro.api.post('/api/v1/tasks').send({ title: 'Long', description: 'a'.repeat(2001) }),
        400,
        'VALIDATION_ERROR',
      );
    });

    it('should enforce the active-task limit at the boundary with limit and current', async () => {
      const alice = await member(t);
      await insertTasks(t, alice.id, 48);
      await insertTasks(t, alice.id, 5, { completed: true });
      await insertTasks(t, alice.id, 5, { hidden: true });
      await insertTasks(t, alice.id, 5, { archived: true });
      await createTask(alice.api, { title: 'Forty-nine' });
      await createTask(alice.api, { title: 'Fifty' });
      const refused = await alice.api.post('/api/v1/tasks').send({ title: 'Fifty-one' });
      const error = expectError(refused, 409, 'LIMIT_EXCEEDED');
      expect(error).toMatchObject({ limit: 50, current: 50 });
      const [{ count }] = await t.dataSource.query(
        `SELECT count(*)::int AS count FROM task_instances WHERE user_id = $1`,
        [alice.id],
      );
      expect(count).toBe(65);
    });

    it('should apply the Pro limit of 200 and perks from unlocked achievements', async () => {
      const pro = await member(t, 'pro');
      await insertTasks(t, pro.id, 200);
      expectError(await pro.api.post('/api/v1/tasks').send({ title: 'Over' }), 409, 'LIMIT_EXCEEDED');
      await t.dataSource.query(
        `INSERT INTO user_achievements (user_id, achievement_id, unlocked_at) VALUES ($1, 'tasks_5', now())`,
        [pro.id],
      );
      await expect(createTask(pro.api, { title: 'Perk' })).resolves.toBeDefined();
    });

    it('should never exceed the limit under concurrent creations', async () => {
      const alice = await member(t);
      await insertTasks(t, alice.id, 47);
      const responses = await Promise.all(
        Array.from({ length: 6 }, (_, i) => alice.api.post('/api/v1/tasks').send({ title: `Race ${i}` })),
      );
      expect(responses.map((r) => r.status).sort()).toEqual([201, 201, 201, 409, 409, 409]);
      for (const refused of responses.filter((r) => r.status === 409)) {
        expect(expectError(refused, 409, 'LIMIT_EXCEEDED')).toMatchObject({ limit: 50, current: 50 });
      }
      const stored = await t.dataSource.query(
        `SELECT count(*)::int AS count FROM task_instances WHERE user_id = $1 AND title LIKE 'Race %'`,
        [alice.id],
      );
      expect(stored).toEqual([{ count: 3 }]);
    });
  });

  describe('GET /api/v1/tasks/{id}', () => {
    it('should return the task detail with subtasks and reminders in order', async () => {
      const alice = await member(t);
      const task = await createTask(alice.api, { due_date: inDays(5) });
      await alice.api.post(`/api/v1/tasks/${task.id}/subtasks`).send({ title: 'First' });
      await alice.api.post(`/api/v1/tasks/${task.id}/subtasks`).send({ title: 'Second' });
      await alice.api.post(`/api/v1/tasks/${task.id}/reminders`).send({ type: 'before', offset_minutes: 30 });
      await alice.api.post(`/api/v1/tasks/${task.id}/reminders`).send({ type: 'before', offset_minutes: 120 });
      const response = await alice.api.get(`/api/v1/tasks/${task.id}`);
      expect(response.status).toBe(200);
      const detail = response.body.data;
      expect(Object.keys(detail).sort()).toEqual([...TASK_KEYS, 'reminders', 'subtasks'].sort());
      expect(detail).toMatchObject({ id: task.id, subtask_count: 2, subtask_completed_count: 0 });
      expect(detail.subtasks.map((s: { title: string; order_index: number }) => [s.title, s.order_index])).toEqual([
        ['First', 0],
        ['Second', 1],
      ]);
      expect(detail.reminders.map((r: { offset_minutes: number }) => r.offset_minutes)).toEqual([120, 30]);
    });

    it('should return hidden and archived tasks', async () => {
      const alice = await member(t);
      const task = await createTask(alice.api);
      await alice.api.patch(`/api/v1/tasks/${task.id}`).send({ hidden: true, archived: true });
      const response = await alice.api.get(`/api/v1/tasks/${task.id}`);
      expect(response.body.data).toMatchObject({ hidden: true, archived: true });
    });

    it('should answer 403 for another user, 404 for an unknown id and 400 for a malformed id', async () => {
      const alice = await member(t);
      const bob = await member(t);
      const task = await createTask(alice.api);
      const forbidden = await bob.api.get(`/api/v1/tasks/${task.id}`);
      expectError(forbidden, 403, 'FORBIDDEN');
      expect(JSON.stringify(forbidden.body)).not.toContain('Write the report');
      expectError(await bob.api.get(`/api/v1/tasks/${randomUUID()}`), 404, 'NOT_FOUND');
      expectError(await bob.api.get(`/api/v1/tasks/${task.id.toUpperCase()}`), 403, 'FORBIDDEN');
      const malformed = await bob.api.get('/api/v1/tasks/not-a-uuid');
      expectError(malformed, 400, 'VALIDATION_ERROR');
      expect(malformed.body.error.details[0].field).toBe('id');
    });
  });

  describe('GET /api/v1/tasks', () => {
    it("should list only the caller's visible tasks, newest first, with subtask counts", async () => {
      const alice = await member(t);
      const bob = await member(t);
      await createTask(bob.api, { title: 'Not yours' });
      const first = await createTask(alice.api, { title: 'First' });
      const second = await createTask(alice.api, { title: 'Second' });
      const hidden = await createTask(alice.api, { title: 'Hidden' });
      await alice.api.patch(`/api/v1/tasks/${hidden.id}`).send({ hidden: true });
      await alice.api.post(`/api/v1/tasks/${first.id}/subtasks`).send({ title: 'a' });
      const sub = await alice.api.post(`/api/v1/tasks/${first.id}/subtasks`).send({ title: 'b' });
      await alice.api.patch(`/api/v1/subtasks/${sub.body.data.id}`).send({ completed: true });

      const response = await alice.api.get('/api/v1/tasks');
      expect(response.status).toBe(200);
      expect(response.body.pagination).toEqual({ offset: 0, limit: 25, total: 2, has_more: false });
      expect(response.body.data.map((task: { id: string }) => task.id)).toEqual([second.id, first.id]);
      expect(Object.keys(response.body.data[0]).sort()).toEqual(TASK_KEYS);
      expect(response.body.data[1]).toMatchObject({ subtask_count: 2, subtask_completed_count: 1 });

      const withHidden = await alice.api.get('/api/v1/tasks?hidden=true');
      expect(withHidden.body.data.map((task: { id: string }) => task.id)).toEqual([hidden.id, second.id, first.id]);
    });

    it('should paginate with a stable id tie-break', async () => {
      const alice = await member(t);
      await t.dataSource.query(
        `INSERT INTO task_instances (user_id, title, created_at, updated_at)
         SELECT $1, 'Same time ' || n, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z' FROM generate_series(1, 5) n`,
        [alice.id],
      );
      const ids: string[] = (
        await t.dataSource.query(`SELECT id FROM task_instances WHERE user_id = $1 ORDER BY id DESC`, [alice.id])
      ).map((row: { id: string }) => row.id);
      const page1 = await alice.api.get('/api/v1/tasks?limit=2');
      const page3 = await alice.api.get('/api/v1/tasks?limit=2&offset=4');
      const beyond = await alice.api.get('/api/v1/tasks?limit=2&offset=10');
      expect(page1.body.data.map((task: { id: string }) => task.id)).toEqual(ids.slice(0, 2));
      expect(page1.body.pagination).toEqual({ offset: 0, limit: 2, total: 5, has_more: true });
      expect(page3.body.data.map((task: { id: string }) => task.id)).toEqual(ids.slice(4));
      expect(page3.body.pagination).toEqual({ offset: 4, limit: 2, total: 5, has_more: false });
      expect(beyond.body).toEqual({ data: [], pagination: { offset: 10, limit: 2, total: 5, has_more: false } });
    });

    it('should filter by completion, priority, archived state, template and due window', async () => {
      const alice = await member(t);
      const done = await createTask(alice.api, { title: 'Done', priority: 'low', due_date: inDays(1) });
      await alice.api.patch(`/api/v1/tasks/${done.id}`).send({ completed: true });
      const high = await createTask(alice.api, { title: 'High', priority: 'high', due_date: inDays(3) });
      const archived = await createTask(alice.api, { title: 'Archived', due_date: inDays(10) });
      await alice.api.patch(`/api/v1/tasks/${archived.id}`).send({ archived: true });
      const noDue = await createTask(alice.api, { title: 'No due' });
      const template = await alice.api.post('/api/v1/templates').send({ title: 'Daily', rrule: 'FREQ=DAILY' });
      const instance = template.body.data.first_instance;

      const titles = async (query: string): Promise<string[]> =>
        ((await alice.api.get(`/api/v1/tasks?${query}`)).body.data as Array<{ title: string }>)
          .map((task) => task.title)
          .sort();
      await expect(titles('completed=true')).resolves.toEqual(['Done']);
      await expect(titles('completed=0')).resolves.toEqual(['Archived', 'Daily', 'High', 'No due']);
      await expect(titles('priority=high')).resolves.toEqual(['High']);
      await expect(titles('archived=true')).resolves.toEqual(['Archived']);
      await expect(titles('archived=false')).resolves.toEqual(['Daily', 'Done', 'High', 'No due']);
      await expect(titles(`template_id=${template.body.data.id}`)).resolves.toEqual(['Daily']);
      await expect(titles(`template_id=${randomUUID()}`)).resolves.toEqual([]);
      // The daily instance is due within a day, before "High" (3 days).
      expect(new Date(instance.due_date).getTime()).toBeLessThan(new Date(high.due_date as string).getTime());
      const boundary = encodeURIComponent(high.due_date as string);
      await expect(titles(`due_before=${boundary}`)).resolves.toEqual(['Daily', 'Done', 'High']);
      await expect(titles(`due_after=${boundary}`)).resolves.toEqual(['Archived', 'High']);
      expect(noDue.due_date).toBeNull();
    });

    it.each([
      'completed=yes',
      'priority=urgent',
      'hidden=2',
      'limit=0',
      'limit=101',
      'offset=-1',
      'template_id=abc',
      'due_before=2026-01-01',
    ])('should refuse the query %s with 400', async (query) => {
      const alice = await member(t);
      expectError(await alice.api.get(`/api/v1/tasks?${query}`), 400, 'VALIDATION_ERROR');
    });
  });
});
