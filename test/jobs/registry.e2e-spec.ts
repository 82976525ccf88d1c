import { JOB_NAMES } from '@app/core/jobs/job-catalogue';
import { JobRegistry } from '../../apps/worker/src/job-registry';
import { createTestDatabase } from '../support/test-app';
import { createTestWorker, TestWorker } from '../support/test-worker';

describe('job registry of the WorkerModule', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let worker: TestWorker;

  beforeAll(async () => {
    database = await createTestDatabase();
    worker = await createTestWorker(database.url);
  });

  afterAll(async () => {
    await worker.close();
    await database.drop();
  });

  it('should have exactly one handler for every job of the catalogue, and none for anything else', () => {
    // The registry refuses a second handler for a name at boot, so "exactly one" is "present".
    expect([...worker.context.get(JobRegistry).names()].sort()).toEqual([...JOB_NAMES].sort());
  });
});
