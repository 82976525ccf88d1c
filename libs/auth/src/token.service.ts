import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { SignJWT } from 'jose';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '@app/core/config/app-config';
import type { UserEntity } from '@app/core/database/entities';
import { UnitOfWork } from '@app/core/events/unit-of-work';
import { UsersRepository } from '@app/users/users.repository';
import { InvalidRefreshTokenError } from './auth.errors';
import { ACCESS_TOKEN_AUDIENCE, ACCESS_TOKEN_ISSUER, ACCESS_TOKEN_TYPE } from './jwt.constants';
import { JwtKeysService } from './jwt-keys.service';
import { generateRefreshToken, hashRefreshToken } from './refresh-token';
import { RefreshTokensRepository } from './refresh-tokens.repository';

export interface TokenPair {
  access_token: string;
  refresh_token: string;
  token_type: 'Bearer';
  expires_in: number;
}

/** Who asked for a session, stored with the refresh token. */
export interface ClientInfo {
  userAgent: string | null;
  ip: string | null;
}

type RefreshOutcome = { kind: 'rotated'; tokens: TokenPair } | { kind: 'reused'; userId: string } | { kind: 'invalid' };

const DAY_MS = 24 * 60 * 60 * 1000;

/** Access tokens (RS256 JWT) and opaque refresh tokens: issue, rotate, revoke (docs/api.md §3). */
@Injectable()
export class TokenService {
  private readonly logger = new Logger(TokenService.name);

  constructor(
    private readonly config: AppConfig,
    private readonly keys: JwtKeysService,
    private readonly refreshTokens: RefreshTokensRepository,
    private readonly users: UsersRepository,
    private readonly uow: UnitOfWork,
    private readonly dataSource: DataSource,
  ) {}

  get accessTokenTtlSeconds(): number {
    return this.config.JWT_ACCESS_EXPIRY_MINUTES * 60;
  }

  signAccessToken(user: Pick<UserEntity, 'id' | 'email' | 'tier'>, now: Date): Promise<string> {
    const issuedAt = Math.floor(now.getTime() / 1000);
    return new SignJWT({ email: user.email, tier: user.tier, type: ACCESS_TOKEN_TYPE })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: this.keys.kid })
      .setSubject(user.id)
      .setJti(randomUUID())
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + this.accessTokenTtlSeconds)
      .setIssuer(ACCESS_TOKEN_ISSUER)
      .setAudience(ACCESS_TOKEN_AUDIENCE)
      .sign(this.keys.privateKey);
  }

  /**
   * A login's new session, inside the login transaction: revokes every older refresh token of the
   * user (one active session per user) and issues a new pair.
   */
  async startSession(manager: EntityManager, user: UserEntity, client: ClientInfo, now: Date): Promise<TokenPair> {
    await this.users.lockById(manager, user.id);
    await this.refreshTokens.revokeAllForUser(manager, user.id, now);
    return (await this.issue(manager, user, client, now)).tokens;
  }

  /**
   * Rotates a refresh token: of concurrent calls with the same token exactly one wins. Presenting
   * a token that was already rotated is treated as theft (OWASP reuse detection): every active
   * session of its user is revoked as well.
   */
  async refresh(rawToken: string, client: ClientInfo): Promise<TokenPair> {
    const tokenHash = hashRefreshToken(rawToken);
    const now = new Date();
    const outcome = await this.uow.run(async (tx): Promise<RefreshOutcome> => {
      const presented = await this.refreshTokens.findByHash(tx.manager, tokenHash);
      // Lock the user first (as logins do), then re-read the token: a concurrent rotation is visible now.
      const user = presented && (await this.users.lockById(tx.manager, presented.userId));
      const current = user && (await this.refreshTokens.findByHash(tx.manager, tokenHash));
      if (!user || !current) return { kind: 'invalid' };
      const usable = current.revokedAt === null && current.expiresAt.getTime() > now.getTime();
      if (usable && (await this.refreshTokens.revokeActive(tx.manager, current.id, now))) {
        const issued = await this.issue(tx.manager, user, client, now);
        await this.refreshTokens.setReplacedBy(tx.manager, current.id, issued.id);
        return { kind: 'rotated', tokens: issued.tokens };
      }
      if (current.replacedById === null) return { kind: 'invalid' };
      await this.refreshTokens.revokeAllForUser(tx.manager, user.id, now);
      return { kind: 'reused', userId: user.id };
    });
    if (outcome.kind === 'rotated') return outcome.tokens;
    if (outcome.kind === 'reused') {
      this.logger.warn(`reuse of a rotated refresh token for user ${outcome.userId}: all sessions revoked`);
    }
    throw new InvalidRefreshTokenError();
  }

  /** Logout: revokes the token if it exists and is active; unknown tokens are ignored. */
  async revoke(rawToken: string): Promise<void> {
    await this.refreshTokens.revokeByHash(this.dataSource.manager, hashRefreshToken(rawToken), new Date());
  }

  private async issue(
    manager: EntityManager,
    user: UserEntity,
    client: ClientInfo,
    now: Date,
  ): Promise<{ id: string; tokens: TokenPair }> {
    const refreshToken = generateRefreshToken();
    const id = randomUUID();
    await this.refreshTokens.insert(manager, {
      id,
      userId: user.id,
      tokenHash: hashRefreshToken(refreshToken),
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.config.JWT_REFRESH_EXPIRY_DAYS * DAY_MS),
      userAgent: client.userAgent,
      ip: client.ip,
    });
    return {
      id,
      tokens: {
        access_token: await this.signAccessToken(user, now),
        refresh_token: refreshToken,
        token_type: 'Bearer',
        expires_in: this.accessTokenTtlSeconds,
      },
    };
  }
}
