import { randomUUID } from 'node:crypto';
import { expectError } from '../support/factories';
import type { TestApp } from '../support/test-app';
import { activity, createTask, createTasksTestApp, inDays, member, TASK_KEYS, taskRow } from './task-fixtures';

describe('Tasks: PATCH and the deprecated PUT', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTasksTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  describe('optimistic locking', () => {
    it('should apply without a version (last write wins) and increment the version every time', async () => {
      const alice = await member(t);
      const task = await createTask(alice.api);
      const first = await alice.api.patch(`/api/v1/tasks/${task.id}`).send({ title: 'Renamed' });
      expect(first.status).toBe(200);
      expect(Object.keys(first.body.data).sort()).toEqual([...TASK_KEYS, 'unlocked_achievements'].sort());
      expect(first.body.data).toMatchObject({ title: 'Renamed', version: 2, unlocked_achievements: [] });
      expect(first.body.data.updated_at > task.updated_at).toBe(true);
      const second = await alice.api.patch(`/api/v1/tasks/${task.id}`).send({ version: 2, priority: 'high' });
      expect(second.body.data).toMatchObject({ priority: 'high', version: 3 });
      await expect(taskRow(t, task.id)).resolves.toMatchObject({ title: 'Renamed', priority: 'high', version: 3 });
    });

    it('should answer 409 CONFLICT with current_version, the version detail and the current task', async () => {
      const alice = await member(t);
      const task = await createTask(alice.api);
      await alice.api.patch(`/api/v1/tasks/${task.id}`).send({ title: 'Theirs' });
      const stale = await alice.api.patch(`/api/v1/tasks/${task.id}`).send({ version: 1, title: 'Mine' });
      const error = expectError(stale, 409, 'CONFLICT');
      expect(error.current_version).toBe(2);
      expect(error.details).toEqual([{ field: 'version', message: expect.any(String), current_version: 2 }]);
      expect(error.current).toMatchObject({ id: task.id, title: 'Theirs', version: 2, subtask_count: 0 });
      expect(Object.keys(error.current as object).sort()).toEqual(TASK_KEYS);
      await expect(taskRow(t, task.id)).resolves.toMatchObject({ title: 'Theirs', version: 2 });
    });

    it('should let exactly one of several concurrent same-version PATCHes win', async () => {
      const alice = await member(t);
      const task = await createTask(alice.api);
      const responses = await Promise.all(
        ['a', 'b', 'c', 'd', 'e'].map((title) =>
          alice.api.patch(`/api/v1/tasks/${task.id}`).send({ version: 1, title }),
        ),
      );
      const statuses = responses.map((response) => response.status).sort();
      expect(statuses).toEqual([200, 409, 409, 409, 409]);
      const winner = responses.find((response) => response.status === 200)!;
      await expect(taskRow(t, task.id)).resolves.toMatchObject({ title: winner.body.data.title, version: 2 });
    });

    it('should check a stale version before the archived state', async () => {
      const alice = await member(t);
      const task = await createTask(alice.api);
      await alice.api.patch(`/api/v1/tasks/${task.id}`).send({ archived: true });
      expectError(await alice.api.patch(`/api/v1/tasks/${task.id}`).send({ version: 1, title: 'x' }), 409, 'CONFLICT');
      expectError(await alice.api.patch(`/api/v1/tasks/${task.id}`).send({ version: 2, title: 'x' }), 409, 'ARCHIVED');
    });
  });

  describe('fields and activity', () => {
    it('should write one task_updated entry with the changed fields', async () => {
      const alice = await member(t);
      const task = await createTask(alice.api, { description: 'old', estimated_duration: 30, due_date: inDays(2) });
      const response = await alice.api.patch(`/api/v1/tasks/${task.id}`).send({
        title: 'Write the report',
        description: null,
        estimated_duration: null,
        due_date: null,
      });
      expect(response.body.data).toMatchObject({
        description: '',
        estimated_duration: null,
        due_date: null,
        version: 2,
      });
      const entries = await activity(t, alice.id, task.id);
      expect(entries.map((entry) => entry.action)).toEqual(['task_created', 'task_updated']);
      expect(entries[1].metadata).toEqual({ changed_fields: ['description', 'due_date', 'estimated_duration'] });
    });

    it('should write a lone task_updated with empty changed_fields when only the version changes', async () => {
      const alice = await member(t);
      const task = await createTask(alice.api);
      const response = await alice.api
        .patch(`/api/v1/tasks/${task.id}`)
        .set('Content-Type', 'application/json')
        .send('');
      expect(response.status).toBe(200);
      expect(response.body.data.version).toBe(2);
      const entries = await activity(t, alice.id, task.id);
      expect(entries.slice(1)).toEqual([
        {
          entity_type: 'task',
          entity_id: task.id,
          action: 'task_updated',
          source: 'user',
          metadata: { changed_fields: [] },
        },
      ]);
    });

    it('should write one entry per flag change and no task_updated when only flags change', async () => {
      const alice = await member(t);
      const task = await createTask(alice.api);
      await alice.api.patch(`/api/v1/tasks/${task.id}`).send({ completed: true, hidden: true, archived: true });
      await alice.api.patch(`/api/v1/tasks/${task.id}`).send({ archived: false, completed: false, hidden: false });
      const actions = (await activity(t, alice.id, task.id)).map((entry) => entry.action);
      expect(actions.slice(1).sort()).toEqual(
        ['task_archived', 'task_completed', 'task_hidden', 'task_reopened', 'task_unarchived', 'task_unhidden'].sort(),
      );
      await expect(taskRow(t, task.id)).resolves.toMatchObject({
        version: 3,
        completed: false,
        hidden: false,
        archived: false,
      });
    });

    it.each([
      [{ title: null }, 'title'],
      [{ title: '' }, 'title'],
      [{ priority: null }, 'priority'],
      [{ completed: null }, 'completed'],
      [{ hidden: 'yes' }, 'hidden'],
      [{ archived: null }, 'archived'],
      [{ version: null }, 'version'],
      [{ version: 0 }, 'version'],
      [{ estimated_duration: 721 }, 'estimated_duration'],
    ])('should refuse %j with 400', async (body, field) => {
      const alice = await member(t);
      const task = await createTask(alice.api);
      const response = await alice.api.patch(`/api/v1/tasks/${task.id}`).send(body);
      expectError(response, 400, 'VALIDATION_ERROR');
      expect(response.body.error.details[0].field).toBe(field);
      await expect(taskRow(t, task.id)).resolves.toMatchObject({ version: 1 });
    });

    it('should check the due date against created_at + 30 days only when it changes', async () => {
      const alice = await member(t);
      const task = await createTask(alice.api);
      await t.dataSource.query(`UPDATE task_instances SET created_at = now() - interval '20 days' WHERE id = $1`, [
        task.id,
      ]);
      const late = await alice.api.patch(`/api/v1/tasks/${task.id}`).send({ due_date: inDays(11) });
      expectError(late, 400, 'VALIDATION_ERROR');
      expect(late.body.error.details).toEqual([{ field: 'due_date', message: expect.any(String) }]);
      await expect(alice.api.patch(`/api/v1/tasks/${task.id}`).send({ due_date: inDays(9) })).resolves.toMatchObject({
        status: 200,
      });

      const stored = inDays(25);
      await t.dataSource.query(`UPDATE task_instances SET due_date = $2 WHERE id = $1`, [task.id, stored]);
      const same = await alice.api.patch(`/api/v1/tasks/${task.id}`).send({ due_date: stored, title: 'Same due date' });
      expect(same.status).toBe(200);
    });

    it('should exempt template instances from the 30-day rule', async () => {
      const alice = await member(t);
      const template = await alice.api.post('/api/v1/templates').send({ title: 'Weekly', rrule: 'FREQ=WEEKLY' });
      const instance = template.body.data.first_instance;
      const response = await alice.api.patch(`/api/v1/tasks/${instance.id}`).send({ due_date: inDays(90) });
      expect(response.status).toBe(200);
    });

    it('should re-check the description limit only for a changed value', async () => {
      const alice = await member(t);
      const task = await createTask(alice.api);
      const long = 'a'.repeat(1500);
      await t.dataSource.query(`UPDATE task_instances SET description = $2 WHERE id = $1`, [task.id, long]);
      await expect(
        alice.api.patch(`/api/v1/tasks/${task.id}`).send({ description: long, title: 'Kept' }),
      ).resolves.toMatchObject({
        status: 200,
      });
      const changed = await alice.api.patch(`/api/v1/tasks/${task.id}`).send({ description: 'b'.repeat(1001) });
      expectError(changed, 400, 'VALIDATION_ERROR');
      expect(changed.body.error.details[0].field).toBe('description');
    });
  });

  describe('completion through PATCH', () => {
    it('should complete manually, re-open, and change nothing but the version on a completed task', async () => {
      const alice = await member(t);
      const task = await createTask(alice.api);
      const done = await alice.api.patch(`/api/v1/tasks/${task.id}`).send({ completed: true });
      expect(done.body.data).toMatchObject({
        completed: true,
        completed_by: 'manual',
        version: 2,
        unlocked_achievements: [],
      });
      expect(done.body.data.completed_at).toBe(done.body.data.updated_at);
      const again = await alice.api.patch(`/api/v1/tasks/${task.id}`).send({ completed: true });
      expect(again.body.data).toMatchObject({ completed_at: done.body.data.completed_at, version: 3 });
      const reopened = await alice.api.patch(`/api/v1/tasks/${task.id}`).send({ completed: false });
      expect(reopened.body.data).toMatchObject({
        completed: false,
        completed_at: null,
        completed_by: null,
        version: 4,
      });
      await expect(taskRow(t, task.id)).resolves.toMatchObject({ stats_counted: true });
      await alice.api.patch(`/api/v1/tasks/${task.id}`).send({ completed: true });
      const completions = (await activity(t, alice.id, task.id)).filter((entry) => entry.action === 'task_completed');
      expect(completions.map((entry) => entry.metadata.counted)).toEqual([true, false]);
    });
  });

  describe('archived tasks', () => {
    async function archivedTask(): Promise<{
      api: Awaited<ReturnType<typeof member>>['api'];
      id: string;
      userId: string;
    }> {
      const alice = await member(t);
      const task = await createTask(alice.api);
      await alice.api.patch(`/api/v1/tasks/${task.id}`).send({ archived: true });
      return { api: alice.api, id: task.id, userId: alice.id };
    }

    it.each([{ title: 'x' }, { completed: true }, { due_date: null }, { priority: 'low', hidden: true }])(
      'should refuse %j with 409 ARCHIVED',
      async (body) => {
        const { api, id } = await archivedTask();
        expectError(await api.patch(`/api/v1/tasks/${id}`).send(body), 409, 'ARCHIVED');
        await expect(taskRow(t, id)).resolves.toMatchObject({ version: 2, archived: true, hidden: false });
      },
    );

    it('should allow hiding, a no-op archived:true and the version alone', async () => {
      const { api, id } = await archivedTask();
      await expect(api.patch(`/api/v1/tasks/${id}`).send({ hidden: true, version: 2 })).resolves.toMatchObject({
        status: 200,
      });
      const noop = await api.patch(`/api/v1/tasks/${id}`).send({ archived: true });
      expect(noop.body.data).toMatchObject({ archived: true, hidden: true, version: 4 });
    });

    it('should un-archive first, then apply the other fields', async () => {
      const { api, id } = await archivedTask();
      const response = await api.patch(`/api/v1/tasks/${id}`).send({ archived: false, title: 'Back', completed: true });
      expect(response.body.data).toMatchObject({ archived: false, title: 'Back', completed: true, version: 3 });
    });
  });

  describe('PUT /api/v1/tasks/{id} (deprecated)', () => {
    it('should behave like PATCH and carry Deprecation, Sunset and Link headers', async () => {
      const alice = await member(t);
      const task = await createTask(alice.api);
      const response = await alice.api.put(`/api/v1/tasks/${task.id}`).send({ title: 'Via PUT' });
      expect(response.status).toBe(200);
      expect(response.body.data).toMatchObject({ title: 'Via PUT', version: 2, unlocked_achievements: [] });
      expect(response.headers.deprecation).toBe('@1772323200');
      expect(response.headers.sunset).toBe('Mon, 01 Mar 2027 00:00:00 GMT');
      expect(response.headers.link).toBe(`</api/v1/tasks/${task.id}>; rel="successor-version"`);
      const missing = await alice.api.put(`/api/v1/tasks/${randomUUID()}`).send({ title: 'x' });
      expectError(missing, 404, 'NOT_FOUND');
      expect(missing.headers.deprecation).toBe('@1772323200');
      expectError(await alice.api.put(`/api/v1/tasks/${task.id}`).send({ version: 1 }), 409, 'CONFLICT');
      expect((await alice.api.patch(`/api/v1/tasks/${task.id}`).send({})).headers.deprecation).toBeUndefined();
    });
  });

  describe('ownership', () => {
    it("should answer 403 for another user's task and 404 for an unknown one on PATCH and PUT", async () => {
      const alice = await member(t);
      const bob = await member(t);
      const task = await createTask(alice.api);
      for (const method of ['patch', 'put'] as const) {
        expectError(await bob.api[method](`/api/v1/tasks/${task.id}`).send({ title: 'Hijack' }), 403, 'FORBIDDEN');
        expectError(await bob.api[method](`/api/v1/tasks/${randomUUID()}`).send({ title: 'x' }), 404, 'NOT_FOUND');
        expectError(await bob.api[method]('/api/v1/tasks/123').send({ title: 'x' }), 400, 'VALIDATION_ERROR');
      }
      await expect(taskRow(t, task.id)).resolves.toMatchObject({ title: 'Write the report', version: 1 });
    });
  });
});
