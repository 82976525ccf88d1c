import { Injectable } from '@nestjs/common';
import { UnauthorizedError } from '@app/core/errors/domain-error';
import type { AuthUser } from '@app/core/http/auth-user';
import { RateLimiter, RateLimitExceededError } from '@app/core/rate-limit/rate-limiter';
import { hashRefreshToken } from '@app/auth/refresh-token';
import { aiSession, isAccessTokenSecret, LAST_USED_RESOLUTION_MS, lastUseIsStale } from './access-token-rules';
import { AccessTokensRepository } from './access-tokens.repository';

/**
 * Checks a personal access token (docs/access-tokens.md §3): one indexed lookup of its hash;
 * `last_used_at` written at most once a minute. Unknown secrets count against the client IP's
 * `auth` bucket, so guessing is throttled like sign-in.
 */
@Injectable()
export class AccessTokenAuthenticator {
  constructor(
    private readonly tokens: AccessTokensRepository,
    private readonly rateLimiter: RateLimiter,
  ) {}

  async authenticate(secret: string, clientIp: string): Promise<AuthUser> {
    const now = new Date();
    const token = isAccessTokenSecret(secret) ? await this.tokens.findIdentity(hashRefreshToken(secret)) : null;
    if (!token) {
      const { allowed, retryAfter } = await this.rateLimiter.consume('auth', `access-token-miss:${clientIp}`);
      if (!allowed) throw new RateLimitExceededError(retryAfter);
      throw new UnauthorizedError('Invalid personal access token');
    }
    if (token.revokedAt) throw new UnauthorizedError('This personal access token was revoked');
    if (token.expiresAt && token.expiresAt <= now) throw new UnauthorizedError('This personal access token expired');
    if (lastUseIsStale(token.lastUsedAt, now)) {
      await this.tokens.touch(token.id, now, new Date(now.getTime() - LAST_USED_RESOLUTION_MS));
    }
    return { id: token.userId, email: token.email, scopes: token.scopes, ...aiSession(token.id, token.expiresAt, now) };
  }
}
