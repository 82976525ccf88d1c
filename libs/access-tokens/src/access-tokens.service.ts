import { Injectable } from '@nestjs/common';
import { ValidationError } from '@app/core/errors/domain-error';
import { assertWithinLimit } from '@app/limits/limit-check';
import { owned } from '@app/core/errors/owned';
import type { DeletedDto } from '@app/core/http/envelope';
import { UnitOfWork } from '@app/core/events/unit-of-work';
import { hashRefreshToken } from '@app/auth/refresh-token';
import {
  generateAccessTokenSecret,
  MAX_ACCESS_TOKEN_LIFETIME_DAYS,
  MAX_ACTIVE_ACCESS_TOKENS,
  tokenHint,
} from './access-token-rules';
import { AccessTokenCreated, AccessTokenRevoked } from './access-token.events';
import { AccessTokensRepository } from './access-tokens.repository';
import type { CreateAccessTokenDto } from './dto/create-access-token.dto';
import {
  AccessTokenResponseDto,
  CreatedAccessTokenResponseDto,
  toAccessTokenResponse,
} from './dto/access-token-response.dto';

const DAY_MS = 86_400_000;

/** Creating, listing and revoking personal access tokens (docs/access-tokens.md §1). */
@Injectable()
export class AccessTokensService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly tokens: AccessTokensRepository,
  ) {}

  /** Creates a token; the secret is in this answer only, its SHA-256 in the database. */
  create(userId: string, dto: CreateAccessTokenDto): Promise<CreatedAccessTokenResponseDto> {
    const now = new Date();
    const expiresAt = dto.expires_at ?? null;
    assertExpiry(expiresAt, now);
    return this.uow.run(async (tx) => {
      await this.tokens.lockUser(tx.manager, userId);
      const active = await this.tokens.countActive(tx.manager, userId, now);
      assertWithinLimit(active, 1, MAX_ACTIVE_ACCESS_TOKENS, 'Personal access token limit reached');
      const secret = generateAccessTokenSecret();
      const token = await this.tokens.insert(tx.manager, {
        userId,
        name: dto.name,
        scopes: dto.scopes,
        tokenHash: hashRefreshToken(secret),
        tokenHint: tokenHint(secret),
        expiresAt,
        createdAt: now,
      });
      const payload = { token_id: token.id, name: token.name, scopes: token.scopes };
      await tx.emit(AccessTokenCreated, payload, { userId, source: 'user', occurredAt: now });
      return { ...toAccessTokenResponse(token, now), token: secret };
    });
  }

  async list(userId: string): Promise<AccessTokenResponseDto[]> {
    const now = new Date();
    return (await this.tokens.listForUser(userId)).map((token) => toAccessTokenResponse(token, now));
  }

  /** Revokes a token at once: its next request is 401. A revoked token is gone (404). */
  revoke(userId: string, tokenId: string): Promise<DeletedDto> {
    return this.uow.run(async (tx) => {
      const found = await this.tokens.findById(tx.manager, tokenId);
      const token = owned(found?.revokedAt ? null : found, userId, 'Personal access token');
      const now = new Date();
      await this.tokens.revoke(tx.manager, token.id, now);
      const payload = { token_id: token.id, name: token.name, scopes: token.scopes };
      await tx.emit(AccessTokenRevoked, payload, { userId, source: 'user', occurredAt: now });
      return { id: token.id, deleted: true };
    });
  }
}

function assertExpiry(expiresAt: Date | null, now: Date): void {
  if (expiresAt === null) return;
  if (expiresAt <= now) throw ValidationError.field('expires_at', 'must be in the future');
  if (expiresAt.getTime() - now.getTime() > MAX_ACCESS_TOKEN_LIFETIME_DAYS * DAY_MS) {
    throw ValidationError.field('expires_at', `must be at most ${MAX_ACCESS_TOKEN_LIFETIME_DAYS} days away`);
  }
}
