import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { PersonalAccessTokenEntity } from '@app/core/database/entities';
import type { AccessTokenScope } from '@app/core/database/enums';

/** A token as the bearer check needs it, with its user's email (one query per request). */
export interface AccessTokenIdentity {
  id: string;
  userId: string;
  email: string;
  scopes: AccessTokenScope[];
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

export interface NewAccessToken {
  userId: string;
  name: string;
  scopes: AccessTokenScope[];
  tokenHash: string;
  tokenHint: string;
  expiresAt: Date | null;
  createdAt: Date;
}

@Injectable()
export class AccessTokensRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Serialises the creations of one user, so the active-token cap holds under concurrency. */
  async lockUser(manager: EntityManager, userId: string): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('personal_access_tokens:' || $1, 0))`, [userId]);
  }

  async countActive(manager: EntityManager, userId: string, now: Date): Promise<number> {
    const [row]: Array<{ count: number }> = await manager.query(
      `SELECT count(*)::int AS count FROM personal_access_tokens
       WHERE user_id = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $2)`,
      [userId, now],
    );
    return row.count;
  }

  insert(manager: EntityManager, token: NewAccessToken): Promise<PersonalAccessTokenEntity> {
    return manager.save(manager.create(PersonalAccessTokenEntity, token));
  }

  /** The user's tokens that are not revoked (expired ones included: the list says they expired), newest first. */
  listForUser(userId: string): Promise<PersonalAccessTokenEntity[]> {
    return this.dataSource
      .getRepository(PersonalAccessTokenEntity)
      .createQueryBuilder('t')
      .where('t.user_id = :userId AND t.revoked_at IS NULL', { userId })
      .orderBy('t.created_at', 'DESC')
      .addOrderBy('t.id', 'DESC')
      .getMany();
  }

  findById(manager: EntityManager, id: string): Promise<PersonalAccessTokenEntity | null> {
    return manager.findOne(PersonalAccessTokenEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  async revoke(manager: EntityManager, id: string, now: Date): Promise<void> {
    await manager.query(`UPDATE personal_access_tokens SET revoked_at = $2 WHERE id = $1`, [id, now]);
  }

  async findIdentity(tokenHash: string): Promise<AccessTokenIdentity | null> {
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT t.id, t.user_id, u.email, t.scopes, t.expires_at, t.revoked_at, t.last_used_at
       FROM personal_access_tokens t JOIN users u ON u.id = t.user_id
       WHERE t.token_hash = $1`,
      [tokenHash],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      id: row.id as string,
      userId: row.user_id as string,
      email: row.email as string,
      scopes: row.scopes as AccessTokenScope[],
      expiresAt: row.expires_at as Date | null,
      revokedAt: row.revoked_at as Date | null,
      lastUsedAt: row.last_used_at as Date | null,
    };
  }

  /** Records a use unless another request of the last minute already did (one cheap, rare write). */
  async touch(id: string, now: Date, staleBefore: Date): Promise<void> {
    await this.dataSource.query(
      `UPDATE personal_access_tokens SET last_used_at = $2
       WHERE id = $1 AND (last_used_at IS NULL OR last_used_at <= $3)`,
      [id, now, staleBefore],
    );
  }
}
