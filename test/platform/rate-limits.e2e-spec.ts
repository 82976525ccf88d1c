import { awayFromMinuteEdge } from '../support/clock-edges';
import { expectError, loginAs } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';

describe('rate limits (docs/api.md §1.12)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ RATE_LIMIT_AUTH: '50' });
  });
  afterAll(() => t.close());

  it('should allow 100 requests per user and window, then answer the 101st with 429 and headers', async () => {
    const { accessToken } = await loginAs(t);
    await awayFromMinuteEdge();
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 101; i++) {
      last = await t.http.get('/api/v1/users/me').set('Authorization', `Bearer ${accessToken}`);
      statuses.push(last.status);
      expect(last.headers['x-ratelimit-limit']).toBe('100');
      expect(Number(last.headers['x-ratelimit-remaining'])).toBe(Math.max(0, 99 - i));
    }
    expect(statuses.slice(0, 100).every((status) => status === 200)).toBe(true);
    expect(statuses[100]).toBe(429);
    const error = expectError(last!, 429, 'RATE_LIMIT_EXCEEDED');
    const retryAfter = Number(last!.headers['retry-after']);
    expect(error.retry_after).toBe(retryAfter);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const reset = Number(last!.headers['x-ratelimit-reset']);
    const now = Math.floor(Date.now() / 1000);
    expect(reset).toBeGreaterThan(now - 1);
    expect(reset).toBeLessThanOrEqual(now + 61);
  }, 90_000);

  it('should count each user separately', async () => {
    const a = await loginAs(t);
    const b = await loginAs(t);
    await awayFromMinuteEdge();
    for (let i = 0; i < 100; i++) await t.http.get('/api/v1/users/me').set('Authorization', `Bearer ${a.accessToken}`);
    const other = await t.http.get('/api/v1/users/me').set('Authorization', `Bearer ${b.accessToken}`);
    expect(other.status).toBe(200);
  });

  it('should key the auth bucket by client IP', async () => {
    const limited = await createTestApp({ RATE_LIMIT_AUTH: '2' });
    try {
      await awayFromMinuteEdge();
      const login = (): Promise<{ status: number }> =>
        limited.http.post('/api/v1/auth/dev/login').send({ email: 'ip@example.com' });
      expect([(await login()).status, (await login()).status, (await login()).status]).toEqual([200, 200, 429]);
    } finally {
      await limited.close();
    }
  });

  it('should never rate-limit health, metrics or docs', async () => {
    for (let i = 0; i < 8; i++) {
      expect((await t.http.get('/health/live')).status).toBe(200);
    }
    expect((await t.http.get('/metrics')).headers['x-ratelimit-limit']).toBeUndefined();
  });
});
