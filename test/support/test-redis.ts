import Redis from 'ioredis';

/** The Redis the Redis-backed tests run against: `REDIS_URL`, else this machine's 127.0.0.1:6379. */
export function testRedisUrl(): string {
  return process.env.REDIS_URL || 'redis://127.0.0.1:6379';
}

/**
 * A connected client for `testRedisUrl()`. An unreachable Redis fails the test (never a skip):
 * the Redis paths are part of what the suite proves.
 */
export async function connectTestRedis(): Promise<Redis> {
  const url = testRedisUrl();
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
    return redis;
  } catch (error) {
    redis.disconnect();
    const origin = process.env.REDIS_URL ? 'REDIS_URL' : 'the default (REDIS_URL unset)';
    throw new Error(
      `Redis at ${url}, ${origin}, is not reachable (${String(error)}): start redis-server or point REDIS_URL at one`,
    );
  }
}
