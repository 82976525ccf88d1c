import { awayFromMinuteEdge } from '../support/clock-edges';
import type Redis from 'ioredis';
import { expectError, loginAs } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';
import { connectTestRedis, testRedisUrl } from '../support/test-redis';

const WINDOW_MS = 60_000;

/**
 * The Redis-backed rate-limit storage (docs/integrations.md §6, docs/api.md §1.12): two API
 * instances on one database and one Redis share each user's window. Runs against `REDIS_URL`,
 * else this machine's Redis, and fails when it is unreachable.
 */
describe('rate limits shared through Redis', () => {
  let redis: Redis;
  let first: TestApp;
  let second: TestApp;

  beforeAll(async () => {
    redis = await connectTestRedis();
    const env = { REDIS_URL: testRedisUrl(), RATE_LIMIT_GENERAL: '4' };
    first = await createTestApp(env);
    second = await createTestApp(env, { databaseUrl: first.databaseUrl });
  });

  afterAll(async () => {
    await second.close();
    await first.close();
    redis.disconnect();
  });

  it('should count the requests of one user on both instances in one window', async () => {
    const { accessToken, user } = await loginAs(first);
    // Windows are aligned to the minute: start well inside one so the five requests share it.
    await awayFromMinuteEdge();
    const window = Math.floor(Date.now() / WINDOW_MS);

    const remaining: string[] = [];
    for (const app of [first, second, first, second]) {
      const res = await app.http.get('/api/v1/users/me').set('Authorization', `Bearer ${accessToken}`);
      expect(res.status).toBe(200);
      remaining.push(res.headers['x-ratelimit-remaining']);
    }
    const over = await second.http.get('/api/v1/users/me').set('Authorization', `Bearer ${accessToken}`);

    expect(remaining).toEqual(['3', '2', '1', '0']);
    expectError(over, 429, 'RATE_LIMIT_EXCEEDED');
    expect(Math.floor(Date.now() / WINDOW_MS)).toBe(window);
    // The window's count lives in Redis (the storage's key wraps ours), not in either process.
    expect(await redis.get(`{rl:general:${user.id}:${window}:general}:hits`)).toBe('5');
  });
});
