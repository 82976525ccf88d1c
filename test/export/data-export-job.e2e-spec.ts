import { as, expectError, loginAs } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';
import { createTestWorker, TestWorker } from '../support/test-worker';

/**
 * The `data_export` job's retries (docs/export-and-deletion.md, docs/jobs.md §3) with the real
 * export service: the failure is a database error raised by a trigger installed in this test's
 * database when the finished document is stored.
 */
describe('data_export job failures', () => {
  let t: TestApp;
  let worker: TestWorker;

  beforeAll(async () => {
    t = await createTestApp({ RATE_LIMIT_GENERAL: '10000' });
    worker = await createTestWorker(t.databaseUrl);
  });

  afterAll(async () => {
    await worker.close();
    await t.close();
  });

  /** A pending export of a new user whose completion fails with a database error. */
  async function failingExport(): Promise<{ token: string; userId: string; exportId: string }> {
    const { accessToken, user } = await loginAs(t);
    const res = await as(t, accessToken).post('/api/v1/users/me/export');
    expect(res.status).toBe(202);
    const exportId = res.body.data.id as string;
    const name = `fail_export_${exportId.replace(/-/g, '')}`;
    await t.dataSource.query(
      `CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF NEW.id = '${exportId}' AND NEW.status = 'ready' THEN RAISE EXCEPTION 'injected failure'; END IF;
         RETURN NEW;
       END $$`,
    );
    await t.dataSource.query(
      `CREATE TRIGGER ${name} BEFORE UPDATE ON data_exports FOR EACH ROW EXECUTE FUNCTION ${name}()`,
    );
    return { token: accessToken, userId: user.id, exportId };
  }

  const notificationTitles = async (userId: string): Promise<string[]> =>
    (await t.dataSource.query(`SELECT title FROM notifications WHERE user_id = $1 ORDER BY created_at`, [userId])).map(
      (row: { title: string }) => row.title,
    );

  it('should skip a job without an export id', async () => {
    expect(await worker.runJob('data_export', new Date(), {})).toEqual({
      status: 'skipped',
      result: { reason: 'no export_id' },
    });
  });

  it('should leave the export pending for the retry when an early attempt fails', async () => {
    const { token, userId, exportId } = await failingExport();

    await expect(worker.runJob('data_export', new Date(), { export_id: exportId }, 2)).rejects.toThrow(
      'injected failure',
    );

    expect((await as(t, token).get(`/api/v1/users/me/export/${exportId}`)).body.data.status).toBe('pending');
    expect(await notificationTitles(userId)).toEqual([]);
  });

  it('should mark the export failed and tell the user when the last attempt fails', async () => {
    const { token, userId, exportId } = await failingExport();
    const now = new Date();

    await expect(worker.runJob('data_export', now, { export_id: exportId }, 3)).rejects.toThrow('injected failure');

    const status = await as(t, token).get(`/api/v1/users/me/export/${exportId}`);
    expect(status.body.data).toMatchObject({ id: exportId, status: 'failed' });
    expectError(await as(t, token).get(`/api/v1/users/me/export/${exportId}/download`), 409, 'CONFLICT');
    expect(await notificationTitles(userId)).toEqual(['Your data export failed']);
    const activity = await t.dataSource.query(
      `SELECT action, source FROM activity_logs WHERE user_id = $1 AND action LIKE 'data_export%' ORDER BY created_at`,
      [userId],
    );
    expect(activity).toEqual([
      { action: 'data_export_requested', source: 'user' },
      { action: 'data_export_failed', source: 'system' },
    ]);
  });
});
