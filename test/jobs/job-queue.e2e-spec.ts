import { JOB_NAMES } from '@app/core/jobs/job-catalogue';
import { JobQueue } from '@app/core/jobs/job-queue.service';
import { adminUrl, databaseUrl, withAdmin } from '../support/test-database';

describe('JobQueue on a new database', () => {
  const name = `perpetua_test_queue_${process.pid}_${Date.now()}`;
  const url = (): string => databaseUrl(adminUrl(), name);

  beforeAll(async () => {
    await withAdmin(adminUrl(), (client) => client.query(`CREATE DATABASE "${name}"`));
  });

  afterAll(async () => {
    await withAdmin(adminUrl(), (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  });

  it('should install the queue schema and every queue once when an API and a runner start together', async () => {
    const queues = [
      new JobQueue({ connectionString: url(), role: 'api' }),
      new JobQueue({ connectionString: url(), role: 'worker' }),
    ];
    try {
      await Promise.all(queues.map((queue) => queue.onModuleInit()));

      const names = (await queues[0].boss.getQueues()).map((queue) => queue.name).sort();
      expect(names).toEqual([...JOB_NAMES].sort());
      const [{ expire_seconds }] = await queues[0].boss
        .getDb()
        .executeSql(`SELECT expire_seconds FROM pgboss.queue WHERE name = 'reminder_fire'`, [])
        .then((result) => result.rows as Array<{ expire_seconds: number }>);
      expect(expire_seconds).toBe(600);
    } finally {
      for (const queue of queues) await queue.onModuleDestroy();
    }
  });
});
