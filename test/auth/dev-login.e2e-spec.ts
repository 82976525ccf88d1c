import { randomUUID } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { expectError, loginAs } from '@app/testing/factories';
import { createTestApp, TestApp } from '@app/testing/test-app';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('POST /api/v1/auth/dev/login', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await createTestApp();
  });

  afterAll(async () => {
    await testApp.close();
  });

  const devLogin = (body: Record<string, unknown>) => testApp.http.post('/api/v1/auth/dev/login').send(body);

  it('should create a user with kickstart credits and answer the token response', async () => {
    const email = `Dev.${randomUUID()}@Example.com`;

    const response = await devLogin({ email, name: 'Ada Lovelace' });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      access_token: expect.any(String),
      refresh_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      token_type: 'Bearer',
      expires_in: 900,
      user: {
        id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
        google_id: `dev:${email.toLowerCase()}`,
        email,
        name: 'Ada Lovelace',
        avatar_url: null,
        timezone: 'UTC',
        tier: 'free',
        created_at: expect.stringMatching(ISO),
        updated_at: expect.stringMatching(ISO),
      },
    });
    const userId = response.body.user.id as string;
    const lots = await testApp.dataSource.query(
      `SELECT credit_type, operation, amount, consumed, status, balance_after, operation_ref, description
         FROM ai_credit_ledger WHERE user_id = $1`,
      [userId],
    );
    expect(lots).toEqual([
      {
        credit_type: 'kickstart',
        operation: 'grant',
        amount: 5,
        consumed: 0,
        status: 'committed',
        balance_after: 5,
        operation_ref: 'kickstart',
        description: 'Kickstart credits',
      },
    ]);
    const states = await testApp.dataSource.query('SELECT user_id FROM user_achievement_states WHERE user_id = $1', [
      userId,
    ]);
    expect(states).toHaveLength(1);
    const activity = await testApp.dataSource.query(
      'SELECT entity_type, entity_id, action, source, metadata FROM activity_logs WHERE user_id = $1 ORDER BY action',
      [userId],
    );
    expect(activity).toEqual([
      {
        entity_type: 'credit',
        entity_id: expect.any(String),
        action: 'credits_granted',
        source: 'system',
        metadata: { credit_type: 'kickstart', amount: 5, reason: 'kickstart' },
      },
      { entity_type: 'user', entity_id: userId, action: 'user_created', source: 'user', metadata: { method: 'dev' } },
      { entity_type: 'user', entity_id: userId, action: 'user_logged_in', source: 'user', metadata: { method: 'dev' } },
    ]);
  });

  it('should issue an RS256 access token with the documented header and claims', async () => {
    const { accessToken, user } = await loginAs(testApp);
    const jwks = await testApp.http.get('/.well-known/jwks.json');

    const header = decodeProtectedHeader(accessToken);
    const claims = decodeJwt(accessToken);

    expect(header).toEqual({ alg: 'RS256', typ: 'JWT', kid: jwks.body.keys[0].kid });
    expect(claims).toEqual({
      sub: user.id,
      email: user.email,
      tier: 'free',
      type: 'access',
      jti: expect.any(String),
      iat: expect.any(Number),
      exp: (claims.iat as number) + 900,
      iss: 'perpetua-flow',
      aud: 'perpetua-flow-api',
    });
    expect(Math.abs((claims.iat as number) - Date.now() / 1000)).toBeLessThan(30);
  });

  it('should give every token its own jti', async () => {
    const email = `jti-${randomUUID()}@example.com`;
    const first = await loginAs(testApp, { email });
    const second = await loginAs(testApp, { email });

    expect(decodeJwt(first.accessToken).jti).not.toBe(decodeJwt(second.accessToken).jti);
  });

  it('should find an existing user case-insensitively and keep its name', async () => {
    const email = `case-${randomUUID()}@example.com`;
    const first = await loginAs(testApp, { email, name: 'Original' });

    const second = await devLogin({ email: email.toUpperCase(), name: 'Ignored' });

    expect(second.status).toBe(200);
    expect(second.body.user).toEqual(first.user);
    const activity = await testApp.dataSource.query(
      `SELECT action FROM activity_logs WHERE user_id = $1 AND entity_type = 'user' ORDER BY created_at, action`,
      [first.user.id],
    );
    expect(activity.map((row: { action: string }) => row.action)).toEqual([
      'user_created',
      'user_logged_in',
      'user_logged_in',
    ]);
    const lots = await testApp.dataSource.query('SELECT id FROM ai_credit_ledger WHERE user_id = $1', [first.user.id]);
    expect(lots).toHaveLength(1);
  });

  it('should default the name to the local part of the email', async () => {
    const local = `grace.${randomUUID().slice(0, 8)}`;

    const response = await devLogin({ email: `${local}@example.com` });

    expect(response.status).toBe(200);
    expect(response.body.user.name).toBe(local);
  });

  it('should leave the tier unchanged for tier free', async () => {
    const response = await devLogin({ email: `free-${randomUUID()}@example.com`, tier: 'free' });

    expect(response.status).toBe(200);
    expect(response.body.user.tier).toBe('free');
  });

  it('should activate Pro for tier pro through a dev subscription', async () => {
    const email = `pro-${randomUUID()}@example.com`;
    const response = await devLogin({ email, tier: 'pro' });
    expect(response.status).toBe(200);
    expect(response.body.user.tier).toBe('pro');
    expect(decodeJwt(response.body.access_token).tier).toBe('pro');
    const rows = await testApp.dataSource.query(
      `SELECT s.status, s.checkout_subscription_id = 'dev_' || u.id AS dev FROM subscriptions s
       JOIN users u ON u.id = s.user_id WHERE lower(u.email) = lower($1)`,
      [email],
    );
    expect(rows).toEqual([{ status: 'active', dev: true }]);
  });

  it.each([
    ['a missing email', {}, 'email'],
    ['an invalid email', { email: 'not-an-email' }, 'email'],
    ['an overlong email', { email: `${'a'.repeat(250)}@example.com` }, 'email'],
    ['an empty name', { email: 'x@example.com', name: '   ' }, 'name'],
    ['a name over 100 characters', { email: 'x@example.com', name: 'n'.repeat(101) }, 'name'],
    ['an unknown tier', { email: 'x@example.com', tier: 'gold' }, 'tier'],
    ['a null tier', { email: 'x@example.com', tier: null }, 'tier'],
  ])('should reject %s with 400 naming the field', async (_, body, field) => {
    const response = await devLogin(body);

    const error = expectError(response, 400, 'VALIDATION_ERROR');
    expect(error.details).toEqual(expect.arrayContaining([{ field, message: expect.any(String) }]));
  });

  it('should ignore a stale or garbage bearer token', async () => {
    const response = await testApp.http
      .post('/api/v1/auth/dev/login')
      .set('Authorization', 'Bearer not.a.token')
      .send({ email: `stale-${randomUUID()}@example.com` });

    expect(response.status).toBe(200);
  });
});

describe('POST /api/v1/auth/dev/login when disabled', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await createTestApp({ AUTH_DEV_LOGIN: 'false' });
  });

  afterAll(async () => {
    await testApp.close();
  });

  it('should answer 404 NOT_FOUND, before validating the body', async () => {
    const valid = await testApp.http.post('/api/v1/auth/dev/login').send({ email: 'someone@example.com' });
    const invalid = await testApp.http.post('/api/v1/auth/dev/login').send({ email: 42 });

    expectError(valid, 404, 'NOT_FOUND');
    expectError(invalid, 404, 'NOT_FOUND');
    const users = await testApp.dataSource.query('SELECT id FROM users');
    expect(users).toEqual([]);
  });
});
