/**
 * `npm run bench:events -- [--changes=1000]`
 *
 * Delivery latency of the live event stream (docs/events.md): two built API processes on one
 * fresh database; a user's stream is held on instance B while the user's task is changed through
 * instance A, one PATCH at a time. Latency = from sending the PATCH to the stream event that
 * carries the change on B (so it includes the write itself, its commit, the NOTIFY and B's
 * re-read of the changes feed). Checks every change arrives once and in order; prints p50 / p95 /
 * p99 and writes bench/RESULTS-events.md.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { migrate } from '../libs/core/src/database/database-bootstrap';
import { SseClient, SseEvent } from '../test/events/sse-client';
import { benchDatabase } from './bench-database';
import { freePort, launch, Launched, ROOT, stop, waitForStatus } from './processes';
import { summarize } from './stats';

const WORK_DIR = join(ROOT, '.data', 'bench-events', `run-${process.pid}`);
const log = (message: string): void => console.log(`[bench:events] ${message}`);

interface Change {
  type: string;
  data: { title?: string } | null;
}

const titlesOf = (event: SseEvent): Array<string | undefined> =>
  event.event === 'changes'
    ? (JSON.parse(event.data) as { changes: Change[] }).changes
        .filter((change) => change.type === 'task')
        .map((change) => change.data?.title)
    : [];

async function call<T>(url: string, method: string, token: string | null, body?: object): Promise<T> {
  const response = await fetch(url, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(method === 'GET' ? {} : { 'idempotency-key': crypto.randomUUID() }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const parsed: unknown = await response.json();
  if (response.status >= 300)
    throw new Error(`${method} ${url} answered ${response.status}: ${JSON.stringify(parsed)}`);
  return parsed as T;
}

async function main(): Promise<void> {
  const arg = process.argv.slice(2).find((item) => item.startsWith('--changes='));
  const changes = arg ? Number(arg.slice('--changes='.length)) : 1000;
  if (!Number.isInteger(changes) || changes < 1) throw new Error('--changes takes a positive integer');
  rmSync(WORK_DIR, { recursive: true, force: true });
  mkdirSync(WORK_DIR, { recursive: true });
  const database = await benchDatabase(WORK_DIR, log);
  const processes: Launched[] = [];
  try {
    await migrate(database.url);
    const urls: string[] = [];
    for (const name of ['a', 'b']) {
      const port = await freePort();
      const api = launch(
        `api-${name}`,
        [join(ROOT, 'dist/apps/api/src/main.js')],
        {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          NODE_ENV: 'development',
          DATABASE_URL: database.url,
          DB_MIGRATE_ON_START: 'false',
          // One DATA_DIR: both instances sign and verify with the same development key pair.
          DATA_DIR: join(WORK_DIR, 'data'),
          PORT: String(port),
          AUTH_DEV_LOGIN: 'true',
          LOG_LEVEL: 'warn',
          RATE_LIMIT_GENERAL: '1000000',
        },
        join(WORK_DIR, `api-${name}.log`),
      );
      processes.push(api);
      urls.push(`http://127.0.0.1:${port}`);
      await waitForStatus(`${urls.at(-1)}/health/ready`, api);
    }
    const [a, b] = urls;
    const login = await call<{ access_token: string }>(`${a}/api/v1/auth/dev/login`, 'POST', null, {
      email: 'bench-events@example.com',
    });
    const token = login.access_token;
    const task = await call<{ data: { id: string } }>(`${a}/api/v1/tasks`, 'POST', token, { title: 'Change' });
    const ticket = await call<{ data: { ticket: string } }>(`${b}/api/v1/events/ticket`, 'POST', token);
    const stream = await SseClient.open(`${b}/api/v1/events?ticket=${ticket.data.ticket}`);
    if (stream.status !== 200) throw new Error(`stream answered ${stream.status}: ${stream.body}`);
    log(`${changes} changes through A (${a}), stream on B (${b})`);
    const latencies: number[] = [];
    for (let i = 0; i < changes; i++) {
      const title = `Change ${i}`;
      const sent = performance.now();
      await call(`${a}/api/v1/tasks/${task.data.id}`, 'PATCH', token, { title });
      const event = await stream.next((candidate) => titlesOf(candidate).includes(title), 5000);
      latencies.push(event.at - sent);
    }
    stream.close();
    const seen = stream.events.flatMap(titlesOf).filter((title) => title !== 'Change');
    const expected = Array.from({ length: changes }, (_, n) => `Change ${n}`);
    const exact = JSON.stringify(seen) === JSON.stringify(expected);
    const figures = summarize(latencies);
    const report = [
      '# Live event stream delivery (`npm run bench:events`)',
      '',
      `Run at ${new Date().toISOString()}. Machine: ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), ${database.description}; two built API processes on one database.`,
      '',
      `${changes} consecutive PATCHes of one task through instance A, the stream held on instance B; latency from sending the PATCH to the event on B (the write, its commit, NOTIFY and B's read of the changes feed).`,
      '',
      '| changes | p50 ms | p95 ms | p99 ms | max ms | every change once, in order |',
      '|---|---|---|---|---|---|',
      `| ${figures.count} | ${figures.p50} | ${figures.p95} | ${figures.p99} | ${figures.max} | ${exact ? 'yes' : 'NO'} |`,
      '',
    ].join('\n');
    console.log(report);
    writeFileSync(join(__dirname, 'RESULTS-events.md'), report);
    if (!exact) process.exitCode = 1;
  } finally {
    await Promise.all(processes.map((launched) => stop(launched)));
    await database.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
