import { Inject, Injectable, Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { MetricsService } from '../metrics/metrics.service';
import { REDIS_CLIENT } from './redis.provider';

/** The shared counters that may fall back (the `counter` label of `redis_fallback_total`). */
export type RedisCounter = 'rate_limit' | 'ai_task';

export type RedisCheck = { status: 'ok' } | { status: 'error'; message: string };

/**
 * Runs the Redis side of a shared counter and falls back to process memory whenever Redis is not
 * connected or a command fails (docs/integrations.md §6): requests never fail because of Redis.
 * The outage is logged once as a warning when it starts, counted per operation
 * (`redis_fallback_total{counter}`), shown by `redis_degraded` and by readiness; the first
 * successful command (ioredis reconnects by itself) switches back to Redis.
 */
@Injectable()
export class RedisFallback {
  private readonly logger = new Logger('Redis');
  private degradedSince: number | null = null;

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis | null,
    private readonly metrics: MetricsService,
  ) {}

  async run<T>(counter: RedisCounter, remote: (redis: Redis) => Promise<T>, local: () => T | Promise<T>): Promise<T> {
    if (!this.redis) return local();
    // A client that is not connected would queue the command until it reconnects: count locally now.
    if (this.redis.status !== 'ready') return this.fallBack(counter, `connection ${this.redis.status}`, local);
    try {
      const result = await remote(this.redis);
      this.recovered();
      return result;
    } catch (error) {
      return this.fallBack(counter, error instanceof Error ? error.message : String(error), local);
    }
  }

  /** Readiness check: pings Redis (when configured); a failure means the counters are local. */
  async check(): Promise<RedisCheck | undefined> {
    if (!this.redis) return undefined;
    const problem =
      this.redis.status === 'ready'
        ? await this.redis.ping().then(
            () => undefined,
            (error: unknown) => (error instanceof Error ? error.message : String(error)),
          )
        : `connection ${this.redis.status}`;
    if (problem === undefined) {
      this.recovered();
      return { status: 'ok' };
    }
    this.enterDegraded(problem);
    return { status: 'error', message: `Redis unavailable (${problem}); counters in process memory` };
  }

  private fallBack<T>(counter: RedisCounter, problem: string, local: () => T | Promise<T>): T | Promise<T> {
    this.enterDegraded(problem);
    this.metrics.redisFallbacks.inc({ counter });
    return local();
  }

  private enterDegraded(problem: string): void {
    if (this.degradedSince !== null) return;
    this.degradedSince = Date.now();
    this.metrics.redisDegraded.set(1);
    this.logger.warn({ problem }, 'Redis unavailable; rate limits and AI task counters count in process memory');
  }

  private recovered(): void {
    if (this.degradedSince === null) return;
    this.logger.log({ outage_ms: Date.now() - this.degradedSince }, 'Redis available again; counters shared again');
    this.degradedSince = null;
    this.metrics.redisDegraded.set(0);
  }
}
