import { Injectable } from '@nestjs/common';
import { EntityManager, IsNull } from 'typeorm';
import { RefreshTokenEntity } from '@app/core/database/entities';

export interface NewRefreshToken {
  id: string;
  userId: string;
  tokenHash: string;
  createdAt: Date;
  expiresAt: Date;
  userAgent: string | null;
  ip: string | null;
}

@Injectable()
export class RefreshTokensRepository {
  findByHash(manager: EntityManager, tokenHash: string): Promise<RefreshTokenEntity | null> {
    return manager.findOne(RefreshTokenEntity, { where: { tokenHash } });
  }

  async insert(manager: EntityManager, token: NewRefreshToken): Promise<void> {
    await manager.insert(RefreshTokenEntity, {
      ...token,
      userAgent: token.userAgent?.slice(0, 512) ?? null,
      ip: token.ip?.slice(0, 64) ?? null,
      revokedAt: null,
      replacedById: null,
    });
  }

  /** Revokes one active token; false when it was already revoked (the loser of a race). */
  async revokeActive(manager: EntityManager, id: string, now: Date): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      'UPDATE refresh_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL RETURNING id',
      [id, now],
    );
    return rows.length > 0;
  }

  async setReplacedBy(manager: EntityManager, id: string, replacedById: string): Promise<void> {
    await manager.update(RefreshTokenEntity, { id }, { replacedById });
  }

  async revokeAllForUser(manager: EntityManager, userId: string, now: Date): Promise<void> {
    await manager.update(RefreshTokenEntity, { userId, revokedAt: IsNull() }, { revokedAt: now });
  }

  async revokeByHash(manager: EntityManager, tokenHash: string, now: Date): Promise<void> {
    await manager.update(RefreshTokenEntity, { tokenHash, revokedAt: IsNull() }, { revokedAt: now });
  }
}
