import { DataSource } from 'typeorm';
import { JOB_CATALOGUE, JOB_NAMES } from '@app/core/jobs/job-catalogue';
import { JobScheduler } from '../../apps/worker/src/job-scheduler';
import { createTestDatabase } from '../support/test-app';
import { createTestWorker, TestWorker } from '../support/test-worker';

interface SlotJob {
  name: string;
  singleton_key: string;
  data: { slot: string; schedule: string };
}

/**
 * docs/jobs.md §2: periodic jobs are enqueued with the dedupe key `<job>:<slot>`, one job per slot
 * however many schedulers run; after downtime only the most recent missed slot is enqueued.
 */
describe('JobScheduler (several runners, downtime)', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let runners: TestWorker[];
  let schedulers: JobScheduler[];

  beforeAll(async () => {
    database = await createTestDatabase();
    runners = [await createTestWorker(database.url), await createTestWorker(database.url)];
    schedulers = runners.map((runner) => {
      const scheduler = runner.context.get(JobScheduler);
      scheduler.plan(JOB_NAMES);
      return scheduler;
    });
  });

  afterAll(async () => {
    for (const runner of runners) await runner.close();
    await database.drop();
  });

  async function slotJobs(prefix: string): Promise<SlotJob[]> {
    return runners[0].context
      .get(DataSource)
      .query(`SELECT name, singleton_key, data FROM pgboss.job WHERE singleton_key LIKE $1 ORDER BY singleton_key`, [
        `%:${prefix}%`,
      ]);
  }

  it('should enqueue every schedule slot exactly once when two schedulers tick together', async () => {
    const now = new Date('2031-05-04T10:00:20.000Z');

    const [first, second] = await Promise.all(schedulers.map((scheduler) => scheduler.tick(now)));
    await Promise.all(schedulers.map((scheduler) => scheduler.tick(new Date(now.getTime() + 5000))));

    const keys = [...first, ...second].sort();
    // Some of the catalogue's slots at that instant (the catalogue grows; these are the ones docs/jobs.md §4 lists).
    expect(keys).toEqual(
      expect.arrayContaining([
        'credit_daily_grant:2031-05-04T00:00:00.000Z',
        'credit_daily_grant:2031-05-04T09:06:00.000Z',
        'credit_expire:2031-05-04T00:00:00.000Z',
        'credit_expire:2031-05-04T09:05:00.000Z',
        'maintenance_cleanup:2031-05-04T09:30:00.000Z',
        'reminder_fire:2031-05-04T10:00:00.000Z',
        'subscription_check:2031-05-04T10:00:00.000Z',
        'tombstone_cleanup:2031-05-04T03:10:00.000Z',
      ]),
    );
    expect(keys).toHaveLength(JOB_NAMES.reduce((sum, name) => sum + JOB_CATALOGUE[name].schedules.length, 0));
    expect(first.filter((key) => second.includes(key))).toEqual([]);
    const jobs = await slotJobs('2031-05-04');
    expect(jobs.map((job) => job.singleton_key)).toEqual(keys);
    const maintenance = jobs.find((job) => job.name === 'maintenance_cleanup');
    expect(maintenance?.data).toEqual({ slot: '2031-05-04T09:30:00.000Z', schedule: '30 * * * *' });
  });

  it('should enqueue only the most recent missed slot after downtime, never a backlog', async () => {
    const back = new Date('2031-05-04T13:40:10.000Z');

    const keys = await schedulers[0].tick(back);

    // Each hourly or shorter schedule gets its latest slot only; the day's daily slots exist already.
    expect(keys).toEqual(
      expect.arrayContaining([
        'credit_expire:2031-05-04T13:05:00.000Z',
        'maintenance_cleanup:2031-05-04T13:30:00.000Z',
        'reminder_fire:2031-05-04T13:40:00.000Z',
        'subscription_check:2031-05-04T13:30:00.000Z',
      ]),
    );
    expect(keys.filter((key) => key.startsWith('credit_expire:'))).toEqual(['credit_expire:2031-05-04T13:05:00.000Z']);
    expect(keys.filter((key) => /T0[03]:\d\d:00\.000Z$/.test(key))).toEqual([]);
    const maintenance = (await slotJobs('2031-05-04')).filter((job) => job.name === 'maintenance_cleanup');
    expect(maintenance.map((job) => job.singleton_key)).toEqual([
      'maintenance_cleanup:2031-05-04T09:30:00.000Z',
      'maintenance_cleanup:2031-05-04T13:30:00.000Z',
    ]);
  });

  it('should never enqueue the same slot twice from a restarted scheduler', async () => {
    const restarted = await createTestWorker(database.url);
    try {
      const scheduler = restarted.context.get(JobScheduler);
      scheduler.plan(JOB_NAMES);
      await expect(scheduler.tick(new Date('2031-05-04T13:40:29.999Z'))).resolves.toEqual([]);
    } finally {
      await restarted.close();
    }
  });
});
