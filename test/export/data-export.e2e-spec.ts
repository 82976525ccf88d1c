import { awayFromUtcMidnight } from '../support/clock-edges';
import { as, expectError, loginAs } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';
import { createTestWorker, TestWorker } from '../support/test-worker';

const HOUR_MS = 3_600_000;

describe('Data export', () => {
  let t: TestApp;
  let worker: TestWorker;

  beforeEach(() => awayFromUtcMidnight());

  beforeAll(async () => {
    t = await createTestApp({ RATE_LIMIT_GENERAL: '10000' });
    worker = await createTestWorker(t.databaseUrl);
  });

  afterAll(async () => {
    await worker.close();
    await t.close();
  });

  async function requestExport(token: string): Promise<Record<string, unknown>> {
    const res = await as(t, token).post('/api/v1/users/me/export');
    expect(res.status).toBe(202);
    return res.body.data;
  }

  it('should accept a request as a pending export backed by a durable job, one at a time', async () => {
    const { accessToken, user } = await loginAs(t);

    const res = await as(t, accessToken).post('/api/v1/users/me/export');

    expect(res.status).toBe(202);
    const id = res.body.data.id as string;
    expect(res.body).toEqual({
      data: {
        id,
        status: 'pending',
        created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        completed_at: null,
        expires_at: null,
        size_bytes: null,
        download_url: `/api/v1/users/me/export/${id}/download`,
      },
    });
    const jobs = await t.dataSource.query(
      `SELECT data FROM pgboss.job WHERE name = 'data_export' AND data->>'export_id' = $1`,
      [id],
    );
    expect(jobs).toEqual([{ data: { export_id: id } }]);
    expect((await requestExport(accessToken)).id).toBe(id);
    expect(
      await t.dataSource.query(
        `SELECT action, source FROM activity_logs WHERE user_id = $1 AND action LIKE 'data_export%'`,
        [user.id],
      ),
    ).toEqual([{ action: 'data_export_requested', source: 'user' }]);
    expect((await as(t, accessToken).get(`/api/v1/users/me/export/${id}`)).body.data.status).toBe('pending');
    expectError(await as(t, accessToken).get(`/api/v1/users/me/export/${id}/download`), 409, 'CONFLICT');
  });

  it('should build a complete export, notify the user and serve it as a JSON attachment', async () => {
    const { accessToken, user } = await loginAs(t, { tier: 'pro' });
    const client = as(t, accessToken);
    const task = await client
      .post('/api/v1/tasks')
      .send({ title: 'Export me', due_date: new Date(Date.now() + 86_400_000).toISOString() });
    await client.post(`/api/v1/tasks/${task.body.data.id as string}/subtasks`).send({ title: 'Step' });
    await client
      .post(`/api/v1/tasks/${task.body.data.id as string}/reminders`)
      .send({ type: 'before', offset_minutes: 10 });
    const doomed = await client.post('/api/v1/tasks').send({ title: 'Deleted one' });
    await client.delete(`/api/v1/tasks/${doomed.body.data.id as string}`);
    const template = await client.post('/api/v1/templates').send({ title: 'Daily', rrule: 'FREQ=DAILY' });
    await client.post('/api/v1/notes').send({ content: 'A private thought' });
    await client.post('/api/v1/calendar-feed');
    const requested = await requestExport(accessToken);
    const now = new Date();

    expect(await worker.runJob('data_export', now, { export_id: requested.id })).toEqual({
      status: 'success',
      result: { exported: 1 },
    });

    const status = await client.get(`/api/v1/users/me/export/${requested.id as string}`);
    expect(status.body.data).toEqual({
      ...requested,
      status: 'ready',
      completed_at: now.toISOString(),
      expires_at: new Date(now.getTime() + 24 * HOUR_MS).toISOString(),
      size_bytes: expect.any(Number),
    });
    const download = await client.get(`/api/v1/users/me/export/${requested.id as string}/download`);
    expect(download.status).toBe(200);
    expect(download.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(download.headers['content-disposition']).toBe(
      `attachment; filename="perpetua-flow-export-${now.toISOString().slice(0, 10)}.json"`,
    );
    expect(Buffer.byteLength(download.text)).toBe(status.body.data.size_bytes);
    const document = download.body;

    expect(Object.keys(document).sort()).toEqual(
      [
        'format',
        'version',
        'export_id',
        'exported_at',
        'user',
        'tasks',
        'templates',
        'notes',
        'focus_sessions',
        'deleted_tasks',
        'achievements',
        'credits',
        'subscription',
        'payment_sessions',
        'notifications',
        'push_subscriptions',
        'voice_sessions',
        'activity',
        'calendar_feed',
      ].sort(),
    );
    expect(document).toMatchObject({
      format: 'perpetua-flow-export',
      version: 1,
      export_id: requested.id,
      exported_at: now.toISOString(),
    });
    expect(document.user).toEqual((await client.get('/api/v1/users/me')).body.data);
    const detail = (await client.get(`/api/v1/tasks/${task.body.data.id as string}`)).body.data;
    expect(document.tasks).toContainEqual(detail);
    expect(detail.subtasks).toHaveLength(1);
    expect(detail.reminders).toHaveLength(1);
    expect(document.tasks).toHaveLength(2);
    expect(document.templates).toEqual([
      (await client.get(`/api/v1/templates/${template.body.data.id as string}`)).body.data,
    ]);
    expect(document.notes).toEqual((await client.get('/api/v1/notes')).body.data);
    expect(document.deleted_tasks).toEqual((await client.get('/api/v1/tombstones')).body.data);
    expect(document.achievements).toEqual((await client.get('/api/v1/achievements/me')).body.data);
    expect(document.credits.balance).toEqual((await client.get('/api/v1/credits/balance')).body.data);
    const history = (await client.get('/api/v1/credits/history').query({ limit: '100' })).body.data;
    expect([...document.credits.ledger].reverse()).toEqual(history);
    expect(document.subscription).toMatchObject({ tier: 'pro', status: 'active' });
    expect(document.subscription.payments).toEqual([expect.objectContaining({ outcome: 'captured' })]);
    expect(document.activity.length).toBeGreaterThan(5);
    expect(document.activity.every((entry: { user_id: string }) => entry.user_id === user.id)).toBe(true);
    expect(document.calendar_feed).toEqual({ id: expect.any(String), created_at: expect.any(String) });
    expect(download.text).not.toMatch(/token_hash|p256dh|auth_key/);

    const notifications = (await client.get('/api/v1/notifications')).body.data;
    expect(notifications).toContainEqual(
      expect.objectContaining({
        type: 'system',
        title: 'Your data export is ready',
        action_url: `/api/v1/users/me/export/${requested.id as string}/download`,
      }),
    );
    // A rerun of the job (at-least-once delivery) changes nothing.
    expect(await worker.runJob('data_export', now, { export_id: requested.id })).toEqual({
      status: 'skipped',
      result: { exported: 0 },
    });
    expect((await client.get('/api/v1/notifications')).body.data).toHaveLength(notifications.length);
  });

  it('should answer 404 once the 24-hour window has passed, and the cleanup job should purge it', async () => {
    const { accessToken } = await loginAs(t);
    const fresh = await requestExport(accessToken);
    await worker.runJob('data_export', new Date(Date.now() - 23 * HOUR_MS), { export_id: fresh.id });
    expect((await as(t, accessToken).get(`/api/v1/users/me/export/${fresh.id as string}/download`)).status).toBe(200);

    const old = await requestExport(accessToken);
    await worker.runJob('data_export', new Date(Date.now() - 24 * HOUR_MS - 1000), { export_id: old.id });
    expectError(await as(t, accessToken).get(`/api/v1/users/me/export/${old.id as string}`), 404, 'NOT_FOUND');
    expectError(await as(t, accessToken).get(`/api/v1/users/me/export/${old.id as string}/download`), 404, 'NOT_FOUND');

    const cleanup = await worker.runJob('data_export_cleanup', new Date());
    expect(cleanup.status).toBe('success');
    expect(
      await t.dataSource.query(`SELECT id FROM data_exports WHERE id = ANY($1::uuid[]) ORDER BY id`, [
        [fresh.id, old.id],
      ]),
    ).toEqual([{ id: fresh.id }]);
  });

  it("should answer 403 for another user's export, 404 for an unknown one and 400 for a malformed id", async () => {
    const owner = await loginAs(t);
    const other = await loginAs(t);
    const requested = await requestExport(owner.accessToken);
    await worker.runJob('data_export', new Date(), { export_id: requested.id });

    expectError(
      await as(t, other.accessToken).get(`/api/v1/users/me/export/${requested.id as string}`),
      403,
      'FORBIDDEN',
    );
    const forbidden = await as(t, other.accessToken).get(`/api/v1/users/me/export/${requested.id as string}/download`);
    expectError(forbidden, 403, 'FORBIDDEN');
    expect(JSON.stringify(forbidden.body)).not.toContain('perpetua-flow-export');
    expectError(
      await as(t, owner.accessToken).get('/api/v1/users/me/export/6a2d8c4e-1b3f-4d5a-9c7e-2f4b6d8a0c1e'),
      404,
      'NOT_FOUND',
    );
    expectError(await as(t, owner.accessToken).get('/api/v1/users/me/export/not-a-uuid'), 400, 'VALIDATION_ERROR');
  });

  it('should skip the job of an export whose account is gone', async () => {
    const { accessToken, user } = await loginAs(t);
    const requested = await requestExport(accessToken);
    await t.dataSource.query(`DELETE FROM users WHERE id = $1`, [user.id]);
    expect((await worker.runJob('data_export', new Date(), { export_id: requested.id })).status).toBe('skipped');
  });
});
