import { TokenExpiredError, UnauthorizedError, ValidationError } from '@app/core/errors/domain-error';
import { DatabaseUnavailableError } from '@app/core/errors/error-envelope';
import { IdempotencyInProgressError } from '@app/core/idempotency/idempotency.errors';
import { errorHeaders } from './error-response';
import { RateLimitExceededError } from '@app/core/rate-limit/rate-limiter';

describe(errorHeaders.name, () => {
  it('should derive Retry-After and the rate-limit window from the error', () => {
    const window = { limit: 60, remaining: 0, resetAt: 1_700_000_060_000 };
    expect(errorHeaders(new RateLimitExceededError(7, window))).toEqual({
      'X-RateLimit-Limit': '60',
      'X-RateLimit-Remaining': '0',
      'X-RateLimit-Reset': '1700000060',
      'Retry-After': '7',
    });
    expect(errorHeaders(new IdempotencyInProgressError())).toEqual({ 'Retry-After': '1' });
    expect(errorHeaders(new DatabaseUnavailableError())).toEqual({ 'Retry-After': '5' });
  });

  it('should challenge the 401 codes that carry a bearer challenge', () => {
    expect(errorHeaders(new UnauthorizedError())).toEqual({ 'WWW-Authenticate': 'Bearer' });
    expect(errorHeaders(new TokenExpiredError())['WWW-Authenticate']).toMatch(/^Bearer error="invalid_token"/);
    expect(errorHeaders(ValidationError.field('title', 'must not be empty'))).toEqual({});
  });
});
