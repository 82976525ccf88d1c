import autocannon from 'autocannon';
import { Agent, request } from 'node:http';
import { randomInt } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { BenchUser, mixRequest, REQUEST_KINDS, RequestKind } from './crud-mix';
import { LatencySummary, round, summarize } from './stats';

/**
 * The load of one bench phase, run in its own process (`node -r ts-node/register/transpile-only
 * bench/load-generator.ts <config.json>`) so that generating load never shares an event loop with
 * the server under test. Writes a `LoadResult` JSON to `config.resultFile`.
 */
export interface LoadConfig {
  /** `closed`: autocannon, every connection fires back to back; `open`: fixed arrival rate. */
  mode: 'closed' | 'open';
  url: string;
  usersFile: string;
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
  /** Open loop only: requests per second over all connections. */
  rate?: number;
  resultFile: string;
}

export interface LoadResult {
  mode: 'closed' | 'open';
  connections: number;
  durationSeconds: number;
  requests: number;
  rps: number;
  latency: LatencySummary;
  /** Open loop only (autocannon does not say which request a response belongs to). */
  byKind: Partial<Record<RequestKind, LatencySummary>>;
  statuses: Record<string, number>;
  non2xx: number;
  errors: number;
  timeouts: number;
  errorSamples: string[];
}

const TIMEOUT_SECONDS = 10;

class Recorder {
  readonly latencies: number[] = [];
  readonly byKind = new Map<RequestKind, number[]>(REQUEST_KINDS.map((kind) => [kind, []]));
  readonly statuses: Record<string, number> = {};
  readonly errorSamples: string[] = [];
  errors = 0;
  timeouts = 0;

  response(status: number, ms: number, kind?: RequestKind): void {
    this.latencies.push(ms);
    if (kind) this.byKind.get(kind)!.push(ms);
    this.statuses[status] = (this.statuses[status] ?? 0) + 1;
  }

  error(error: Error): void {
    this.errors++;
    if (/timeout|timed out/i.test(error.message)) this.timeouts++;
    if (this.errorSamples.length < 5) this.errorSamples.push(error.message);
  }

  result(config: LoadConfig, durationSeconds: number): LoadResult {
    const byKind: Partial<Record<RequestKind, LatencySummary>> = {};
    for (const [kind, samples] of this.byKind) if (samples.length > 0) byKind[kind] = summarize(samples);
    const non2xx = Object.entries(this.statuses)
      .filter(([status]) => !status.startsWith('2'))
      .reduce((total, [, count]) => total + count, 0);
    return {
      mode: config.mode,
      connections: config.connections,
      durationSeconds: round(durationSeconds),
      requests: this.latencies.length,
      rps: round(this.latencies.length / durationSeconds),
      latency: summarize(this.latencies),
      byKind,
      statuses: this.statuses,
      non2xx,
      errors: this.errors,
      timeouts: this.timeouts,
      errorSamples: this.errorSamples,
    };
  }
}

/**
 * Saturation: `connections` connections, each sending its next request as soon as the last one
 * answered, in one continuous run; only responses after the warm-up are counted.
 */
function closedLoop(config: LoadConfig, users: BenchUser[]): Promise<LoadResult> {
  const recorder = new Recorder();
  const measureFrom = performance.now() + config.warmupSeconds * 1000;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: config.url,
        connections: config.connections,
        duration: config.warmupSeconds + config.durationSeconds,
        timeout: TIMEOUT_SECONDS,
        requests: [
          {
            setupRequest: (base) => {
              const next = mixRequest(users[randomInt(users.length)]);
              return { ...base, method: next.method, path: next.path, headers: next.headers, body: next.body };
            },
          },
        ],
      },
      (error, result) => {
        if (error) return reject(error);
        const measuredSeconds = result.duration - config.warmupSeconds;
        resolve(recorder.result(config, measuredSeconds));
      },
    );
    instance.on('response', (_client, status, _bytes, ms) => {
      if (performance.now() >= measureFrom) recorder.response(status, ms);
    });
    instance.on('reqError', (error) => {
      if (performance.now() >= measureFrom) recorder.error(error);
    });
  });
}

/**
 * Open loop: one keep-alive connection per user; each user sends a request every
 * `connections / rate` seconds at its own random phase, so arrivals are fixed at `rate` per
 * second whatever the server does. Latency counts from the scheduled send time (no coordinated
 * omission: a request waiting behind a slow one on its connection is charged the wait).
 */
async function openLoop(config: LoadConfig, users: BenchUser[]): Promise<LoadResult> {
  const url = new URL(config.url);
  const periodMs = (config.connections / config.rate!) * 1000;
  const start = performance.now() + 200;
  const measureFrom = start + config.warmupSeconds * 1000;
  const end = measureFrom + config.durationSeconds * 1000;
  const recorder = new Recorder();
  const agents: Agent[] = [];
  const pending = new Set<Promise<void>>();

  const send = (agent: Agent, user: BenchUser, scheduled: number): Promise<void> =>
    new Promise((resolve) => {
      const next = mixRequest(user);
      const measured = scheduled >= measureFrom;
      const req = request(
        { host: url.hostname, port: url.port, method: next.method, path: next.path, headers: next.headers, agent },
        (res) => {
          res.resume();
          res.on('end', () => {
            if (measured) recorder.response(res.statusCode ?? 0, performance.now() - scheduled, next.kind);
            resolve();
          });
        },
      );
      req.setTimeout(TIMEOUT_SECONDS * 1000, () => req.destroy(new Error('request timeout')));
      req.on('error', (error) => {
        if (measured) recorder.error(error);
        resolve();
      });
      req.end(next.body);
    });

  users.slice(0, config.connections).forEach((user) => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    agents.push(agent);
    const phase = Math.random() * periodMs;
    const schedule = (k: number): void => {
      const at = start + phase + k * periodMs;
      if (at >= end) return;
      setTimeout(
        () => {
          const sent = send(agent, user, at);
          pending.add(sent);
          void sent.then(() => pending.delete(sent));
          schedule(k + 1);
        },
        Math.max(0, at - performance.now()),
      );
    };
    schedule(0);
  });

  await new Promise((resolve) => setTimeout(resolve, end - performance.now()));
  await Promise.all(pending);
  agents.forEach((agent) => agent.destroy());
  return recorder.result(config, config.durationSeconds);
}

async function main(): Promise<void> {
  const config = JSON.parse(readFileSync(process.argv[2], 'utf8')) as LoadConfig;
  const users = JSON.parse(readFileSync(config.usersFile, 'utf8')) as BenchUser[];
  const result = config.mode === 'closed' ? await closedLoop(config, users) : await openLoop(config, users);
  writeFileSync(config.resultFile, JSON.stringify(result, null, 2));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
