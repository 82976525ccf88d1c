import { ChildProcess, spawn } from 'node:child_process';
import { Writable } from 'node:stream';
import Redis from 'ioredis';
import { loginAs, LoggedInUser } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';
import { freePort } from '../support/test-database';

/** A throwaway `redis-server` of this test alone (no persistence), so it can be killed under load. */
function startRedis(port: number): ChildProcess {
  return spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function metric(text: string, name: string): number {
  const line = text.split('\n').find((entry) => entry.startsWith(name));
  return line ? Number(line.slice(name.length).trim()) : 0;
}

/**
 * docs/integrations.md §6: a Redis outage never turns a rate-limited request into a 500. The
 * counters fall back to process memory with one warning, `redis_fallback_total` and
 * `redis_degraded`, readiness reports `degraded`, and the API returns to Redis when it is back.
 */
describe('Redis outage under load', () => {
  const logs: Array<Record<string, unknown>> = [];
  let port: number;
  let redis: ChildProcess;
  let probe: Redis;
  let t: TestApp;
  let users: LoggedInUser[];

  const ready = () => t.http.get('/health/ready');
  const metrics = async () => (await t.http.get('/metrics')).text;
  const rateLimitKeys = () => probe.keys('*rl:general:*');

  beforeAll(async () => {
    port = await freePort();
    redis = startRedis(port);
    probe = new Redis(port, '127.0.0.1', { maxRetriesPerRequest: 0, retryStrategy: () => 50 });
    probe.on('error', () => undefined);
    await until('redis-server', () => probe.ping().then(String, () => undefined));
    const destination = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) logs.push(JSON.parse(line));
        callback();
      },
    });
    t = await createTestApp(
      { REDIS_URL: `redis://127.0.0.1:${port}`, RATE_LIMIT_GENERAL: '40', LOG_LEVEL: 'info' },
      { logDestination: destination },
    );
    users = await Promise.all(Array.from({ length: 4 }, () => loginAs(t)));
    // A live job runner, so that readiness is `ok` and only Redis can degrade it.
    await t.dataSource.query(
      `INSERT INTO job_runner_heartbeats (runner_id, started_at, last_seen_at) VALUES ('test:1', now(), now() + interval '1 hour')`,
    );
  });

  afterAll(async () => {
    await t.close();
    probe.disconnect();
    redis.kill('SIGKILL');
  });

  it('should answer 2xx/429 (never 500) while Redis is killed, report degraded, and recover', async () => {
    await until('Redis connected', async () => ((await ready()).body.checks.redis?.status === 'ok' ? true : undefined));
    expect((await ready()).body).toMatchObject({ status: 'ok', checks: { redis: { status: 'ok' } } });

    const statuses: number[] = [];
    let stop = false;
    const load = Promise.all(
      users.map(async (user) => {
        while (!stop) {
          const response = await t.http.get('/api/v1/users/me').set('Authorization', `Bearer ${user.accessToken}`);
          statuses.push(response.status);
        }
      }),
    );
    try {
      await until('answers counted in Redis', async () => (statuses.length >= 20 ? true : undefined));
      expect((await rateLimitKeys()).length).toBe(users.length);

      redis.kill('SIGKILL');
      const killedAt = statuses.length;
      const degraded = await until('readiness degraded', async () => {
        const response = await ready();
        return response.body.status === 'degraded' ? response : undefined;
      });
      expect(degraded.status).toBe(200);
      expect(degraded.body.checks.redis).toEqual({ status: 'error', message: expect.stringContaining('Redis') });
      expect(degraded.body.checks.database).toEqual({ status: 'ok' });
      // Enough load to exhaust the 40-request windows in process memory as well (→ 429).
      await until('answers during the outage', async () => (statuses.length >= killedAt + 250 ? true : undefined));
      const duringOutage = await metrics();
      expect(metric(duringOutage, 'redis_fallback_total{counter="rate_limit"}')).toBeGreaterThan(0);
      expect(metric(duringOutage, 'redis_degraded')).toBe(1);

      redis = startRedis(port);
      await until('readiness ok again', async () => ((await ready()).body.status === 'ok' ? true : undefined));
      const restartedAt = statuses.length;
      await until('answers after the restart', async () => (statuses.length >= restartedAt + 20 ? true : undefined));
    } finally {
      stop = true;
      await load;
    }

    expect(new Set(statuses.filter((status) => status !== 200 && status !== 429))).toEqual(new Set());
    expect(statuses).toContain(429);
    // Counting is back in the restarted (empty) Redis, and the gauge is cleared.
    expect((await rateLimitKeys()).length).toBeGreaterThan(0);
    expect(metric(await metrics(), 'redis_degraded')).toBe(0);
    const warnings = logs.filter((line) => line.level === 40 && String(line.message).startsWith('Redis unavailable'));
    expect(warnings).toHaveLength(1);
    expect(logs.some((line) => String(line.message).startsWith('Redis available again'))).toBe(true);
  });
});
