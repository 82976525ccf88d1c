import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { loadConfig } from '@app/core/config/app-config';
import { ApiModule } from '../../apps/api/src/api.module';
import { baseTestEnv, createTestDatabase } from '../support/test-app';
import { createTestWorker } from '../support/test-worker';

/** Distinct server processes behind `queries` simultaneous queries: at most the pool's size. */
async function connectionsUsed(dataSource: DataSource, queries: number): Promise<number> {
  const rows = await Promise.all(
    Array.from({ length: queries }, () =>
      dataSource.query<{ pid: number }[]>('SELECT pg_backend_pid() AS pid, pg_sleep(0.2)'),
    ),
  );
  return new Set(rows.map(([row]) => row.pid)).size;
}

describe('database pool sizes as settings (docs/configuration.md §2.5)', () => {
  let database: { url: string; drop(): Promise<void> };

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(() => database.drop());

  it('gives the API DB_POOL_SIZE connections', async () => {
    const config = loadConfig({ ...baseTestEnv(), DATABASE_URL: database.url, DB_POOL_SIZE: '3' });
    const app = await NestFactory.createApplicationContext(
      ApiModule.register({ config, databaseUrl: database.url, role: 'api' }),
      { logger: false },
    );
    try {
      expect(await connectionsUsed(app.get(DataSource), 6)).toBe(3);
    } finally {
      await app.close();
    }
  });

  it('gives a job runner RUNNER_DB_POOL_SIZE connections', async () => {
    const worker = await createTestWorker(database.url, { RUNNER_DB_POOL_SIZE: '2', DB_POOL_SIZE: '9' });
    try {
      expect(await connectionsUsed(worker.context.get(DataSource), 6)).toBe(2);
    } finally {
      await worker.close();
    }
  });
});
