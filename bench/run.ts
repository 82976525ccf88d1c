import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { migrate } from '../libs/core/src/database/database-bootstrap';
import { startFakeOpenAi } from '../test/support/fake-openai';
import { benchDatabase, seed } from './bench-database';
import type { BenchUser } from './crud-mix';
import type { LoadConfig, LoadResult } from './load-generator';
import {
  cpuMsOf,
  exited,
  freePort,
  launch,
  Launched,
  launchTs,
  memoryOf,
  postgresCpuMsOf,
  ROOT,
  stop,
  waitForStatus,
} from './processes';
import { BenchFigures, checks, PhaseFigures, renderReport } from './report';
import { measureAiOverhead, measureStarts, measureWebhooks } from './side-figures';
import { round } from './stats';

/**
 * `npm run bench` (issue #7): the built product (API and job runner as two processes) and the
 * floor server on one fresh database, the CRUD mix at saturation and at 1000 users' pace,
 * webhook and AI figures, start times; prints the figures and writes bench/RESULTS.md.
 *
 * Environment: DATABASE_URL (a server to create the `perpetua_bench` database on; default: an
 * embedded cluster under .data/bench), BENCH_DURATION_SECONDS (30), BENCH_WARMUP_SECONDS (10),
 * BENCH_CPU_PROF=1 (write a CPU profile of the API to .data/bench/profiles), BENCH_API_NODE_OPTIONS
 * (NODE_OPTIONS of the API process only, e.g. a heap cap; default none).
 */
const env = process.env;
const SETTINGS = {
  users: 1000,
  tasksPerUser: 20,
  connections: 1000,
  openRate: 200,
  warmupSeconds: Number(env.BENCH_WARMUP_SECONDS ?? 10),
  durationSeconds: Number(env.BENCH_DURATION_SECONDS ?? 30),
  webhooks: 200,
  aiCalls: 100,
  aiProviderDelayMs: 20,
  /** Generous limits so that rate limiting does not shape the benchmark (documented in the report). */
  rateLimit: 1_000_000,
};
/** Node options of the API process only (none by default, as README "Deployment shape" says). */
const API_NODE_OPTIONS = env.BENCH_API_NODE_OPTIONS ?? '';
const WORK_DIR = join(ROOT, '.data', 'bench');
const RESULTS_FILE = join(ROOT, 'bench', 'RESULTS.md');
const REMINDERS_FILE = join(ROOT, 'bench', 'RESULTS-reminders.md');

const log = (message: string): void => console.log(`[bench] ${message}`);

function machine(database: string): BenchFigures['machine'] {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGb: round(totalmem() / 1024 ** 3),
    node: process.version,
    database,
  };
}

async function runLoad(
  name: string,
  mode: LoadConfig['mode'],
  url: string,
  usersFile: string,
  server: Launched,
  watchRss: boolean,
  postmasterPid: number | undefined,
): Promise<{ result: LoadResult; rssMb: number; cpuMsPerRequest: number; postgresCpuMsPerRequest: number | null }> {
  const config: LoadConfig = {
    mode,
    url,
    usersFile,
    connections: SETTINGS.connections,
    warmupSeconds: SETTINGS.warmupSeconds,
    durationSeconds: SETTINGS.durationSeconds,
    rate: SETTINGS.openRate,
    resultFile: join(WORK_DIR, `${name}.json`),
  };
  const configFile = join(WORK_DIR, `${name}.config.json`);
  writeFileSync(configFile, JSON.stringify(config));
  log(
    `${name}: ${mode} loop, ${config.connections} connections, ${config.warmupSeconds} s warm-up + ${config.durationSeconds} s`,
  );
  let rssMb = 0;
  const sampler = setInterval(() => {
    if (watchRss) rssMb = Math.max(rssMb, memoryOf(server.pid).rssMb);
  }, 250);
  const cpuBefore = cpuMsOf(server.pid);
  const postgresBefore = postmasterPid ? postgresCpuMsOf(postmasterPid) : 0;
  try {
    await exited(launchTs(`load ${name}`, 'bench/load-generator.ts', [configFile], env, join(WORK_DIR, 'load.log')));
  } finally {
    clearInterval(sampler);
  }
  const result = JSON.parse(readFileSync(config.resultFile, 'utf8')) as LoadResult;
  log(
    `${name}: ${result.rps} req/s, p50 ${result.latency.p50} ms, p95 ${result.latency.p95} ms, p99 ${result.latency.p99} ms, errors ${result.errors + result.non2xx}`,
  );
  // Warm-up and measured requests: the same mix, so CPU per request is their average.
  const served = result.requests * (1 + config.warmupSeconds / config.durationSeconds);
  const cpuMsPerRequest = round((cpuMsOf(server.pid) - cpuBefore) / Math.max(1, served), 2);
  const postgresCpuMsPerRequest = postmasterPid
    ? round((postgresCpuMsOf(postmasterPid) - postgresBefore) / Math.max(1, served), 2)
    : null;
  return { result, rssMb, cpuMsPerRequest, postgresCpuMsPerRequest };
}

/**
 * Waits until the server has worked off what a finished load left in flight (autocannon drops
 * its connections, the server still answers them): three list requests in a row under 100 ms.
 */
async function drain(url: string, user: BenchUser): Promise<void> {
  const deadline = performance.now() + 60_000;
  for (let fast = 0; fast < 3 && performance.now() < deadline;) {
    const start = performance.now();
    const response = await fetch(`${url}/api/v1/tasks`, { headers: { authorization: `Bearer ${user.token}` } });
    await response.arrayBuffer();
    fast = performance.now() - start < 100 ? fast + 1 : 0;
    await new Promise((resolveWait) => setTimeout(resolveWait, 200));
  }
}

async function phase(
  mode: LoadConfig['mode'],
  servers: { api: Launched; floor: Launched },
  urls: { api: string; floor: string },
  users: BenchUser[],
  usersFile: string,
  postmasterPid: number | undefined,
): Promise<PhaseFigures> {
  const label = mode === 'closed' ? 'saturation' : 'users';
  const loadBefore = round(loadavg()[0], 2);
  await drain(urls.api, users[0]);
  const product = await runLoad(`${label}-product`, mode, urls.api, usersFile, servers.api, true, postmasterPid);
  const apiHwmMb = memoryOf(servers.api.pid).peakMb;
  await drain(urls.floor, users[0]);
  const floor = await runLoad(`${label}-floor`, mode, urls.floor, usersFile, servers.floor, false, postmasterPid);
  return {
    product: product.result,
    floor: floor.result,
    apiRssMb: product.rssMb,
    apiHwmMb,
    loadBefore,
    loadAfter: round(loadavg()[0], 2),
    cpuMsPerRequest: { product: product.cpuMsPerRequest, floor: floor.cpuMsPerRequest },
    postgresCpuMsPerRequest: { product: product.postgresCpuMsPerRequest, floor: floor.postgresCpuMsPerRequest },
  };
}

function reminderFigures(): string {
  if (!existsSync(REMINDERS_FILE)) {
    const scripts = (
      JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
    ).scripts;
    if (!scripts['bench:reminders'])
      return 'Not measured: `npm run bench:reminders` (jobs engineer) does not exist yet.';
    log('running npm run bench:reminders');
    try {
      execFileSync('npm', ['run', 'bench:reminders'], { cwd: ROOT, stdio: 'inherit', timeout: 180_000 });
    } catch (error) {
      return `\`npm run bench:reminders\` failed: ${String(error)}`;
    }
  }
  if (!existsSync(REMINDERS_FILE)) return '`npm run bench:reminders` wrote no bench/RESULTS-reminders.md.';
  const text = readFileSync(REMINDERS_FILE, 'utf8').replace(/^#/gm, '###');
  return `From [RESULTS-reminders.md](RESULTS-reminders.md) (\`npm run bench:reminders\`):\n\n${text.trim()}`;
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const t0 = performance.now();
  mkdirSync(WORK_DIR, { recursive: true });
  const database = await benchDatabase(WORK_DIR, log);
  const fakeOpenAi = await startFakeOpenAi();
  fakeOpenAi.delayMs = SETTINGS.aiProviderDelayMs;
  const processes: Launched[] = [];
  try {
    log(`database: ${database.description}`);
    await migrate(database.url);
    const apiPort = await freePort();
    const floorPort = await freePort();
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    const floorUrl = `http://127.0.0.1:${floorPort}`;
    const webhookSecret = randomBytes(16).toString('hex');
    const productEnv: NodeJS.ProcessEnv = {
      ...env,
      NODE_ENV: 'development',
      DATABASE_URL: database.url,
      DB_MIGRATE_ON_START: 'false',
      DATA_DIR: join(WORK_DIR, 'data'),
      PORT: String(apiPort),
      AUTH_DEV_LOGIN: 'true',
      JWT_ACCESS_EXPIRY_MINUTES: '120',
      RATE_LIMIT_GENERAL: String(SETTINGS.rateLimit),
      RATE_LIMIT_AI: String(SETTINGS.rateLimit),
      RATE_LIMIT_AUTH: String(SETTINGS.rateLimit),
      OPENAI_API_KEY: 'bench-key',
      OPENAI_BASE_URL: fakeOpenAi.url,
      CHECKOUT_WEBHOOK_SECRET: webhookSecret,
    };
    delete productEnv.REDIS_URL;
    const profile = env.BENCH_CPU_PROF === '1' ? ['--cpu-prof', `--cpu-prof-dir=${join(WORK_DIR, 'profiles')}`] : [];
    const apiEnv = { ...productEnv, NODE_OPTIONS: API_NODE_OPTIONS };
    const api = launch('api', [...profile, join(ROOT, 'dist/apps/api/src/main.js')], apiEnv, join(WORK_DIR, 'api.log'));
    processes.push(api);
    processes.push(
      launch('runner', [join(ROOT, 'dist/apps/worker/src/main.js')], productEnv, join(WORK_DIR, 'runner.log')),
    );
    await waitForStatus(`${apiUrl}/health/ready`, api);
    log(`API ready on ${apiUrl}; seeding ${SETTINGS.users} users × ${SETTINGS.tasksPerUser} tasks`);
    const users: BenchUser[] = await seed(apiUrl, database.url, SETTINGS.users, SETTINGS.tasksPerUser);
    const usersFile = join(WORK_DIR, 'users.json');
    writeFileSync(usersFile, JSON.stringify(users));

    const floor = launchTs(
      'floor',
      'bench/floor-server.ts',
      [],
      {
        ...env,
        DATABASE_URL: database.url,
        PORT: String(floorPort),
        JWKS_URL: `${apiUrl}/.well-known/jwks.json`,
        RATE_LIMIT_GENERAL: String(SETTINGS.rateLimit),
      },
      join(WORK_DIR, 'floor.log'),
    );
    processes.push(floor);
    await waitForStatus(`${floorUrl}/health`, floor);

    const urls = { api: apiUrl, floor: floorUrl };
    const saturation = await phase('closed', { api, floor }, urls, users, usersFile, database.postmasterPid);
    const open = await phase('open', { api, floor }, urls, users, usersFile, database.postmasterPid);
    log(`webhooks: ${SETTINGS.webhooks} signed events`);
    const webhooks = await measureWebhooks(apiUrl, database.url, webhookSecret, users, SETTINGS.webhooks);
    log(`AI chat: ${SETTINGS.aiCalls} calls, provider delay ${SETTINGS.aiProviderDelayMs} ms`);
    const ai = await measureAiOverhead(apiUrl, users, SETTINGS.aiCalls, SETTINGS.aiProviderDelayMs);
    await Promise.all(processes.splice(0).map((launched) => stop(launched)));

    log('start times (cold, then warm)');
    const starts = await measureStarts(
      join(tmpdir(), `perpetua-bench-start-${process.pid}`),
      join(WORK_DIR, 'start.log'),
    );
    const reminders = reminderFigures();
    const figures: BenchFigures = {
      startedAt: startedAt.toISOString(),
      command: 'npm run bench',
      machine: machine(database.description),
      settings: {
        ...SETTINGS,
        rateLimit: `RATE_LIMIT_GENERAL/AI/AUTH=${SETTINGS.rateLimit} for the product and the floor`,
        logging: 'product at LOG_LEVEL=info, one JSON line per request to a file (.data/bench/api.log)',
        pool: 'product: its default pool; floor: pg Pool max 20',
        apiNodeOptions: API_NODE_OPTIONS || 'none',
      },
      saturation,
      open,
      webhooks,
      ai,
      starts,
      reminders,
      totalSeconds: Math.round((performance.now() - t0) / 1000),
    };
    writeFileSync(RESULTS_FILE, renderReport(figures, RESULTS_FILE));
    writeFileSync(join(WORK_DIR, 'figures.json'), JSON.stringify(figures, null, 2));
    console.log('');
    for (const check of checks(figures)) {
      console.log(`${check.met ? 'met   ' : 'MISSED'}  ${check.name}: ${check.measured} (target ${check.target})`);
    }
    console.log(`cold start ${starts.coldMs} ms, warm start ${starts.warmMs} ms; report written to bench/RESULTS.md`);
  } finally {
    await Promise.all(processes.map((launched) => stop(launched)));
    await fakeOpenAi.close();
    await database.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
