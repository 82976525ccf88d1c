import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import type { AuthUser } from '@app/core/http/auth-user';
import { MetricsService } from '@app/core/metrics/metrics.service';
import { RedisFallback } from '@app/core/redis/redis-fallback';
import { connectTestRedis } from '@app/testing/test-redis';
import { AiTaskCounter } from './ai-task-counter';

const counterOver = (redis: Redis | null): AiTaskCounter =>
  new AiTaskCounter(new RedisFallback(redis, new MetricsService()));

function user(): AuthUser {
  return {
    id: randomUUID(),
    email: 'a@example.com',
    tokenId: randomUUID(),
    tokenExpiresAt: Math.floor(Date.now() / 1000) + 900,
  };
}

async function takeAll(sut: AiTaskCounter, who: AuthUser, task: string, n: number): Promise<Array<number | string>> {
  return Promise.all(
    Array.from({ length: n }, () =>
      sut.take(who, task).then(
        (slot) => slot.count,
        (error: { code: string }) => error.code,
      ),
    ),
  );
}

describe(AiTaskCounter.name, () => {
  describe('in process memory', () => {
    it('should take ten slots, refuse the eleventh atomically and give slots back', async () => {
      const sut = counterOver(null);
      const who = user();
      const task = randomUUID();
      const results = await takeAll(sut, who, task, 12);
      expect(results.filter((r) => r === 'AI_TASK_LIMIT_REACHED')).toHaveLength(2);
      expect(results.filter((r) => typeof r === 'number').sort((a, b) => Number(a) - Number(b))).toEqual([
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
      ]);
      await sut.giveBack({ key: `ai-task:${who.tokenId}:${task}`, count: 10 });
      expect((await sut.take(who, task)).count).toBe(10);
    });

    it('should scope counters to the access token and the task', async () => {
      const sut = counterOver(null);
      const who = user();
      const task = randomUUID();
      await takeAll(sut, who, task, 10);
      expect((await sut.take({ ...who, tokenId: randomUUID() }, task)).count).toBe(1);
      expect((await sut.take(who, randomUUID())).count).toBe(1);
    });

    it('should forget counters of expired tokens', async () => {
      const sut = counterOver(null);
      const who = { ...user(), tokenExpiresAt: Math.floor(Date.now() / 1000) - 1 };
      const task = randomUUID();
      await sut.take(who, task);
      expect((await sut.take(who, task)).count).toBe(1);
    });
  });

  it('should fall back to memory when Redis fails', async () => {
    const broken = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => null,
    });
    broken.on('error', () => undefined);
    const sut = counterOver(broken);
    const who = user();
    expect((await sut.take(who, 't')).count).toBe(1);
    expect((await sut.take(who, 't')).count).toBe(2);
    broken.disconnect();
  });

  it('should share the counter through Redis with an expiry at the token expiry', async () => {
    const redis = await connectTestRedis();
    try {
      const first = counterOver(redis);
      const second = counterOver(redis);
      const who = user();
      const task = randomUUID();
      const results = [...(await takeAll(first, who, task, 6)), ...(await takeAll(second, who, task, 6))];
      expect(results.filter((r) => r === 'AI_TASK_LIMIT_REACHED')).toHaveLength(2);
      const key = `ai-task:${who.tokenId}:${task}`;
      expect(await redis.expiretime(key)).toBe(who.tokenExpiresAt);
      await second.giveBack({ key, count: 10 });
      expect(await redis.get(key)).toBe('9');
      await redis.del(key);
    } finally {
      redis.disconnect();
    }
  });
});
