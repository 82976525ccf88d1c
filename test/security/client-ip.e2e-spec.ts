import { awayFromMinuteEdge } from '../support/clock-edges';
import { randomUUID } from 'node:crypto';
import { expectError } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';

/** docs/api.md §1.12: the client IP every per-IP rule uses, decided by TRUST_PROXY. */
describe('Client IP (TRUST_PROXY)', () => {
  beforeEach(() => awayFromMinuteEdge());
  const login = (t: TestApp, forwardedFor: string, email = `ip-${randomUUID()}@example.com`) =>
    t.http.post('/api/v1/auth/dev/login').set('X-Forwarded-For', forwardedFor).send({ email });
  const missFeed = (t: TestApp, forwardedFor: string) =>
    t.http.get(`/api/v1/calendar-feed/${'x'.repeat(43)}.ics`).set('X-Forwarded-For', forwardedFor);

  describe('behind a trusted hop (TRUST_PROXY=loopback)', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await createTestApp({ TRUST_PROXY: 'loopback', RATE_LIMIT_AUTH: '2' });
    });

    afterAll(() => t.close());

    it('should give two clients with different X-Forwarded-For separate auth buckets', async () => {
      for (let i = 0; i < 2; i++) expect((await login(t, '203.0.113.7')).status).toBe(200);
      const limited = await login(t, '203.0.113.7');
      expectError(limited, 429, 'RATE_LIMIT_EXCEEDED');

      const other = await login(t, '198.51.100.9');
      expect(other.status).toBe(200);
      expect(other.headers['x-ratelimit-remaining']).toBe('1');
    });

    it('should key the calendar feed misses on the forwarded client', async () => {
      for (let i = 0; i < 2; i++) expectError(await missFeed(t, '203.0.113.50'), 404, 'NOT_FOUND');
      expectError(await missFeed(t, '203.0.113.50'), 429, 'RATE_LIMIT_EXCEEDED');
      expectError(await missFeed(t, '203.0.113.51'), 404, 'NOT_FOUND');
    });

    it('should store the forwarded client address with the session', async () => {
      const email = `ip-${randomUUID()}@example.com`;
      const res = await login(t, '192.0.2.44', email);
      expect(res.status).toBe(200);
      const rows = await t.dataSource.query(`SELECT ip FROM refresh_tokens WHERE user_id = $1`, [res.body.user.id]);
      expect(rows).toEqual([{ ip: '192.0.2.44' }]);
    });
  });

  describe('without TRUST_PROXY', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await createTestApp({ RATE_LIMIT_AUTH: '2' });
    });

    afterAll(() => t.close());

    it("should ignore an untrusted peer's X-Forwarded-For (one bucket for the peer)", async () => {
      expect((await login(t, '203.0.113.1')).status).toBe(200);
      expect((await login(t, '203.0.113.2')).status).toBe(200);
      expectError(await login(t, '203.0.113.3'), 429, 'RATE_LIMIT_EXCEEDED');
    });

    it('should store the TCP peer address with the session', async () => {
      const t2 = await createTestApp();
      try {
        const res = await login(t2, '192.0.2.45');
        const rows = await t2.dataSource.query(`SELECT ip FROM refresh_tokens WHERE user_id = $1`, [res.body.user.id]);
        expect(rows).toEqual([{ ip: expect.stringMatching(/^(::ffff:)?127\.0\.0\.1$/) }]);
      } finally {
        await t2.close();
      }
    });
  });
});
