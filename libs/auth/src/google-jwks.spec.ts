import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { jwksToPems } from './google-jwks';

function rsaJwk(kid: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig', ...extra };
}

describe(jwksToPems.name, () => {
  it('should convert every RS256 key to an SPKI PEM of the same key', () => {
    const first = rsaJwk('k1');
    const second = rsaJwk('k2', { alg: undefined, use: undefined });

    const pems = jwksToPems({ keys: [first, second] });

    expect([...pems.keys()]).toEqual(['k1', 'k2']);
    expect(pems.get('k1')).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(createPublicKey(pems.get('k1')!).export({ format: 'jwk' }).n).toBe(first.n);
  });

  it('should skip keys that are not usable RS256 signing keys', () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pems = jwksToPems({
      keys: [
        { ...publicKey.export({ format: 'jwk' }), kid: 'ec' },
        rsaJwk('enc', { use: 'enc' }),
        rsaJwk('rs512', { alg: 'RS512' }),
        rsaJwk(''),
        { kty: 'RSA', kid: 'broken', n: '!!', e: 'AQAB' },
        { kty: 'RSA', kid: 'no-modulus', e: 'AQAB' },
        { ...generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'jwk' }), kid: 'short' },
        null,
      ],
    });

    expect(pems.size).toBe(0);
  });

  it.each([null, 'text', {}, { keys: 'x' }])('should return no keys for %j', (document) => {
    expect(jwksToPems(document).size).toBe(0);
  });
});
