import { randomUUID } from 'node:crypto';
import { expectError } from '../support/factories';
import type { TestApp } from '../support/test-app';
import { activity, createTask, createTasksTestApp, inDays, ISO, member } from '../tasks/task-fixtures';

const REMINDER_KEYS = [
  'created_at',
  'fired',
  'fired_at',
  'id',
  'method',
  'offset_minutes',
  'scheduled_at',
  'skipped',
  'task_id',
  'type',
  'updated_at',
  'user_id',
];
const MINUTE = 60_000;

const shift = (iso: string, minutes: number): string =>
  new Date(new Date(iso).getTime() + minutes * MINUTE).toISOString();

async function reminderRow(t: TestApp, id: string): Promise<Record<string, unknown>> {
  const [row] = await t.dataSource.query(
    `SELECT type, offset_minutes, scheduled_at, fired, fired_at, skipped FROM reminders WHERE id = $1`,
    [id],
  );
  return row;
}

describe('Reminders', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTasksTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  describe('create', () => {
    it('should compute scheduled_at for before/after and store the offset magnitude', async () => {
      const alice = await member(t);
      const task = await createTask(alice.api, { due_date: inDays(3) });
      const due = task.due_date as string;
      const before = await alice.api
        .post(`/api/v1/tasks/${task.id}/reminders`)
        .send({ type: 'before', offset_minutes: -45 });
      expect(before.status).toBe(201);
      expect(Object.keys(before.body.data).sort()).toEqual(REMINDER_KEYS);
      expect(before.body.data).toEqual({
        id: expect.any(String),
        task_id: task.id,
        user_id: alice.id,
        type: 'before',
        offset_minutes: 45,
        scheduled_at: shift(due, -45),
        method: 'in_app',
        fired: false,
        fired_at: null,
        skipped: false,
        created_at: expect.stringMatching(ISO),
        updated_at: before.body.data.created_at,
      });
      const after = await alice.api
        .post(`/api/v1/tasks/${task.id}/reminders`)
        .send({ type: 'after', offset_minutes: 43_200, method: 'push', scheduled_at: 'ignored' });
      expect(after.body.data).toMatchObject({
        offset_minutes: 43_200,
        scheduled_at: shift(due, 43_200),
        method: 'push',
      });
      const at = inDays(1);
      const absolute = await alice.api
        .post(`/api/v1/tasks/${task.id}/reminders`)
        .send({ type: 'absolute', scheduled_at: at, offset_minutes: 0 });
      expect(absolute.body.data).toMatchObject({ type: 'absolute', offset_minutes: null, scheduled_at: at });
      const past = await alice.api
        .post(`/api/v1/tasks/${task.id}/reminders`)
        .send({ type: 'absolute', scheduled_at: inDays(-1) });
      expect(past.status).toBe(201);
      expect((await activity(t, alice.id)).filter((entry) => entry.action === 'reminder_created')).toHaveLength(4);
    });

    it.each([
      [{ type: 'before' }, 'offset_minutes'],
      [{ type: 'before', offset_minutes: 0 }, 'offset_minutes'],
      [{ type: 'after', offset_minutes: 43_201 }, 'offset_minutes'],
      [{ type: 'after', offset_minutes: -43_201 }, 'offset_minutes'],
      [{ type: 'after', offset_minutes: 1.5 }, 'offset_minutes'],
      [{ type: 'absolute' }, 'scheduled_at'],
      [{ type: 'absolute', scheduled_at: '2026-05-01' }, 'scheduled_at'],
      [{ type: 'soon', offset_minutes: 5 }, 'type'],
      [{ type: 'before', offset_minutes: 5, method: 'sms' }, 'method'],
    ])('should refuse %j with 400', async (body, field) => {
      const alice = await member(t);
      const task = await createTask(alice.api, { due_date: inDays(3) });
      const response = await alice.api.post(`/api/v1/tasks/${task.id}/reminders`).send(body);
      expectError(response, 400, 'VALIDATION_ERROR');
      expect(response.body.error.details.map((detail: { field: string }) => detail.field)).toContain(field);
    });

    it('should check the due date after existence, ownership and the archived state', async () => {
      const alice = await member(t);
      const bob = await member(t);
      const task = await createTask(alice.api);
      const relative = { type: 'before', offset_minutes: 10 };
      expectError(await bob.api.post(`/api/v1/tasks/${task.id}/reminders`).send(relative), 403, 'FORBIDDEN');
      expectError(await bob.api.post(`/api/v1/tasks/${randomUUID()}/reminders`).send(relative), 404, 'NOT_FOUND');
      const missingDue = await alice.api.post(`/api/v1/tasks/${task.id}/reminders`).send(relative);
      expectError(missingDue, 400, 'VALIDATION_ERROR');
      expect(missingDue.body.error.details[0].field).toBe('type');
      await alice.api.patch(`/api/v1/tasks/${task.id}`).send({ archived: true });
      expectError(await alice.api.post(`/api/v1/tasks/${task.id}/reminders`).send(relative), 409, 'ARCHIVED');
    });

    it('should allow 5 reminders per task, fired and skipped ones included', async () => {
      const alice = await member(t);
      const task = await createTask(alice.api, { due_date: inDays(3) });
      for (const offset of [1, 2, 3, 4, 5]) {
        await alice.api.post(`/api/v1/tasks/${task.id}/reminders`).send({ type: 'before', offset_minutes: offset });
      }
      await t.dataSource.query(
        `UPDATE reminders SET fired = true, skipped = (offset_minutes = 1) WHERE task_id = $1 AND offset_minutes < 3`,
        [task.id],
      );
      const refused = await alice.api
        .post(`/api/v1/tasks/${task.id}/reminders`)
        .send({ type: 'before', offset_minutes: 6 });
      expect(expectError(refused, 409, 'LIMIT_EXCEEDED')).toMatchObject({ limit: 5, current: 5 });
    });

    it('should never exceed 5 under concurrent creations', async () => {
      const alice = await member(t);
      const task = await createTask(alice.api, { due_date: inDays(3) });
      const responses = await Promise.all(
        [1, 2, 3, 4, 5, 6, 7].map((offset) =>
          alice.api.post(`/api/v1/tasks/${task.id}/reminders`).send({ type: 'after', offset_minutes: offset }),
        ),
      );
      expect(responses.filter((response) => response.status === 201)).toHaveLength(5);
      for (const refused of responses.filter((response) => response.status === 409)) {
        expect(expectError(refused, 409, 'LIMIT_EXCEEDED')).toMatchObject({ limit: 5, current: 5 });
      }
      const stored = await t.dataSource.query('SELECT count(*)::int AS count FROM reminders WHERE task_id = $1', [
        task.id,
      ]);
      expect(stored).toEqual([{ count: 5 }]);
    });

    it('should accept POST /reminders with task_id in the body', async () => {
      const alice = await member(t);
      const bob = await member(t);
      const task = await createTask(alice.api, { due_date: inDays(2) });
      const response = await alice.api
        .post('/api/v1/reminders')
        .send({ task_id: task.id.toUpperCase(), type: 'before', offset_minutes: 15 });
      expect(response.status).toBe(201);
      expect(response.body.data).toMatchObject({ task_id: task.id, offset_minutes: 15 });
      expectError(
        await bob.api.post('/api/v1/reminders').send({ task_id: task.id, type: 'before', offset_minutes: 15 }),
        403,
        'FORBIDDEN',
      );
      expectError(
        await bob.api.post('/api/v1/reminders').send({ task_id: randomUUID(), type: 'before', offset_minutes: 15 }),
        404,
        'NOT_FOUND',
      );
      expectError(
        await bob.api.post('/api/v1/reminders').send({ task_id: 'nope', type: 'before', offset_minutes: 15 }),
        400,
        'VALIDATION_ERROR',
      );
      expectError(
        await bob.api.post('/api/v1/reminders').send({ type: 'before', offset_minutes: 15 }),
        400,
        'VALIDATION_ERROR',
      );
    });
  });

  describe('read', () => {
    it("should list the caller's reminders by scheduled_at with task_id and fired filters", async () => {
      const alice = await member(t);
      const bob = await member(t);
      const first = await createTask(alice.api, { due_date: inDays(2) });
      const second = await createTask(alice.api, { due_date: inDays(1) });
      const bobTask = await createTask(bob.api, { due_date: inDays(1) });
      await bob.api.post(`/api/v1/tasks/${bobTask.id}/reminders`).send({ type: 'before', offset_minutes: 5 });
      const late = (
        await alice.api.post(`/api/v1/tasks/${first.id}/reminders`).send({ type: 'after', offset_minutes: 10 })
      ).body.data;
      const early = (
        await alice.api.post(`/api/v1/tasks/${second.id}/reminders`).send({ type: 'before', offset_minutes: 10 })
      ).body.data;
      const fired = (
        await alice.api.post(`/api/v1/tasks/${first.id}/reminders`).send({ type: 'before', offset_minutes: 60 })
      ).body.data;
      await t.dataSource.query(`UPDATE reminders SET fired = true, fired_at = now() WHERE id = $1`, [fired.id]);

      const all = await alice.api.get('/api/v1/reminders');
      expect(all.status).toBe(200);
      expect(all.body.data.map((reminder: { id: string }) => reminder.id)).toEqual([early.id, fired.id, late.id]);
      expect(all.body.pagination).toEqual({ offset: 0, limit: 25, total: 3, has_more: false });
      const ids = async (query: string): Promise<string[]> =>
        ((await alice.api.get(`/api/v1/reminders?${query}`)).body.data as Array<{ id: string }>).map(
          (reminder) => reminder.id,
        );
      await expect(ids(`task_id=${first.id}`)).resolves.toEqual([fired.id, late.id]);
      await expect(ids('fired=false')).resolves.toEqual([early.id, late.id]);
      await expect(ids('fired=true')).resolves.toEqual([fired.id]);
      await expect(ids(`task_id=${bobTask.id}`)).resolves.toEqual([]);
      await expect(ids('limit=1&offset=1')).resolves.toEqual([fired.id]);
      expectError(await alice.api.get('/api/v1/reminders?fired=maybe'), 400, 'VALIDATION_ERROR');
      expectError(await alice.api.get('/api/v1/reminders?task_id=x'), 400, 'VALIDATION_ERROR');

      const forTask = await alice.api.get(`/api/v1/tasks/${first.id}/reminders`);
      expect(forTask.body).toEqual({
        data: [expect.objectContaining({ id: fired.id }), expect.objectContaining({ id: late.id })],
      });
      expectError(await bob.api.get(`/api/v1/tasks/${first.id}/reminders`), 403, 'FORBIDDEN');
      expectError(await bob.api.get(`/api/v1/tasks/${randomUUID()}/reminders`), 404, 'NOT_FOUND');
      await expect(alice.api.get(`/api/v1/reminders/${late.id}`)).resolves.toMatchObject({
        status: 200,
        body: { data: late },
      });
      expectError(await bob.api.get(`/api/v1/reminders/${late.id}`), 403, 'FORBIDDEN');
      expectError(await bob.api.get(`/api/v1/reminders/${randomUUID()}`), 404, 'NOT_FOUND');
      expectError(await bob.api.get('/api/v1/reminders/abc'), 400, 'VALIDATION_ERROR');
    });
  });

  describe('PATCH and DELETE', () => {
    it('should switch types with the documented requirements and re-arm future times', async () => {
      const alice = await member(t);
      const task = await createTask(alice.api, { due_date: inDays(2) });
      const due = task.due_date as string;
      const reminder = (
        await alice.api.post(`/api/v1/tasks/${task.id}/reminders`).send({ type: 'before', offset_minutes: 30 })
      ).body.data;
      await t.dataSource.query(`UPDATE reminders SET fired = true, skipped = true, fired_at = now() WHERE id = $1`, [
        reminder.id,
      ]);

      const needsTime = await alice.api.patch(`/api/v1/reminders/${reminder.id}`).send({ type: 'absolute' });
      expectError(needsTime, 400, 'VALIDATION_ERROR');
      expect(needsTime.body.error.details[0].field).toBe('scheduled_at');

      const toAfter = await alice.api.patch(`/api/v1/reminders/${reminder.id}`).send({ type: 'after' });
      expect(toAfter.body.data).toMatchObject({
        type: 'after',
        offset_minutes: 30,
        scheduled_at: shift(due, 30),
        fired: false,
        fired_at: null,
        skipped: false,
      });

      const at = inDays(1);
      const toAbsolute = await alice.api
        .patch(`/api/v1/reminders/${reminder.id}`)
        .send({ type: 'absolute', scheduled_at: at, method: 'push' });
      expect(toAbsolute.body.data).toMatchObject({
        type: 'absolute',
        offset_minutes: null,
        scheduled_at: at,
        method: 'push',
      });

      const noOffset = await alice.api.patch(`/api/v1/reminders/${reminder.id}`).send({ type: 'before' });
      expectError(noOffset, 400, 'VALIDATION_ERROR');
      expect(noOffset.body.error.details[0].field).toBe('offset_minutes');
      const back = await alice.api
        .patch(`/api/v1/reminders/${reminder.id}`)
        .send({ type: 'before', offset_minutes: -90 });
      expect(back.body.data).toMatchObject({ offset_minutes: 90, scheduled_at: shift(due, -90) });

      await t.dataSource.query(`UPDATE reminders SET fired = true, fired_at = now() WHERE id = $1`, [reminder.id]);
      const stillPast = await alice.api
        .patch(`/api/v1/reminders/${reminder.id}`)
        .send({ type: 'absolute', scheduled_at: inDays(-1) });
      expect(stillPast.body.data).toMatchObject({ fired: true, fired_at: expect.stringMatching(ISO) });
      expect((await activity(t, alice.id, reminder.id)).map((entry) => entry.action)).toEqual([
        'reminder_created',
        'reminder_updated',
        'reminder_updated',
        'reminder_updated',
        'reminder_updated',
      ]);
    });

    it("should delete, and refuse writes on archived tasks or another user's reminder", async () => {
      const alice = await member(t);
      const bob = await member(t);
      const task = await createTask(alice.api, { due_date: inDays(2) });
      const keep = (
        await alice.api.post(`/api/v1/tasks/${task.id}/reminders`).send({ type: 'before', offset_minutes: 5 })
      ).body.data;
      const drop = (
        await alice.api.post(`/api/v1/tasks/${task.id}/reminders`).send({ type: 'before', offset_minutes: 6 })
      ).body.data;
      expectError(await bob.api.patch(`/api/v1/reminders/${keep.id}`).send({ method: 'push' }), 403, 'FORBIDDEN');
      expectError(await bob.api.delete(`/api/v1/reminders/${keep.id}`), 403, 'FORBIDDEN');
      expectError(await bob.api.patch(`/api/v1/reminders/${randomUUID()}`).send({ method: 'push' }), 404, 'NOT_FOUND');
      await expect(alice.api.delete(`/api/v1/reminders/${drop.id}`)).resolves.toMatchObject({
        status: 200,
        body: { data: { id: drop.id, deleted: true } },
      });
      expectError(await alice.api.get(`/api/v1/reminders/${drop.id}`), 404, 'NOT_FOUND');
      expectError(
        await alice.api.patch(`/api/v1/reminders/${keep.id}`).send({ offset_minutes: 0 }),
        400,
        'VALIDATION_ERROR',
      );
      await alice.api.patch(`/api/v1/tasks/${task.id}`).send({ archived: true });
      expectError(await alice.api.patch(`/api/v1/reminders/${keep.id}`).send({ method: 'push' }), 409, 'ARCHIVED');
      expectError(await alice.api.delete(`/api/v1/reminders/${keep.id}`), 409, 'ARCHIVED');
    });
  });

  describe('due-date changes', () => {
    it('should recompute relative reminders, re-arm future ones and leave absolute ones', async () => {
      const alice = await member(t);
      const task = await createTask(alice.api, { due_date: inDays(2) });
      const before = (
        await alice.api.post(`/api/v1/tasks/${task.id}/reminders`).send({ type: 'before', offset_minutes: 60 })
      ).body.data;
      const after = (
        await alice.api.post(`/api/v1/tasks/${task.id}/reminders`).send({ type: 'after', offset_minutes: 60 })
      ).body.data;
      const absolute = (
        await alice.api.post(`/api/v1/tasks/${task.id}/reminders`).send({ type: 'absolute', scheduled_at: inDays(1) })
      ).body.data;
      await t.dataSource.query(`UPDATE reminders SET fired = true, fired_at = now() WHERE task_id = $1`, [task.id]);

      const newDue = inDays(5);
      await alice.api.patch(`/api/v1/tasks/${task.id}`).send({ due_date: newDue });
      await expect(reminderRow(t, before.id)).resolves.toMatchObject({
        scheduled_at: new Date(shift(newDue, -60)),
        fired: false,
        fired_at: null,
        skipped: false,
      });
      await expect(reminderRow(t, after.id)).resolves.toMatchObject({
        scheduled_at: new Date(shift(newDue, 60)),
        fired: false,
      });
      await expect(reminderRow(t, absolute.id)).resolves.toMatchObject({
        scheduled_at: new Date(absolute.scheduled_at),
        fired: true,
      });

      const pastDue = inDays(-2);
      await t.dataSource.query(`UPDATE reminders SET fired = true, fired_at = now() WHERE task_id = $1`, [task.id]);
      await alice.api.patch(`/api/v1/tasks/${task.id}`).send({ due_date: pastDue });
      await expect(reminderRow(t, before.id)).resolves.toMatchObject({
        scheduled_at: new Date(shift(pastDue, -60)),
        fired: true,
      });

      await alice.api.patch(`/api/v1/tasks/${task.id}`).send({ due_date: null });
      await expect(reminderRow(t, before.id)).resolves.toMatchObject({ scheduled_at: new Date(shift(pastDue, -60)) });
    });
  });
});
