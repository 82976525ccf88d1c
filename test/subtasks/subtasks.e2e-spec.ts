import { randomUUID } from 'node:crypto';
import { expectError } from '../support/factories';
import type { TestApp } from '../support/test-app';
import { activity, createSubtask, createTask, createTasksTestApp, ISO, member, taskRow } from '../tasks/task-fixtures';

const SUBTASK_KEYS = [
  'completed',
  'completed_at',
  'created_at',
  'id',
  'order_index',
  'source',
  'task_id',
  'title',
  'updated_at',
];

async function orderOf(t: TestApp, taskId: string): Promise<Array<[string, number]>> {
  const rows: Array<{ title: string; order_index: number }> = await t.dataSource.query(
    `SELECT title, order_index FROM subtasks WHERE task_id = $1 ORDER BY order_index`,
    [taskId],
  );
  return rows.map((row) => [row.title, row.order_index]);
}

describe('Subtasks', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTasksTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  describe('create and list', () => {
    it('should append at the next order_index with source user and list by order', async () => {
      const alice = await member(t);
      const task = await createTask(alice.api);
      const response = await alice.api.post(`/api/v1/tasks/${task.id}/subtasks`).send({ title: '  Outline ' });
      expect(response.status).toBe(201);
      expect(Object.keys(response.body.data).sort()).toEqual(SUBTASK_KEYS);
      expect(response.body.data).toEqual({
        id: expect.any(String),
        task_id: task.id,
        title: 'Outline',
        completed: false,
        completed_at: null,
        order_index: 0,
        source: 'user',
        created_at: expect.stringMatching(ISO),
        updated_at: response.body.data.created_at,
      });
      await createSubtask(alice.api, task.id, 'Draft');
      const list = await alice.api.get(`/api/v1/tasks/${task.id}/subtasks`);
      expect(list.body).toEqual({
        data: [
          expect.objectContaining({ title: 'Outline', order_index: 0 }),
          expect.objectContaining({ title: 'Draft', order_index: 1 }),
        ],
      });
      await expect(taskRow(t, task.id)).resolves.toMatchObject({ version: 1 });
      const empty = await createTask(alice.api);
      await expect(alice.api.get(`/api/v1/tasks/${empty.id}/subtasks`)).resolves.toMatchObject({
        status: 200,
        body: { data: [] },
      });
    });

    it('should enforce 4 subtasks per task for free and 10 for Pro', async () => {
      const free = await member(t);
      const task = await createTask(free.api);
      for (let i = 0; i < 4; i++) await createSubtask(free.api, task.id, `S${i}`);
      const refused = await free.api.post(`/api/v1/tasks/${task.id}/subtasks`).send({ title: 'Fifth' });
      expect(expectError(refused, 409, 'LIMIT_EXCEEDED')).toMatchObject({ limit: 4, current: 4 });

      const pro = await member(t, 'pro');
      const proTask = await createTask(pro.api);
      for (let i = 0; i < 10; i++) await createSubtask(pro.api, proTask.id, `S${i}`);
      expect(
        expectError(
          await pro.api.post(`/api/v1/tasks/${proTask.id}/subtasks`).send({ title: 'x' }),
          409,
          'LIMIT_EXCEEDED',
        ),
      ).toMatchObject({
        limit: 10,
        current: 10,
      });
    });

    it('should give concurrent creations distinct, gapless positions', async () => {
      const pro = await member(t, 'pro');
      const task = await createTask(pro.api);
      const responses = await Promise.all(
        [1, 2, 3, 4, 5, 6].map((n) => pro.api.post(`/api/v1/tasks/${task.id}/subtasks`).send({ title: `P${n}` })),
      );
      expect(responses.every((response) => response.status === 201)).toBe(true);
      expect((await orderOf(t, task.id)).map(([, index]) => index)).toEqual([0, 1, 2, 3, 4, 5]);
    });

    it('should not re-open a completed task and refuse archived ones', async () => {
      const alice = await member(t);
      const task = await createTask(alice.api);
      await alice.api.patch(`/api/v1/tasks/${task.id}`).send({ completed: true });
      await createSubtask(alice.api, task.id);
      await expect(taskRow(t, task.id)).resolves.toMatchObject({ completed: true });
      await alice.api.patch(`/api/v1/tasks/${task.id}`).send({ archived: true });
      expectError(await alice.api.post(`/api/v1/tasks/${task.id}/subtasks`).send({ title: 'x' }), 409, 'ARCHIVED');
      await expect(alice.api.get(`/api/v1/tasks/${task.id}/subtasks`)).resolves.toMatchObject({ status: 200 });
    });

    it('should validate the title', async () => {
      const alice = await member(t);
      const task = await createTask(alice.api);
      expectError(
        await alice.api.post(`/api/v1/tasks/${task.id}/subtasks`).send({ title: ' ' }),
        400,
        'VALIDATION_ERROR',
      );
      expectError(
        await alice.api.post(`/api/v1/tasks/${task.id}/subtasks`).send({ title: 'x'.repeat(201) }),
        400,
        'VALIDATION_ERROR',
      );
    });
  });

  describe('PATCH and PUT /subtasks/{id}', () => {
    it('should rename, complete (keeping completed_at) and un-complete', async () => {
      const alice = await member(t);
      const task = await createTask(alice.api);
      const subtask = await createSubtask(alice.api, task.id, 'Old');
      await createSubtask(alice.api, task.id, 'Other');
      const renamed = await alice.api.patch(`/api/v1/subtasks/${subtask.id}`).send({ title: 'New' });
      expect(renamed.body.data).toMatchObject({ title: 'New', task_auto_completed: false, unlocked_achievements: [] });
      expect(Object.keys(renamed.body.data).sort()).toEqual(
        [...SUBTASK_KEYS, 'task_auto_completed', 'unlocked_achievements'].sort(),
      );
      const done = await alice.api.put(`/api/v1/subtasks/${subtask.id}`).send({ completed: true });
      expect(done.body.data.completed_at).toMatch(ISO);
      expect(done.headers.deprecation).toBeUndefined();
      const again = await alice.api.patch(`/api/v1/subtasks/${subtask.id}`).send({ completed: true });
      expect(again.body.data.completed_at).toBe(done.body.data.completed_at);
      const undone = await alice.api.patch(`/api/v1/subtasks/${subtask.id}`).send({ completed: false });
      expect(undone.body.data).toMatchObject({ completed: false, completed_at: null });
      await expect(taskRow(t, task.id)).resolves.toMatchObject({ version: 1, completed: false });
    });

    it('should auto-complete the task when the last open subtask completes (source system, version +1)', async () => {
      const alice = await member(t);
      const task = await createTask(alice.api);
      const first = await createSubtask(alice.api, task.id, 'A');
      const second = await createSubtask(alice.api, task.id, 'B');
      await alice.api.patch(`/api/v1/subtasks/${first.id}`).send({ completed: true });
      const last = await alice.api.patch(`/api/v1/subtasks/${second.id}`).send({ completed: true });
      expect(last.body.data).toMatchObject({ completed: true, task_auto_completed: true, unlocked_achievements: [] });
      await expect(taskRow(t, task.id)).resolves.toMatchObject({
        completed: true,
        completed_by: 'auto',
        version: 2,
        stats_counted: true,
      });
      const completion = (await activity(t, alice.id, task.id)).find((entry) => entry.action === 'task_completed');
      expect(completion).toMatchObject({ source: 'system', metadata: { completed_by: 'auto', counted: true } });

      const repeat = await alice.api.patch(`/api/v1/subtasks/${second.id}`).send({ completed: true });
      expect(repeat.body.data.task_auto_completed).toBe(false);
      await alice.api.patch(`/api/v1/subtasks/${second.id}`).send({ completed: false });
      await expect(taskRow(t, task.id)).resolves.toMatchObject({ completed: true, version: 2 });
    });

    it('should not auto-complete an already completed task', async () => {
      const alice = await member(t);
      const task = await createTask(alice.api);
      const subtask = await createSubtask(alice.api, task.id);
      await alice.api.patch(`/api/v1/tasks/${task.id}`).send({ completed: true });
      const response = await alice.api.patch(`/api/v1/subtasks/${subtask.id}`).send({ completed: true });
      expect(response.body.data.task_auto_completed).toBe(false);
      await expect(taskRow(t, task.id)).resolves.toMatchObject({ completed_by: 'manual', version: 2 });
    });

    it("should refuse writes under an archived task and another user's subtask", async () => {
      const alice = await member(t);
      const bob = await member(t);
      const task = await createTask(alice.api);
      const subtask = await createSubtask(alice.api, task.id);
      expectError(await bob.api.patch(`/api/v1/subtasks/${subtask.id}`).send({ title: 'x' }), 403, 'FORBIDDEN');
      expectError(await bob.api.put(`/api/v1/subtasks/${subtask.id}`).send({ title: 'x' }), 403, 'FORBIDDEN');
      expectError(await bob.api.delete(`/api/v1/subtasks/${subtask.id}`), 403, 'FORBIDDEN');
      expectError(await bob.api.patch(`/api/v1/subtasks/${randomUUID()}`).send({ title: 'x' }), 404, 'NOT_FOUND');
      expectError(await bob.api.get(`/api/v1/tasks/${task.id}/subtasks`), 403, 'FORBIDDEN');
      expectError(await bob.api.post(`/api/v1/tasks/${task.id}/subtasks`).send({ title: 'x' }), 403, 'FORBIDDEN');
      expectError(await bob.api.get(`/api/v1/tasks/${randomUUID()}/subtasks`), 404, 'NOT_FOUND');
      expectError(await bob.api.get('/api/v1/tasks/nope/subtasks'), 400, 'VALIDATION_ERROR');
      await alice.api.patch(`/api/v1/tasks/${task.id}`).send({ archived: true });
      expectError(await alice.api.patch(`/api/v1/subtasks/${subtask.id}`).send({ completed: true }), 409, 'ARCHIVED');
      expectError(await alice.api.delete(`/api/v1/subtasks/${subtask.id}`), 409, 'ARCHIVED');
      expectError(
        await alice.api.patch(`/api/v1/subtasks/${subtask.id}`).send({ title: null }),
        400,
        'VALIDATION_ERROR',
      );
    });
  });

  describe('DELETE /subtasks/{id}', () => {
    it('should close the gap and never auto-complete', async () => {
      const alice = await member(t);
      const task = await createTask(alice.api);
      const a = await createSubtask(alice.api, task.id, 'A');
      const b = await createSubtask(alice.api, task.id, 'B');
      await createSubtask(alice.api, task.id, 'C');
      await alice.api.patch(`/api/v1/subtasks/${a.id}`).send({ completed: true });
      const response = await alice.api.delete(`/api/v1/subtasks/${b.id}`);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ data: { id: b.id, deleted: true } });
      await expect(orderOf(t, task.id)).resolves.toEqual([
        ['A', 0],
        ['C', 1],
      ]);
      const c = (await alice.api.get(`/api/v1/tasks/${task.id}/subtasks`)).body.data[1];
      await alice.api.delete(`/api/v1/subtasks/${c.id}`);
      await expect(taskRow(t, task.id)).resolves.toMatchObject({ completed: false });
      expectError(await alice.api.delete(`/api/v1/subtasks/${b.id}`), 404, 'NOT_FOUND');
    });
  });

  describe('PUT /tasks/{task_id}/subtasks/reorder', () => {
    it('should set order_index to the position in the array', async () => {
      const alice = await member(t);
      const task = await createTask(alice.api);
      const [a, b, c] = [
        await createSubtask(alice.api, task.id, 'A'),
        await createSubtask(alice.api, task.id, 'B'),
        await createSubtask(alice.api, task.id, 'C'),
      ];
      const response = await alice.api
        .put(`/api/v1/tasks/${task.id}/subtasks/reorder`)
        .send({ subtask_ids: [c.id, a.id, b.id.toUpperCase()] });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        data: [
          { id: c.id, order_index: 0 },
          { id: a.id, order_index: 1 },
          { id: b.id, order_index: 2 },
        ],
      });
      await expect(orderOf(t, task.id)).resolves.toEqual([
        ['C', 0],
        ['A', 1],
        ['B', 2],
      ]);
      const [entry] = (await activity(t, alice.id, task.id)).filter((row) => row.action === 'subtasks_reordered');
      expect(entry).toMatchObject({ entity_type: 'subtask', metadata: { order: [c.id, a.id, b.id] } });
    });

    it('should check the list in the documented order', async () => {
      const alice = await member(t);
      const bob = await member(t);
      const task = await createTask(alice.api);
      const other = await createTask(alice.api);
      const [a, b] = [await createSubtask(alice.api, task.id, 'A'), await createSubtask(alice.api, task.id, 'B')];
      const foreign = await createSubtask(alice.api, other.id, 'Elsewhere');
      const bobTask = await createTask(bob.api);
      const bobs = await createSubtask(bob.api, bobTask.id);
      const reorder = (ids: unknown): Promise<import('supertest').Response> =>
        alice.api.put(`/api/v1/tasks/${task.id}/subtasks/reorder`).send(ids === undefined ? {} : { subtask_ids: ids });

      for (const shape of [undefined, [], 'x', [a.id, 'nope'], [a.id, a.id], [a.id, a.id.toUpperCase()]]) {
        expectError(await reorder(shape), 400, 'VALIDATION_ERROR');
      }
      expectError(await reorder([a.id, b.id, bobs.id, randomUUID()]), 403, 'FORBIDDEN');
      expectError(await reorder([a.id, b.id, randomUUID()]), 404, 'NOT_FOUND');
      expectError(await reorder([a.id, b.id, foreign.id]), 404, 'NOT_FOUND');
      const missing = await reorder([b.id]);
      expectError(missing, 400, 'VALIDATION_ERROR');
      expect(missing.body.error.details[0].field).toBe('subtask_ids');
      await expect(orderOf(t, task.id)).resolves.toEqual([
        ['A', 0],
        ['B', 1],
      ]);
      expectError(
        await bob.api.put(`/api/v1/tasks/${task.id}/subtasks/reorder`).send({ subtask_ids: [a.id, b.id] }),
        403,
        'FORBIDDEN',
      );
      expectError(
        await alice.api.put(`/api/v1/tasks/${randomUUID()}/subtasks/reorder`).send({ subtask_ids: [a.id] }),
        404,
        'NOT_FOUND',
      );
      await alice.api.patch(`/api/v1/tasks/${task.id}`).send({ archived: true });
      expectError(await reorder([b.id, a.id]), 409, 'ARCHIVED');
    });
  });
});
