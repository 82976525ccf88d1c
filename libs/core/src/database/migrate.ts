import { DataSource } from 'typeorm';

/** Arbitrary constant shared by every process of the product: whoever holds it migrates. */
const MIGRATION_LOCK_KEY = 7_263_114_205;

/**
 * Applies pending migrations under a PostgreSQL advisory lock so that the API, the worker and
 * `npm run job` can start together: the first one migrates, the others wait, then find nothing to do.
 */
export async function runMigrationsLocked(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await runner.release();
  }
}
