import { Inject, Injectable } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';
import { AppConfig } from '../config/app-config';
import { DomainError, RateLimitWindow } from '../errors/domain-error';

/** The buckets of docs/api.md §1.12. */
export type RateLimitBucketName = 'auth' | 'ai' | 'general';

const WINDOW_MS = 60_000;

export interface RateLimitDecision {
  allowed: boolean;
  /** The window this request counted in. */
  window: RateLimitWindow;
  /** Seconds until the window resets, at least 1 (`Retry-After`). */
  retryAfter: number;
}

export class RateLimitExceededError extends DomainError {
  constructor(retryAfter: number, rateLimit?: RateLimitWindow) {
    super('RATE_LIMIT_EXCEEDED', 'Rate limit exceeded', { extra: { retry_after: retryAfter }, retryAfter, rateLimit });
  }
}

/** `X-RateLimit-Limit`, `X-RateLimit-Remaining` and `X-RateLimit-Reset` of a window (docs/api.md §1.12). */
export function rateLimitHeaders(window: RateLimitWindow): Record<string, string> {
  return {
    'X-RateLimit-Limit': String(window.limit),
    'X-RateLimit-Remaining': String(window.remaining),
    'X-RateLimit-Reset': String(Math.ceil(window.resetAt / 1000)),
  };
}

/**
 * Fixed 60-second windows per bucket and key (docs/api.md §1.12), for HTTP routes, the calendar
 * feed and voice connections alike. Counting is delegated to the throttler storage (in memory, or
 * Redis when `REDIS_URL` is set, shared by every instance, with the in-memory fallback of
 * docs/integrations.md §6); the window index is part of the key, so every instance agrees on where
 * windows start.
 */
@Injectable()
export class RateLimiter {
  constructor(
    @Inject(ThrottlerStorage) private readonly storage: ThrottlerStorage,
    private readonly config: AppConfig,
  ) {}

  /** Counts one request of `key` in `bucket`. */
  async consume(bucket: RateLimitBucketName, key: string): Promise<RateLimitDecision> {
    const limit = this.limitOf(bucket);
    const now = Date.now();
    const window = Math.floor(now / WINDOW_MS);
    const resetAt = (window + 1) * WINDOW_MS;
    const record = await this.storage.increment(
      `rl:${bucket}:${key}:${window}`,
      resetAt - now,
      Number.MAX_SAFE_INTEGER,
      0,
      bucket,
    );
    return {
      allowed: record.totalHits <= limit,
      window: { limit, remaining: Math.max(0, limit - record.totalHits), resetAt },
      retryAfter: Math.max(1, Math.ceil((resetAt - Date.now()) / 1000)),
    };
  }

  private limitOf(bucket: RateLimitBucketName): number {
    switch (bucket) {
      case 'auth':
        return this.config.RATE_LIMIT_AUTH;
      case 'ai':
        return this.config.RATE_LIMIT_AI;
      case 'general':
        return this.config.RATE_LIMIT_GENERAL;
    }
  }
}
