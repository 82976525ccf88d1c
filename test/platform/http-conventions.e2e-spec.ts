import { randomUUID } from 'node:crypto';
import { as, expectError, loginAs } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';

describe('HTTP conventions (docs/api.md §1)', () => {
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    t = await createTestApp();
    token = (await loginAs(t)).accessToken;
  });
  afterAll(() => t.close());

  describe('routing', () => {
    it('should answer an unknown route with the 404 envelope and a request id', async () => {
      const response = await t.http.get('/api/v1/does-not-exist');
      expectError(response, 404, 'NOT_FOUND');
      expect(response.headers['x-request-id']).toBe(response.body.error.request_id);
      expect(response.headers['x-ratelimit-limit']).toBeUndefined();
    });

    it('should answer a known path with another method with 405 and Allow', async () => {
      const response = await t.http.put('/api/v1/users/me').set('Authorization', `Bearer ${token}`);
      expectError(response, 405, 'METHOD_NOT_ALLOWED');
      expect(response.headers.allow).toBe('DELETE, GET, HEAD, PATCH');
    });

    it('should echo a well-formed X-Request-ID and replace a malformed one', async () => {
      const echoed = await t.http.get('/api/v1/nope').set('X-Request-ID', 'client-id.1:2');
      expect(echoed.headers['x-request-id']).toBe('client-id.1:2');
      expect(echoed.body.error.request_id).toBe('client-id.1:2');
      const replaced = await t.http.get('/api/v1/nope').set('X-Request-ID', 'bad id with spaces');
      expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });
  });

  describe('request bodies', () => {
    const patchMe = (): ReturnType<ReturnType<typeof as>['patch']> => as(t, token).patch('/api/v1/users/me');

    it('should reject malformed JSON with 400 and empty details', async () => {
      const response = await patchMe().set('Content-Type', 'application/json').send('{"name": ');
      expect(expectError(response, 400, 'VALIDATION_ERROR').details).toEqual([]);
    });

    it('should reject a JSON body that is not an object', async () => {
      const response = await patchMe().set('Content-Type', 'application/json').send('[1,2]');
      expect(expectError(response, 400, 'VALIDATION_ERROR').details).toEqual([]);
    });

    it('should reject a body that is not JSON with 415', async () => {
      const response = await patchMe().set('Content-Type', 'text/plain').send('name=x');
      expectError(response, 415, 'UNSUPPORTED_MEDIA_TYPE');
    });

    it('should reject a body over 1 MiB with 413', async () => {
      const response = await patchMe()
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ name: 'x'.repeat(1024 * 1024 + 10) }));
      expectError(response, 413, 'PAYLOAD_TOO_LARGE');
    });

    it('should reject strings with U+0000, naming the field', async () => {
      const response = await patchMe().set('Content-Type', 'application/json').send('{"name":"a\\u0000b"}');
      expect(expectError(response, 400, 'VALIDATION_ERROR').details).toEqual([
        { field: 'name', message: expect.any(String) },
      ]);
    });

    it('should read an empty body as {} even when declared as JSON', async () => {
      const response = await patchMe().set('Content-Type', 'application/json');
      expect(response.status).toBe(200);
      expect(response.body.data.id).toBeDefined();
    });

    it('should ignore Content-Type on a bodiless GET', async () => {
      const response = await as(t, token).get('/api/v1/users/me').set('Content-Type', 'application/json');
      expect(response.status).toBe(200);
    });
  });

  describe('authentication', () => {
    it('should answer a missing token with 401 and WWW-Authenticate, without rate-limit headers', async () => {
      const response = await t.http.get('/api/v1/users/me');
      expectError(response, 401, 'UNAUTHORIZED');
      expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(response.headers['x-ratelimit-limit']).toBeUndefined();
    });
  });

  describe('CORS and security headers', () => {
    it('should answer a preflight on any path with 200 before routing or auth', async () => {
      const response = await t.http
        .options('/api/v1/anything/at/all')
        .set('Origin', 'https://app.example.com')
        .set('Access-Control-Request-Method', 'PATCH');
      expect(response.status).toBe(200);
      expect(response.headers['access-control-allow-origin']).toBe('*');
      expect(response.headers['access-control-allow-methods']).toBe('GET,POST,PUT,PATCH,DELETE,OPTIONS');
      expect(response.headers['access-control-allow-headers']).toBe(
        'Authorization,Content-Type,Idempotency-Key,X-Request-ID,X-Task-Id',
      );
      expect(response.headers['access-control-max-age']).toBe('600');
    });

    it('should carry CORS and security headers on errors too', async () => {
      const response = await t.http.get('/api/v1/users/me').set('Origin', 'https://app.example.com');
      expect(response.status).toBe(401);
      expect(response.headers['access-control-allow-origin']).toBe('*');
      expect(response.headers['access-control-expose-headers']).toContain('X-RateLimit-Reset');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['x-frame-options']).toBe('DENY');
      expect(response.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
      expect(response.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.headers['strict-transport-security']).toBeUndefined();
    });
  });

  describe('idempotency (§1.10)', () => {
    it('should require an Idempotency-Key on authenticated mutations', async () => {
      const response = await t.http
        .patch('/api/v1/users/me')
        .set('Authorization', `Bearer ${token}`)
        .send({ name: 'A' });
      expect(expectError(response, 400, 'VALIDATION_ERROR').details).toEqual([
        { field: 'Idempotency-Key', message: expect.any(String) },
      ]);
    });

    it('should replay the identical response for a repeated key without running it again', async () => {
      const key = randomUUID();
      const first = await t.http
        .patch('/api/v1/users/me')
        .set('Authorization', `Bearer ${token}`)
        .set('Idempotency-Key', key)
        .send({ name: 'Replay Me' });
      expect(first.status).toBe(200);
      await as(t, token).patch('/api/v1/users/me').send({ name: 'Changed Since' });
      const replay = await t.http
        .patch('/api/v1/users/me')
        .set('Authorization', `Bearer ${token}`)
        .set('Idempotency-Key', key)
        .send({ name: 'Replay Me' });
      expect(replay.status).toBe(200);
      expect(replay.body).toEqual(first.body);
      expect(replay.headers['x-idempotent-replayed']).toBe('true');
      expect(replay.headers['x-request-id']).not.toBe(first.headers['x-request-id']);
      const [{ name }] = await t.dataSource.query('SELECT name FROM users WHERE id = $1', [first.body.data.id]);
      expect(name).toBe('Changed Since');
    });

    it('should answer 409 IDEMPOTENCY_CONFLICT for the same key with another body', async () => {
      const key = randomUUID();
      const send = (name: string): Promise<{ status: number; body: { error?: { code: string } } }> =>
        t.http
          .patch('/api/v1/users/me')
          .set('Authorization', `Bearer ${token}`)
          .set('Idempotency-Key', key)
          .send({ name });
      expect((await send('One')).status).toBe(200);
      const conflict = await send('Two');
      expect(conflict.status).toBe(409);
      expect(conflict.body.error?.code).toBe('IDEMPOTENCY_CONFLICT');
    });

    it('should answer 409 IDEMPOTENCY_IN_PROGRESS while the original still runs', async () => {
      const { user, accessToken } = await loginAs(t);
      const key = randomUUID();
      const body = JSON.stringify({ name: 'Slow' });
      await t.dataSource.query(
        `INSERT INTO idempotency_keys (user_id, key, request_method, request_path, request_hash, state, locked_until, expires_at)
         VALUES ($1, $2, 'PATCH', '/api/v1/users/me', encode(sha256($3::bytea), 'hex'), 'in_progress', now() + interval '1 minute', now() + interval '1 day')`,
        [user.id, key, Buffer.from(body)],
      );
      const response = await t.http
        .patch('/api/v1/users/me')
        .set('Authorization', `Bearer ${accessToken}`)
        .set('Idempotency-Key', key)
        .set('Content-Type', 'application/json')
        .send(body);
      expectError(response, 409, 'IDEMPOTENCY_IN_PROGRESS');
      expect(response.headers['retry-after']).toBe('1');
    });

    it('should not store validation failures, so the same key can be retried', async () => {
      const key = randomUUID();
      const invalid = await t.http
        .patch('/api/v1/users/me')
        .set('Authorization', `Bearer ${token}`)
        .set('Idempotency-Key', key)
        .send({ name: '' });
      expectError(invalid, 400, 'VALIDATION_ERROR');
      const [{ count }] = await t.dataSource.query(
        'SELECT count(*)::int AS count FROM idempotency_keys WHERE key = $1',
        [key],
      );
      expect(count).toBe(0);
    });

    it('should let the cleanup job delete expired keys', async () => {
      const { user } = await loginAs(t);
      await t.dataSource.query(
        `INSERT INTO idempotency_keys (user_id, key, request_method, request_path, request_hash, state, expires_at, created_at)
         VALUES ($1, 'old', 'POST', '/x', repeat('0', 64), 'completed', now() - interval '1 hour', now() - interval '25 hours')`,
        [user.id],
      );
      const { createTestWorker } = await import('../support/test-worker');
      const worker = await createTestWorker(t.databaseUrl);
      try {
        const outcome = await worker.runJob('idempotency_key_cleanup');
        expect(outcome.status).toBe('success');
        expect(outcome.result?.deleted).toBeGreaterThanOrEqual(1);
      } finally {
        await worker.close();
      }
      const [{ count }] = await t.dataSource.query(
        "SELECT count(*)::int AS count FROM idempotency_keys WHERE key = 'old'",
      );
      expect(count).toBe(0);
    });
  });
});
