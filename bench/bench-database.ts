import { join } from 'node:path';
import { Client } from 'pg';
import { EmbeddedPostgres } from '../libs/core/src/database/embedded-postgres';
import { BenchUser } from './crud-mix';
import { freePort, parentOf } from './processes';

const DATABASE = 'perpetua_bench';

export interface BenchDatabase {
  /** The throw-away database every server of the run uses. */
  url: string;
  /** Where it runs, for the report. */
  description: string;
  /** The server's postmaster when it runs on this machine (its CPU is measured), else undefined. */
  postmasterPid?: number;
  close(): Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** The postmaster of the server behind `url`, if it is a process of this machine. */
async function postmasterOf(url: string): Promise<number | undefined> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    return parentOf(rows[0].pid);
  } finally {
    await client.end();
  }
}

async function recreate(serverUrl: string): Promise<string> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await client.end();
  }
  return withDatabase(serverUrl, DATABASE);
}

/**
 * A fresh `perpetua_bench` database: on the server of `DATABASE_URL` when it is set (or that very
 * database when the role may not create one), else on an embedded cluster under `workDir`.
 */
export async function benchDatabase(workDir: string, log: (message: string) => void): Promise<BenchDatabase> {
  const given = process.env.DATABASE_URL;
  if (given) {
    try {
      const url = await recreate(given);
      return {
        url,
        description: `given server (DATABASE_URL), database ${DATABASE}`,
        postmasterPid: await postmasterOf(url),
        close: async () => undefined,
      };
    } catch (error) {
      log(`cannot create ${DATABASE} on the DATABASE_URL server (${String(error)}); using that database as it is`);
      return {
        url: given,
        description: 'given database (DATABASE_URL)',
        postmasterPid: await postmasterOf(given),
        close: async () => undefined,
      };
    }
  }
  const embedded = new EmbeddedPostgres({
    dataDir: join(workDir, 'cluster'),
    port: await freePort(),
    database: 'postgres',
    log,
  });
  const serverUrl = await embedded.start();
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
  await client.end();
  const url = await recreate(serverUrl);
  return {
    url,
    description: `embedded PostgreSQL ${rows[0].server_version} (default durability settings)`,
    postmasterPid: await postmasterOf(url),
    close: () => embedded.stop(),
  };
}

async function inBatches<T, R>(items: T[], concurrency: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return results;
}

/**
 * `userCount` Pro users signed in through dev login (so each has a real access token and every
 * row a first login creates), then `tasksPerUser` tasks each straight in SQL, a quarter of them
 * with three subtasks and a fifth with a reminder, so that reads return realistic details.
 */
export async function seed(
  apiUrl: string,
  databaseUrl: string,
  userCount: number,
  tasksPerUser: number,
): Promise<BenchUser[]> {
  const logins = await inBatches(
    Array.from({ length: userCount }, (_, i) => i),
    16,
    async (i): Promise<{ id: string; token: string }> => {
      const response = await fetch(`${apiUrl}/api/v1/auth/dev/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: `bench-${i}@example.com`, tier: 'pro' }),
      });
      const body = (await response.json()) as { access_token?: string; user?: { id: string } };
      if (!body.access_token || !body.user)
        throw new Error(`dev login failed: ${response.status} ${JSON.stringify(body)}`);
      return { id: body.user.id, token: body.access_token };
    },
  );
  const ids = logins.map((login) => login.id);
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO task_instances (user_id, title, description, priority, created_at, updated_at)
       SELECT u, 'Seeded task ' || g, 'Seeded by npm run bench', (ARRAY['low', 'medium', 'high'])[1 + g % 3],
              now() - make_interval(mins => g), now() - make_interval(mins => g)
       FROM unnest($1::uuid[]) u, generate_series(1, $2) g`,
      [ids, tasksPerUser],
    );
    await client.query(
      `INSERT INTO subtasks (task_id, title, order_index, completed, completed_at)
       SELECT t.id, 'Step ' || k, k, k = 0, CASE WHEN k = 0 THEN now() END
       FROM task_instances t, generate_series(0, 2) k WHERE abs(hashtext(t.id::text)) % 4 = 0`,
    );
    await client.query(
      `INSERT INTO reminders (task_id, user_id, type, scheduled_at, method)
       SELECT id, user_id, 'absolute', now() + interval '20 days', 'in_app'
       FROM task_instances WHERE abs(hashtext(id::text)) % 5 = 0`,
    );
    await client.query('ANALYZE');
    const { rows } = await client.query<{ user_id: string; ids: string[] }>(
      `SELECT user_id, array_agg(id) AS ids FROM task_instances GROUP BY user_id`,
    );
    const tasks = new Map(rows.map((row) => [row.user_id, row.ids]));
    return logins.map((login) => ({ ...login, taskIds: tasks.get(login.id) ?? [] }));
  } finally {
    await client.end();
  }
}
