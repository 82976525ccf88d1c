import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DataExportEntity } from '@app/core/database/entities';

@Injectable()
export class DataExportsRepository {
  constructor(private readonly dataSource: DataSource) {}

  findById(id: string, manager: EntityManager = this.dataSource.manager): Promise<DataExportEntity | null> {
    return manager.findOne(DataExportEntity, { where: { id } });
  }

  /** The export being prepared for the user, if any (at most one: partial unique index). */
  findPending(manager: EntityManager, userId: string): Promise<DataExportEntity | null> {
    return manager.findOne(DataExportEntity, { where: { userId, status: 'pending' } });
  }

  async insertPending(manager: EntityManager, userId: string, now: Date): Promise<DataExportEntity> {
    const entity = manager.create(DataExportEntity, {
      userId,
      status: 'pending',
      content: null,
      sizeBytes: null,
      completedAt: null,
      expiresAt: null,
      createdAt: now,
      updatedAt: now,
    });
    await manager.insert(DataExportEntity, entity);
    return entity;
  }

  /** Stores the document of a pending export; false when it is no longer pending (rerun, deleted). */
  async complete(
    manager: EntityManager,
    id: string,
    content: string,
    completedAt: Date,
    expiresAt: Date,
  ): Promise<boolean> {
    const result = await manager.update(
      DataExportEntity,
      { id, status: 'pending' },
      {
        status: 'ready',
        content,
        sizeBytes: Buffer.byteLength(content, 'utf8'),
        completedAt,
        expiresAt,
        updatedAt: completedAt,
      },
    );
    return (result.affected ?? 0) > 0;
  }

  async fail(manager: EntityManager, id: string, now: Date): Promise<boolean> {
    const result = await manager.update(
      DataExportEntity,
      { id, status: 'pending' },
      { status: 'failed', completedAt: now, expiresAt: null, updatedAt: now },
    );
    return (result.affected ?? 0) > 0;
  }

  /** Exports past their download window, and failed ones older than a day. */
  async deleteExpired(now: Date, failedBefore: Date): Promise<number> {
    const [, count]: [unknown, number] = await this.dataSource.query(
      `DELETE FROM data_exports WHERE expires_at <= $1 OR (status = 'failed' AND completed_at <= $2)`,
      [now, failedBefore],
    );
    return count;
  }
}
