import { createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject, randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  linkSync,
  mkdirSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { calculateJwkThumbprint } from 'jose';
import { ConfigError } from '@app/core/config/app-config';

/** One entry of the JWKS document (docs/api.md §3). */
export interface PublicJwk {
  kty: 'RSA';
  use: 'sig';
  alg: 'RS256';
  kid: string;
  n: string;
  e: string;
}

export interface KeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

const PUBLIC_KEY_BLOCK = /-----BEGIN PUBLIC KEY-----[\s\S]*?-----END PUBLIC KEY-----/g;

/** PEM from an environment variable: literal `\n` escapes become line breaks. */
export function normalizePem(value: string): string {
  return value.replace(/\\r/g, '').replace(/\\n/g, '\n').replace(/\r/g, '').trim();
}

export function parsePrivateKey(pem: string, source: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(normalizePem(pem));
  } catch {
    throw new ConfigError(`${source}: not a PEM private key`);
  }
  if (key.asymmetricKeyType !== 'rsa') throw new ConfigError(`${source}: must be an RSA key (RS256)`);
  return key;
}

export function parsePublicKey(pem: string, source: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey(normalizePem(pem));
  } catch {
    throw new ConfigError(`${source}: not a PEM public key`);
  }
  if (key.type !== 'public' || key.asymmetricKeyType !== 'rsa') {
    throw new ConfigError(`${source}: must be an RSA public key (RS256)`);
  }
  return key;
}

/**
 * The signing pair from `JWT_PRIVATE_KEY`/`JWT_PUBLIC_KEY`. The public key may be omitted (it is
 * derived); when given it must belong to the private key.
 */
export function parseConfiguredKeyPair(privatePem: string, publicPem: string | undefined): KeyPair {
  const privateKey = parsePrivateKey(privatePem, 'JWT_PRIVATE_KEY');
  const derived = createPublicKey(privateKey);
  if (publicPem === undefined) return { privateKey, publicKey: derived };
  const publicKey = parsePublicKey(publicPem, 'JWT_PUBLIC_KEY');
  if (!publicKey.equals(derived)) {
    throw new ConfigError('JWT_PUBLIC_KEY: does not belong to JWT_PRIVATE_KEY; set the public key of the same pair');
  }
  return { privateKey, publicKey };
}

/** `JWT_PREVIOUS_PUBLIC_KEYS`: one or more concatenated SPKI PEM RSA public keys, nothing else. */
export function parsePreviousPublicKeys(value: string | undefined): KeyObject[] {
  if (value === undefined || value.trim() === '') return [];
  const text = normalizePem(value);
  const blocks = text.match(PUBLIC_KEY_BLOCK) ?? [];
  if (blocks.length === 0 || text.replace(PUBLIC_KEY_BLOCK, '').trim() !== '') {
    throw new ConfigError(
      'JWT_PREVIOUS_PUBLIC_KEYS: must be one or more concatenated PEM RSA public keys ' +
        '("-----BEGIN PUBLIC KEY-----" blocks); fix the value or unset it',
    );
  }
  return blocks.map((block, index) => parsePublicKey(block, `JWT_PREVIOUS_PUBLIC_KEYS (key ${index + 1})`));
}

/** RFC 7638 thumbprint (base64url SHA-256) of an RSA public key. */
export function jwkThumbprint(publicKey: KeyObject): Promise<string> {
  const { n, e } = publicKey.export({ format: 'jwk' });
  return calculateJwkThumbprint({ kty: 'RSA', n, e });
}

export function toPublicJwk(publicKey: KeyObject, kid: string): PublicJwk {
  const { n, e } = publicKey.export({ format: 'jwk' });
  if (!n || !e) throw new Error('not an RSA public key');
  return { kty: 'RSA', use: 'sig', alg: 'RS256', kid, n, e };
}

export function toSpkiPem(publicKey: KeyObject): string {
  return publicKey.export({ type: 'spki', format: 'pem' }).toString();
}

/**
 * Development key pair under `<dataDir>/keys`: generated once (RSA 2048) and reused across
 * restarts. API and job runner may start together, so the private key is published atomically
 * and only once (hard link of a complete temp file); the loser of a race reads the winner's key.
 */
export function loadOrCreateDevKeyPair(dataDir: string): KeyPair & { created: boolean } {
  const dir = join(dataDir, 'keys');
  // DATA_DIR keeps default permissions (the embedded database runs as another user); only keys/ is private.
  mkdirSync(dataDir, { recursive: true });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const privatePath = join(dir, 'jwt-private.pem');
  const publicPath = join(dir, 'jwt-public.pem');
  let created = false;
  if (!existsSync(privatePath)) {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    created = publishOnce(privatePath, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  }
  const privateKey = parsePrivateKey(
    readFileSync(privatePath, 'utf8'),
    `${privatePath} (delete it to generate a new development key pair)`,
  );
  const publicKey = createPublicKey(privateKey);
  const publicPem = toSpkiPem(publicKey);
  if (!existsSync(publicPath) || readFileSync(publicPath, 'utf8') !== publicPem) {
    replaceAtomically(publicPath, publicPem);
  }
  return { privateKey, publicKey, created };
}

function tempPathFor(path: string): string {
  return `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
}

function writeTemp(path: string, content: string): string {
  const temp = tempPathFor(path);
  writeFileSync(temp, content, { mode: 0o600 });
  chmodSync(temp, 0o600);
  return temp;
}

/** Creates `path` with `content` unless it already exists; true when this call created it. */
function publishOnce(path: string, content: string): boolean {
  const temp = writeTemp(path, content);
  try {
    linkSync(temp, path);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    // Filesystems without hard links: rename is not exclusive, but never exposes a partial file.
    if (!existsSync(path)) {
      renameSync(temp, path);
      return true;
    }
    return false;
  } finally {
    if (existsSync(temp)) unlinkSync(temp);
  }
}

function replaceAtomically(path: string, content: string): void {
  renameSync(writeTemp(path, content), path);
}
