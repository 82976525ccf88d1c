import { Injectable, Logger } from '@nestjs/common';
import { OAuth2Client } from 'google-auth-library';
import { decodeJwt, decodeProtectedHeader, JWTPayload } from 'jose';
import { AppConfig } from '@app/core/config/app-config';
import { AuthProviderUnavailableError, GoogleAuthFailedError } from './auth.errors';
import { checkGoogleClaims, GoogleIdentity } from './google-claims';
import { jwksToPems } from './google-jwks';

const FETCH_TIMEOUT_MS = 5_000;
const CACHE_TTL_MS = 24 * 60 * 60 * 1000;
const MIN_REFETCH_INTERVAL_MS = 60_000;

/**
 * Verifies Google ID tokens (docs/integrations.md §1) with keys fetched from `GOOGLE_JWKS_URL`:
 * cached 24 h, refetched for an unknown `kid` at most once per 60 s, kept when a refetch fails.
 */
@Injectable()
export class GoogleIdTokenVerifier {
  private readonly logger = new Logger(GoogleIdTokenVerifier.name);
  private readonly client = new OAuth2Client();
  private keys = new Map<string, string>();
  private fetchedAt = 0;
  private lastAttemptAt = Number.NEGATIVE_INFINITY;
  private inFlight?: Promise<void>;

  constructor(private readonly config: AppConfig) {}

  async verify(idToken: string): Promise<GoogleIdentity> {
    const audiences = this.config.googleAudiences;
    if (audiences.length === 0) throw new AuthProviderUnavailableError('Google sign-in is not configured');
    const issuers = this.config.googleIssuers;
    const { kid, unverifiedAud } = this.inspect(idToken);
    const pem = await this.keyFor(kid);
    let payload: JWTPayload | undefined;
    try {
      // The library compares an array `aud` by identity and would reject it; checkGoogleClaims
      // checks `aud` in both forms, so the library checks it only when it is a string.
      const ticket = await this.client.verifySignedJwtWithCertsAsync(
        idToken,
        { [kid]: pem },
        typeof unverifiedAud === 'string' ? audiences : undefined,
        issuers,
      );
      payload = ticket.getPayload() as JWTPayload | undefined;
    } catch (error) {
      return this.reject(error instanceof Error ? error.message.split(':')[0] : 'verification failed');
    }
    const check = checkGoogleClaims(payload ?? {}, { audiences, issuers, nowSeconds: Date.now() / 1000 });
    if ('problem' in check) return this.reject(check.problem);
    return check.identity;
  }

  private inspect(idToken: string): { kid: string; unverifiedAud: unknown } {
    try {
      const header = decodeProtectedHeader(idToken);
      const { aud } = decodeJwt(idToken);
      if (header.alg === 'RS256' && typeof header.kid === 'string' && header.kid !== '') {
        return { kid: header.kid, unverifiedAud: aud };
      }
    } catch {
      // Unparsable token: rejected below like a wrong header.
    }
    return this.reject('malformed token or header not RS256 with kid');
  }

  private async keyFor(kid: string): Promise<string> {
    const now = Date.now();
    const stale = now - this.fetchedAt >= CACHE_TTL_MS;
    const mayRefetch = now - this.lastAttemptAt >= MIN_REFETCH_INTERVAL_MS;
    if (this.keys.size === 0 || (mayRefetch && (stale || !this.keys.has(kid)))) await this.refresh();
    if (this.keys.size === 0) throw new AuthProviderUnavailableError('Google signing keys are unavailable');
    return this.keys.get(kid) ?? this.reject('unknown kid');
  }

  /** One fetch at a time; a failure keeps the cached keys. */
  private refresh(): Promise<void> {
    this.inFlight ??= this.fetchKeys().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async fetchKeys(): Promise<void> {
    this.lastAttemptAt = Date.now();
    const url = this.config.GOOGLE_JWKS_URL;
    try {
      const response = await fetch(url, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const keys = jwksToPems(await response.json());
      if (keys.size === 0) throw new Error('no usable RS256 keys in the document');
      this.keys = keys;
      this.fetchedAt = Date.now();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const fallback = this.keys.size > 0 ? 'keeping the cached keys' : 'no keys cached';
      this.logger.warn(`fetching Google signing keys from ${url} failed (${reason}); ${fallback}`);
    }
  }

  private reject(reason: string): never {
    this.logger.debug(`Google ID token rejected: ${reason}`);
    throw new GoogleAuthFailedError();
  }
}
