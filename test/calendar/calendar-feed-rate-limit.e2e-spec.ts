import { awayFromMinuteEdge } from '../support/clock-edges';
import { as, expectError, loginAs } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';
import { fetchFeed, issueFeed } from './calendar-fixtures';

describe('Calendar feed rate limits', () => {
  let t: TestApp;

  beforeEach(() => awayFromMinuteEdge());

  beforeAll(async () => {
    t = await createTestApp({ RATE_LIMIT_GENERAL: '3', RATE_LIMIT_AUTH: '4' });
  });

  afterAll(() => t.close());

  it('should count polls of a known token in a bucket of its own (general limit)', async () => {
    const { accessToken } = await loginAs(t);
    const feed = await issueFeed(t, accessToken);
    for (let i = 0; i < 3; i++) {
      const res = await fetchFeed(t, feed.url);
      expect(res.status).toBe(200);
      expect(res.headers['x-ratelimit-limit']).toBe('3');
      expect(res.headers['x-ratelimit-remaining']).toBe(String(2 - i));
    }
    const refused = await fetchFeed(t, feed.url);
    const limited = expectError(refused, 429, 'RATE_LIMIT_EXCEEDED');
    // The seconds left in the minute window, the same in the body and the header.
    expect(limited.retry_after).toBe(Number(refused.headers['retry-after']));
    expect(limited.retry_after).toBeGreaterThanOrEqual(1);
    expect(limited.retry_after).toBeLessThanOrEqual(60);
    // The user's own general bucket is separate.
    expect((await as(t, accessToken).get('/api/v1/users/me')).status).toBe(200);
  });

  it('should throttle guessing: unknown tokens count against the client address (auth limit)', async () => {
    const path = (i: number): string => `/api/v1/calendar-feed/${String(i).padStart(43, 'x')}.ics`;
    for (let i = 0; i < 4; i++) expectError(await t.http.get(path(i)), 404, 'NOT_FOUND');
    const res = await t.http.get(path(9));
    expectError(res, 429, 'RATE_LIMIT_EXCEEDED');
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });
});
