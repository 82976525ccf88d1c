import { OnApplicationShutdown } from '@nestjs/common';
import { ThrottlerStorage, ThrottlerStorageService } from '@nestjs/throttler';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import type Redis from 'ioredis';
import { RedisFallback } from './redis-fallback';

/**
 * The rate-limit counters: in Redis when `REDIS_URL` is set (shared by every instance), in process
 * memory otherwise and whenever Redis is unusable (docs/integrations.md §6). Windows counted in
 * memory during an outage are this instance's alone and are not copied to Redis afterwards.
 */
export class FallbackThrottlerStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly remote: ThrottlerStorageRedisService | null;
  private readonly local = new ThrottlerStorageService();

  constructor(
    redis: Redis | null,
    private readonly fallback: RedisFallback,
  ) {
    this.remote = redis ? new ThrottlerStorageRedisService(redis) : null;
  }

  increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): ReturnType<ThrottlerStorage['increment']> {
    const remote = this.remote;
    const local = () => this.local.increment(key, ttl, limit, blockDuration, throttlerName);
    if (!remote) return local();
    return this.fallback.run(
      'rate_limit',
      () => remote.increment(key, ttl, limit, blockDuration, throttlerName),
      local,
    );
  }

  onApplicationShutdown(): void {
    this.local.onApplicationShutdown();
  }
}
