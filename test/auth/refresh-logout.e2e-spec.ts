import { createHash, randomUUID } from 'node:crypto';
import { as, expectError, loginAs } from '@app/testing/factories';
import { createTestApp, TestApp } from '@app/testing/test-app';

describe('POST /api/v1/auth/refresh and /api/v1/auth/logout', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await createTestApp();
  });

  afterAll(async () => {
    await testApp.close();
  });

  const refresh = (token: unknown) => testApp.http.post('/api/v1/auth/refresh').send({ refresh_token: token });
  const logout = (token: unknown) => testApp.http.post('/api/v1/auth/logout').send({ refresh_token: token });
  const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

  describe('refresh', () => {
    it('should rotate: a new pair without user, the presented token revoked and replaced', async () => {
      const session = await loginAs(testApp);

      const response = await testApp.http
        .post('/api/v1/auth/refresh')
        .set('User-Agent', 'e2e-agent/1.0')
        .send({ refresh_token: session.refreshToken });

      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        access_token: expect.any(String),
        refresh_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        token_type: 'Bearer',
        expires_in: 900,
      });
      expect(response.body.refresh_token).not.toBe(session.refreshToken);
      const [old] = await testApp.dataSource.query(
        'SELECT id, revoked_at, replaced_by_id FROM refresh_tokens WHERE token_hash = $1',
        [sha256(session.refreshToken)],
      );
      const [fresh] = await testApp.dataSource.query(
        `SELECT id, user_id, revoked_at, user_agent, ip, expires_at - created_at AS lifetime
           FROM refresh_tokens WHERE token_hash = $1`,
        [sha256(response.body.refresh_token)],
      );
      expect(old.revoked_at).toBeInstanceOf(Date);
      expect(old.replaced_by_id).toBe(fresh.id);
      expect(fresh).toMatchObject({ user_id: session.user.id, revoked_at: null, user_agent: 'e2e-agent/1.0' });
      expect(fresh.ip).toEqual(expect.any(String));
      expect(fresh.lifetime).toEqual({ days: 7 });
      await expect(as(testApp, response.body.access_token).get('/api/v1/users/me')).resolves.toHaveProperty(
        'status',
        200,
      );
    });

    it('should never store the raw token', async () => {
      const session = await loginAs(testApp);

      const rows = await testApp.dataSource.query('SELECT token_hash FROM refresh_tokens WHERE user_id = $1', [
        session.user.id,
      ]);

      expect(rows).toEqual([{ token_hash: sha256(session.refreshToken) }]);
    });

    it('should reject an already rotated token, and treat the reuse as theft by revoking the session', async () => {
      const session = await loginAs(testApp);
      const rotated = await refresh(session.refreshToken);
      expect(rotated.status).toBe(200);

      expectError(await refresh(session.refreshToken), 401, 'INVALID_REFRESH_TOKEN');
      expectError(await refresh(rotated.body.refresh_token), 401, 'INVALID_REFRESH_TOKEN');
      const active = await testApp.dataSource.query(
        'SELECT id FROM refresh_tokens WHERE user_id = $1 AND revoked_at IS NULL',
        [session.user.id],
      );
      expect(active).toEqual([]);
    });

    it("should revoke every active refresh token of the user on reuse, the other devices' too (docs/api.md §3)", async () => {
      const phone = await loginAs(testApp);
      const rotated = await refresh(phone.refreshToken);
      expect(rotated.status).toBe(200);
      const laptop = await loginAs(testApp, { email: phone.user.email });

      expectError(await refresh(phone.refreshToken), 401, 'INVALID_REFRESH_TOKEN');
      expectError(await refresh(laptop.refreshToken), 401, 'INVALID_REFRESH_TOKEN');
      const active = await testApp.dataSource.query(
        'SELECT id FROM refresh_tokens WHERE user_id = $1 AND revoked_at IS NULL',
        [phone.user.id],
      );
      expect(active).toEqual([]);
    });

    it('should let exactly one of concurrent refreshes with the same token succeed', async () => {
      const session = await loginAs(testApp);

      const responses = await Promise.all(Array.from({ length: 6 }, () => refresh(session.refreshToken)));

      expect(responses.map((r) => r.status).sort()).toEqual([200, 401, 401, 401, 401, 401]);
      for (const response of responses.filter((r) => r.status === 401)) {
        expectError(response, 401, 'INVALID_REFRESH_TOKEN');
      }
      const issued = await testApp.dataSource.query('SELECT id FROM refresh_tokens WHERE user_id = $1', [
        session.user.id,
      ]);
      expect(issued).toHaveLength(2);
    });

    it('should reject an unknown token', async () => {
      expectError(await refresh('never-issued'), 401, 'INVALID_REFRESH_TOKEN');
      expectError(await refresh(''), 401, 'INVALID_REFRESH_TOKEN');
    });

    it('should reject an expired token', async () => {
      const session = await loginAs(testApp);
      await testApp.dataSource.query(
        "UPDATE refresh_tokens SET expires_at = now() - interval '1 second' WHERE token_hash = $1",
        [sha256(session.refreshToken)],
      );

      expectError(await refresh(session.refreshToken), 401, 'INVALID_REFRESH_TOKEN');
    });

    it('should reject the tokens of an older session after a new login', async () => {
      const email = `sessions-${randomUUID()}@example.com`;
      const older = await loginAs(testApp, { email });
      const newer = await loginAs(testApp, { email });

      expectError(await refresh(older.refreshToken), 401, 'INVALID_REFRESH_TOKEN');
      expect((await refresh(newer.refreshToken)).status).toBe(200);
    });

    it.each([
      ['a missing refresh_token', {}],
      ['a non-string refresh_token', { refresh_token: 7 }],
    ])('should reject %s with 400', async (_, body) => {
      const response = await testApp.http.post('/api/v1/auth/refresh').send(body);

      const error = expectError(response, 400, 'VALIDATION_ERROR');
      expect(error.details).toEqual([{ field: 'refresh_token', message: expect.any(String) }]);
    });

    it('should ignore a stale or garbage bearer token', async () => {
      const session = await loginAs(testApp);

      const response = await testApp.http
        .post('/api/v1/auth/refresh')
        .set('Authorization', 'Bearer garbage')
        .send({ refresh_token: session.refreshToken });

      expect(response.status).toBe(200);
    });
  });

  describe('logout', () => {
    it('should revoke the token and answer 204 with an empty body', async () => {
      const session = await loginAs(testApp);

      const response = await logout(session.refreshToken);

      expect(response.status).toBe(204);
      expect(response.text).toBe('');
      expectError(await refresh(session.refreshToken), 401, 'INVALID_REFRESH_TOKEN');
    });

    it('should keep the access token valid until it expires', async () => {
      const session = await loginAs(testApp);

      await logout(session.refreshToken);

      expect((await as(testApp, session.accessToken).get('/api/v1/users/me')).status).toBe(200);
    });

    it('should answer 204 for unknown and already revoked tokens', async () => {
      const session = await loginAs(testApp);
      await logout(session.refreshToken);

      expect((await logout(session.refreshToken)).status).toBe(204);
      expect((await logout('never-issued')).status).toBe(204);
    });

    it('should not count a logged-out token as reuse', async () => {
      const email = `logout-${randomUUID()}@example.com`;
      const first = await loginAs(testApp, { email });
      await logout(first.refreshToken);
      const second = await loginAs(testApp, { email });

      expectError(await refresh(first.refreshToken), 401, 'INVALID_REFRESH_TOKEN');
      expect((await refresh(second.refreshToken)).status).toBe(200);
    });

    it('should reject a missing refresh_token with 400', async () => {
      expectError(await testApp.http.post('/api/v1/auth/logout').send({}), 400, 'VALIDATION_ERROR');
    });

    it('should ignore an invalid bearer token', async () => {
      const session = await loginAs(testApp);

      const response = await testApp.http
        .post('/api/v1/auth/logout')
        .set('Authorization', `Bearer ${session.accessToken}x`)
        .send({ refresh_token: session.refreshToken });

      expect(response.status).toBe(204);
    });
  });
});
