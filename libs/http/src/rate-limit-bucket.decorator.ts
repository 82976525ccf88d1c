import { SetMetadata } from '@nestjs/common';
import type { RateLimitBucketName } from '@app/core/rate-limit/rate-limiter';

export const RATE_LIMIT_BUCKET = 'perpetua:rateLimitBucket';
export const SKIP_RATE_LIMIT = 'perpetua:skipRateLimit';

/** Chooses the rate-limit bucket of docs/api.md §1.12 for a controller or route (default: general). */
export const RateLimitBucket = (bucket: RateLimitBucketName): MethodDecorator & ClassDecorator =>
  SetMetadata(RATE_LIMIT_BUCKET, bucket);

/** Health, metrics, docs, JWKS and webhooks are never rate-limited. */
export const SkipRateLimit = (): MethodDecorator & ClassDecorator => SetMetadata(SKIP_RATE_LIMIT, true);
