import { randomUUID } from 'node:crypto';
import { startFakeGoogle, FakeGoogle } from '@app/testing/fake-google';
import { expectError, loginAs } from '@app/testing/factories';
import { createTestApp, TestApp } from '@app/testing/test-app';

const CALLBACK = '/api/v1/auth/google/callback';

describe('POST /api/v1/auth/google/callback', () => {
  let google: FakeGoogle;
  let testApp: TestApp;

  beforeAll(async () => {
    google = await startFakeGoogle();
    testApp = await createTestApp(google.env());
  });

  afterAll(async () => {
    await testApp.close();
    await google.close();
  });

  const callback = (idToken: unknown) => testApp.http.post(CALLBACK).send({ id_token: idToken });

  it('should create the user with achievement state, kickstart credits and activity entries', async () => {
    const email = `new-${randomUUID()}@example.com`;
    const idToken = await google.mint({ sub: '118000000000000000001', email, name: 'Grace Hopper' });

    const response = await callback(idToken);

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      access_token: expect.any(String),
      refresh_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 900,
      user: {
        id: expect.any(String),
        google_id: '118000000000000000001',
        email,
        name: 'Grace Hopper',
        avatar_url: 'https://example.com/avatars/grace.png',
        timezone: 'UTC',
        tier: 'free',
        created_at: expect.any(String),
        updated_at: expect.any(String),
      },
    });
    const userId = response.body.user.id as string;
    const db = testApp.dataSource;
    await expect(
      db.query('SELECT current_streak FROM user_achievement_states WHERE user_id = $1', [userId]),
    ).resolves.toEqual([{ current_streak: 0 }]);
    const lots = await db.query('SELECT id, credit_type, operation, amount FROM ai_credit_ledger WHERE user_id = $1', [
      userId,
    ]);
    expect(lots).toEqual([{ id: expect.any(String), credit_type: 'kickstart', operation: 'grant', amount: 5 }]);
    const activity = await db.query(
      'SELECT entity_type, entity_id, action, metadata FROM activity_logs WHERE user_id = $1 ORDER BY action',
      [userId],
    );
    expect(activity).toEqual([
      {
        entity_type: 'credit',
        entity_id: lots[0].id,
        action: 'credits_granted',
        metadata: { credit_type: 'kickstart', amount: 5, reason: 'kickstart' },
      },
      { entity_type: 'user', entity_id: userId, action: 'user_created', metadata: { method: 'google' } },
      { entity_type: 'user', entity_id: userId, action: 'user_logged_in', metadata: { method: 'google' } },
    ]);
  });

  it('should find a returning user by sub and refresh only the avatar', async () => {
    const sub = '118000000000000000002';
    const first = await callback(await google.mint({ sub, email: `back-${randomUUID()}@example.com`, name: 'First' }));

    const second = await callback(
      await google.mint({ sub, email: 'changed@example.com', name: 'Changed', picture: 'https://example.com/new.png' }),
    );

    expect(second.status).toBe(200);
    expect(second.body.user).toEqual({
      ...first.body.user,
      avatar_url: 'https://example.com/new.png',
      updated_at: expect.any(String),
    });
    const lots = await testApp.dataSource.query('SELECT id FROM ai_credit_ledger WHERE user_id = $1', [
      first.body.user.id,
    ]);
    expect(lots).toHaveLength(1);
  });

  it('should keep the avatar when the token has no picture', async () => {
    const sub = '118000000000000000003';
    const first = await callback(await google.mint({ sub }));

    const second = await callback(await google.mint({ sub, picture: undefined }));

    expect(second.body.user.avatar_url).toBe(first.body.user.avatar_url);
  });

  it('should link an existing account by case-insensitive email to the Google sub', async () => {
    const email = `link-${randomUUID()}@example.com`;
    const existing = await loginAs(testApp, { email, name: 'Dev Name' });

    const response = await callback(
      await google.mint({ sub: '118000000000000000004', email: email.toUpperCase(), name: 'Google Name' }),
    );

    expect(response.status).toBe(200);
    expect(response.body.user).toMatchObject({
      id: existing.user.id,
      google_id: '118000000000000000004',
      email,
      name: 'Dev Name',
      avatar_url: 'https://example.com/avatars/grace.png',
    });
  });

  it('should never relink an account already linked to another Google sub (takeover attempt)', async () => {
    const email = `owned-${randomUUID()}@example.com`;
    const owner = await callback(await google.mint({ sub: '118000000000000000005', email }));
    expect(owner.status).toBe(200);

    const attacker = await callback(await google.mint({ sub: '118000000000000000006', email: email.toUpperCase() }));

    expect(expectError(attacker, 401, 'GOOGLE_AUTH_FAILED').message).toBe(
      'This email belongs to an account linked to another Google account',
    );
    const rows = await testApp.dataSource.query(`SELECT google_id FROM users WHERE lower(email) = lower($1)`, [email]);
    expect(rows).toEqual([{ google_id: '118000000000000000005' }]);
    const sessions = await testApp.dataSource.query(
      `SELECT count(*)::int AS n FROM refresh_tokens WHERE user_id = $1`,
      [owner.body.user.id],
    );
    expect(sessions).toEqual([{ n: 1 }]);
  });

  it('should name a new user after the local part of the email when the token has no name', async () => {
    const response = await callback(await google.mint({ email: 'nameless.one@example.com', name: undefined }));

    expect(response.status).toBe(200);
    expect(response.body.user.name).toBe('nameless.one');
  });

  it.each([
    ['email_verified as the string "true"', { email_verified: 'true' }],
    [
      'an audience array containing the client id',
      { aud: ['another-client', 'test-client.apps.googleusercontent.com'] },
    ],
    ['the issuer without scheme', { iss: 'accounts.google.com' }],
  ])('should accept %s', async (_, claims) => {
    const response = await callback(await google.mint(claims));

    expect(response.status).toBe(200);
  });

  it('should accept a token expired less than 60 s ago', async () => {
    const response = await callback(await google.mint({}, { iatOffset: -3630, expOffset: -30 }));

    expect(response.status).toBe(200);
  });

  it.each<[string, Record<string, unknown>, Parameters<FakeGoogle['mint']>[1]]>([
    ['a wrong audience', { aud: 'someone-else' }, {}],
    ['a wrong issuer', { iss: 'https://idp.example.com' }, {}],
    ['an expired token', {}, { iatOffset: -3700, expOffset: -100 }],
    ['a token issued in the future', {}, { iatOffset: 120, expOffset: 3720 }],
    ['an unverified email', { email_verified: false }, {}],
    ['a missing email_verified', { email_verified: undefined }, {}],
    ['a missing sub', { sub: undefined }, {}],
    ['a missing email', { email: undefined }, {}],
    ['an unknown kid', {}, { kid: 'unknown-kid' }],
    ['a signature by another key', {}, { foreignKey: true }],
  ])('should reject %s with 401 GOOGLE_AUTH_FAILED', async (_, claims, options) => {
    const response = await callback(await google.mint(claims, options));

    expectError(response, 401, 'GOOGLE_AUTH_FAILED');
  });

  it('should reject a tampered token with 401 GOOGLE_AUTH_FAILED', async () => {
    const [header, payload, signature] = (await google.mint()).split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, email: 'victim@example.com' })).toString('base64url');

    expectError(await callback(`${header}.${forged}.${signature}`), 401, 'GOOGLE_AUTH_FAILED');
  });

  it('should reject an unsigned (alg none) token with 401 GOOGLE_AUTH_FAILED', async () => {
    const [, payload] = (await google.mint()).split('.');
    const header = Buffer.from(JSON.stringify({ alg: 'none', kid: google.kid })).toString('base64url');

    expectError(await callback(`${header}.${payload}.`), 401, 'GOOGLE_AUTH_FAILED');
  });

  it.each(['garbage', 'a.b.c', ' '])(
    'should reject the malformed token %j with 401 GOOGLE_AUTH_FAILED',
    async (token) => {
      expectError(await callback(token), 401, 'GOOGLE_AUTH_FAILED');
    },
  );

  it.each([
    ['a missing id_token', {}],
    ['an empty id_token', { id_token: '' }],
    ['a non-string id_token', { id_token: 42 }],
  ])('should reject %s with 400 naming id_token', async (_, body) => {
    const response = await testApp.http.post(CALLBACK).send(body);

    const error = expectError(response, 400, 'VALIDATION_ERROR');
    expect(error.details).toEqual([{ field: 'id_token', message: expect.any(String) }]);
  });

  it('should fetch the signing keys once and serve later logins from the cache', async () => {
    const before = google.jwksRequests();

    await callback(await google.mint());
    await callback(await google.mint());

    expect(google.jwksRequests()).toBe(before);
  });

  it('should ignore a stale bearer token', async () => {
    const response = await testApp.http
      .post(CALLBACK)
      .set('Authorization', 'Bearer expired.or.garbage')
      .send({ id_token: await google.mint() });

    expect(response.status).toBe(200);
  });
});

describe('POST /api/v1/auth/google/callback without a usable provider', () => {
  let google: FakeGoogle;

  beforeAll(async () => {
    google = await startFakeGoogle();
  });

  afterAll(async () => {
    await google.close();
  });

  it('should answer 503 AUTH_PROVIDER_UNAVAILABLE when GOOGLE_CLIENT_ID is unset, before verifying', async () => {
    const testApp = await createTestApp({ GOOGLE_JWKS_URL: google.jwksUrl });
    try {
      const response = await testApp.http.post(CALLBACK).send({ id_token: await google.mint() });

      expectError(response, 503, 'AUTH_PROVIDER_UNAVAILABLE');
      expect(google.jwksRequests()).toBe(0);
    } finally {
      await testApp.close();
    }
  });

  it('should answer 503 AUTH_PROVIDER_UNAVAILABLE when the signing keys are unreachable and none are cached', async () => {
    const testApp = await createTestApp({
      GOOGLE_CLIENT_ID: google.clientId,
      GOOGLE_JWKS_URL: 'http://127.0.0.1:9/certs',
    });
    try {
      const response = await testApp.http.post(CALLBACK).send({ id_token: await google.mint() });

      expectError(response, 503, 'AUTH_PROVIDER_UNAVAILABLE');
      const users = await testApp.dataSource.query('SELECT id FROM users');
      expect(users).toEqual([]);
    } finally {
      await testApp.close();
    }
  });
});

describe('POST /api/v1/auth/google/callback after the key server went away', () => {
  it('should keep verifying with the cached keys', async () => {
    const google = await startFakeGoogle();
    const testApp = await createTestApp(google.env());
    try {
      expect((await testApp.http.post(CALLBACK).send({ id_token: await google.mint() })).status).toBe(200);
      const later = await google.mint();
      const unknownKid = await google.mint({}, { kid: 'rotated-away' });
      await google.close();

      expect((await testApp.http.post(CALLBACK).send({ id_token: later })).status).toBe(200);
      expectError(await testApp.http.post(CALLBACK).send({ id_token: unknownKid }), 401, 'GOOGLE_AUTH_FAILED');
    } finally {
      await testApp.close();
    }
  });
});
