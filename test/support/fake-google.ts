import { generateKeyPairSync, KeyObject, randomInt, randomUUID } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { SignJWT } from 'jose';

export interface MintOptions {
  /** `kid` header (default: the served key's). */
  kid?: string;
  /** Sign with a key that is not in the served JWKS (default false). */
  foreignKey?: boolean;
  /** `exp` relative to now, seconds (default 3600). */
  expOffset?: number;
  /** `iat` relative to now, seconds (default 0). */
  iatOffset?: number;
}

export interface FakeGoogle {
  /** `GOOGLE_JWKS_URL` of this server. */
  jwksUrl: string;
  /** Accepted `aud`, for `GOOGLE_CLIENT_ID`. */
  clientId: string;
  kid: string;
  /** Number of JWKS requests served so far. */
  jwksRequests(): number;
  /**
   * A Google-style ID token. Default claims: Google issuer, this client id, a random `sub` and
   * email, `email_verified: true`, name and picture. A claim set to `undefined` is left out.
   */
  mint(claims?: Record<string, unknown>, options?: MintOptions): Promise<string>;
  /** Env of a test app that trusts this server. */
  env(): Record<string, string>;
  close(): Promise<void>;
}

function rsaKey(): { privateKey: KeyObject; publicKey: KeyObject } {
  return generateKeyPairSync('rsa', { modulusLength: 2048 });
}

/** A local stand-in for Google's signing-key endpoint (docs/integrations.md §1, "Tests"). */
export async function startFakeGoogle(clientId = 'test-client.apps.googleusercontent.com'): Promise<FakeGoogle> {
  const served = rsaKey();
  const foreign = rsaKey();
  const kid = `test-${randomUUID()}`;
  const jwk = { ...served.publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
  let requests = 0;
  const server: Server = createServer((request, response) => {
    if (request.method === 'GET' && request.url === '/oauth2/v3/certs') {
      requests++;
      response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'public, max-age=3600' });
      response.end(JSON.stringify({ keys: [jwk] }));
      return;
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/oauth2/v3/certs`;

  return {
    jwksUrl,
    clientId,
    kid,
    jwksRequests: () => requests,
    mint: (claims = {}, options = {}) => {
      const now = Math.floor(Date.now() / 1000);
      const payload: Record<string, unknown> = {
        iss: 'https://accounts.google.com',
        aud: clientId,
        sub: `1${randomInt(2 ** 47)
          .toString()
          .padStart(20, '0')}`,
        email: `google-${randomUUID()}@example.com`,
        email_verified: true,
        name: 'Grace Hopper',
        picture: 'https://example.com/avatars/grace.png',
        iat: now + (options.iatOffset ?? 0),
        exp: now + (options.expOffset ?? 3600),
        ...claims,
      };
      for (const [name, value] of Object.entries(payload)) if (value === undefined) delete payload[name];
      return new SignJWT(payload)
        .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: options.kid ?? kid })
        .sign(options.foreignKey ? foreign.privateKey : served.privateKey);
    },
    env: () => ({ GOOGLE_CLIENT_ID: clientId, GOOGLE_JWKS_URL: jwksUrl }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
