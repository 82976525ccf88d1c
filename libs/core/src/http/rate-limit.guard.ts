import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ThrottlerStorage } from '@nestjs/throttler';
import type { Response } from 'express';
import { AppConfig } from '../config/app-config';
import { DomainError, RateLimitWindow } from '../errors/domain-error';
import { MetricsService } from '../metrics/metrics.service';
import type { AuthenticatedRequest } from './auth-user';
import { IS_PUBLIC } from './auth-user';
import { RATE_LIMIT_BUCKET, RateLimitBucketName, SKIP_RATE_LIMIT } from './rate-limit-bucket.decorator';

const WINDOW_MS = 60_000;

export class RateLimitExceededError extends DomainError {
  constructor(retryAfter: number, rateLimit?: RateLimitWindow) {
    super('RATE_LIMIT_EXCEEDED', 'Rate limit exceeded', { extra: { retry_after: retryAfter }, retryAfter, rateLimit });
  }
}

/**
 * Fixed 60-second windows per bucket and key (docs/api.md §1.12). Counting is delegated to the
 * throttler storage (in memory, or Redis when `REDIS_URL` is set, shared by every instance); the
 * window index is part of the key, so every instance agrees on where windows start.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(ThrottlerStorage) private readonly storage: ThrottlerStorage,
    private readonly config: AppConfig,
    private readonly metrics: MetricsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(SKIP_RATE_LIMIT, targets)) return true;
    const bucket = this.reflector.getAllAndOverride<RateLimitBucketName>(RATE_LIMIT_BUCKET, targets) ?? 'general';
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const identity = bucket === 'auth' ? request.ip : request.user?.id;
    if (!identity) {
      if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
      throw new Error(`Rate-limit bucket ${bucket} needs an authenticated user`);
    }
    const { allowed, limit, remaining, resetAt } = await this.hit(bucket, identity);
    const response = context.switchToHttp().getResponse<Response>();
    response.setHeader('X-RateLimit-Limit', String(limit));
    response.setHeader('X-RateLimit-Remaining', String(remaining));
    response.setHeader('X-RateLimit-Reset', String(Math.ceil(resetAt / 1000)));
    if (!allowed) {
      this.metrics.rateLimitHits.inc({ bucket });
      throw new RateLimitExceededError(Math.max(1, Math.ceil((resetAt - Date.now()) / 1000)));
    }
    return true;
  }

  /** Counts one request of `identity` in `bucket`; also used by the voice WebSocket gateway. */
  async hit(
    bucket: RateLimitBucketName,
    identity: string,
  ): Promise<{ allowed: boolean; limit: number; remaining: number; resetAt: number }> {
    const limit = this.limitOf(bucket);
    const now = Date.now();
    const window = Math.floor(now / WINDOW_MS);
    const resetAt = (window + 1) * WINDOW_MS;
    const record = await this.storage.increment(
      `rl:${bucket}:${identity}:${window}`,
      resetAt - now,
      Number.MAX_SAFE_INTEGER,
      0,
      bucket,
    );
    return {
      allowed: record.totalHits <= limit,
      limit,
      remaining: Math.max(0, limit - record.totalHits),
      resetAt,
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
