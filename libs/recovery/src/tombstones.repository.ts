import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, LessThanOrEqual, MoreThan } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { DeletionTombstoneEntity } from '@app/core/database/entities';

@Injectable()
export class TombstonesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Serialises one user's deletions so the 3-tombstone rotation can never be raced past. */
  async lockUserTombstones(manager: EntityManager, userId: string): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('tombstones:' || $1::text, 0))`, [userId]);
  }

  async insert(manager: EntityManager, tombstone: DeletionTombstoneEntity): Promise<DeletionTombstoneEntity> {
    // The jsonb snapshot defeats TypeORM's deep-partial typing; the row is complete.
    await manager.insert(DeletionTombstoneEntity, tombstone as QueryDeepPartialEntity<DeletionTombstoneEntity>);
    return tombstone;
  }

  /** Keeps the user's `keep` newest tombstones and permanently removes the rest. */
  async keepNewest(manager: EntityManager, userId: string, keep: number): Promise<void> {
    await manager.query(
      `DELETE FROM deletion_tombstones WHERE user_id = $1 AND id NOT IN (
         SELECT id FROM deletion_tombstones WHERE user_id = $1 ORDER BY deleted_at DESC, id DESC LIMIT $2)`,
      [userId, keep],
    );
  }

  lockById(manager: EntityManager, id: string): Promise<DeletionTombstoneEntity | null> {
    return manager
      .createQueryBuilder(DeletionTombstoneEntity, 'tombstone')
      .setLock('pessimistic_write')
      .where('tombstone.id = :id', { id })
      .getOne();
  }

  /** Recoverable (now < recoverable_until) tombstones of the user, newest first. */
  listRecoverable(userId: string, now: Date): Promise<DeletionTombstoneEntity[]> {
    return this.dataSource.manager.find(DeletionTombstoneEntity, {
      where: { userId, recoverableUntil: MoreThan(now) },
      order: { deletedAt: 'DESC', id: 'DESC' },
    });
  }

  async delete(manager: EntityManager, id: string): Promise<void> {
    await manager.delete(DeletionTombstoneEntity, { id });
  }

  async deleteExpired(now: Date): Promise<number> {
    const result = await this.dataSource.manager.delete(DeletionTombstoneEntity, {
      recoverableUntil: LessThanOrEqual(now),
    });
    return result.affected ?? 0;
  }
}
