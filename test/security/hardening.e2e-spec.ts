import { randomUUID } from 'node:crypto';
import { TokenService } from '@app/auth/token.service';
import { pushKeys } from '../ownership/resources';
import { as, expectError } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Hardening checks of issue #8 on an API booted with NODE_ENV=production (keys and database
 * given, dev login off): security headers incl. HSTS, the SSRF guard on client-supplied push
 * endpoints, and a forced internal error answering the generic envelope without internals.
 * Covered elsewhere: body limit 413 (test/platform/http-conventions, the fuzzer's 1 MiB bodies),
 * `alg: none` and HS256-with-the-public-key tokens (test/auth/access-token), refresh-token reuse
 * revoking the session (test/auth/refresh-logout), log redaction (./log-redaction).
 */
describe('hardening in production mode', () => {
  let t: TestApp;
  let api: ReturnType<typeof as>;
  let userId: string;

  beforeAll(async () => {
    t = await createTestApp({
      NODE_ENV: 'production',
      AUTH_DEV_LOGIN: 'false',
      PUBLIC_BASE_URL: 'https://api.example.test',
    });
    const [user]: Array<{ id: string; email: string }> = await t.dataSource.query(
      `INSERT INTO users (google_id, email, name) VALUES ($1, $2, 'Prod') RETURNING id, email`,
      [`google-${randomUUID()}`, `prod-${randomUUID()}@example.com`],
    );
    userId = user.id;
    const token = await t.app.get(TokenService).signAccessToken({ ...user, tier: 'free' }, new Date());
    api = as(t, token);
  });

  afterAll(() => t.close());

  it('should send the security headers of docs/api.md §1.13, HSTS included, on successes and errors', async () => {
    for (const response of [await api.get('/api/v1/users/me'), await t.http.get('/api/v1/nowhere')]) {
      expect(response.headers).toMatchObject({
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        'referrer-policy': 'strict-origin-when-cross-origin',
        'strict-transport-security': 'max-age=31536000; includeSubDomains',
        'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
        'cache-control': 'no-store',
      });
      expect(response.headers['x-powered-by']).toBeUndefined();
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
    }
  });

  it('should not offer dev login', async () => {
    expectError(await t.http.post('/api/v1/auth/dev/login').send({ email: 'a@example.com' }), 404, 'NOT_FOUND');
  });

  it.each([
    ['http://8.8.8.8/push', 'must be an https URL'],
    ['https://127.0.0.1/push', 'must not point to a private, loopback or reserved address'],
    ['https://10.1.2.3/push', 'must not point to a private, loopback or reserved address'],
    ['https://169.254.169.254/latest/meta-data', 'must not point to a private, loopback or reserved address'],
    ['https://[::1]/push', 'must not point to a private, loopback or reserved address'],
    ['https://[::ffff:7f00:1]/push', 'must not point to a private, loopback or reserved address'],
    ['https://localhost/push', 'must not point to a private, loopback or reserved address'],
    ['https://user:secret@8.8.8.8/push', 'must not contain credentials'],
    ['https://8.8.8.8:8443/push', 'must use port 443'],
    ['https://[2002:7f00:1::1]/push', 'must not point to a private, loopback or reserved address'],
    ['https://[64:ff9b::a9fe:a9fe]/push', 'must not point to a private, loopback or reserved address'],
  ])('should refuse the push endpoint %s (SSRF) and store nothing', async (endpoint, message) => {
    const error = expectError(
      await api.post('/api/v1/notifications/push-subscription').send({ endpoint, keys: pushKeys() }),
      400,
      'VALIDATION_ERROR',
    );
    expect(error.details).toEqual([{ field: 'endpoint', message }]);
    await expect(t.dataSource.query('SELECT 1 FROM push_subscriptions WHERE user_id = $1', [userId])).resolves.toEqual(
      [],
    );
  });

  it('should answer an unexpected failure with the generic 500 envelope and no internals', async () => {
    await t.dataSource.query('ALTER TABLE notes RENAME TO notes_moved_away');
    try {
      const response = await api.get('/api/v1/notes');
      expect(response.status).toBe(500);
      expect(response.body).toEqual({
        error: {
          code: 'INTERNAL_ERROR',
          message: 'An unexpected error occurred',
          request_id: response.headers['x-request-id'],
        },
      });
      expect(response.text).not.toMatch(/notes|relation|QueryFailed|SELECT|stack|\.ts:\d+/i);
    } finally {
      await t.dataSource.query('ALTER TABLE notes_moved_away RENAME TO notes');
    }
    expect((await api.get('/api/v1/notes')).status).toBe(200);
  });
});
