import { ThrottlerStorageService } from '@nestjs/throttler';
import { AppConfig } from '../config/app-config';
import { RateLimiter, rateLimitHeaders } from './rate-limiter';

describe(RateLimiter.name, () => {
  const config = Object.assign(new AppConfig(), { RATE_LIMIT_AUTH: 2, RATE_LIMIT_AI: 3, RATE_LIMIT_GENERAL: 5 });
  let storage: ThrottlerStorageService;
  let sut: RateLimiter;

  beforeEach(() => {
    jest.useFakeTimers({ now: Date.UTC(2026, 11, 3, 14, 0, 15) });
    storage = new ThrottlerStorageService();
    sut = new RateLimiter(storage, config);
  });

  afterEach(() => {
    storage.onApplicationShutdown();
    jest.useRealTimers();
  });

  it('should allow up to the bucket limit in a window, then refuse until the window resets', async () => {
    await expect(sut.consume('auth', '203.0.113.7')).resolves.toEqual({
      allowed: true,
      window: { limit: 2, remaining: 1, resetAt: Date.UTC(2026, 11, 3, 14, 1) },
      retryAfter: 45,
    });
    await expect(sut.consume('auth', '203.0.113.7')).resolves.toMatchObject({ allowed: true });
    await expect(sut.consume('auth', '203.0.113.7')).resolves.toMatchObject({
      allowed: false,
      window: { remaining: 0 },
    });
    jest.setSystemTime(Date.UTC(2026, 11, 3, 14, 1));
    await expect(sut.consume('auth', '203.0.113.7')).resolves.toMatchObject({ allowed: true, retryAfter: 60 });
  });

  it('should count buckets and keys apart', async () => {
    for (let i = 0; i < 3; i++) await sut.consume('ai', 'user-1');
    await expect(sut.consume('ai', 'user-1')).resolves.toMatchObject({ allowed: false });
    await expect(sut.consume('ai', 'user-2')).resolves.toMatchObject({ allowed: true });
    await expect(sut.consume('general', 'user-1')).resolves.toMatchObject({
      allowed: true,
      window: { limit: 5, remaining: 4 },
    });
  });

  it('should describe a window in the X-RateLimit-* headers', () => {
    expect(rateLimitHeaders({ limit: 2, remaining: 1, resetAt: Date.UTC(2026, 11, 3, 14, 1) })).toEqual({
      'X-RateLimit-Limit': '2',
      'X-RateLimit-Remaining': '1',
      'X-RateLimit-Reset': String(Date.UTC(2026, 11, 3, 14, 1) / 1000),
    });
  });
});
