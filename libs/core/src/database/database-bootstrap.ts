import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { buildDataSourceOptions } from './data-source-options';
import { EmbeddedPostgres } from './embedded-postgres';
import { runMigrationsLocked } from './migrate';

export interface PreparedDatabase {
  url: string;
  /** Set when this process started the embedded server and must stop it on shutdown. */
  embedded?: EmbeddedPostgres;
}

export function embeddedPostgresFor(config: AppConfig, log?: (m: string) => void): EmbeddedPostgres {
  return new EmbeddedPostgres({ dataDir: config.DATA_DIR, port: config.EMBEDDED_PG_PORT, database: 'perpetua', log });
}

/**
 * Resolves the database for a process: `DATABASE_URL` when set; otherwise the embedded server
 * under `DATA_DIR`, reused when a supervisor (`npm start`) already runs it, started otherwise.
 * Then applies pending migrations when `DB_MIGRATE_ON_START` is on.
 */
export async function prepareDatabase(config: AppConfig, log?: (m: string) => void): Promise<PreparedDatabase> {
  let prepared: PreparedDatabase;
  if (config.DATABASE_URL) {
    prepared = { url: config.DATABASE_URL };
  } else {
    const embedded = embeddedPostgresFor(config, log);
    const running = await embedded.isUp();
    prepared = running ? { url: embedded.url } : { url: await embedded.start(), embedded };
  }
  if (config.DB_MIGRATE_ON_START) await migrate(prepared.url);
  return prepared;
}

export async function migrate(url: string): Promise<string[]> {
  const dataSource = new DataSource({ ...buildDataSourceOptions({ url, poolSize: 2 }) });
  await dataSource.initialize();
  try {
    return await runMigrationsLocked(dataSource);
  } finally {
    await dataSource.destroy();
  }
}
