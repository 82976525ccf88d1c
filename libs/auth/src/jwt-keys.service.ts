import { KeyObject, verify } from 'node:crypto';
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { decodeProtectedHeader } from 'jose';
import { AppConfig, ConfigError } from '@app/core/config/app-config';
import {
  jwkThumbprint,
  KeyPair,
  loadOrCreateDevKeyPair,
  parseConfiguredKeyPair,
  parsePreviousPublicKeys,
  PublicJwk,
  toPublicJwk,
} from './jwt-keys';

/** Distinct token header segments remembered with their key (one per signing key in practice). */
const MAX_REMEMBERED_HEADERS = 16;

function headerKid(token: string): unknown {
  try {
    return decodeProtectedHeader(token).kid;
  } catch {
    return undefined;
  }
}

export interface JwksDocument {
  keys: PublicJwk[];
}

/**
 * The RS256 signing key and every key that still verifies access tokens (docs/configuration.md §5 "Signing-key
 * rotation"): the current public key under `JWT_KEY_ID` (default: its thumbprint) and each retired
 * key of `JWT_PREVIOUS_PUBLIC_KEYS` under its own thumbprint. A token whose `kid` names no known key
 * (signed under an earlier custom `JWT_KEY_ID`) is tried against the retired keys. A bad key value
 * fails the boot.
 */
@Injectable()
export class JwtKeysService implements OnModuleInit {
  private readonly logger = new Logger(JwtKeysService.name);
  private signingKey: KeyObject;
  private signingKid: string;
  private verificationKeys = new Map<string, KeyObject>();
  private retiredKeys: KeyObject[] = [];
  private keysByHeader = new Map<string, KeyObject>();
  private jwksDocument: JwksDocument = { keys: [] };

  constructor(private readonly config: AppConfig) {}

  async onModuleInit(): Promise<void> {
    const pair = this.loadSigningPair();
    const currentKid = this.config.JWT_KEY_ID ?? (await jwkThumbprint(pair.publicKey));
    const keys: PublicJwk[] = [toPublicJwk(pair.publicKey, currentKid)];
    const verificationKeys = new Map([[currentKid, pair.publicKey]]);
    for (const previous of parsePreviousPublicKeys(this.config.JWT_PREVIOUS_PUBLIC_KEYS)) {
      const kid = await jwkThumbprint(previous);
      if (verificationKeys.has(kid) || previous.equals(pair.publicKey)) continue;
      keys.push(toPublicJwk(previous, kid));
      verificationKeys.set(kid, previous);
    }
    this.signingKey = pair.privateKey;
    this.signingKid = currentKid;
    this.verificationKeys = verificationKeys;
    this.retiredKeys = [...verificationKeys.values()].filter((key) => !key.equals(pair.publicKey));
    this.keysByHeader = new Map();
    this.jwksDocument = { keys };
  }

  /** Private key that signs every access token. */
  get privateKey(): KeyObject {
    return this.signingKey;
  }

  /** `kid` header of every issued access token. */
  get kid(): string {
    return this.signingKid;
  }

  /**
   * Public key `token` must be signed with: the key its `kid` names (current or retired); for a
   * `kid` naming no known key, the retired key whose RS256 signature matches, so that tokens signed
   * before a rotation under an explicit `JWT_KEY_ID` keep verifying. A parsed key object, so that
   * verifying a token does not parse a PEM on every request; the caller still verifies the token.
   * Every token one key signs carries the same header segment, so a header naming a known key is
   * decoded once and then looked up by its text.
   */
  verificationKeyFor(token: string): KeyObject | undefined {
    const header = token.split('.', 1)[0];
    const remembered = this.keysByHeader.get(header);
    if (remembered) return remembered;
    const kid = headerKid(token);
    const named = typeof kid === 'string' ? this.verificationKeys.get(kid) : undefined;
    if (named) {
      if (this.keysByHeader.size < MAX_REMEMBERED_HEADERS) this.keysByHeader.set(header, named);
      return named;
    }
    if (this.retiredKeys.length === 0) return undefined;
    const [, payload, signature] = token.split('.');
    if (signature === undefined) return undefined;
    const signed = Buffer.from(`${header}.${payload}`);
    const bytes = Buffer.from(signature, 'base64url');
    return this.retiredKeys.find((key) => verify('RSA-SHA256', signed, key, bytes));
  }

  jwks(): JwksDocument {
    return this.jwksDocument;
  }

  private loadSigningPair(): KeyPair {
    const { JWT_PRIVATE_KEY, JWT_PUBLIC_KEY } = this.config;
    if (JWT_PRIVATE_KEY) return parseConfiguredKeyPair(JWT_PRIVATE_KEY, JWT_PUBLIC_KEY);
    if (JWT_PUBLIC_KEY) {
      throw new ConfigError('JWT_PRIVATE_KEY: required when JWT_PUBLIC_KEY is set (both keys of the pair)');
    }
    if (this.config.isProduction) throw new ConfigError('JWT_PRIVATE_KEY: required when NODE_ENV=production');
    const pair = loadOrCreateDevKeyPair(this.config.DATA_DIR);
    if (pair.created) this.logger.log(`generated a development JWT key pair in ${this.config.DATA_DIR}/keys`);
    return pair;
  }
}
