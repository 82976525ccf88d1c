import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { AppConfig } from '@app/core/config/app-config';
import { jwkThumbprint, toSpkiPem } from './jwt-keys';
import { JwtKeysService } from './jwt-keys.service';

function rsa(): { privatePem: string; publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: toSpkiPem(publicKey),
  };
}

/** A compact RS256 token signed with `privatePem`, with `kid` in its header (none when undefined). */
function signedBy(privatePem: string, kid: string | undefined): Promise<string> {
  return new SignJWT({ sub: 'someone' })
    .setProtectedHeader({ alg: 'RS256', ...(kid === undefined ? {} : { kid }) })
    .sign(createPrivateKey(privatePem));
}

function configWith(values: Partial<AppConfig>): AppConfig {
  return Object.assign(new AppConfig(), values);
}

async function initialised(values: Partial<AppConfig>): Promise<JwtKeysService> {
  const sut = new JwtKeysService(configWith(values));
  await sut.onModuleInit();
  return sut;
}

describe(JwtKeysService.name, () => {
  const current = rsa();
  const retired = rsa();
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'jwt-keys-service-'));
  });

  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('should use the thumbprint of the public key as kid by default', async () => {
    const sut = await initialised({ JWT_PRIVATE_KEY: current.privatePem, JWT_PUBLIC_KEY: current.publicPem });

    expect(sut.kid).toBe(await jwkThumbprint(createPublicKey(current.publicPem)));
    expect(sut.jwks().keys).toEqual([
      { kty: 'RSA', use: 'sig', alg: 'RS256', kid: sut.kid, n: expect.any(String), e: 'AQAB' },
    ]);
    const key = sut.verificationKeyFor(await signedBy(current.privatePem, sut.kid));
    expect(key?.equals(createPublicKey(current.publicPem))).toBe(true);
  });

  it('should use JWT_KEY_ID when set', async () => {
    const sut = await initialised({ JWT_PRIVATE_KEY: current.privatePem, JWT_KEY_ID: 'key-2026-01' });

    expect(sut.kid).toBe('key-2026-01');
    expect(sut.jwks().keys[0].kid).toBe('key-2026-01');
  });

  it('should publish retired keys under their thumbprints and verify with them, never sign', async () => {
    const sut = await initialised({
      JWT_PRIVATE_KEY: current.privatePem,
      JWT_PREVIOUS_PUBLIC_KEYS: retired.publicPem + current.publicPem,
    });
    const retiredKid = await jwkThumbprint(createPublicKey(retired.publicPem));

    expect(sut.jwks().keys.map((key) => key.kid)).toEqual([sut.kid, retiredKid]);
    const key = sut.verificationKeyFor(await signedBy(retired.privatePem, retiredKid));
    expect(key?.equals(createPublicKey(retired.publicPem))).toBe(true);
    expect(sut.kid).not.toBe(retiredKid);
  });

  it('should know no key for an unknown or missing kid', async () => {
    const sut = await initialised({ JWT_PRIVATE_KEY: current.privatePem });

    expect(sut.verificationKeyFor(await signedBy(current.privatePem, 'unknown'))).toBeUndefined();
    expect(sut.verificationKeyFor(await signedBy(current.privatePem, undefined))).toBeUndefined();
    expect(sut.verificationKeyFor('not.a-token')).toBeUndefined();
  });

  it('should find the retired key of a token signed under an earlier custom JWT_KEY_ID', async () => {
    const sut = await initialised({
      JWT_PRIVATE_KEY: current.privatePem,
      JWT_KEY_ID: 'key-2026-02',
      JWT_PREVIOUS_PUBLIC_KEYS: retired.publicPem,
    });
    const beforeRotation = await signedBy(retired.privatePem, 'key-2026-01');
    const unrelated = rsa();

    expect(sut.verificationKeyFor(beforeRotation)?.equals(createPublicKey(retired.publicPem))).toBe(true);
    expect(sut.verificationKeyFor(await signedBy(unrelated.privatePem, 'key-2026-01'))).toBeUndefined();
    expect(sut.verificationKeyFor(`${beforeRotation.slice(0, -4)}AAAA`)).toBeUndefined();
    // A kid naming a known key stays binding: that key, whatever signed the token.
    const named = sut.verificationKeyFor(await signedBy(retired.privatePem, 'key-2026-02'));
    expect(named?.equals(createPublicKey(current.publicPem))).toBe(true);
  });

  it('should find the key of a token by the kid of its header, for every token of that key', async () => {
    const sut = await initialised({
      JWT_PRIVATE_KEY: current.privatePem,
      JWT_PREVIOUS_PUBLIC_KEYS: retired.publicPem,
    });
    const retiredKid = await jwkThumbprint(createPublicKey(retired.publicPem));
    const token = (kid: string, subject: string): Promise<string> =>
      new SignJWT({}).setProtectedHeader({ alg: 'RS256', kid }).setSubject(subject).sign(sut.privateKey);

    for (const subject of ['first', 'second']) {
      expect(sut.verificationKeyFor(await token(sut.kid, subject))?.equals(createPublicKey(current.publicPem))).toBe(
        true,
      );
      expect(sut.verificationKeyFor(await token(retiredKid, subject))?.equals(createPublicKey(retired.publicPem))).toBe(
        true,
      );
      expect(sut.verificationKeyFor(await token('unknown', subject))).toBeUndefined();
    }
    expect(sut.verificationKeyFor('not-a-token')).toBeUndefined();
    expect(sut.verificationKeyFor('')).toBeUndefined();
  });

  it('should fail to initialise on an unparsable JWT_PREVIOUS_PUBLIC_KEYS', async () => {
    const sut = new JwtKeysService(
      configWith({ JWT_PRIVATE_KEY: current.privatePem, JWT_PREVIOUS_PUBLIC_KEYS: 'oops' }),
    );

    await expect(sut.onModuleInit()).rejects.toThrow(/^JWT_PREVIOUS_PUBLIC_KEYS: /);
  });

  it('should require the private key when only the public key is set', async () => {
    const sut = new JwtKeysService(configWith({ JWT_PUBLIC_KEY: current.publicPem, DATA_DIR: dataDir }));

    await expect(sut.onModuleInit()).rejects.toThrow(/^JWT_PRIVATE_KEY: /);
  });

  it('should refuse to generate keys in production', async () => {
    const sut = new JwtKeysService(configWith({ NODE_ENV: 'production', DATA_DIR: dataDir }));

    await expect(sut.onModuleInit()).rejects.toThrow(/^JWT_PRIVATE_KEY: required when NODE_ENV=production/);
  });

  it('should generate and then reuse a development pair in DATA_DIR', async () => {
    const first = await initialised({ DATA_DIR: dataDir });
    const second = await initialised({ DATA_DIR: dataDir });

    expect(second.kid).toBe(first.kid);
    expect(second.jwks()).toEqual(first.jwks());
  });
});
