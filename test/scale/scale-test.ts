import assert from 'node:assert/strict';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';
import { WebSocket } from 'ws';
import { migrate } from '../../libs/core/src/database/database-bootstrap';
import { freePort, launch, Launched, ROOT, stop, waitForStatus } from '../../bench/processes';
import { startFakeDeepgram } from '../support/fake-deepgram';
import { startFakeOpenAi } from '../support/fake-openai';

/**
 * `npm run test:scale` (issue #7): two API instances and two job runners, built as shipped, on one
 * PostgreSQL with REDIS_URL set. Proves that rate limits and AI per-task counters are shared, each
 * reminder notifies once, each scheduled slot runs once and voice WebSockets work on either
 * instance. Needs PostgreSQL on 127.0.0.1:5432 (trust, user postgres) and Redis on
 * 127.0.0.1:6379; says so and exits 0 when either is not reachable. Exits 1 when a check fails.
 */

const ADMIN_URL = process.env.SCALE_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.SCALE_REDIS_URL ?? 'redis://127.0.0.1:6379/15';
const WORK_DIR = join(ROOT, '.data', 'scale');
/** The general bucket of docs/api.md §1.12 at its default. */
const GENERAL_LIMIT = 100;
/** docs/rules.md: 10 AI requests per task per AI session. */
const AI_TASK_LIMIT = 10;
/** credit_reservation_release runs every minute: the runners must see at least one slot. */
const SLOT_WATCH_MS = 65_000;

interface Instance {
  name: string;
  url: string;
}

const log = (message: string): void => console.log(`[scale] ${message}`);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function reachable(): Promise<string | null> {
  const client = new Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
  } catch (error) {
    return `PostgreSQL at ${ADMIN_URL} is not reachable (${String(error)})`;
  } finally {
    await client.end().catch(() => undefined);
  }
  const redis = new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: 3000, maxRetriesPerRequest: 0 });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
    return null;
  } catch (error) {
    return `Redis at ${REDIS_URL} is not reachable (${String(error)})`;
  } finally {
    redis.disconnect();
  }
}

async function admin<T>(work: (client: Client) => Promise<T>, url = ADMIN_URL): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function call(
  instance: Instance,
  method: string,
  path: string,
  token?: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (method !== 'GET') headers['idempotency-key'] = randomUUID();
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${instance.url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

async function proUser(instance: Instance, label: string): Promise<{ id: string; token: string }> {
  const email = `scale-${label}-${randomUUID().slice(0, 8)}@example.com`;
  const { status, body } = await call(instance, 'POST', '/api/v1/auth/dev/login', undefined, { email, tier: 'pro' });
  assert.equal(status, 200, `dev login on ${instance.name}: ${JSON.stringify(body)}`);
  return { id: (body.user as { id: string }).id, token: body.access_token as string };
}

async function createTask(instance: Instance, token: string, title: string): Promise<string> {
  const { status, body } = await call(instance, 'POST', '/api/v1/tasks', token, { title });
  assert.equal(status, 201, JSON.stringify(body));
  return (body.data as { id: string }).id;
}

/** Waits, if needed, so that `ms` of work fits in the current fixed 60-s rate-limit window. */
async function roomInWindow(ms: number): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < ms) await sleep(left + 200);
}

async function eventually(check: () => Promise<boolean>, timeoutMs: number, label: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${label} not reached within ${timeoutMs} ms`);
    await sleep(200);
  }
}

function voiceSession(instance: Instance, token: string): Promise<Array<Record<string, unknown>>> {
  const url = new URL('/api/v1/ws/voice/transcribe', instance.url.replace(/^http/, 'ws'));
  url.searchParams.set('token', token);
  const ws = new WebSocket(url);
  const messages: Array<Record<string, unknown>> = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`voice on ${instance.name}: ${JSON.stringify(messages)}`)), 15_000);
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString()) as Record<string, unknown>;
      messages.push(message);
      if (message.type === 'connected') {
        for (let i = 0; i < 4; i++) ws.send(Buffer.alloc(3200, 1));
        setTimeout(() => ws.send(JSON.stringify({ type: 'end_stream' })), 500);
      }
    });
    ws.on('close', () => {
      clearTimeout(timer);
      resolve(messages);
    });
    ws.on('error', reject);
  });
}

/** Job ids of the successful runs of `job` in a runner's JSON log (one line per execution). */
function jobRuns(logFile: string, job: string): string[] {
  return readFileSync(logFile, 'utf8')
    .split('\n')
    .filter((line) => line.includes(`"job":"${job}"`) && /"outcome":"(success|skipped)"/.test(line))
    .map((line) => (JSON.parse(line) as { job_id: string }).job_id);
}

async function main(): Promise<void> {
  const unavailable = await reachable();
  if (unavailable) {
    console.log(
      `test:scale SKIPPED: ${unavailable}. It needs PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379.`,
    );
    return;
  }
  const database = `perpetua_scale_${process.pid}`;
  const databaseUrl = new URL(ADMIN_URL);
  databaseUrl.pathname = `/${database}`;
  rmSync(WORK_DIR, { recursive: true, force: true });
  mkdirSync(WORK_DIR, { recursive: true });
  await admin((client) => client.query(`CREATE DATABASE ${database}`));
  const openAi = await startFakeOpenAi();
  const deepgram = await startFakeDeepgram();
  const processes: Launched[] = [];
  const results: Array<{ name: string; error?: unknown }> = [];
  try {
    await migrate(databaseUrl.toString());
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const shared: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'development',
      DATABASE_URL: databaseUrl.toString(),
      DB_MIGRATE_ON_START: 'false',
      REDIS_URL,
      JWT_PRIVATE_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      JWT_PUBLIC_KEY: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      AUTH_DEV_LOGIN: 'true',
      RATE_LIMIT_AUTH: '1000',
      OPENAI_API_KEY: 'scale-key',
      OPENAI_BASE_URL: openAi.url,
      DEEPGRAM_API_KEY: deepgram.apiKey,
      DEEPGRAM_URL: deepgram.url,
      LOG_LEVEL: 'info',
    };
    const instances: Instance[] = [];
    for (const name of ['api-a', 'api-b']) {
      const port = await freePort();
      const env = { ...shared, PORT: String(port), DATA_DIR: join(tmpdir(), `perpetua-scale-${process.pid}-${name}`) };
      processes.push(launch(name, [join(ROOT, 'dist/apps/api/src/main.js')], env, join(WORK_DIR, `${name}.log`)));
      instances.push({ name, url: `http://127.0.0.1:${port}` });
    }
    const runnerLogs = ['runner-1', 'runner-2'].map((name) => {
      const env = { ...shared, DATA_DIR: join(tmpdir(), `perpetua-scale-${process.pid}-${name}`) };
      processes.push(launch(name, [join(ROOT, 'dist/apps/worker/src/main.js')], env, join(WORK_DIR, `${name}.log`)));
      return join(WORK_DIR, `${name}.log`);
    });
    const runnersStarted = Date.now();
    for (const [i, instance] of instances.entries()) await waitForStatus(`${instance.url}/health/ready`, processes[i]);
    log(
      `two API instances (${instances.map((i) => i.url).join(', ')}) and two runners on ${database}, Redis ${REDIS_URL}`,
    );
    const [a, b] = instances;
    const check = async (name: string, work: () => Promise<void>): Promise<void> => {
      try {
        await work();
        results.push({ name });
        console.log(`  ✓ ${name}`);
      } catch (error) {
        results.push({ name, error });
        console.log(`  ✗ ${name}\n    ${String(error instanceof Error ? (error.stack ?? error.message) : error)}`);
      }
    };

    await check('a token issued by one instance is accepted by the other (shared JWT keys)', async () => {
      const user = await proUser(a, 'jwt');
      const { status } = await call(b, 'GET', '/api/v1/users/me', user.token);
      assert.equal(status, 200);
    });

    await check(`the ${GENERAL_LIMIT + 1}st request of a user across both instances is 429`, async () => {
      const user = await proUser(a, 'rate');
      await roomInWindow(20_000);
      for (let i = 0; i < GENERAL_LIMIT; i++) {
        const instance = i % 2 === 0 ? a : b;
        const { status, body } = await call(instance, 'GET', '/api/v1/tasks', user.token);
        assert.equal(status, 200, `request ${i + 1} on ${instance.name}: ${JSON.stringify(body)}`);
      }
      for (const instance of [a, b]) {
        const { status, body } = await call(instance, 'GET', '/api/v1/tasks', user.token);
        assert.equal(status, 429, `request ${GENERAL_LIMIT + 1} on ${instance.name}`);
        assert.equal((body.error as { code: string }).code, 'RATE_LIMIT_EXCEEDED');
      }
    });

    await check(`the AI per-task counter is shared: request ${AI_TASK_LIMIT + 1} on a task is 429`, async () => {
      const user = await proUser(a, 'ai');
      const taskId = await createTask(a, user.token, 'Plan the offsite');
      await roomInWindow(15_000);
      for (let i = 0; i < AI_TASK_LIMIT; i++) {
        const instance = i % 2 === 0 ? a : b;
        const { status, body } = await call(instance, 'POST', '/api/v1/ai/chat', user.token, {
          message: 'What next?',
          task_id: taskId,
        });
        assert.equal(status, 200, `AI request ${i + 1} on ${instance.name}: ${JSON.stringify(body)}`);
      }
      for (const instance of [b, a]) {
        const { status, body } = await call(instance, 'POST', '/api/v1/ai/chat', user.token, {
          message: 'And then?',
          task_id: taskId,
        });
        assert.equal(status, 429, `AI request ${AI_TASK_LIMIT + 1} on ${instance.name}: ${JSON.stringify(body)}`);
        assert.equal((body.error as { code: string }).code, 'AI_TASK_LIMIT_REACHED');
      }
    });

    await check('each reminder notifies exactly once with two runners', async () => {
      const user = await proUser(a, 'reminders');
      const ids: string[] = [];
      const due = Date.now() + 4000;
      for (let t = 0; t < 3; t++) {
        const taskId = await createTask(t % 2 === 0 ? a : b, user.token, `Call supplier ${t}`);
        for (let r = 0; r < 4; r++) {
          const instance = r % 2 === 0 ? a : b;
          const { status, body } = await call(instance, 'POST', `/api/v1/tasks/${taskId}/reminders`, user.token, {
            type: 'absolute',
            scheduled_at: new Date(due + (t * 4 + r) * 50).toISOString(),
          });
          assert.equal(status, 201, JSON.stringify(body));
          ids.push((body.data as { id: string }).id);
        }
      }
      await admin(async (client) => {
        await eventually(
          async () => {
            const { rows } = await client.query(
              'SELECT count(*)::int AS n FROM reminders WHERE id = ANY($1) AND fired',
              [ids],
            );
            return rows[0].n === ids.length;
          },
          30_000,
          'all reminders fired',
        );
        await sleep(2000);
        const { rows } = await client.query<{ id: string; notifications: number; early: boolean }>(
          `SELECT r.id, (SELECT count(*)::int FROM notifications n WHERE n.source_ref = 'reminder:' || r.id) AS notifications,
                  r.fired_at < r.scheduled_at AS early
           FROM reminders r WHERE r.id = ANY($1)`,
          [ids],
        );
        assert.equal(rows.length, ids.length);
        for (const row of rows) {
          assert.equal(row.notifications, 1, `reminder ${row.id} notified ${row.notifications} times`);
          assert.equal(row.early, false, `reminder ${row.id} fired early`);
        }
      }, databaseUrl.toString());
    });

    await check('a WebSocket voice session works on either instance', async () => {
      for (const instance of [a, b]) {
        const user = await proUser(instance, `voice-${instance.name}`);
        const messages = await voiceSession(instance, user.token);
        const complete = messages.find((message) => message.type === 'complete');
        assert.ok(complete, `no complete message on ${instance.name}: ${JSON.stringify(messages)}`);
        assert.equal(complete.status, 'completed');
        assert.equal(complete.full_transcript, 'remember to call the supplier');
        const other = instance === a ? b : a;
        const lookup = await call(other, 'GET', `/api/v1/ai/voice-sessions/${String(complete.session_id)}`, user.token);
        assert.equal(lookup.status, 200, JSON.stringify(lookup.body));
        assert.equal((lookup.body.data as { status: string }).status, 'completed');
      }
    });

    await check(
      'each scheduled slot runs once across both runners (credit_reservation_release, every minute)',
      async () => {
        const wait = runnersStarted + SLOT_WATCH_MS - Date.now();
        if (wait > 0) {
          log(`watching the runners for ${Math.round(wait / 1000)} s more, so that a minute slot passes`);
          await sleep(wait);
        }
        const runs = runnerLogs.flatMap((file) => jobRuns(file, 'credit_reservation_release'));
        assert.ok(runs.length > 0, 'no credit_reservation_release run in either runner log');
        assert.equal(new Set(runs).size, runs.length, `a job ran twice: ${runs.join(', ')}`);
        const { rows } = await admin(
          (client) =>
            client.query<{ slot: string }>(
              `SELECT data->>'slot' AS slot FROM pgboss.job WHERE name = 'credit_reservation_release' AND id = ANY($1::uuid[])`,
              [runs],
            ),
          databaseUrl.toString(),
        );
        const slots = rows.map((row) => row.slot);
        assert.equal(slots.length, runs.length, 'every run is a queued slot job');
        assert.equal(new Set(slots).size, slots.length, `a slot ran twice: ${slots.join(', ')}`);
        const duplicates = await admin(
          (client) =>
            client.query(
              `SELECT name, singleton_key, count(*)::int AS n FROM pgboss.job WHERE singleton_key IS NOT NULL
             GROUP BY name, singleton_key HAVING count(*) > 1`,
            ),
          databaseUrl.toString(),
        );
        assert.deepEqual(duplicates.rows, [], 'a periodic slot was enqueued twice');
        log(`slots run once each: ${slots.join(', ')}`);
      },
    );
  } finally {
    await Promise.all(processes.map((launched) => stop(launched)));
    await openAi.close();
    await deepgram.close();
    await admin((client) => client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
    for (const name of ['api-a', 'api-b', 'runner-1', 'runner-2']) {
      rmSync(join(tmpdir(), `perpetua-scale-${process.pid}-${name}`), { recursive: true, force: true });
    }
  }
  const failed = results.filter((result) => result.error !== undefined).length;
  console.log(`${results.length - failed} passed, ${failed} failed`);
  if (failed > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
