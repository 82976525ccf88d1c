import { spawn } from 'node:child_process';
import { createPublicKey, generateKeyPairSync, KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  jwkThumbprint,
  loadOrCreateDevKeyPair,
  normalizePem,
  parseConfiguredKeyPair,
  parsePreviousPublicKeys,
  toPublicJwk,
  toSpkiPem,
} from './jwt-keys';

function rsaPair(): { privatePem: string; publicPem: string; publicKey: KeyObject } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: toSpkiPem(publicKey),
    publicKey,
  };
}

const escaped = (pem: string): string => pem.trim().replace(/\n/g, '\\n');

describe('jwt keys', () => {
  const pairA = rsaPair();
  const pairB = rsaPair();

  describe(normalizePem.name, () => {
    it('should turn literal \\n escapes into line breaks', () => {
      expect(normalizePem(escaped(pairA.publicPem))).toBe(pairA.publicPem.trim());
    });
  });

  describe(parseConfiguredKeyPair.name, () => {
    it('should accept a matching pair, also with \\n escapes', () => {
      const pair = parseConfiguredKeyPair(escaped(pairA.privatePem), escaped(pairA.publicPem));

      expect(pair.publicKey.equals(pairA.publicKey)).toBe(true);
    });

    it('should derive the public key when only the private key is set', () => {
      expect(parseConfiguredKeyPair(pairA.privatePem, undefined).publicKey.equals(pairA.publicKey)).toBe(true);
    });

    it('should reject a public key of another pair, naming JWT_PUBLIC_KEY', () => {
      expect(() => parseConfiguredKeyPair(pairA.privatePem, pairB.publicPem)).toThrow(/^JWT_PUBLIC_KEY: /);
    });

    it('should reject an unparsable private key, naming JWT_PRIVATE_KEY', () => {
      expect(() => parseConfiguredKeyPair('not a key', undefined)).toThrow(/^JWT_PRIVATE_KEY: /);
    });

    it('should reject a non-RSA private key', () => {
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

      expect(() => parseConfiguredKeyPair(pem, undefined)).toThrow(/^JWT_PRIVATE_KEY: must be an RSA key/);
    });
  });

  describe(parsePreviousPublicKeys.name, () => {
    it('should return no keys when unset or blank', () => {
      expect(parsePreviousPublicKeys(undefined)).toEqual([]);
      expect(parsePreviousPublicKeys('  ')).toEqual([]);
    });

    it('should parse one key', () => {
      const keys = parsePreviousPublicKeys(pairA.publicPem);

      expect(keys).toHaveLength(1);
      expect(keys[0].equals(pairA.publicKey)).toBe(true);
    });

    it('should parse several concatenated keys, with or without separators and escapes', () => {
      expect(parsePreviousPublicKeys(pairA.publicPem + pairB.publicPem)).toHaveLength(2);
      expect(parsePreviousPublicKeys(`${pairA.publicPem.trim()}${pairB.publicPem.trim()}`)).toHaveLength(2);
      expect(parsePreviousPublicKeys(`${escaped(pairA.publicPem)}\\n${escaped(pairB.publicPem)}`)).toHaveLength(2);
    });

    it.each([
      ['garbage', 'not a pem'],
      ['text around a key', `junk\n${rsaPair().publicPem}`],
      ['a private key', rsaPair().privatePem],
      ['a truncated key', '-----BEGIN PUBLIC KEY-----\nMIIBIjANBg\n-----END PUBLIC KEY-----'],
    ])('should reject %s, naming JWT_PREVIOUS_PUBLIC_KEYS', (_, value) => {
      expect(() => parsePreviousPublicKeys(value)).toThrow(/^JWT_PREVIOUS_PUBLIC_KEYS/);
    });

    it('should reject a non-RSA public key', () => {
      const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });

      expect(() => parsePreviousPublicKeys(pairA.publicPem + toSpkiPem(publicKey))).toThrow(
        'JWT_PREVIOUS_PUBLIC_KEYS (key 2): must be an RSA public key (RS256)',
      );
    });
  });

  describe(jwkThumbprint.name, () => {
    it('should compute the RFC 7638 §3.1 example thumbprint', async () => {
      const n =
        '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw';
      const key = createPublicKey({ key: { kty: 'RSA', n, e: 'AQAB' }, format: 'jwk' });

      await expect(jwkThumbprint(key)).resolves.toBe('NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs');
    });
  });

  describe(toPublicJwk.name, () => {
    it('should describe an RS256 signing key', () => {
      const jwk = toPublicJwk(pairA.publicKey, 'kid-1');

      expect(jwk).toEqual({ kty: 'RSA', use: 'sig', alg: 'RS256', kid: 'kid-1', n: expect.any(String), e: 'AQAB' });
      expect(createPublicKey({ key: { ...jwk }, format: 'jwk' }).equals(pairA.publicKey)).toBe(true);
    });
  });

  describe(loadOrCreateDevKeyPair.name, () => {
    let dataDir: string;

    beforeEach(() => {
      dataDir = mkdtempSync(join(tmpdir(), 'jwt-keys-'));
    });

    afterEach(() => {
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('should generate an RSA 2048 pair once, persist it with mode 0600 and reuse it', () => {
      const first = loadOrCreateDevKeyPair(dataDir);
      const second = loadOrCreateDevKeyPair(dataDir);

      expect(first.created).toBe(true);
      expect(second.created).toBe(false);
      expect(second.publicKey.equals(first.publicKey)).toBe(true);
      expect(first.privateKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
      for (const file of ['jwt-private.pem', 'jwt-public.pem']) {
        expect(statSync(join(dataDir, 'keys', file)).mode & 0o777).toBe(0o600);
      }
      expect(readFileSync(join(dataDir, 'keys', 'jwt-public.pem'), 'utf8')).toBe(toSpkiPem(first.publicKey));
    });

    it('should rewrite a missing public key file from the private key', () => {
      const first = loadOrCreateDevKeyPair(dataDir);
      rmSync(join(dataDir, 'keys', 'jwt-public.pem'));

      const second = loadOrCreateDevKeyPair(dataDir);

      expect(second.publicKey.equals(first.publicKey)).toBe(true);
      expect(readFileSync(join(dataDir, 'keys', 'jwt-public.pem'), 'utf8')).toBe(toSpkiPem(first.publicKey));
    });

    it('should refuse a corrupt private key file and say how to recover', () => {
      loadOrCreateDevKeyPair(dataDir);
      rmSync(join(dataDir, 'keys', 'jwt-private.pem'));
      writeFileSync(join(dataDir, 'keys', 'jwt-private.pem'), 'garbage');

      expect(() => loadOrCreateDevKeyPair(dataDir)).toThrow(/delete it to generate a new development key pair/);
    });

    it('should give concurrently starting processes the same key', async () => {
      const projectRoot = resolve(__dirname, '../../..');
      const script = `
        const { loadOrCreateDevKeyPair, toSpkiPem } = require(${JSON.stringify(resolve(__dirname, 'jwt-keys'))});
        process.stdout.write(toSpkiPem(loadOrCreateDevKeyPair(process.argv[1]).publicKey));
      `;
      const run = (): Promise<string> =>
        new Promise((done, fail) => {
          const child = spawn(
            process.execPath,
            ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', '-e', script, dataDir],
            { cwd: projectRoot, env: { ...process.env, TS_NODE_PROJECT: join(projectRoot, 'tsconfig.json') } },
          );
          let output = '';
          child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
          child.on('error', fail);
          child.on('exit', (code) => (code === 0 ? done(output) : fail(new Error(`exit ${code}`))));
        });

      const keys = await Promise.all([run(), run(), run(), run()]);

      expect(new Set(keys).size).toBe(1);
      expect(keys[0]).toBe(readFileSync(join(dataDir, 'keys', 'jwt-public.pem'), 'utf8'));
    }, 60_000);
  });
});
