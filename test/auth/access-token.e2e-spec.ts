import { createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject, randomUUID } from 'node:crypto';
import { calculateJwkThumbprint, SignJWT } from 'jose';
import { as, expectError, loginAs } from '@app/testing/factories';
import { createTestApp, TestApp } from '@app/testing/test-app';

/** The run's signing key of every test app (global setup). */
function testSigningKey(): { privateKey: KeyObject; publicPem: string } {
  const privatePem = process.env.PERPETUA_TEST_JWT_PRIVATE_KEY;
  const publicPem = process.env.PERPETUA_TEST_JWT_PUBLIC_KEY;
  if (!privatePem || !publicPem) throw new Error('run through jest: the global setup provides the test keys');
  return { privateKey: createPrivateKey(privatePem), publicPem };
}

async function thumbprintOf(publicPem: string): Promise<string> {
  const { n, e } = createPublicKey(publicPem).export({ format: 'jwk' });
  return calculateJwkThumbprint({ kty: 'RSA', n, e });
}

interface AccessTokenSpec {
  claims?: Record<string, unknown>;
  header?: Record<string, unknown>;
  key?: KeyObject;
  /** Seconds relative to now. */
  iat?: number;
  exp?: number;
}

async function accessToken(subject: string, kid: string, spec: AccessTokenSpec = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    sub: subject,
    email: 'someone@example.com',
    tier: 'free',
    type: 'access',
    jti: randomUUID(),
    iss: 'perpetua-flow',
    aud: 'perpetua-flow-api',
    iat: now + (spec.iat ?? 0),
    exp: now + (spec.exp ?? 900),
    ...spec.claims,
  })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid, ...spec.header })
    .sign(spec.key ?? testSigningKey().privateKey);
}

const unsigned = (payload: Record<string, unknown>, kid: string): string =>
  [
    Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT', kid })).toString('base64url'),
    Buffer.from(JSON.stringify(payload)).toString('base64url'),
    '',
  ].join('.');

describe('Bearer access tokens', () => {
  let testApp: TestApp;
  let kid: string;

  beforeAll(async () => {
    testApp = await createTestApp();
    kid = await thumbprintOf(testSigningKey().publicPem);
  });

  afterAll(async () => {
    await testApp.close();
  });

  const me = (authorization?: string) => {
    const request = testApp.http.get('/api/v1/users/me');
    return authorization === undefined ? request : request.set('Authorization', authorization);
  };

  it('should accept a token from login', async () => {
    const { accessToken: token, user } = await loginAs(testApp);

    const response = await me(`Bearer ${token}`);

    expect(response.status).toBe(200);
    expect(response.body.data.id).toBe(user.id);
  });

  it.each([
    ['no Authorization header', undefined],
    ['another scheme', 'Basic dXNlcjpwYXNz'],
    ['a bearer without token', 'Bearer '],
    ['a garbage token', 'Bearer not-a-jwt'],
  ])('should answer 401 UNAUTHORIZED with WWW-Authenticate for %s', async (_, authorization) => {
    const response = await me(authorization);

    const error = expectError(response, 401, 'UNAUTHORIZED');
    expect(error.refresh_required).toBeUndefined();
    expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
  });

  it('should answer 401 TOKEN_EXPIRED with refresh_required for an expired token', async () => {
    const { user } = await loginAs(testApp);
    const token = await accessToken(user.id, kid, { iat: -1000, exp: -100 });

    const response = await me(`Bearer ${token}`);

    const error = expectError(response, 401, 'TOKEN_EXPIRED');
    expect(error.refresh_required).toBe(true);
    expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
  });

  it('should tolerate 30 s of clock skew', async () => {
    const { user } = await loginAs(testApp);

    const justExpired = await accessToken(user.id, kid, { iat: -900, exp: -20 });
    const issuedAhead = await accessToken(user.id, kid, { iat: 20, exp: 920 });

    expect((await me(`Bearer ${justExpired}`)).status).toBe(200);
    expect((await me(`Bearer ${issuedAhead}`)).status).toBe(200);
  });

  it('should reject an unsigned (alg none) token', async () => {
    const { user } = await loginAs(testApp);
    const now = Math.floor(Date.now() / 1000);
    const token = unsigned(
      {
        sub: user.id,
        type: 'access',
        jti: randomUUID(),
        iss: 'perpetua-flow',
        aud: 'perpetua-flow-api',
        iat: now,
        exp: now + 900,
      },
      kid,
    );

    expectError(await me(`Bearer ${token}`), 401, 'UNAUTHORIZED');
  });

  it('should reject an HS256 token keyed with the public key (algorithm confusion)', async () => {
    const { user } = await loginAs(testApp);
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({
      sub: user.id,
      type: 'access',
      jti: randomUUID(),
      iss: 'perpetua-flow',
      aud: 'perpetua-flow-api',
      iat: now,
      exp: now + 900,
    })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid })
      .sign(new TextEncoder().encode(testSigningKey().publicPem));

    expectError(await me(`Bearer ${token}`), 401, 'UNAUTHORIZED');
  });

  it.each<[string, AccessTokenSpec]>([
    ['another issuer', { claims: { iss: 'someone-else' } }],
    ['another audience', { claims: { aud: 'another-api' } }],
    ['a type other than access', { claims: { type: 'refresh' } }],
    ['no type', { claims: { type: undefined } }],
    ['no jti', { claims: { jti: undefined } }],
    ['an unknown kid', { header: { kid: 'unknown-kid' } }],
    ['no kid', { header: { kid: undefined } }],
    [
      'a signature by an unknown key under the current kid',
      { key: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey },
    ],
  ])('should reject a token with %s', async (_, spec) => {
    const { user } = await loginAs(testApp);
    const token = await accessToken(user.id, kid, spec);

    expectError(await me(`Bearer ${token}`), 401, 'UNAUTHORIZED');
  });

  it('should reject a tampered token', async () => {
    const { accessToken: token } = await loginAs(testApp);
    const other = await loginAs(testApp);
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: other.user.id })).toString('base64url');

    expectError(await me(`Bearer ${header}.${forged}.${signature}`), 401, 'UNAUTHORIZED');
  });

  it('should reject a valid token whose user no longer exists', async () => {
    const { accessToken: token, user } = await loginAs(testApp);
    await testApp.dataSource.query('DELETE FROM users WHERE id = $1', [user.id]);

    expectError(await me(`Bearer ${token}`), 401, 'UNAUTHORIZED');
  });

  it('should read the tier from the database, not from the token', async () => {
    const { user } = await loginAs(testApp);
    const token = await accessToken(user.id, kid, { claims: { tier: 'pro', email: 'forged@example.com' } });

    const response = await as(testApp, token).get('/api/v1/users/me');

    expect(response.status).toBe(200);
    expect(response.body.data).toMatchObject({ tier: 'free', email: user.email });
  });
});

describe('GET /.well-known/jwks.json', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await createTestApp();
  });

  afterAll(async () => {
    await testApp.close();
  });

  it.each(['/.well-known/jwks.json', '/api/v1/.well-known/jwks.json'])(
    'should publish the signing key at %s, cacheable, without authentication',
    async (path) => {
      const response = await testApp.http.get(path).set('Authorization', 'Bearer garbage');

      expect(response.status).toBe(200);
      expect(response.headers['cache-control']).toBe('public, max-age=3600');
      const { n, e } = createPublicKey(testSigningKey().publicPem).export({ format: 'jwk' });
      expect(response.body).toEqual({
        keys: [{ kty: 'RSA', use: 'sig', alg: 'RS256', kid: await thumbprintOf(testSigningKey().publicPem), n, e }],
      });
    },
  );
});

describe('Signing-key rotation (JWT_PREVIOUS_PUBLIC_KEYS)', () => {
  let testApp: TestApp;
  let retiredKid: string;
  let currentKid: string;

  beforeAll(async () => {
    const next = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const nextPublicPem = next.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const unrelated = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
    testApp = await createTestApp({
      JWT_PRIVATE_KEY: next.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      JWT_PUBLIC_KEY: nextPublicPem,
      JWT_PREVIOUS_PUBLIC_KEYS:
        testSigningKey().publicPem + unrelated.export({ type: 'spki', format: 'pem' }).toString(),
    });
    retiredKid = await thumbprintOf(testSigningKey().publicPem);
    currentKid = await thumbprintOf(nextPublicPem);
  });

  afterAll(async () => {
    await testApp.close();
  });

  it('should sign with the new key and publish the new and the retired keys', async () => {
    const { accessToken: token } = await loginAs(testApp);
    const response = await testApp.http.get('/.well-known/jwks.json');

    expect(JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString()).kid).toBe(currentKid);
    expect(response.body.keys.map((key: { kid: string }) => key.kid)).toEqual([
      currentKid,
      retiredKid,
      expect.any(String),
    ]);
  });

  it('should still accept a token signed with a retired key under its thumbprint', async () => {
    const { user } = await loginAs(testApp);
    const token = await accessToken(user.id, retiredKid);

    const response = await as(testApp, token).get('/api/v1/users/me');

    expect(response.status).toBe(200);
  });

  it('should apply every other rule to a retired-key token', async () => {
    const { user } = await loginAs(testApp);
    const expired = await accessToken(user.id, retiredKid, { iat: -1000, exp: -100 });
    const wrongKid = await accessToken(user.id, currentKid);

    expectError(await as(testApp, expired).get('/api/v1/users/me'), 401, 'TOKEN_EXPIRED');
    expectError(await as(testApp, wrongKid).get('/api/v1/users/me'), 401, 'UNAUTHORIZED');
  });
});

/** docs/configuration.md §5: a rotation away from a custom `JWT_KEY_ID` keeps the old tokens valid. */
describe('Signing-key rotation from a custom JWT_KEY_ID', () => {
  const pem = (pair: ReturnType<typeof generateKeyPairSync>) => ({
    JWT_PRIVATE_KEY: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    JWT_PUBLIC_KEY: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  });
  // Before the rotation the API ran on the run's test key with JWT_KEY_ID=key-2026-01.
  const next = generateKeyPairSync('rsa', { modulusLength: 2048 });

  it.each([
    ['to another custom JWT_KEY_ID', { JWT_KEY_ID: 'key-2026-02' }],
    ['to the derived (thumbprint) kid', {}],
  ])('should accept tokens signed before a rotation %s until they expire', async (_case, keyId) => {
    const testApp = await createTestApp({
      ...pem(next),
      ...keyId,
      JWT_PREVIOUS_PUBLIC_KEYS: testSigningKey().publicPem,
    });
    try {
      const { user, accessToken: issued } = await loginAs(testApp);
      const beforeRotation = await accessToken(user.id, 'key-2026-01');
      const expired = await accessToken(user.id, 'key-2026-01', { iat: -1000, exp: -100 });
      const forged = await accessToken(user.id, 'key-2026-01', {
        key: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey,
      });

      const me = await as(testApp, beforeRotation).get('/api/v1/users/me');
      expect(me.status).toBe(200);
      expect(me.body.data.id).toBe(user.id);
      expectError(await as(testApp, expired).get('/api/v1/users/me'), 401, 'TOKEN_EXPIRED');
      expectError(await as(testApp, forged).get('/api/v1/users/me'), 401, 'UNAUTHORIZED');
      expect((await as(testApp, issued).get('/api/v1/users/me')).status).toBe(200);
      const kid = JSON.parse(Buffer.from(issued.split('.')[0], 'base64url').toString()).kid;
      expect(kid).toBe('JWT_KEY_ID' in keyId ? 'key-2026-02' : await thumbprintOf(pem(next).JWT_PUBLIC_KEY));
    } finally {
      await testApp.close();
    }
  });
});
