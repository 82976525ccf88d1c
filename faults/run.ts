import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { freePort, ROOT } from '../bench/processes';
import { EmbeddedPostgres } from '../libs/core/src/database/embedded-postgres';
import {
  ApiProcess,
  ApiSettings,
  Attempt,
  login,
  postmasterPid,
  startApi,
  startWriteLoad,
  statusOf,
  timeUntil,
  WriteLoad,
} from './fault-kit';
import { CommitFate, startCommitCuttingProxy } from './commit-cutting-proxy';

/**
 * `npm run test:faults` (issue #8): process-level faults against the built API on its own
 * embedded PostgreSQL (own DATA_DIR and port, durable settings):
 *  1. PostgreSQL stopped (`pg_ctl -m fast`) under write load, then started again;
 *  2. PostgreSQL crashed (immediate shutdown, WAL recovery at restart) under write load;
 *  3. the API process killed with SIGKILL under write load, then started again;
 *  4. lost answers (issue #12 item 6): the API's database connections cut right after
 *     PostgreSQL acknowledged a COMMIT, and the API SIGKILLed at that instant, under write load
 *     whose clients retry every unanswered write with its own key; 0 duplicates (one task per
 *     key), 0 acknowledged writes lost.
 * While the database is away every request answers 503 SERVICE_UNAVAILABLE (the envelope) and
 * readiness answers 503; within 5 s of the database being back both recover without an API
 * restart; every acknowledged write is in the database afterwards. Prints the figures; exits 1
 * when an assertion fails.
 */
const CLIENTS = 8;
const LOAD_SECONDS = 3;
const OUTAGE_SECONDS = 3;
const RECOVERY_LIMIT_MS = 5000;
/** One COMMIT in this many loses its answer while the cutting scenario runs. */
const CUT_EVERY = 5;
const KILLS = 3;
const WORK_DIR = join(ROOT, '.data', 'faults', `run-${process.pid}`);

const log = (message: string): void => console.log(`[faults] ${message}`);
const sleep = (seconds: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, seconds * 1000));

interface Outcome {
  name: string;
  figures: Record<string, string | number>;
  failures: string[];
}

function tally(attempts: Attempt[]): string {
  const counts = new Map<string, number>();
  for (const attempt of attempts) {
    const label = attempt.status === 0 ? 'no answer' : `${attempt.status}${attempt.code ? ` ${attempt.code}` : ''}`;
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  return [...counts.entries()].map(([label, n]) => `${label}: ${n}`).join(', ');
}

/** Milliseconds from `since` to the first acknowledged create after it. */
function firstAcknowledgedAfter(load: WriteLoad, since: number): number {
  const first = load.attempts.find((a) => a.status === 201 && a.at > since);
  return first ? first.at - since : Number.POSITIVE_INFINITY;
}

/** Every acknowledged create and completion is stored; failed ones are counted as stored or not. */
async function verify(
  databaseUrl: string,
  load: WriteLoad,
  prefix: string,
  failures: string[],
): Promise<Record<string, number>> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query<{ id: string; title: string; completed: boolean }>(
      `SELECT id, title, completed FROM task_instances WHERE title LIKE $1`,
      [`${prefix}-%`],
    );
    const stored = new Map(rows.map((row) => [row.title, row]));
    const lostCreates = [...load.created].filter(([title, id]) => stored.get(title)?.id !== id);
    const lostCompletions = [...load.completed].filter((title) => !stored.get(title)?.completed);
    if (lostCreates.length > 0)
      failures.push(`${lostCreates.length} acknowledged creates lost: ${lostCreates.slice(0, 3).join(', ')}`);
    if (lostCompletions.length > 0) failures.push(`${lostCompletions.length} acknowledged completions lost`);
    const duplicates = rows.length - stored.size;
    if (duplicates > 0) failures.push(`${duplicates} tasks stored twice for one title`);
    const lastAnswers = new Map(load.attempts.map((a) => [a.key, a]));
    const failedCreates = [...lastAnswers.values()].filter((a) => a.kind === 'create' && a.status !== 201);
    const unanswered = [...lastAnswers.values()].filter((a) => a.status === 0 || a.status >= 500).length;
    return {
      'writes (keys)': lastAnswers.size,
      'keys without a final answer': unanswered,
      'tasks stored twice for one key': duplicates,
      'answers replayed from a stored outcome': load.attempts.filter((a) => a.replayed).length,
      'acknowledged creates': load.created.size,
      'acknowledged completions': load.completed.size,
      'acknowledged writes lost': lostCreates.length + lostCompletions.length,
      'failed creates': failedCreates.length,
      'failed creates stored anyway (commit raced the outage)': failedCreates.filter((a) => stored.has(a.title)).length,
    };
  } finally {
    await db.end();
  }
}

/** Requests answered while the database was away must be 503 SERVICE_UNAVAILABLE (or no answer while the API itself was down). */
function checkOutageAnswers(attempts: Attempt[], failures: string[], allowNoAnswer: boolean): void {
  const wrong = attempts.filter(
    (a) =>
      a.status !== 201 &&
      a.status !== 200 &&
      !(a.status === 503 && a.code === 'SERVICE_UNAVAILABLE') &&
      !(allowNoAnswer && a.status === 0),
  );
  if (wrong.length > 0) failures.push(`unexpected answers: ${tally(wrong)}`);
}

async function databaseOutage(
  name: string,
  embedded: EmbeddedPostgres,
  api: ApiProcess,
  databaseUrl: string,
  takeDown: () => Promise<void>,
): Promise<Outcome> {
  const failures: string[] = [];
  const prefix = `fault-${name.replace(/\W+/g, '-')}`;
  const tokens = await Promise.all(Array.from({ length: CLIENTS }, () => login(api.url)));
  const load = startWriteLoad(() => api.url, tokens, prefix);
  await sleep(LOAD_SECONDS);

  log(`${name}: taking PostgreSQL down`);
  const downAt = performance.now();
  await takeDown();
  await sleep(0.5);
  const readyWhileDown = await statusOf(`${api.url}/health/ready`);
  const liveWhileDown = await statusOf(`${api.url}/health/live`);
  if (readyWhileDown !== 503) failures.push(`readiness answered ${readyWhileDown} while the database was down`);
  if (liveWhileDown !== 200) failures.push(`liveness answered ${liveWhileDown} while the database was down`);
  await sleep(OUTAGE_SECONDS);

  log(`${name}: starting PostgreSQL again`);
  await embedded.start();
  const upAt = performance.now();
  const readyAfter = await timeUntil(async () => (await statusOf(`${api.url}/health/ready`)) === 200, 30_000);
  await timeUntil(async () => load.attempts.some((a) => a.status === 201 && a.at > upAt), 30_000);
  const firstWriteAfter = firstAcknowledgedAfter(load, upAt);
  if (readyAfter > RECOVERY_LIMIT_MS) failures.push(`readiness recovered after ${Math.round(readyAfter)} ms`);
  if (firstWriteAfter > RECOVERY_LIMIT_MS) failures.push(`writes recovered after ${Math.round(firstWriteAfter)} ms`);
  await sleep(LOAD_SECONDS);
  await load.stop();

  const during = load.attempts.filter((a) => a.at > downAt && a.at < upAt);
  checkOutageAnswers(load.attempts, failures, false);
  if (!during.some((a) => a.status === 503)) failures.push('no request was answered 503 during the outage');
  const figures = await verify(databaseUrl, load, prefix, failures);
  return {
    name,
    failures,
    figures: {
      'writes attempted': load.attempts.length,
      'answers during the outage': tally(during),
      'readiness while down': readyWhileDown,
      'readiness back after database start (ms)': Math.round(readyAfter),
      'first acknowledged write after database start (ms)': Math.round(firstWriteAfter),
      ...figures,
      'all answers': tally(load.attempts),
    },
  };
}

async function apiKilled(settings: ApiSettings, current: { api: ApiProcess }, databaseUrl: string): Promise<Outcome> {
  const name = 'API process killed (SIGKILL) under load';
  const failures: string[] = [];
  const prefix = 'fault-api-kill';
  const tokens = await Promise.all(Array.from({ length: CLIENTS }, () => login(current.api.url)));
  const load = startWriteLoad(() => current.api.url, tokens, prefix);
  await sleep(LOAD_SECONDS);
  log(`${name}: SIGKILL`);
  current.api.launched.child.kill('SIGKILL');
  await new Promise((resolve) => current.api.launched.child.once('exit', resolve));
  const restartAt = performance.now();
  current.api = await startApi(settings);
  const readyAt = performance.now();
  const bootMs = readyAt - restartAt;
  await timeUntil(async () => load.attempts.some((a) => a.status === 201 && a.at > readyAt), 30_000);
  const firstWriteAfter = firstAcknowledgedAfter(load, readyAt);
  await sleep(LOAD_SECONDS);
  await load.stop();
  checkOutageAnswers(load.attempts, failures, true);
  const figures = await verify(databaseUrl, load, prefix, failures);
  return {
    name,
    failures,
    figures: {
      'writes attempted': load.attempts.length,
      'restart until ready (ms)': Math.round(bootMs),
      'first acknowledged write after ready (ms)': Math.round(firstWriteAfter),
      ...figures,
      'all answers': tally(load.attempts),
    },
  };
}

/**
 * Writes whose answer is lost after their commit: the API's connection to PostgreSQL goes through
 * a proxy that swallows the acknowledgement of a COMMIT (`fate` decides which). Clients retry each
 * write without a final answer with the same key; the retry must replay, never run it again.
 */
async function lostAnswers(
  name: string,
  settings: ApiSettings,
  current: { api: ApiProcess },
  databaseUrl: string,
  fate: (armed: boolean) => CommitFate,
  duringLoad: (scenario: { swallowed: () => number; restartApi: () => Promise<void> }) => Promise<void>,
): Promise<Outcome> {
  const failures: string[] = [];
  const prefix = `fault-${name.replace(/\W+/g, '-')}`;
  let armed = false;
  const target = new URL(databaseUrl);
  const proxy = await startCommitCuttingProxy(
    { host: target.hostname, port: Number(target.port) },
    () => fate(armed),
    () => current.api.launched.child.kill('SIGKILL'),
  );
  const proxied = new URL(databaseUrl);
  proxied.port = String(proxy.port);
  const proxiedSettings = { ...settings, databaseUrl: proxied.toString() };
  await current.api.stop();
  current.api = await startApi(proxiedSettings);
  try {
    const tokens = await Promise.all(Array.from({ length: CLIENTS }, () => login(current.api.url)));
    const load = startWriteLoad(() => current.api.url, tokens, prefix, { retry: true });
    armed = true;
    await duringLoad({
      swallowed: () => proxy.swallowed,
      restartApi: async () => {
        current.api = await startApi(proxiedSettings);
      },
    });
    armed = false;
    await sleep(LOAD_SECONDS);
    await load.stop();
    if (proxy.swallowed === 0) failures.push('no COMMIT lost its answer: the scenario tested nothing');
    const figures = await verify(databaseUrl, load, prefix, failures);
    if (figures['keys without a final answer'] > 0)
      failures.push(`${figures['keys without a final answer']} writes never got a final answer`);
    if (figures['answers replayed from a stored outcome'] === 0) failures.push('no retry was answered by a replay');
    return {
      name,
      failures,
      figures: {
        'commits whose answer was lost': proxy.swallowed,
        ...figures,
        'all answers': tally(load.attempts),
      },
    };
  } finally {
    await current.api.stop();
    current.api = await startApi(settings);
    await proxy.close();
  }
}

async function main(): Promise<void> {
  rmSync(WORK_DIR, { recursive: true, force: true });
  mkdirSync(WORK_DIR, { recursive: true });
  const port = await freePort();
  const embedded = new EmbeddedPostgres({ dataDir: join(WORK_DIR, 'cluster'), port, database: 'perpetua_faults', log });
  const databaseUrl = await embedded.start();
  const keys = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const settings: ApiSettings = {
    databaseUrl,
    port: await freePort(),
    dataDir: WORK_DIR,
    keys,
    logFile: join(WORK_DIR, 'api.log'),
  };
  const current = { api: await startApi(settings) };
  log(`API on ${current.api.url}, PostgreSQL on port ${port} (${WORK_DIR})`);
  const outcomes: Outcome[] = [];
  try {
    outcomes.push(
      await databaseOutage('PostgreSQL stopped (pg_ctl -m fast) under load', embedded, current.api, databaseUrl, () =>
        embedded.stop(),
      ),
    );
    outcomes.push(
      await databaseOutage(
        'PostgreSQL crashed (immediate shutdown) under load',
        embedded,
        current.api,
        databaseUrl,
        async () => {
          process.kill(postmasterPid(port), 'SIGQUIT');
          await timeUntil(async () => !(await embedded.isUp()), 30_000);
        },
      ),
    );
    outcomes.push(await apiKilled(settings, current, databaseUrl));
    let commits = 0;
    outcomes.push(
      await lostAnswers(
        'lost answers: database connection cut right after COMMIT',
        settings,
        current,
        databaseUrl,
        (armed) => (armed && ++commits % CUT_EVERY === 0 ? 'cut' : 'pass'),
        () => sleep(LOAD_SECONDS * 2),
      ),
    );
    let killNext = false;
    outcomes.push(
      await lostAnswers(
        'lost answers: API SIGKILLed right after COMMIT',
        settings,
        current,
        databaseUrl,
        (armed) => {
          if (!armed || !killNext) return 'pass';
          killNext = false;
          return 'kill';
        },
        async (scenario) => {
          for (let kill = 1; kill <= KILLS; kill++) {
            await sleep(LOAD_SECONDS);
            const child = current.api.launched.child;
            const exited = new Promise((resolve) => child.once('exit', resolve));
            killNext = true;
            await exited;
            log(`SIGKILL ${kill}/${KILLS} after a COMMIT (${scenario.swallowed()} answers lost so far); restarting`);
            await scenario.restartApi();
          }
        },
      ),
    );
  } finally {
    await current.api.stop();
    await embedded.stop();
  }

  let failed = false;
  for (const outcome of outcomes) {
    console.log(`\n## ${outcome.name}: ${outcome.failures.length === 0 ? 'PASS' : 'FAIL'}`);
    for (const [label, value] of Object.entries(outcome.figures)) console.log(`- ${label}: ${value}`);
    for (const failure of outcome.failures) console.log(`- FAILURE: ${failure}`);
    failed ||= outcome.failures.length > 0;
  }
  if (!failed) rmSync(WORK_DIR, { recursive: true, force: true });
  else log(`logs kept in ${WORK_DIR}`);
  process.exit(failed ? 1 : 0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
