import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { MetricsService } from '@app/core/metrics/metrics.service';
import {
  RateLimiter,
  RateLimitExceededError,
  RateLimitBucketName,
  rateLimitHeaders,
} from '@app/core/rate-limit/rate-limiter';
import type { AuthenticatedRequest } from '@app/core/http/auth-user';
import { IS_PUBLIC } from '@app/core/http/auth-user';
import { RATE_LIMIT_BUCKET, SKIP_RATE_LIMIT } from './rate-limit-bucket.decorator';

/**
 * Counts every HTTP request in its route's bucket (docs/api.md §1.12): the client IP for `auth`,
 * the user otherwise; sets the rate-limit headers and answers 429 when the bucket is exhausted.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly rateLimiter: RateLimiter,
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
    const { allowed, window, retryAfter } = await this.rateLimiter.consume(bucket, identity);
    const response = context.switchToHttp().getResponse<Response>();
    for (const [name, value] of Object.entries(rateLimitHeaders(window))) response.setHeader(name, value);
    if (!allowed) {
      this.metrics.rateLimitHits.inc({ bucket });
      throw new RateLimitExceededError(retryAfter);
    }
    return true;
  }
}
