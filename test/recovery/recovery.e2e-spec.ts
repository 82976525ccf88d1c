import { randomUUID } from 'node:crypto';
import { expectError } from '../support/factories';
import type { TestApp } from '../support/test-app';
import { createTestWorker, TestWorker } from '../support/test-worker';
import {
  activity,
  createSubtask,
  createTask,
  createTasksTestApp,
  inDays,
  insertTasks,
  ISO,
  member,
  TASK_KEYS,
  taskRow,
} from '../tasks/task-fixtures';

const DAY = 86_400_000;

async function tombstones(t: TestApp, userId: string): Promise<Array<{ id: string; entity_id: string }>> {
  return t.dataSource.query(`SELECT id, entity_id FROM deletion_tombstones WHERE user_id = $1 ORDER BY deleted_at`, [
    userId,
  ]);
}

describe('Deletion and recovery', () => {
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

  describe('DELETE /tasks/{id}', () => {
    it('should hard-delete the task with its children into a full snapshot tombstone', async () => {
      const alice = await member(t);
      const task = await createTask(alice.api, { due_date: inDays(2), estimated_duration: 60 });
      const subtask = await createSubtask(alice.api, task.id, 'Keep me');
      const reminder = (
        await alice.api.post(`/api/v1/tasks/${task.id}/reminders`).send({ type: 'before', offset_minutes: 30 })
      ).body.data;
      const session = (await alice.api.post('/api/v1/focus/start').send({ task_id: task.id })).body.data;
      await t.dataSource.query(`UPDATE focus_sessions SET started_at = now() - interval '5 minutes' WHERE id = $1`, [
        session.id,
      ]);
      await alice.api.patch(`/api/v1/tasks/${task.id}`).send({ hidden: true, archived: true });

      const response = await alice.api.delete(`/api/v1/tasks/${task.id}`);
      expect(response.status).toBe(200);
      const body = response.body.data;
      expect(body).toEqual({
        id: task.id,
        deleted: true,
        tombstone_id: expect.any(String),
        recoverable_until: expect.stringMatching(ISO),
      });
      await expect(taskRow(t, task.id)).resolves.toBeUndefined();
      for (const table of ['subtasks', 'reminders', 'focus_sessions']) {
        await expect(t.dataSource.query(`SELECT id FROM ${table} WHERE task_id = $1`, [task.id])).resolves.toEqual([]);
      }
      const [tombstone] = await t.dataSource.query(`SELECT * FROM deletion_tombstones WHERE id = $1`, [
        body.tombstone_id,
      ]);
      expect(tombstone.recoverable_until.getTime() - tombstone.deleted_at.getTime()).toBe(7 * DAY);
      expect(tombstone.recoverable_until.toISOString()).toBe(body.recoverable_until);
      expect(tombstone.entity_data.task).toMatchObject({
        id: task.id,
        version: 2,
        hidden: true,
        archived: true,
        stats_counted: false,
        generated_from_task_id: null,
      });
      expect(tombstone.entity_data.task.focus_time_seconds).toBeGreaterThanOrEqual(300);
      expect(tombstone.entity_data.subtasks).toEqual([
        expect.objectContaining({ id: subtask.id, title: 'Keep me', order_index: 0 }),
      ]);
      expect(tombstone.entity_data.reminders).toEqual([
        expect.objectContaining({ id: reminder.id, offset_minutes: 30 }),
      ]);
      const actions = (await activity(t, alice.id)).map((entry) => entry.action);
      expect(actions).toEqual(expect.arrayContaining(['focus_ended', 'task_deleted']));
    });

    it('should keep at most 3 tombstones, dropping the oldest', async () => {
      const alice = await member(t);
      const tasks = [];
      for (let i = 0; i < 4; i++) tasks.push(await createTask(alice.api, { title: `T${i}` }));
      for (const task of tasks) await alice.api.delete(`/api/v1/tasks/${task.id}`);
      const remaining = await tombstones(t, alice.id);
      expect(remaining.map((row) => row.entity_id)).toEqual(tasks.slice(1).map((task) => task.id));
    });

    it("should answer 403 for another user's task and 404 for an unknown one", async () => {
      const alice = await member(t);
      const bob = await member(t);
      const task = await createTask(alice.api);
      expectError(await bob.api.delete(`/api/v1/tasks/${task.id}`), 403, 'FORBIDDEN');
      expectError(await bob.api.delete(`/api/v1/tasks/${randomUUID()}`), 404, 'NOT_FOUND');
      expectError(await bob.api.delete('/api/v1/tasks/xyz'), 400, 'VALIDATION_ERROR');
      await expect(taskRow(t, task.id)).resolves.toBeDefined();
      await alice.api.delete(`/api/v1/tasks/${task.id}`);
      expectError(await alice.api.delete(`/api/v1/tasks/${task.id}`), 404, 'NOT_FOUND');
    });
  });

  describe('GET /tombstones', () => {
    it('should list recoverable tombstones newest first, as TaskDetail without internal columns, on both paths', async () => {
      const alice = await member(t);
      const bob = await member(t);
      const old = await createTask(alice.api, { title: 'Old' });
      const recent = await createTask(alice.api, { title: 'Recent' });
      await createSubtask(alice.api, recent.id, 'Child');
      const expired = await createTask(alice.api, { title: 'Expired' });
      await alice.api.delete(`/api/v1/tasks/${old.id}`);
      await alice.api.delete(`/api/v1/tasks/${expired.id}`);
      await alice.api.delete(`/api/v1/tasks/${recent.id}`);
      await t.dataSource.query(`UPDATE deletion_tombstones SET recoverable_until = now() WHERE entity_id = $1`, [
        expired.id,
      ]);
      await alice.api.delete(`/api/v1/tasks/${(await createTask(bob.api)).id}`);

      const response = await alice.api.get('/api/v1/tombstones');
      expect(response.status).toBe(200);
      expect(Object.keys(response.body)).toEqual(['data']);
      expect(response.body.data.map((item: { title: string }) => item.title)).toEqual(['Recent', 'Old']);
      const [item] = response.body.data;
      expect(Object.keys(item).sort()).toEqual([
        'deleted_at',
        'entity_data',
        'entity_id',
        'entity_type',
        'id',
        'recoverable_until',
        'title',
      ]);
      expect(item).toMatchObject({ entity_type: 'task', entity_id: recent.id, title: 'Recent' });
      expect(Object.keys(item.entity_data).sort()).toEqual([...TASK_KEYS, 'reminders', 'subtasks'].sort());
      expect(item.entity_data).toMatchObject({
        id: recent.id,
        version: 1,
        subtask_count: 1,
        subtask_completed_count: 0,
        created_at: recent.created_at,
      });
      expect(item.entity_data.subtasks).toEqual([expect.objectContaining({ title: 'Child', order_index: 0 })]);
      await expect(alice.api.get('/api/v1/recovery/tombstones')).resolves.toMatchObject({
        status: 200,
        body: response.body,
      });
      await expect(bob.api.get('/api/v1/tombstones')).resolves.toMatchObject({ body: { data: [] } });
    });
  });

  describe('POST /tasks/recover/{tombstone_id}', () => {
    it('should restore the task exactly, without limits, statistics or late reminders', async () => {
      const alice = await member(t);
      const task = await createTask(alice.api, { due_date: inDays(1), priority: 'high' });
      const [a, b] = [await createSubtask(alice.api, task.id, 'A'), await createSubtask(alice.api, task.id, 'B')];
      await alice.api.put(`/api/v1/tasks/${task.id}/subtasks/reorder`).send({ subtask_ids: [b.id, a.id] });
      await alice.api.patch(`/api/v1/subtasks/${a.id}`).send({ completed: true });
      const past = (
        await alice.api
          .post(`/api/v1/tasks/${task.id}/reminders`)
          .send({ type: 'absolute', scheduled_at: new Date(Date.now() + 60_000).toISOString() })
      ).body.data;
      const future = (
        await alice.api.post(`/api/v1/tasks/${task.id}/reminders`).send({ type: 'before', offset_minutes: 60 })
      ).body.data;
      await alice.api.patch(`/api/v1/tasks/${task.id}`).send({ completed: true, hidden: true });
      const before = (await alice.api.get(`/api/v1/tasks/${task.id}`)).body.data;
      const [stateBefore] = await t.dataSource.query(`SELECT * FROM user_achievement_states WHERE user_id = $1`, [
        alice.id,
      ]);

      const deleted = (await alice.api.delete(`/api/v1/tasks/${task.id}`)).body.data;
      await t.dataSource.query(
        `UPDATE deletion_tombstones SET entity_data = jsonb_set(entity_data, '{reminders,0,scheduled_at}', to_jsonb(to_char((now() - interval '1 minute') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))) WHERE id = $1`,
        [deleted.tombstone_id],
      );
      await insertTasks(t, alice.id, 50);

      const response = await alice.api.post(`/api/v1/tasks/recover/${deleted.tombstone_id}`);
      expect(response.status).toBe(200);
      const restored = response.body.data;
      const { reminders: beforeReminders, ...beforeTask } = before;
      const { reminders: restoredReminders, ...restoredTask } = restored;
      expect(restoredTask).toEqual(beforeTask);
      expect(restoredTask.subtasks.map((subtask: { id: string }) => subtask.id)).toEqual([b.id, a.id]);
      expect(restoredReminders.map((reminder: { id: string }) => reminder.id).sort()).toEqual(
        [past.id, future.id].sort(),
      );
      expect(restoredReminders.find((reminder: { id: string }) => reminder.id === past.id)).toMatchObject({
        fired: true,
        skipped: true,
        fired_at: null,
      });
      expect(restoredReminders.find((reminder: { id: string }) => reminder.id === future.id)).toEqual(
        beforeReminders.find((reminder: { id: string }) => reminder.id === future.id),
      );
      await expect(taskRow(t, task.id)).resolves.toMatchObject({ stats_counted: true, version: before.version });
      const [stateAfter] = await t.dataSource.query(`SELECT * FROM user_achievement_states WHERE user_id = $1`, [
        alice.id,
      ]);
      expect(stateAfter).toEqual(stateBefore);
      const entries = await activity(t, alice.id);
      expect(entries.filter((entry) => entry.action === 'task_recovered')).toEqual([
        expect.objectContaining({
          entity_id: task.id,
          source: 'user',
          metadata: { tombstone_id: deleted.tombstone_id },
        }),
      ]);
      expect(entries.filter((entry) => entry.action === 'reminder_skipped')).toEqual([
        expect.objectContaining({ entity_id: past.id, metadata: { task_id: task.id, reason: 'recovered' } }),
      ]);
      await expect(tombstones(t, alice.id)).resolves.toEqual([]);
      expectError(await alice.api.post(`/api/v1/tasks/recover/${deleted.tombstone_id}`), 404, 'NOT_FOUND');
    });

    it('should keep template_id only if the template exists and generated_from_task_id only if free', async () => {
      const alice = await member(t);
      const template = (await alice.api.post('/api/v1/templates').send({ title: 'Daily', rrule: 'FREQ=DAILY' })).body
        .data;
      await alice.api.patch(`/api/v1/tasks/${template.first_instance.id}`).send({ completed: true });
      const [successor] = await t.dataSource.query(`SELECT id FROM task_instances WHERE generated_from_task_id = $1`, [
        template.first_instance.id,
      ]);
      const kept = (await alice.api.delete(`/api/v1/tasks/${successor.id}`)).body.data;
      const recovered = await alice.api.post(`/api/v1/tasks/recover/${kept.tombstone_id}`);
      expect(recovered.body.data.template_id).toBe(template.id);
      await expect(taskRow(t, successor.id)).resolves.toMatchObject({
        generated_from_task_id: template.first_instance.id,
      });

      const again = (await alice.api.delete(`/api/v1/tasks/${successor.id}`)).body.data;
      await t.dataSource.query(`UPDATE task_instances SET generated_from_task_id = $2 WHERE id = $1`, [
        template.first_instance.id,
        template.first_instance.id,
      ]);
      await alice.api.delete(`/api/v1/templates/${template.id}`);
      const orphan = await alice.api.post(`/api/v1/tasks/recover/${again.tombstone_id}`);
      expect(orphan.body.data.template_id).toBeNull();
      await expect(taskRow(t, successor.id)).resolves.toMatchObject({
        generated_from_task_id: null,
        template_id: null,
      });
    });

    it('should answer 409 when the id is taken, 403 for another user, 404 when expired or unknown', async () => {
      const alice = await member(t);
      const bob = await member(t);
      const taken = await createTask(alice.api);
      const takenTombstone = (await alice.api.delete(`/api/v1/tasks/${taken.id}`)).body.data.tombstone_id;
      await t.dataSource.query(`INSERT INTO task_instances (id, user_id, title) VALUES ($1, $2, 'Squatter')`, [
        taken.id,
        alice.id,
      ]);
      expectError(await alice.api.post(`/api/v1/tasks/recover/${takenTombstone}`), 409, 'CONFLICT');

      const mine = await createTask(alice.api);
      const tombstone = (await alice.api.delete(`/api/v1/tasks/${mine.id}`)).body.data.tombstone_id;
      expectError(await bob.api.post(`/api/v1/tasks/recover/${tombstone}`), 403, 'FORBIDDEN');
      expectError(await bob.api.post(`/api/v1/tasks/recover/${randomUUID()}`), 404, 'NOT_FOUND');
      expectError(await bob.api.post('/api/v1/tasks/recover/zzz'), 400, 'VALIDATION_ERROR');
      await t.dataSource.query(
        `UPDATE deletion_tombstones SET recoverable_until = now() - interval '1 second' WHERE id = $1`,
        [tombstone],
      );
      expectError(await alice.api.post(`/api/v1/tasks/recover/${tombstone}`), 404, 'NOT_FOUND');
    });
  });

  describe('tombstone_cleanup', () => {
    it('should purge tombstones whose recovery window ended by the job clock', async () => {
      const alice = await member(t);
      for (let i = 0; i < 2; i++) await alice.api.delete(`/api/v1/tasks/${(await createTask(alice.api)).id}`);
      await t.dataSource.query(
        `UPDATE deletion_tombstones SET recoverable_until = now() - interval '1 day' WHERE user_id = $1`,
        [alice.id],
      );
      const third = (await alice.api.delete(`/api/v1/tasks/${(await createTask(alice.api)).id}`)).body.data;
      const result = await worker.runJob('tombstone_cleanup', new Date());
      expect(result.status).toBe('success');
      expect(result.result?.deleted).toBeGreaterThanOrEqual(2);
      await expect(tombstones(t, alice.id)).resolves.toEqual([{ id: third.tombstone_id, entity_id: third.id }]);
      await worker.runJob('tombstone_cleanup', new Date(new Date(third.recoverable_until).getTime()));
      await expect(tombstones(t, alice.id)).resolves.toEqual([]);
    });
  });
});
