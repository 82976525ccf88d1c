import { randomUUID } from 'node:crypto';
import { UnitOfWork } from '@app/core/events/unit-of-work';
import { RecurringFailureReport } from '@app/tasks/templates/recurring-failure-report';
import { as, expectError, loginAs } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';
import { notify } from './notification-fixtures';

describe('Notifications', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ RATE_LIMIT_GENERAL: '10000' });
  });

  afterAll(async () => {
    await t.close();
  });

  async function seed(userId: string, count: number, type: 'system' | 'achievement' = 'system'): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const created = await notify(t, {
        userId,
        type,
        title: `Title ${i}`,
        body: `Body ${i}`,
        createdAt: new Date(Date.UTC(2026, 0, 1, 0, i)),
      });
      ids.push(created!.id);
    }
    return ids;
  }

  describe('GET /api/v1/notifications', () => {
    it('should list the caller’s notifications newest first with every field and the unread count', async () => {
      const { accessToken, user } = await loginAs(t);
      const other = await loginAs(t);
      await seed(other.user.id, 2);
      const createdAt = new Date('2026-01-19T10:30:00.000Z');
      const created = await notify(t, {
        userId: user.id,
        type: 'reminder',
        title: 'Due soon',
        body: 'Write the report',
        actionUrl: '/tasks/abc',
        taskId: '3f1c2b7e-9a4d-4e21-8c55-0b6a1d2e3f40',
        createdAt,
      });
      const res = await as(t, accessToken).get('/api/v1/notifications');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        data: [
          {
            id: created!.id,
            user_id: user.id,
            type: 'reminder',
            title: 'Due soon',
            body: 'Write the report',
            message: 'Write the report',
            action_url: '/tasks/abc',
            task_id: '3f1c2b7e-9a4d-4e21-8c55-0b6a1d2e3f40',
            read: false,
            read_at: null,
            created_at: '2026-01-19T10:30:00.000Z',
            updated_at: '2026-01-19T10:30:00.000Z',
          },
        ],
        pagination: { offset: 0, limit: 50, total: 1, has_more: false },
        unread_count: 1,
      });
    });

    it('should paginate with a stable order and keep pagination on an empty page', async () => {
      const { accessToken, user } = await loginAs(t);
      const ids = await seed(user.id, 5);
      const page = await as(t, accessToken).get('/api/v1/notifications?offset=1&limit=2');
      expect(page.body.data.map((n: { id: string }) => n.id)).toEqual([ids[3], ids[2]]);
      expect(page.body.pagination).toEqual({ offset: 1, limit: 2, total: 5, has_more: true });
      const empty = await as(t, accessToken).get('/api/v1/notifications?offset=10');
      expect(empty.body).toEqual({
        data: [],
        pagination: { offset: 10, limit: 50, total: 5, has_more: false },
        unread_count: 5,
      });
    });

    it('should filter by unread_only and type while unread_count stays the user total', async () => {
      const { accessToken, user } = await loginAs(t);
      const [first] = await seed(user.id, 2, 'system');
      await seed(user.id, 1, 'achievement');
      await as(t, accessToken).patch(`/api/v1/notifications/${first}/read`).send();
      const unread = await as(t, accessToken).get('/api/v1/notifications?unread_only=true');
      expect(unread.body.pagination.total).toBe(2);
      expect(unread.body.unread_count).toBe(2);
      const achievements = await as(t, accessToken).get('/api/v1/notifications?type=achievement&unread_only=1');
      expect(achievements.body.data.map((n: { type: string }) => n.type)).toEqual(['achievement']);
      expect(achievements.body.unread_count).toBe(2);
    });

    it('should answer 400 for bad query values', async () => {
      const { accessToken } = await loginAs(t);
      for (const query of ['type=email', 'unread_only=yes', 'limit=101', 'limit=0', 'offset=-1']) {
        expectError(await as(t, accessToken).get(`/api/v1/notifications?${query}`), 400, 'VALIDATION_ERROR');
      }
    });
  });

  describe('read state', () => {
    it('should mark read once, keeping the first read_at', async () => {
      const { accessToken, user } = await loginAs(t);
      const [id] = await seed(user.id, 1);
      const first = await as(t, accessToken).patch(`/api/v1/notifications/${id}/read`).send();
      expect(first.status).toBe(200);
      expect(first.body.data).toMatchObject({ id, read: true, read_at: expect.any(String) });
      expect(first.body.data.updated_at).toBe(first.body.data.read_at);
      const second = await as(t, accessToken).patch(`/api/v1/notifications/${id}/read`).send();
      expect(second.body.data.read_at).toBe(first.body.data.read_at);
      expect(second.body.data.updated_at).toBe(first.body.data.updated_at);
    });

    it('should mark read and unread through PATCH {read}', async () => {
      const { accessToken, user } = await loginAs(t);
      const [id] = await seed(user.id, 1);
      const read = await as(t, accessToken).patch(`/api/v1/notifications/${id}`).send({ read: true });
      const again = await as(t, accessToken).patch(`/api/v1/notifications/${id}`).send({ read: true });
      expect(again.body.data.read_at).toBe(read.body.data.read_at);
      const unread = await as(t, accessToken).patch(`/api/v1/notifications/${id}`).send({ read: false });
      expect(unread.body.data).toMatchObject({ read: false, read_at: null });
      for (const body of [{}, { read: null }, { read: 'yes' }]) {
        const res = await as(t, accessToken).patch(`/api/v1/notifications/${id}`).send(body);
        expect(expectError(res, 400, 'VALIDATION_ERROR').details).toEqual([
          { field: 'read', message: 'must be a boolean' },
        ]);
      }
    });

    it('should mark every unread notification read', async () => {
      const { accessToken, user } = await loginAs(t);
      const other = await loginAs(t);
      await seed(user.id, 3);
      await seed(other.user.id, 1);
      const res = await as(t, accessToken).post('/api/v1/notifications/read-all').send();
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ data: { marked_count: 3 } });
      expect((await as(t, accessToken).post('/api/v1/notifications/read-all').send()).body).toEqual({
        data: { marked_count: 0 },
      });
      expect((await as(t, other.accessToken).get('/api/v1/notifications')).body.unread_count).toBe(1);
    });
  });

  describe('DELETE /api/v1/notifications/{id}', () => {
    it('should delete and then answer 404', async () => {
      const { accessToken, user } = await loginAs(t);
      const [id] = await seed(user.id, 1);
      const res = await as(t, accessToken).delete(`/api/v1/notifications/${id}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ data: { id, deleted: true } });
      expectError(await as(t, accessToken).delete(`/api/v1/notifications/${id}`), 404, 'NOT_FOUND');
    });
  });

  describe('ownership and ids', () => {
    it("should answer 403 for another user's notification, 404 for unknown and 400 for malformed ids", async () => {
      const { accessToken } = await loginAs(t);
      const other = await loginAs(t);
      const [theirs] = await seed(other.user.id, 1);
      expectError(await as(t, accessToken).patch(`/api/v1/notifications/${theirs}/read`).send(), 403, 'FORBIDDEN');
      expectError(
        await as(t, accessToken).patch(`/api/v1/notifications/${theirs}`).send({ read: true }),
        403,
        'FORBIDDEN',
      );
      expectError(await as(t, accessToken).delete(`/api/v1/notifications/${theirs}`), 403, 'FORBIDDEN');
      expectError(
        await as(t, accessToken).patch(`/api/v1/notifications/${randomUUID()}/read`).send(),
        404,
        'NOT_FOUND',
      );
      const malformed = await as(t, accessToken).patch('/api/v1/notifications/not-a-uuid/read').send();
      expect(expectError(malformed, 400, 'VALIDATION_ERROR').details).toEqual([
        { field: 'id', message: 'must be a UUID' },
      ]);
      const theirsAfter = await as(t, other.accessToken).get('/api/v1/notifications');
      expect(theirsAfter.body.data[0].read).toBe(false);
    });

    it('should require authentication and an Idempotency-Key on mutations', async () => {
      expectError(await t.http.get('/api/v1/notifications'), 401, 'UNAUTHORIZED');
      const { accessToken } = await loginAs(t);
      const res = await t.http
        .post('/api/v1/notifications/read-all')
        .set('Authorization', `Bearer ${accessToken}`)
        .send();
      expect(expectError(res, 400, 'VALIDATION_ERROR').details).toEqual([
        { field: 'Idempotency-Key', message: 'is required on this request' },
      ]);
    });
  });

  describe('system notifications', () => {
    it('should tell the user once when a recurring instance could not be generated', async () => {
      const { accessToken, user } = await loginAs(t);
      const payload = {
        template_id: randomUUID(),
        triggered_by_task_id: randomUUID(),
        title: 'Water plants',
        error: 'boom',
      };
      for (let i = 0; i < 2; i++) {
        await t.app
          .get(UnitOfWork)
          .run((tx) => t.app.get(RecurringFailureReport).report(tx, user.id, payload, new Date()));
      }
      const res = await as(t, accessToken).get('/api/v1/notifications');
      expect(res.body.data).toEqual([
        expect.objectContaining({
          type: 'system',
          title: 'Recurring task not created',
          body: "Could not create the next occurrence of 'Water plants'. You can generate it from the template.",
          action_url: null,
          task_id: null,
        }),
      ]);
    });
  });

  describe('NotificationsService.create', () => {
    it('should truncate title and body and never duplicate a source_ref', async () => {
      const { user } = await loginAs(t);
      const sourceRef = `test:${randomUUID()}`;
      const first = await notify(t, {
        userId: user.id,
        type: 'system',
        title: 'T'.repeat(150),
        body: '€'.repeat(600),
        sourceRef,
      });
      const second = await notify(t, { userId: user.id, type: 'system', title: 'again', body: 'again', sourceRef });
      expect(first).toMatchObject({
        title: 'T'.repeat(100),
        body: '€'.repeat(500),
        message: '€'.repeat(500),
        task_id: null,
      });
      expect(second).toBeNull();
      const rows = await t.dataSource.query(`SELECT source_ref FROM notifications WHERE user_id = $1`, [user.id]);
      expect(rows).toEqual([{ source_ref: sourceRef }]);
      const activity = await t.dataSource.query(
        `SELECT 1 FROM activity_logs WHERE user_id = $1 AND entity_type = 'notification'`,
        [user.id],
      );
      expect(activity).toEqual([]);
    });
  });
});
