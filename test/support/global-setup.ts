import { generateKeyPairSync } from 'node:crypto';
import { EmbeddedPostgres } from '../../libs/core/src/database/embedded-postgres';
import { migrate } from '../../libs/core/src/database/database-bootstrap';
import { JobQueue } from '../../libs/core/src/jobs/job-queue.service';
import { databaseUrl, freePort, runDataDir, TEMPLATE_DATABASE, withAdmin } from './test-database';

/**
 * Starts the test PostgreSQL (embedded unless DATABASE_URL names a server), builds a template
 * database with the real migrations and the job-queue schema, and one RSA key pair for the run.
 * Every e2e file then clones the template into a database of its own.
 */
export default async function globalSetup(): Promise<void> {
  let admin: string;
  if (process.env.DATABASE_URL) {
    admin = databaseUrl(process.env.DATABASE_URL, 'postgres');
  } else {
    // A cluster per run (own directory and free port), so parallel runs never share a server.
    const server = new EmbeddedPostgres({
      dataDir: runDataDir(),
      port: await freePort(),
      database: 'postgres',
      ephemeral: true,
    });
    admin = await server.start();
    (globalThis as { __perpetuaTestPg?: EmbeddedPostgres }).__perpetuaTestPg = server;
  }
  await withAdmin(admin, async (client) => {
    const { rows } = await client.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname LIKE 'perpetua_test_%'",
    );
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${TEMPLATE_DATABASE}"`);
  });
  const templateUrl = databaseUrl(admin, TEMPLATE_DATABASE);
  await migrate(templateUrl);
  const queue = new JobQueue({ connectionString: templateUrl, role: 'api' });
  await queue.onModuleInit();
  await queue.onModuleDestroy();

  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  process.env.PERPETUA_TEST_ADMIN_URL = admin;
  process.env.PERPETUA_TEST_JWT_PRIVATE_KEY = privateKey;
  process.env.PERPETUA_TEST_JWT_PUBLIC_KEY = publicKey;
}
