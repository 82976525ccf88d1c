import { JOB_NAMES } from '@app/core/jobs/job-catalogue';
import { DEAD_JOB_QUEUE, JobQueue } from '@app/core/jobs/job-queue.service';
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
      expect(names).toEqual([...JOB_NAMES, DEAD_JOB_QUEUE].sort());
      // docs/jobs.md §2 (expiry after 10 min, backoff from 1 min capped at 60, dead) and §4 (retention).
      expect(await queues[0].boss.getQueue('push_deliver')).toMatchObject({
        expireInSeconds: 600,
        retryLimit: 2,
        retryDelay: 60,
        retryBackoff: true,
        retryDelayMax: 3600,
        deleteAfterSeconds: 7 * 86_400,
        deadLetter: DEAD_JOB_QUEUE,
      });
      expect(await queues[0].boss.getQueue(DEAD_JOB_QUEUE)).toMatchObject({ retentionSeconds: 30 * 86_400 });
    } finally {
      for (const queue of queues) await queue.onModuleDestroy();
    }
  });
});
